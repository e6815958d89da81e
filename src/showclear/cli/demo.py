"""``showclear demo``: a Western in the middle of its shoot, built through the real commands.

*Dust and Iron* has a prep day, a complete first shoot day and a second day in progress (with
a second unit at Red Mesa for its first scene, its own armorer there, and the rifle moved to it
and back by handovers between the armorers): eight firearms, dummy and blank lots from named suppliers verified round by round before a witness,
an armory safe, an ammunition lockbox and two gun belts, six performers and the crew. Every step
goes through :meth:`Service.execute` exactly as the web app or a scanner would send it, with
the clock set to a fixed shoot date: there is no back door into the tables, so the demo is also
a long end-to-end test of the protocol. A refused command (or one recorded with a warning) is a
bug in the demo and stops it with the reasons.

Passwords, PINs and badge codes are random. The web app stores passwords and PINs only hashed;
the plain values are kept in ``demo-logins.json`` (owner-only) in the data directory so that a
second ``showclear demo`` can print them again.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    BlankFirePlan,
    CallBreak,
    Command,
    Confirmation,
    ConfirmReceipt,
    CountAndReconcile,
    DispatchFirearm,
    EndBreak,
    FirearmFor,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    Load,
    Lock,
    LotCount,
    OpenUnit,
    PlanScene,
    PlanShootDay,
    PutIn,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RegisterContainer,
    ReportDischarge,
    Return,
    ShowClear,
    StartScene,
    TakeOut,
    Unload,
    Unlock,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide import Refused
from showclear.core.events.on_set import PersonAdded
from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    ARMORER,
    ARMORER_LICENCE,
    ARMORY_SAFE,
    ASSISTANT_ARMORER,
    BLANK,
    BLANK_ADAPTED,
    CAST,
    COLD,
    CREW,
    DUMMIES,
    DUMMY,
    FIREARM_SAFETY,
    FIRING,
    FIRST_AD,
    GUN_BELT,
    HOT,
    LOCKBOX,
    NON_FIRING_REPLICA,
    OTHER,
    OTHER_MAKER,
    PRIMER_POCKET_EMPTY,
    PRODUCER,
    RATTLE,
    ROLE_NAMES,
    SAFETY_SUPERVISOR,
    STUNT,
    barrels,
    magazine_positions,
    revolver_chambers,
)
from showclear.core.vocabulary import CASE_HOLE as CASE_HOLE_METHOD
from showclear.service import GENESIS_PERSON, Executed, Service
from showclear.store import Production

NAME = "Dust and Iron"
KEY_ARMORER = "Marta Velez"
CREDENTIALS_FILE = "demo-logins.json"

PREP_DAY = datetime(2026, 10, 12, tzinfo=UTC)
DAY_ONE = PREP_DAY + timedelta(days=1)
DAY_TWO = PREP_DAY + timedelta(days=2)

CHAMBERS = revolver_chambers(6)
MAIN_UNIT = "main"
SECOND_UNIT = "second"
RENTALS = "Western Prop Rentals"
DESERT = "Desert Arms Film Services"

# The roster after the key armorer: key, name, roles, username (people with an account).
ROSTER: tuple[tuple[str, str, str, str], ...] = (
    ("assistant", "Sam Ortiz", ASSISTANT_ARMORER, "sam"),
    ("first_ad", "Dana Hale", FIRST_AD, "dana"),
    ("safety", "Pat Kimura", SAFETY_SUPERVISOR, "pat"),
    ("producer", "Ruth Calloway", PRODUCER, "ruth"),
    ("camera", "Hal Rivera", CREW, ""),
    ("jo", "Jo Carver", CAST, ""),
    ("eli", "Eli Stone", CAST, ""),
    ("rosa", "Rosa Delgado", CAST, ""),
    ("will", "Will Tanner", CAST, ""),
    ("lee", "Lee Marsh", STUNT, ""),
    ("kit", "Kit Brannigan", STUNT, ""),
)
ARMORER_USERNAME = "marta"

# tag, serial, make, model, type, calibre, class, positions, owner, notes
FIREARMS: tuple[tuple[str, str, str, str, str, str, str, tuple[str, ...], str, str], ...] = (
    ("R-01", "SA-41872", "Colt", "Single Action Army", "revolver", ".45 Colt", FIRING, CHAMBERS, RENTALS, "the sheriff's revolver"),
    ("R-02", "UB-30117", "Uberti", "1873 Cattleman", "revolver", ".45 Colt", BLANK_ADAPTED, CHAMBERS, RENTALS, ""),
    ("R-03", "UB-30142", "Uberti", "1873 Cattleman", "revolver", ".45 Colt", BLANK_ADAPTED, CHAMBERS, RENTALS, ""),
    ("R-04", "RV-55120", "Ruger", "New Vaquero", "revolver", ".45 Colt", FIRING, CHAMBERS, DESERT, "the outlaw's revolver"),
    ("R-05", "CM-88213", "Cimarron", "Model P", "revolver", ".45 Colt", BLANK_ADAPTED, CHAMBERS, DESERT, ""),
    ("W-06", "WN-19044", "Winchester", "1892", "lever-action rifle", ".44-40", FIRING, magazine_positions(10), RENTALS, "saddle rifle"),
    ("S-07", "ST-60731", "Stoeger", "Coach Gun", "shotgun", "12 gauge", FIRING, barrels(2), DESERT, "side-by-side"),
    ("P-08", "DX-1106", "Denix", "Peacemaker replica", "revolver", ".45 Colt", NON_FIRING_REPLICA, (), RENTALS, "background holster gun"),
)  # fmt: skip

# tag, kind, calibre, count, supplier, document, delivered on, load, for firearms, method, tray
LOTS: tuple[tuple[str, str, str, int, str, str, str, str, tuple[str, ...], str, int], ...] = (
    ("D-01", DUMMY, ".45 Colt", 100, "Acme Dummy Cartridge Co.", "invoice INV-1042", "2026-10-09", "", (), RATTLE, 25),
    ("D-02", DUMMY, ".44-40", 50, "Stembridge Gun Rentals", "delivery note DN-5531", "2026-10-09", "", (), PRIMER_POCKET_EMPTY, 25),
    ("D-03", DUMMY, "12 gauge", 10, "Stembridge Gun Rentals", "delivery note DN-5531", "2026-10-09", "", (), CASE_HOLE_METHOD, 10),
    ("B-01", BLANK, ".45 Colt", 60, "Stembridge Gun Rentals", "delivery note DN-5532", "2026-10-10", "half", ("R-02", "R-03", "R-05"), OTHER, 20),
    ("B-02", BLANK, "12 gauge", 20, "Desert Arms Film Services", "invoice DA-2207", "2026-10-10", "full", ("S-07",), OTHER, 20),
)  # fmt: skip

#: Day two, before the first scene: a new box of dummies, a third of it verified so far.
#: Who made each lot (R-INERT-PRIMER): the rental house's own .44-40 dummies were made up by
#: them, not by an ammunition maker, so each round was checked by its (empty) primer pocket.
MAKERS = {"D-02": OTHER_MAKER}
LATE_LOT = ("D-04", DUMMY, ".45 Colt", 50, "Hollywood Prop Ammo", "invoice HPA-7781", "2026-10-13")
LATE_LOT_VERIFIED = 20


class DemoFailed(Exception):
    """A command of the demo was refused or warned: a bug in the demo or in the protocol."""


# -- logins ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    """A crew member's web login."""

    person_id: str
    name: str
    role: str
    username: str
    password: str


