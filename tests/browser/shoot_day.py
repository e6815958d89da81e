"""A small production of its own for the whole-shoot-day browser test, built through the
application service (never the demo), and served by ``showclear serve``.

*High Noon Test Unit*: a key armorer, a first AD, a safety supervisor, a producer (the second
person who closes an incident with the safety supervisor), an investigator, a performer and a
stunt performer; a revolver locked in the armory safe; a box of 50 dummies received into the
locked ammunition lockbox, not yet verified, and a small box of 6 more beside it (the live round
found during the day quarantines the first box for good: the second is what the dummy scene
loads); and today's two scenes (in the production's time zone, UTC), a cold one and, after it, a
small one with dummies, each planning the revolver for the performer. Everyone has a web login,
a badge and a PIN.

The build runs in a process of its own (``python shoot_day.py DATA_DIR``), as ``showclear demo``
builds the demo: it sets up Django on the data directory for the logins, which the test process
must not. It writes the secrets to ``shoot-day.json`` (owner-only) beside the database.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from served_process import environment, start_serve, stop_serve

SECRETS = "shoot-day.json"
NAME = "High Noon Test Unit"
ARMORER = "Marta Velez"
SCENE = "7"
REVOLVER = "R-01"
SPARE = "R-02"
"""Received by hand on the Receive page, during the test's prep."""
DUMMIES = "D-01"
DUMMY_COUNT = 50
DUMMY_SCENE = "8"
"""Played after work resumes: the revolver loaded with dummies, shown, handed over and back."""
SECOND_DUMMIES = "D-02"
"""The dummies of :data:`DUMMY_SCENE`, verified during the test's prep (after the live round
found in :data:`DUMMIES`, that lot never goes into a firearm again)."""
SECOND_DUMMY_COUNT = 6

# key, name, role, username (the key armorer comes first, created with the production)
CAST: tuple[tuple[str, str, str, str], ...] = (
    ("armorer", ARMORER, "armorer", "marta"),
    ("first_ad", "Dana Hale", "first-ad", "dana"),
    ("safety", "Pat Kimura", "safety-supervisor", "pat"),
    ("producer", "Ruth Calloway", "producer", "ruth"),
    ("investigator", "Ivo Marsh", "investigator", "ivo"),
    ("performer", "Jo Carver", "cast", "jo"),
    ("stunt", "Lee Marsh", "stunt", "lee"),
)


@dataclass
class Member:
    """One person of the production: their id, login and in-person credentials."""

    key: str
    name: str
    role: str
    username: str
    person_id: str = ""
    password: str = ""
    pin: str = ""
    badge: str = ""


@dataclass
class ShootDay:
    """The served production and its secrets."""

    data_dir: Path
    base: str = ""
    slug: str = ""
    today: str = ""
    members: dict[str, Member] = field(default_factory=dict)
    process: subprocess.Popen[str] | None = None

    def url(self, path: str = "") -> str:
        """The address of ``path`` under this production (``/p/<slug>/<path>``)."""
        return f"{self.base}/p/{self.slug}/{path}"

    def member(self, key: str) -> Member:
        return self.members[key]

    @property
    def passwords(self) -> dict[str, str]:
        """username -> password, as ``conftest.sign_in`` reads them."""
        return {m.username: m.password for m in self.members.values()}

    def ledger_size(self) -> int:
        """How many entries the production's ledger holds now (read from the database)."""
        from showclear.store import open_store

        store = open_store(f"sqlite:///{self.data_dir / 'showclear.sqlite3'}")
        try:
            production = next(p for p in store.productions() if p.slug == self.slug)
            return store.size(production)
        finally:
            store.close()

    def kinds_since(self, size: int) -> list[str]:
        """The kinds of the entries recorded after the first ``size`` (the Service's store)."""
        from showclear.core.ledger.entry import decode_entry
        from showclear.store import open_store

        store = open_store(f"sqlite:///{self.data_dir / 'showclear.sqlite3'}")
        try:
            production = next(p for p in store.productions() if p.slug == self.slug)
            end = store.size(production)
            return [decode_entry(body).kind for body in store.entry_range(production, size, end)]
        finally:
            store.close()

    def stop(self) -> None:
        if self.process is not None:
            stop_serve(self.process)


def build(data_dir: Path) -> None:
    """Build the production into ``data_dir`` in a process of its own; fails with its output."""
    data_dir.mkdir(parents=True, mode=0o700)
    env = environment(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[1]), *filter(None, [env.get("PYTHONPATH", "")])]
    )
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"the shoot day could not be built:\n{done.stdout}{done.stderr}"


def serve(data_dir: Path) -> ShootDay:
    """``showclear serve`` on a built production, with its secrets read back."""
    data: dict[str, Any] = json.loads((data_dir / SECRETS).read_text())
    day = ShootDay(
        data_dir,
        slug=data["slug"],
        today=data["today"],
        members={m["key"]: Member(**m) for m in data["members"]},
    )
    day.process, day.base = start_serve(data_dir)
    return day


# -- the build, in its own process ---------------------------------------------------------------


