"""The people of ``showclear demo``: its roster, their web logins, badges and PINs, kept in
``demo-logins.json`` (owner-only) and printed as one table.

Every role has a login (an investigator, a producer, a cast and a stunt performer and the crew
too) and everyone who confirms in person (the armorers, the first AD, the safety supervisor,
the producer and every performer) has a PIN and a badge. Passwords and PINs are random; the
web app keeps them only hashed, so the plain values are kept here for a second run to print.
A file written by an earlier demo (fewer logins, PINs for performers only) is read as far as
it goes and :func:`complete` fills in what it lacks.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from showclear.core.vocabulary import (
    ARMORER,
    ASSISTANT_ARMORER,
    CAST,
    CREW,
    FIRST_AD,
    INVESTIGATOR,
    PRODUCER,
    ROLE_NAMES,
    SAFETY_SUPERVISOR,
    STUNT,
)
from showclear.service import GENESIS_PERSON, Service
from showclear.store import Production

NAME = "Dust and Iron"
KEY_ARMORER = "Marta Velez"
ARMORER_USERNAME = "marta"
CREDENTIALS_FILE = "demo-logins.json"

# The roster after the key armorer: key, name, role, username ("" for no login). New people go
# at the end, so everyone before keeps their person id (person-2 ... person-12).
ROSTER: tuple[tuple[str, str, str, str], ...] = (
    ("assistant", "Sam Ortiz", ASSISTANT_ARMORER, "sam"),
    ("first_ad", "Dana Hale", FIRST_AD, "dana"),
    ("safety", "Pat Kimura", SAFETY_SUPERVISOR, "pat"),
    ("producer", "Ruth Calloway", PRODUCER, "ruth"),
    ("camera", "Hal Rivera", CREW, "hal"),
    ("jo", "Jo Carver", CAST, "jo"),
    ("eli", "Eli Stone", CAST, ""),
    ("rosa", "Rosa Delgado", CAST, ""),
    ("will", "Will Tanner", CAST, ""),
    ("lee", "Lee Marsh", STUNT, "lee"),
    ("kit", "Kit Brannigan", STUNT, ""),
    ("investigator", "Theo Brandt", INVESTIGATOR, "theo"),
)
EVERYONE = (("armorer", KEY_ARMORER, ARMORER, ARMORER_USERNAME), *ROSTER)

#: Who confirms in person (a show-clear, a handover, a witness, a second signature): a PIN and
#: a badge each. The crew and the investigator carry a badge only.
CONFIRMERS = frozenset({ARMORER, ASSISTANT_ARMORER, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, CAST, STUNT})  # fmt: skip


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
    once) and, for everyone who confirms in person, the PIN they may type instead."""

    person_id: str
    name: str
    role: str
    badge: str
    pin: str = ""
    serial: str = ""


def _read(kind: type[Any], item: Any) -> Any:
    """``kind`` from a saved dict, tolerating keys an older demo did not write (or a newer one
    added): a missing text is empty."""
    if not isinstance(item, dict):
        raise ValueError(f"not a {kind.__name__}: {item!r}")
    return kind(**{f.name: str(item.get(f.name, "")) for f in fields(kind)})


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
        service issues the badges, as the demo is built)."""
        logins, badges = [], []
        for key, name, role, username in EVERYONE:
            badges.append(Badge(key, name, role, "", new_pin() if role in CONFIRMERS else ""))
            if username:
                logins.append(Login(key, name, role, username, new_password()))
        return cls(NAME, logins=logins, badges=badges)

    def badge(self, key: str) -> Badge:
        """The badge of the person known (in the script, or on the production) as ``key``."""
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
            logins = [_read(Login, login) for login in data.get("logins", [])]
            badges = [_read(Badge, badge) for badge in data.get("badges", [])]
            return cls(
                str(data["production"]),
                str(data.get("slug", "")),
                [
                    login
                    for login in logins
                    if login.person_id and login.username and login.password
                ],
                [badge for badge in badges if badge.person_id and badge.name],
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


def new_pin() -> str:
    """Six random digits."""
    return f"{secrets.randbelow(10**6):06d}"


def new_password() -> str:
    """Sixteen random URL-safe characters that do not start with a dash (easy to copy)."""
    while True:
        password = secrets.token_urlsafe(12)
        if password[0].isalnum():
            return password


def credentials_path(data_dir: Path) -> Path:
    """Where the demo's passwords and PINs are kept."""
    return data_dir / CREDENTIALS_FILE


