"""A trace's lines: what each recorded entry says in words, who recorded it and when, and the
names of the production's people and containers to say it with.

Pure, like :mod:`showclear.core.read.trace`, which builds traces out of these lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from showclear.core.events import ProductionCreated, armory, evidence, on_set
from showclear.core.read.firearm_record import told
from showclear.core.state import Container, Person, Production, Recorded

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

ROSTER_KINDS = ("production.created", "person.added", "container.registered")
"""The entries that give people and containers their names."""


def category(kind: str) -> str:
    """The kind of line an entry of ``kind`` makes in a trace."""
    if kind.startswith("evidence."):
        return CUSTODY
    return _CATEGORY.get(kind, OTHER)


# -- names ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """The people and containers of a production, by id and tag, to say a trace in words."""

    people: Mapping[str, Person] = field(default_factory=dict)
    containers: Mapping[str, Container] = field(default_factory=dict)

    def person(self, person_id: str) -> str:
        """``"Hannah Reed (armorer)"``, or ``"person X"`` for an id nobody added."""
        found = self.people.get(person_id)
        return found.label if found is not None else f"person {person_id}"

    def container(self, tag: str) -> str:
        """``"Armory safe SAFE-1"``, or the bare tag."""
        found = self.containers.get(tag)
        return found.label if found is not None else tag

    def as_state(self) -> Production:
        """A production holding only these people and containers (for sentences shared with the
        firearm page, :func:`~showclear.core.read.firearm_record.told`)."""
        return Production(people=dict(self.people), containers=dict(self.containers))


def names_from(entries: Iterable[Recorded]) -> Names:
    """The names given by ``production.created``, ``person.added`` and ``container.registered``
    entries (any others are ignored)."""
    people: dict[str, Person] = {}
    containers: dict[str, Container] = {}
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
    return Names(people, containers)


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


def _rounds(count: int) -> str:
    return f"{count} round{'s' if count != 1 else ''}"


def _held(contents: Sequence[armory.Placement]) -> str:
    return ", ".join(f"{p.position}: {p.lot}" for p in contents) or "empty"


def said(recorded: Recorded, names: Names) -> str:
    """What one entry says, as a sentence without its time or author."""
    event = recorded.event
    person, container = names.person, names.container
    if isinstance(event, armory.LotReceived):
        where = f" into {container(event.container)}" if event.container else ""
        load = f", {event.load} load" if event.load else ""
        return (
            f"Received lot {event.tag}{where}: {_rounds(event.count)} of {event.calibre} "
            f"{event.lot_kind}{load} from {event.supplier} ({event.document}), delivered "
            f"{event.delivered_on}; quarantined until every round is verified."
        )
    if isinstance(event, armory.RoundsVerified):
        return (
            f"{_rounds(event.count)} of lot {event.lot} recorded verified one by one by "
            f"{event.method.replace('-', ' ')}, witnessed by {person(event.witness_id)} "
            f"({event.remaining} left to verify)."
        )
    if isinstance(event, armory.LotQuarantined):
        live = " A LIVE ROUND was found in it." if event.live else ""
        return f"Lot {event.lot} quarantined: {event.reason}.{live}"
    if isinstance(event, armory.LotReleased):
        return f"Lot {event.lot} released for use."
    if isinstance(event, armory.LotStored):
        return f"Lot {event.lot}'s box put into {container(event.container)}."
    if isinstance(event, armory.LotTakenOut):
        return f"Lot {event.lot}'s box taken out of {container(event.container)}."
    if isinstance(event, armory.LotReturnedToSupplier):
        return f"{_rounds(event.rounds)} of lot {event.lot} returned to the supplier."
    if isinstance(event, armory.RoundsPacked):
        return (
            f"{_rounds(event.rounds)} of lot {event.lot} packed into {container(event.container)}."
        )
    if isinstance(event, armory.RoundsUnpacked):
        return (
            f"{_rounds(event.rounds)} of lot {event.lot} unpacked from "
            f"{container(event.container)} back into its box."
        )
    if isinstance(event, armory.ContainerRegistered):
        return f"{container(event.tag)} registered ({event.description or event.container_kind})."
    if isinstance(event, armory.ContainerHandedOver):
        scene = f" for scene {event.scene}" if event.scene else ""
        return f"{container(event.container)} handed to {person(event.to)}{scene}."
    if isinstance(event, armory.ContainerReturned):
        return f"{container(event.container)} taken back from {person(event.returned_by)}."
    if isinstance(event, evidence.EvidenceFrozen):
        frozen = [*event.firearms, *event.lots, *event.containers]
        return (
            f"Frozen as found, as evidence of {event.incident}: {', '.join(frozen)}; nobody "
            "touches them until the safety supervisor releases them to the investigators."
        )
    if isinstance(event, evidence.EvidenceReleased):
        shown = [
            *(f"{e.firearm} ({_held(e.contents)})" for e in event.firearms),
            *(f"lot {e.lot}'s box ({_rounds(e.rounds)})" for e in event.lots),
            *(f"{container(e.container)}" for e in event.containers),
        ]
        return (
            f"Evidence of {event.incident} released untouched to "
            f"{', '.join(person(p) for p in event.investigators)}, witnessed by "
            f"{person(event.witness_id)}: {'; '.join(shown) or 'nothing frozen'}."
        )
    if isinstance(event, evidence.EvidenceReturned):
        shown = [
            *(e.firearm for e in event.firearms),
            *(f"lot {e.lot}" for e in event.lots),
            *(e.container for e in event.containers),
        ]
        return (
            f"Evidence of {event.incident} handed back by the investigators to "
            f"{person(event.armorer_id)}: {', '.join(shown)}; inspect and verify before use."
        )
    if isinstance(event, on_set.RuleOverridden):
        return f"Rule {event.rule_id} overridden once for {event.subject}: {event.reason}"
    if isinstance(event, on_set.OverrideApplied):
        return f"Override of {event.rule_id} for {event.subject} used: {event.message}"
    if isinstance(event, on_set.RuleWarned):
        return f"Warning {event.rule_id} for {event.subject}: {event.message}"
    if isinstance(event, on_set.DischargeReported):
        planned = "in a planned take" if event.planned else "OUTSIDE A PLANNED TAKE"
        injury = "; someone was INJURED" if event.injury else ""
        lots = f" (lot {', '.join(event.fired_lots)})" if event.fired_lots else ""
        scene = f" in scene {event.scene}" if event.scene else ""
        text = f" {event.description}" if event.description else ""
        return (
            f"{event.firearm} fired from {', '.join(event.positions)}{lots} {planned}{scene}"
            f"{injury}.{text}"
        )
    if isinstance(event, on_set.RoundFound):
        where = f"{event.firearm} {event.position}" if event.firearm else event.where
        lot = f", counted in lot {event.lot}" if event.lot else ", belonging to no lot on record"
        box = f" ({container(event.container)})" if event.container else ""
        return f"A {event.observed} round was found in {where}{box}{lot}, and removed."
    if isinstance(event, on_set.ScenePlanned):
        return (
            f"Scene {event.scene} planned ({event.title}): {', '.join(event.firearms) or 'no'} "
            f"firearm(s), {event.condition}, performers "
            f"{', '.join(person(p) for p in event.performers) or 'none'}."
        )
    if isinstance(event, on_set.SafetyMeetingHeld):
        return (
            f"Safety meeting for scene {event.scene}: "
            f"{', '.join(person(p) for p in event.attendees)}."
        )
    if isinstance(event, on_set.PersonAdded):
        return f"{event.name} joined the roster ({', '.join(event.roles)})."
    if isinstance(event, on_set.WorkStopped):
        return f"STOP WORK: {event.reason}."
    if isinstance(event, on_set.WorkResumed):
        return f"Work resumed, co-signed by {person(event.co_signer_id)}."
    if isinstance(event, on_set.ComplaintMade):
        return f"Safety complaint {event.incident}: {event.text}"
    if isinstance(event, on_set.IncidentClosed):
        return f"Incident {event.incident} closed: {event.findings}"
    if (
        isinstance(event, on_set.IncidentOpened | on_set.MisfireReported)
        or getattr(event, "firearm", None) is not None
        or isinstance(event, armory.FirearmReceived)
    ):
        return told(names.as_state(), recorded)
    return f"{event.kind.replace('.', ' ').replace('-', ' ').capitalize()}."


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


def stamp(at: datetime) -> str:
    """``"2025-03-04 08:01:00 UTC"``: a trace's time, to the second."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