def _build_here(data_dir: Path) -> None:
    from showclear.core import vocabulary
    from showclear.core.commands import (
        AddPerson,
        Confirmation,
        InspectFirearm,
        Lock,
        PlanScene,
        PlanShootDay,
        PutIn,
        ReceiveFirearm,
        ReceiveLot,
        RecordTraining,
        RegisterContainer,
        Unlock,
    )
    from showclear.core.events.on_set import PersonAdded
    from showclear.core.vocabulary import (
        AMMUNITION_MAKER,
        ARMORER_LICENCE,
        ARMORY_SAFE,
        COLD,
        DUMMY,
        FIREARM_SAFETY,
        FIRING,
        LOCKBOX,
        revolver_chambers,
    )
    from showclear.service import GENESIS_PERSON, Service
    from showclear.web.accounts import create_login
    from showclear.web.setup import migrate

    del Confirmation  # nothing is confirmed in person while building: the test does that
    service = Service.from_environment()
    migrate()
    production, _ = service.create_production(NAME, ARMORER, zone="UTC")
    members = {key: Member(key, name, role, user) for key, name, role, user in CAST}
    members["armorer"].person_id = GENESIS_PERSON

    def do(who: str, command: object) -> Any:
        executed = service.execute(
            production,
            command,  # type: ignore[arg-type]
            person_id=members[who].person_id,
            device="shoot-day",
        )
        assert not executed.warnings, executed.warnings
        return executed

    for member in list(members.values())[1:]:
        added = do("armorer", AddPerson(member.name, (member.role,))).events[0]
        assert isinstance(added, PersonAdded)
        member.person_id = added.person_id
    today = datetime.now(UTC).date()
    for member in members.values():
        do(
            "safety",
            RecordTraining(
                member.person_id,
                FIREARM_SAFETY,
                (today - timedelta(days=90)).isoformat(),
                (today + timedelta(days=600)).isoformat(),
            ),
        )
    do(
        "safety",
        RecordTraining(
            GENESIS_PERSON,
            ARMORER_LICENCE,
            (today - timedelta(days=300)).isoformat(),
            (today + timedelta(days=700)).isoformat(),
        ),
    )
    desk = service.credentials
    for member in members.values():
        member.badge = desk.issue_badge(production, member.person_id, by=GENESIS_PERSON).code
        member.pin = f"{secrets.randbelow(10**6):06d}"
        desk.issue_pin(production, member.person_id, member.pin, by=GENESIS_PERSON)
        member.password = secrets.token_urlsafe(12)
        create_login(production.slug, member.person_id, member.username, member.password)

    chambers = revolver_chambers(6)
    do("armorer", RegisterContainer("SAFE-1", ARMORY_SAFE, "gun safe, armory truck"))
    do("armorer", RegisterContainer("AMMO-1", LOCKBOX, "ammunition lockbox, armory truck"))
    do("armorer", Unlock("SAFE-1"))
    do(
        "armorer",
        ReceiveFirearm(
            REVOLVER, "SA-41872", "Colt", "Single Action Army", "revolver", ".45 Colt", FIRING,
            chambers, "Western Prop Rentals", "the sheriff's revolver",
        ),
    )  # fmt: skip
    do("armorer", InspectFirearm(REVOLVER, chambers, True, firearm_class=FIRING))
    do("armorer", PutIn("SAFE-1", REVOLVER))
    do("armorer", Lock("SAFE-1"))
    do("armorer", Unlock("AMMO-1"))
    do(
        "armorer",
        ReceiveLot(
            DUMMIES, DUMMY, ".45 Colt", DUMMY_COUNT, "Acme Dummy Cartridge Co.",
            "invoice INV-1042", (today - timedelta(days=2)).isoformat(), container="AMMO-1",
            maker=AMMUNITION_MAKER,
        ),
    )  # fmt: skip
    do(
        "armorer",
        ReceiveLot(
            SECOND_DUMMIES, DUMMY, ".45 Colt", SECOND_DUMMY_COUNT, "Acme Dummy Cartridge Co.",
            "invoice INV-1043", (today - timedelta(days=2)).isoformat(), container="AMMO-1",
            maker=AMMUNITION_MAKER,
        ),
    )  # fmt: skip
    do("armorer", Lock("AMMO-1"))
    do("first_ad", PlanShootDay("day-1", today.isoformat()))
    performer = members["performer"].person_id
    do(
        "first_ad",
        PlanScene(SCENE, "day-1", "The noon stand-off", (REVOLVER,), (performer,), COLD),
    )
    do(
        "first_ad",
        PlanScene(
            DUMMY_SCENE,
            "day-1",
            "The sheriff reloads",
            (REVOLVER,),
            (performer,),
            vocabulary.DUMMIES,
            rounds=SECOND_DUMMY_COUNT,
        ),
    )
    secrets_file = data_dir / SECRETS
    descriptor = os.open(secrets_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "slug": production.slug,
                "today": today.isoformat(),
                "members": [asdict(m) for m in members.values()],
            },
            handle,
            indent=2,
        )
    service.store.close()


if __name__ == "__main__":
    _build_here(Path(sys.argv[1]))