@dataclass(frozen=True)
class Badge:
    """A person's badge code (for the QR; issued by the service as the demo is built, shown this
    once) and, for performers, the PIN they type instead."""

    person_id: str
    name: str
    role: str
    badge: str
    pin: str = ""
    serial: str = ""


@dataclass
class Credentials:
    """Every secret of the demo production, kept owner-only so a re-run can print them."""

    production: str
    slug: str = ""
    logins: list[Login] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)

    @classmethod
    def fresh(cls) -> Credentials:
        """New random passwords and PINs for the whole roster (badge codes come when the
        service issues the badges, during :func:`build`)."""
        logins, badges = [], []
        everyone = (("armorer", KEY_ARMORER, ARMORER, ARMORER_USERNAME), *ROSTER)
        for key, name, role, username in everyone:
            performer = role in (CAST, STUNT)
            pin = f"{secrets.randbelow(10**6):06d}" if performer else ""
            badges.append(Badge(key, name, role, "", pin))
            if username:
                logins.append(Login(key, name, role, username, _password()))
        return cls(NAME, logins=logins, badges=badges)

    def badge(self, key: str) -> Badge:
        """The badge of the person known in the script as ``key``."""
        return next(b for b in self.badges if b.person_id == key)

    def save(self, path: Path) -> None:
        """Write owner-only (0600), replacing any earlier file atomically."""
        staged = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(asdict(self), handle, indent=2)
            handle.write("\n")
        os.replace(staged, path)

    @classmethod
    def load(cls, path: Path) -> Credentials | None:
        """The saved credentials, or None when there are none (or they cannot be read)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                data["production"],
                data.get("slug", ""),
                [Login(**login) for login in data["logins"]],
                [Badge(**badge) for badge in data["badges"]],
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _password() -> str:
    """Sixteen random URL-safe characters that do not start with a dash (easy to copy)."""
    while True:
        password = secrets.token_urlsafe(12)
        if password[0].isalnum():
            return password


def credentials_path(data_dir: Path) -> Path:
    """Where the demo's passwords and PINs are kept."""
    return data_dir / CREDENTIALS_FILE


