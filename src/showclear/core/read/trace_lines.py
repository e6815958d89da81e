"""A trace's lines: what each recorded entry says in words, who recorded it and when, and the
names of the production's people and containers to say it with.

Pure, like :mod:`showclear.core.read.trace`, which builds traces out of these lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from showclear.core.events import ProductionCreated, armory, on_set, units
from showclear.core.read.sentences import Names as Names  # (re-exported: the trace's names)
from showclear.core.read.sentences import said as said
from showclear.core.state import Container, Person, Recorded, Unit
from showclear.core.words import full_stamp as full_stamp
from showclear.core.words import rounds as _rounds

# -- what kind of line an entry makes -------------------------------------------------------------

CUSTODY = "custody"
INSPECTION = "inspection"
LOAD = "load"
SHOW_CLEAR = "show-clear"
DISCHARGE = "discharge"
MISFIRE = "misfire"
VERIFICATION = "verification"
HOLD = "hold"
OVERRIDE = "override"
INCIDENT = "incident"
RECEIPT = "receipt"
OTHER = "other"

_CATEGORY = {
    "firearm.received": RECEIPT,
    "lot.received": RECEIPT,
    "firearm.handed-over": CUSTODY,
    "firearm.returned": CUSTODY,
    "firearm.stored": CUSTODY,
    "firearm.taken-out": CUSTODY,
    "firearm.impounded": CUSTODY,
    "firearm.returned-to-owner": CUSTODY,
    "lot.stored": CUSTODY,
    "lot.taken-out": CUSTODY,
    "lot.returned-to-supplier": CUSTODY,
    "rounds.packed": CUSTODY,
    "rounds.unpacked": CUSTODY,
    "container.registered": CUSTODY,
    "container.handed-over": CUSTODY,
    "container.returned": CUSTODY,
    "firearm.dispatched": CUSTODY,
    "firearm.receipt-confirmed": CUSTODY,
    "firearm.inspected": INSPECTION,
    "firearm.loaded": LOAD,
    "firearm.unloaded": LOAD,
    "firearm.shown-clear": SHOW_CLEAR,
    "discharge.reported": DISCHARGE,
    "misfire.reported": MISFIRE,
    "rounds.verified": VERIFICATION,
    "lot.quarantined": HOLD,
    "lot.released": HOLD,
    "rule.overridden": OVERRIDE,
    "rule.override-applied": OVERRIDE,
    "rule.warned": OVERRIDE,
    "round.found": INCIDENT,
    "incident.opened": INCIDENT,
    "incident.closed": INCIDENT,
    "complaint.made": INCIDENT,
    "work.stopped": INCIDENT,
    "work.resumed": INCIDENT,
}

FIREARM_CUSTODY_KINDS = (
    "firearm.received",
    "firearm.handed-over",
    "firearm.returned",
    "firearm.stored",
    "firearm.taken-out",
    "firearm.impounded",
    "firearm.returned-to-owner",
    "evidence.released",
    "evidence.returned",
    "firearm.receipt-confirmed",
)
"""The entries that move a firearm from one holder or container to another."""

LOT_KINDS = (
    "lot.received",
    "rounds.verified",
    "lot.quarantined",
    "lot.released",
    "rule.overridden",
    "rule.override-applied",
    "rule.warned",
    "evidence.frozen",
    "evidence.released",
    "evidence.returned",
)
"""The entries of a lot a round trace reads whole: provenance, verification, holds, evidence and
overrides (not every load and unload of its other rounds; its box's moves are :data:`BOX_MOVES`)."""

BOX_MOVES = ("lot.received", "lot.stored", "lot.taken-out", "lot.returned-to-supplier")
"""The entries that move a lot's box; a round trace reads only their :class:`Move`."""

CONTAINER_KINDS = ("container.registered", "container.handed-over", "container.returned")
"""The entries that give a container to a custodian."""

OVERRIDE_KINDS = ("rule.overridden", "rule.override-applied", "rule.warned")
"""Rule overrides, their use, and warnings recorded with a command."""

ROSTER_KINDS = ("production.created", "person.added", "container.registered", "unit.opened")
"""The entries that give people, containers and units their names."""


def category(kind: str) -> str:
    """The kind of line an entry of ``kind`` makes in a trace."""
    if kind.startswith("evidence."):
        return CUSTODY
    return _CATEGORY.get(kind, OTHER)


# -- names ---------------------------------------------------------------------------------------


def names_from(entries: Iterable[Recorded]) -> Names:
    """The names given by ``production.created``, ``person.added`` and ``container.registered``
    entries (any others are ignored)."""
    people: dict[str, Person] = {}
    containers: dict[str, Container] = {}
    formed: dict[str, Unit] = {}
    for recorded in entries:
        event = recorded.event
        if isinstance(event, ProductionCreated):
            people[event.armorer_id] = Person(
                event.armorer_id, event.armorer_name, frozenset({"armorer"})
            )
        elif isinstance(event, on_set.PersonAdded):
            people[event.person_id] = Person(event.person_id, event.name, frozenset(event.roles))
        elif isinstance(event, armory.ContainerRegistered):
            containers[event.tag] = Container(
                event.tag, event.container_kind, event.description, recorded.person_id
            )
        elif isinstance(event, units.UnitOpened):
            formed[event.unit] = Unit(event.unit, event.name, event.location)
    return Names(people, containers, formed)


# -- lines ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a trace: one ledger entry, who recorded it, when, and what it says."""

    seq: int
    at: datetime
    kind: str
    category: str
    person_id: str
    recorded_by: str
    device: str
    text: str
    payload: Mapping[str, Any]


def line(recorded: Recorded, names: Names) -> Line:
    """The trace line of one entry."""
    return Line(
        seq=recorded.seq,
        at=recorded.at,
        kind=recorded.event.kind,
        category=category(recorded.event.kind),
        person_id=recorded.person_id,
        recorded_by=names.person(recorded.person_id),
        device=recorded.device,
        text=said(recorded, names),
        payload=recorded.event.to_payload(),
    )


def within(
    entries: Iterable[Recorded], since: datetime | None, until: datetime | None
) -> list[Recorded]:
    """The entries recorded in ``[since, until]``, in seq order, each once."""
    kept: dict[int, Recorded] = {}
    for recorded in entries:
        if (since is None or recorded.at >= since) and (until is None or recorded.at <= until):
            kept[recorded.seq] = recorded
    return [kept[seq] for seq in sorted(kept)]


# -- a thing's timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """Every entry naming one firearm, lot or person between two times, oldest first."""

    subject: str
    """What was traced: ``"firearm R-01"``, ``"lot D-01"``, ``"person person-3"``."""
    label: str
    since: datetime | None
    until: datetime | None
    lines: tuple[Line, ...]


def timeline(
    subject: str,
    label: str,
    entries: Iterable[Recorded],
    names: Names,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Timeline:
    """The timeline of ``entries`` (all naming the subject) recorded in ``[since, until]``."""
    kept = within(entries, since, until)
    return Timeline(subject, label, since, until, tuple(line(r, names) for r in kept))


def firearm_label(received: Recorded | None, tag: str) -> str:
    """``"Revolver R-01 (Colt Single Action Army, serial SA-41872)"`` from its receipt."""
    event = received.event if received is not None else None
    if not isinstance(event, armory.FirearmReceived):
        return f"Firearm {tag}"
    kind = event.firearm_type.strip() or "firearm"
    return f"{kind[:1].upper()}{kind[1:]} {tag} ({event.make} {event.model}, serial {event.serial})"


def lot_label(received: Recorded | None, tag: str) -> str:
    """``"Dummy lot D-01 (.45 Colt, 50 rounds from Acme Dummy Co.)"`` from its receipt."""
    event = received.event if received is not None else None
    if not isinstance(event, armory.LotReceived):
        return f"Lot {tag}"
    return (
        f"{event.lot_kind.capitalize()} lot {tag} ({event.calibre}, {_rounds(event.count)} "
        f"from {event.supplier})"
    )
