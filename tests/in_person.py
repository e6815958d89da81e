"""Badges and PINs for the people of a production under test, issued through the service.

The service checks every confirmation against its credential store, so a test's people confirm
with real codes: :func:`staff` issues each person's badge (and a PIN, if given) through the
service's credential desk and keeps the codes here, and :func:`confirm` presents one as a
scanner reads it. The codes live in this process only, for the production last staffed.
"""

from __future__ import annotations

from showclear.core.commands import AddPerson, Confirmation
from showclear.service import Service
from showclear.store import Production

BADGES: dict[str, str] = {}
"""Each person id's badge code, as issued (the latest issue wins)."""
PINS: dict[str, str] = {}


def badge(service: Service, production: Production, person_id: str, *, by: str) -> str:
    """Issue ``person_id`` a badge through the service; its code (kept in :data:`BADGES`)."""
    issued = service.credentials.issue_badge(production, person_id, by=by)
    BADGES[person_id] = issued.code
    return issued.code


def pin(service: Service, production: Production, person_id: str, code: str, *, by: str) -> None:
    """Issue ``person_id`` the PIN ``code`` through the service (kept in :data:`PINS`)."""
    service.credentials.issue_pin(production, person_id, code, by=by)
    PINS[person_id] = code


def add(
    service: Service,
    production: Production,
    person_id: str,
    name: str,
    roles: tuple[str, ...],
    *,
    by: str,
    with_pin: str = "",
) -> None:
    """Put a person on the roster with a badge (and a PIN if ``with_pin``), as a roster keeper
    ``by`` does."""
    service.execute(production, AddPerson(name, roles, person_id=person_id), person_id=by)
    badge(service, production, person_id, by=by)
    if with_pin:
        pin(service, production, person_id, with_pin, by=by)


def confirm(person_id: str) -> Confirmation:
    """``person_id`` confirming in person: their badge scanned."""
    return Confirmation(person_id, f"SC1:B:{BADGES.get(person_id, '')}")


def typed(person_id: str) -> Confirmation:
    """``person_id`` confirming in person: their PIN typed."""
    return Confirmation(person_id, PINS.get(person_id, ""))