def find(service: Service) -> Production | None:
    """The demo production, if it was built already."""
    for production in service.store.productions():
        if production.name.casefold() == NAME.casefold():
            return production
    return None


# -- the script -----------------------------------------------------------------------------------


class _Shoot:
    """Plays commands through the service with a clock moved by hand, one minute per command."""

    def __init__(self, service: Service, credentials: Credentials) -> None:
        self.service = service
        self.credentials = credentials
        self.now = PREP_DAY.replace(hour=8)
        self.ids: dict[str, str] = {"armorer": GENESIS_PERSON}
        self.production: Production | None = None
        self.commands = 0
        service.clock = lambda: self.now

    def at(self, day: datetime, hhmm: str) -> None:
        """Move the clock forward to ``hhmm`` on ``day`` (never back: the log keeps order)."""
        hours, minutes = (int(part) for part in hhmm.split(":"))
        moment = day.replace(hour=hours, minute=minutes)
        if moment < self.now:
            raise DemoFailed(f"the demo's clock would go back from {self.now} to {moment}")
        self.now = moment

    def do(self, who: str, command: Command) -> Executed:
        """Record ``command`` by the person known as ``who``; anything but a clean record fails."""
        assert self.production is not None
        try:
            executed = self.service.execute(
                self.production, command, person_id=self.ids[who], device="demo"
            )
        except Refused as refused:
            reasons = "; ".join(f"{v.rule_id}: {v.message}" for v in refused.violations)
            raise DemoFailed(
                f"{type(command).__name__} by {who} at {self.now:%Y-%m-%d %H:%M} was refused: "
                f"{reasons}"
            ) from refused
        if executed.warnings:
            reasons = "; ".join(f"{w.rule_id}: {w.message}" for w in executed.warnings)
            raise DemoFailed(
                f"{type(command).__name__} by {who} was recorded with warnings: {reasons}"
            )
        self.now += timedelta(minutes=1)
        self.commands += 1
        return executed

    def confirm(self, key: str) -> Confirmation:
        """The person known as ``key`` confirming in person: their badge scanned."""
        return Confirmation(self.ids[key], f"SC1:B:{self.credentials.badge(key).badge}")

    def confirm_by_pin(self, key: str) -> Confirmation:
        """The person known as ``key`` typing their PIN on the armorer's phone (their badge
        scanned if they have no PIN)."""
        pin = self.credentials.badge(key).pin
        return Confirmation(self.ids[key], pin) if pin else self.confirm(key)

    def credentials_for(self, key: str) -> None:
        """Issue the badge (and PIN, for performers) of the person known as ``key``."""
        assert self.production is not None
        desk = self.service.credentials
        badge = self.credentials.badge(key)
        person_id = self.ids[key]
        issued = desk.issue_badge(self.production, person_id, by=GENESIS_PERSON, device="demo")
        self.now += timedelta(minutes=1)
        self.commands += 1
        if badge.pin:
            desk.issue_pin(self.production, person_id, badge.pin, by=GENESIS_PERSON, device="demo")
            self.now += timedelta(minutes=1)
            self.commands += 1
        self.credentials.badges = [
            replace(b, badge=issued.code, serial=issued.serial) if b.person_id == key else b
            for b in self.credentials.badges
        ]

    # -- armory moves (the key armorer unless told) ---------------------------------------------

    def out_of_safe(self, *tags: str, who: str = "armorer") -> None:
        """Take firearms out of the safe, lock it again, and inspect each in hand."""
        self.do(who, Unlock("SAFE-1"))
        for tag in tags:
            self.do(who, TakeOut("SAFE-1", tag))
        self.do(who, Lock("SAFE-1"))
        for tag in tags:
            self.inspect(tag, who)

    def into_safe(self, *tags: str, who: str = "armorer") -> None:
        """Lock firearms (inspected, unloaded) away."""
        self.do(who, Unlock("SAFE-1"))
        for tag in tags:
            self.do(who, PutIn("SAFE-1", tag))
        self.do(who, Lock("SAFE-1"))

    def inspect(self, tag: str, who: str = "armorer") -> None:
        """Every position and the barrel."""
        assert self.production is not None
        positions = self.service.state(self.production).firearms[tag].positions
        self.do(who, InspectFirearm(tag, positions, barrel_clear=True))

    def issue(
        self,
        tag: str,
        performer: str,
        scene: str,
        announced: str,
        rounds: int,
        who: str = "armorer",
    ) -> None:
        """Show every position to the performer and the first AD, then hand it over (a
        performer with a PIN types it; the first AD's badge is scanned)."""
        assert self.production is not None
        positions = self.service.state(self.production).firearms[tag].positions
        self.do(
            who,
            ShowClear(
                tag,
                scene,
                positions,
                announced,
                rounds,
                self.confirm_by_pin(performer),
                self.confirm("first_ad"),
            ),
        )
        self.do(who, HandOver(tag, self.ids[performer], scene))

    def take_back(self, *tags: str, who: str = "armorer") -> None:
        """Take firearms back and inspect them at once (they were out of sight)."""
        for tag in tags:
            self.do(who, Return(tag))
            self.inspect(tag, who)

    def box(self, lot: str) -> None:
        """Take a lot's box out of the lockbox (left open until :meth:`box_back`)."""
        self.do("armorer", Unlock("AMMO-1"))
        self.do("armorer", TakeOut("AMMO-1", lot))

    def box_back(self, lot: str) -> None:
        """Put a lot's box back and lock the lockbox."""
        self.do("armorer", PutIn("AMMO-1", lot))
        self.do("armorer", Lock("AMMO-1"))

    def meeting(self, scene: str, *, pointing: tuple[str, ...] = ()) -> None:
        """The scene's safety meeting, called by the first AD, then the scene starts."""
        assert self.production is not None
        planned = self.service.state(self.production).scenes[scene]
        people = [key for key, person_id in self.ids.items() if person_id in planned.people]
        attendees = tuple(self.ids[k] for k in ("armorer", "assistant", "first_ad", *people))
        self.do(
            "first_ad",
            HoldSafetyMeeting(
                scene,
                attendees,
                ("the action", "pointing", "distances", "abort plan", "hot and cold calls"),
                pointing,
                blank_fire_reviewed=planned.condition == HOT,
            ),
        )
        self.do("first_ad", StartScene(scene))

    # -- the days -------------------------------------------------------------------------------

    def prep_day(self) -> None:
        """The production, its people and training, the armory received and verified."""
        self.production, _ = self.service.create_production(NAME, KEY_ARMORER)
        self.now += timedelta(minutes=1)
        self.credentials_for("armorer")
        for key, name, role, _username in ROSTER:
            executed = self.do("armorer", AddPerson(name, (role,)))
            added = executed.events[0]
            assert isinstance(added, PersonAdded)
            self.ids[key] = added.person_id
            self.credentials_for(key)
        self.at(PREP_DAY, "09:00")
        for key in self.ids:
            self.do(
                "safety", RecordTraining(self.ids[key], FIREARM_SAFETY, "2026-06-18", "2028-06-18")
            )
        for key in ("armorer", "assistant"):
            self.do(
                "safety", RecordTraining(self.ids[key], ARMORER_LICENCE, "2025-02-03", "2028-02-03")
            )

        self.at(PREP_DAY, "09:30")
        self.do("armorer", RegisterContainer("SAFE-1", ARMORY_SAFE, "gun safe, armory truck"))
        self.do("armorer", RegisterContainer("AMMO-1", LOCKBOX, "ammunition lockbox, armory truck"))
        self.do(
            "armorer", RegisterContainer("BELT-1", GUN_BELT, "the sheriff's gun belt (Jo Carver)")
        )
        self.do(
            "armorer", RegisterContainer("BELT-2", GUN_BELT, "the outlaw's gun belt (Eli Stone)")
        )
        self.do("armorer", Unlock("SAFE-1"))
        for tag, serial, make, model, kind, calibre, klass, positions, owner, notes in FIREARMS:
            self.do(
                "armorer",
                ReceiveFirearm(
                    tag, serial, make, model, kind, calibre, klass, positions, owner, notes
                ),
            )
            self.do("armorer", InspectFirearm(tag, positions, True, firearm_class=klass))
            self.do("armorer", PutIn("SAFE-1", tag))
        self.do("armorer", Lock("SAFE-1"))

        self.at(PREP_DAY, "11:00")
        self.do("armorer", Unlock("AMMO-1"))
        for (
            tag,
            kind,
            calibre,
            count,
            supplier,
            document,
            delivered,
            load,
            made_for,
            method,
            tray,
        ) in LOTS:
            self.do(
                "armorer",
                ReceiveLot(
                    tag,
                    kind,
                    calibre,
                    count,
                    supplier,
                    document,
                    delivered,
                    load,
                    made_for,
                    maker=MAKERS.get(tag, AMMUNITION_MAKER),
                ),
            )
            witness = "assistant" if kind == DUMMY else "safety"
            for _ in range(count // tray):  # tray by tray, every round in hand
                self.do("armorer", VerifyRounds(tag, tray, method, self.confirm(witness)))
            self.do("armorer", PutIn("AMMO-1", tag))
        self.do("armorer", Lock("AMMO-1"))

        self.at(PREP_DAY, "14:00")
        self.do("first_ad", PlanShootDay("day-1", DAY_ONE.date().isoformat()))
        self.do("first_ad", PlanShootDay("day-2", DAY_TWO.date().isoformat()))
        self.do("producer", OpenUnit(SECOND_UNIT, "Second unit", "Red Mesa quarry, 30 km north"))
        street = BlankFirePlan(800, eye_protection=True, ear_protection=True)
        coach = BlankFirePlan(900, shields=True, eye_protection=True, ear_protection=True)
        i = self.ids
        scenes = (
            PlanScene("12", "day-1", "Saloon stand-off", ("R-01", "R-04"), (i["jo"], i["eli"]), COLD, crew=(i["camera"],), pointing=("camera",), assigned=(FirearmFor("R-01", i["jo"]), FirearmFor("R-04", i["eli"]))),
            PlanScene("14", "day-1", "Loading at the kitchen table", ("R-01",), (i["jo"],), DUMMIES, 6, worn_rounds=12, worn_lots=("D-01",)),
            PlanScene("21", "day-1", "Shots in Main Street", ("R-02", "R-03"), (i["eli"], i["will"]), HOT, 2, crew=(i["camera"],), blank_fire=street, assigned=(FirearmFor("R-02", i["eli"]), FirearmFor("R-03", i["will"]))),
            PlanScene("23", "day-1", "The coach ambush", ("S-07", "P-08"), (i["lee"], i["kit"]), HOT, 2, crew=(i["camera"],), blank_fire=coach, assigned=(FirearmFor("S-07", i["lee"]), FirearmFor("P-08", i["kit"]))),
            PlanScene("30", "day-2", "Ride into Red Mesa", ("W-06",), (i["rosa"],), COLD, unit=SECOND_UNIT),
            PlanScene("34", "day-2", "Showdown at the livery", ("R-01", "R-04"), (i["jo"], i["eli"]), DUMMIES, 6, crew=(i["camera"],), worn_rounds=12, worn_lots=("D-01",), assigned=(FirearmFor("R-01", i["jo"]), FirearmFor("R-04", i["eli"]))),
            PlanScene("36", "day-2", "Night raid on the mission", ("R-05",), (i["kit"],), HOT, 1, blank_fire=street),
        )  # fmt: skip
        for scene in scenes:
            self.do("first_ad", scene)

    def day_one(self) -> None:
        """Four scenes: cold, dummies with a gun belt, blanks fired in two takes; wrap count."""
        self.at(DAY_ONE, "07:30")
        self.meeting("12", pointing=("camera",))
        self.out_of_safe("R-01", "R-04")
        self.issue("R-01", "jo", "12", COLD, 0)
        self.issue("R-04", "eli", "12", COLD, 0)
        self.at(DAY_ONE, "09:40")
        self.take_back("R-01", "R-04")
        self.into_safe("R-01", "R-04")
        self.do("first_ad", WrapScene("12"))

        self.at(DAY_ONE, "10:00")
        self.meeting("14")
        self.out_of_safe("R-01")
        self.box("D-01")
        self.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
        self.fill_belt("BELT-1", 12)
        self.box_back("D-01")
        self.issue("R-01", "jo", "14", DUMMIES, 6)
        self.do("armorer", HandOver("BELT-1", self.ids["jo"], "14"))
        self.at(DAY_ONE, "11:45")
        self.take_back("R-01")
        self.do("armorer", Return("BELT-1"))
        self.box("D-01")
        self.do("armorer", Unload("R-01"))
        self.do("armorer", TakeOut("BELT-1", "D-01", 12))
        self.do("armorer", Lock("BELT-1"))
        self.box_back("D-01")
        self.into_safe("R-01")
        self.do("first_ad", WrapScene("14"))

        self.at(DAY_ONE, "12:30")
        self.do("first_ad", CallBreak("lunch"))  # everything is locked away: nothing to note
        self.at(DAY_ONE, "13:15")
        self.do("first_ad", EndBreak())

        self.at(DAY_ONE, "13:30")
        self.meeting("21")
        self.out_of_safe("R-02", "R-03")
        self.box("B-01")
        self.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
        self.do("armorer", Load("R-03", "B-01", CHAMBERS[:2], "21"))
        self.box_back("B-01")
        self.do("armorer", HandOver("R-03", self.ids["assistant"], "21"))
        self.issue("R-02", "eli", "21", HOT, 2)
        self.issue("R-03", "will", "21", HOT, 2, who="assistant")
        self.at(DAY_ONE, "14:20")
        self.do("eli", ReportDischarge("R-02", CHAMBERS[:2], planned=True, scene="21"))
        self.do("will", ReportDischarge("R-03", CHAMBERS[:2], planned=True, scene="21"))
        self.take_back("R-02")
        self.take_back("R-03", who="assistant")
        self.into_safe("R-02")
        self.into_safe("R-03", who="assistant")
        self.do("first_ad", WrapScene("21"))

        self.at(DAY_ONE, "15:30")
        self.meeting("23")
        self.out_of_safe("S-07", "P-08")
        self.box("B-02")
        self.do("armorer", Load("S-07", "B-02", barrels(2), "23"))
        self.box_back("B-02")
        self.issue("S-07", "lee", "23", HOT, 2)
        self.issue("P-08", "kit", "23", COLD, 0)
        self.at(DAY_ONE, "16:10")
        self.do("lee", ReportDischarge("S-07", barrels(2), planned=True, scene="23"))
        self.take_back("S-07", "P-08")
        self.into_safe("S-07", "P-08")
        self.do("first_ad", WrapScene("23"))

        self.at(DAY_ONE, "18:30")
        self.do(
            "armorer",
            CountAndReconcile(
                tuple(tag for tag, *_ in FIREARMS),
                (
                    LotCount("D-01", 100),
                    LotCount("D-02", 50),
                    LotCount("D-03", 10),
                    LotCount("B-01", 56),
                    LotCount("B-02", 18),
                ),
            ),
        )

    def fill_belt(self, belt: str, rounds: int) -> None:
        """Counted dummies from the open D-01 box into a gun belt's loops."""
        self.do("armorer", Unlock(belt))
        self.do("armorer", PutIn(belt, "D-01", rounds))

    def day_two(self) -> None:
        """A new lot half verified, a cold scene done, the livery showdown running now."""
        self.at(DAY_TWO, "06:45")
        tag, kind, calibre, count, supplier, document, delivered = LATE_LOT
        self.do(
            "armorer",
            ReceiveLot(
                tag, kind, calibre, count, supplier, document, delivered, maker=AMMUNITION_MAKER
            ),
        )
        self.do("armorer", VerifyRounds(tag, LATE_LOT_VERIFIED, RATTLE, self.confirm("assistant")))
        self.do("armorer", Unlock("AMMO-1"))
        self.box_back(tag)

        # Scene 30 is the second unit's, at Red Mesa: its armorer and performer go there, and
        # the rifle goes from the key armorer to the second unit's armorer, both recording it.
        self.at(DAY_TWO, "07:00")
        self.do("assistant", ArriveOnSet(self.ids["assistant"], unit=SECOND_UNIT))
        self.do("rosa", ArriveOnSet(self.ids["rosa"], unit=SECOND_UNIT))
        # The first AD runs the second unit's scene, and witnesses its show-clear, there.
        self.do("first_ad", ArriveOnSet(self.ids["first_ad"], unit=SECOND_UNIT))
        self.out_of_safe("W-06")
        self.do("armorer", DispatchFirearm("W-06", SECOND_UNIT, self.ids["assistant"]))
        self.at(DAY_TWO, "07:25")
        self.do("assistant", ConfirmReceipt("W-06"))
        self.inspect("W-06", who="assistant")
        self.at(DAY_TWO, "07:30")
        self.meeting("30")
        self.issue("W-06", "rosa", "30", COLD, 0, who="assistant")
        self.at(DAY_TWO, "09:30")
        self.take_back("W-06", who="assistant")
        self.do("first_ad", WrapScene("30"))
        # The second unit wraps: the rifle goes back to the key armorer the same way.
        self.do("assistant", DispatchFirearm("W-06", MAIN_UNIT, GENESIS_PERSON))
        self.at(DAY_TWO, "10:05")
        self.do("armorer", ConfirmReceipt("W-06"))
        self.do("assistant", ArriveOnSet(self.ids["assistant"], unit=MAIN_UNIT))
        self.do("rosa", ArriveOnSet(self.ids["rosa"], unit=MAIN_UNIT))
        self.do("first_ad", ArriveOnSet(self.ids["first_ad"], unit=MAIN_UNIT))
        self.inspect("W-06")
        self.into_safe("W-06")

        self.at(DAY_TWO, "10:15")
        self.meeting("34")
        self.out_of_safe("R-01", "R-04")
        self.box("D-01")
        self.do("armorer", Load("R-01", "D-01", CHAMBERS, "34"))
        self.do("armorer", Load("R-04", "D-01", CHAMBERS, "34"))
        self.fill_belt("BELT-1", 12)
        self.fill_belt("BELT-2", 12)
        self.box_back("D-01")
        self.issue("R-01", "jo", "34", DUMMIES, 6)
        self.issue("R-04", "eli", "34", DUMMIES, 6)
        self.do("armorer", HandOver("BELT-1", self.ids["jo"], "34"))
        self.do("armorer", HandOver("BELT-2", self.ids["eli"], "34"))


@dataclass(frozen=True)
class Built:
    """The demo production and how many commands built it."""

    production: Production
    commands: int


def build(service: Service, credentials: Credentials) -> Built:
    """Build *Dust and Iron* through the service; raise :class:`DemoFailed` at the first refusal.

    Badges and PINs are issued through the service's credential desk (kept beside the ledger,
    never in it); the badge codes it answers are kept in ``credentials``, to print. The
    service's clock is set per step and put back afterwards.
    """
    clock = service.clock
    shoot = _Shoot(service, credentials)
    try:
        shoot.prep_day()
        shoot.day_one()
        shoot.day_two()
    finally:
        service.clock = clock
    assert shoot.production is not None
    credentials.slug = shoot.production.slug
    # The script's names for people become their person ids on the production.
    credentials.logins = [
        Login(shoot.ids[login.person_id], login.name, login.role, login.username, login.password)
        for login in credentials.logins
    ]
    credentials.badges = [replace(b, person_id=shoot.ids[b.person_id]) for b in credentials.badges]
    return Built(shoot.production, shoot.commands + 1)


def role_name(role: str) -> str:
    """``"assistant armorer"``."""
    return ROLE_NAMES.get(role, role)


def create_logins(
    credentials: Credentials, create_login: Callable[[str, str, str, str], None]
) -> None:
    """Create (or reset to the kept password) the crew's web logins; the web app keeps only
    the password hashes. Run on every ``showclear demo``, so the printed logins always work."""
    for login in credentials.logins:
        create_login(credentials.slug, login.person_id, login.username, login.password)


def logins_text(credentials: Credentials, path: Path, url: str) -> str:
    """The URL, the crew's logins and two performers' badges and PINs, to print."""
    width = max(len(login.username) for login in credentials.logins)
    lines = ["", f"Open {url} and sign in as:"]
    lines += [
        f"  {login.username.ljust(width)}  {login.password}  {login.name} ({role_name(login.role)})"
        for login in credentials.logins
    ]
    lines.append("Performers confirm a show-clear with their badge or their PIN, for example:")
    lines += [
        f"  {badge.name} ({role_name(badge.role)}): badge {badge.badge}, PIN {badge.pin}"
        for badge in [badge for badge in credentials.badges if badge.pin][:2]
    ]
    lines.append(f"Every login, badge and PIN is kept in {path} (owner-only) for the next run.")
    return "\n".join(lines)