def complete(service: Service, production: Production, credentials: Credentials) -> bool:
    """Fill in what a file from an earlier demo lacks, for everyone of :data:`EVERYONE` on the
    production: a login where the roster gives one, a PIN for every confirmer, a badge for
    everyone (issued now through the credential desk, by the key armorer, like any reissue).
    Someone the production never had (an older demo had no investigator) stays absent. Whether
    anything was added (then save the file)."""
    state = service.state(production)
    on_record = {person.name: person for person in state.people.values()}
    desk = service.credentials
    changed = False
    for _key, name, role, username in EVERYONE:
        person = on_record.get(name)
        if person is None:
            continue
        held = next((b for b in credentials.badges if b.name == name), None)
        badge = held or Badge(person.person_id, name, role, "")
        if role in CONFIRMERS and (not badge.pin or not person.pin_id):
            pin = badge.pin or new_pin()
            desk.issue_pin(production, person.person_id, pin, by=GENESIS_PERSON, device="demo")
            badge = replace(badge, pin=pin)
        if not badge.badge or not person.badge_id:
            issued = desk.issue_badge(
                production, person.person_id, by=GENESIS_PERSON, device="demo"
            )
            badge = replace(badge, badge=issued.code, serial=issued.serial)
        if held is None:
            credentials.badges.append(badge)
            changed = True
        elif badge != held:
            credentials.badges = [badge if b is held else b for b in credentials.badges]
            changed = True
        if username and not any(login.name == name for login in credentials.logins):
            credentials.logins.append(Login(person.person_id, name, role, username, new_password()))
            changed = True
    return changed


def create_logins(
    credentials: Credentials, create_login: Callable[[str, str, str, str], None]
) -> None:
    """Create (or reset to the kept password) the crew's web logins; the web app keeps only
    the password hashes. Run on every ``showclear demo``, so the printed logins always work."""
    for login in credentials.logins:
        create_login(credentials.slug, login.person_id, login.username, login.password)


def role_name(role: str) -> str:
    """``"assistant armorer"``."""
    return ROLE_NAMES.get(role, role)


def table(rows: Iterable[tuple[str, ...]], indent: str = "  ") -> list[str]:
    """Rows as left-aligned columns two spaces apart (the first row is the heading)."""
    rows = list(rows)
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        indent
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def logins_text(credentials: Credentials, path: Path, url: str) -> str:
    """The URL and, for everyone on the roster, their role, name, login, password, PIN and
    badge code as one table, to print (91 columns wide with this roster: a terminal of 100
    shows it unwrapped)."""
    logins = {login.person_id: login for login in credentials.logins}
    rows = [("role", "name", "login", "password", "PIN", "badge code")]
    for badge in credentials.badges:
        login = logins.get(badge.person_id)
        rows.append(
            (
                role_name(badge.role),
                badge.name,
                login.username if login else "-",
                login.password if login else "-",
                badge.pin or "-",
                badge.badge or "-",
            )
        )
    without_badge = [
        login
        for login in credentials.logins
        if login.person_id not in {b.person_id for b in credentials.badges}
    ]
    rows += [
        (role_name(login.role), login.name, login.username, login.password, "-", "-")
        for login in without_badge
    ]
    lines = ["", f"Open {url} and sign in as anyone with a login:", *table(rows)]
    lines.append("A PIN is typed, or the badge code scanned, to confirm in person on a phone.")
    lines.append(f"Every login, badge and PIN is kept in {path} (owner-only) for the next run.")
    return "\n".join(lines)
