"""Provenance over recorded events: how a round got into a firearm, and a firearm's, a lot's or
a person's record between two times.

Pure: every function takes the entries it needs (as :class:`~showclear.core.state.Recorded`)
and returns a trace; reading them from the ledger (through the mention index, see
:mod:`showclear.core.mentions`) is the caller's work (:mod:`showclear.tracing`). Every line of a
trace names the ledger entry it comes from (``seq``), so each can be proven to an outsider with
an inclusion proof against a signed checkpoint.

*The round in position N of firearm F at time T* is the last round loaded into N at or before
T: the :class:`~showclear.core.events_armory.FirearmLoaded` entry, and what became of it up to T
(still there, fired, unloaded, found and removed). Its trace holds the load (who, when, for
which scene), who saw it in place (show-clears with their performer and first AD, inspections),
the lot it came from (its supplier, delivery document and date, who received it), every
verification of that lot (who recorded it, the method, the witness, when), every hold on it,
every person and container that held the lot's box from its receipt to the load and the firearm
from the load on, and every rule override or warning on the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import showclear.core.events  # noqa: F401  (first: events_armory first meets an import cycle)
from showclear.core import events_armory as armory
from showclear.core import events_evidence as evidence
from showclear.core import events_set as on_set
from showclear.core.events import Event, ProductionCreated
from showclear.core.firearm_record import told
from showclear.core.state import Container, Person, Production, Recorded
from showclear.core.vocabulary import WORN_CONTAINERS

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
        firearm page, :func:`~showclear.core.firearm_record.told`)."""
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


def _within(
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
    kept = _within(entries, since, until)
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


# -- a round -------------------------------------------------------------------------------------


def _positions(event: Event, firearm: str) -> tuple[str, ...]:
    """The positions of ``firearm`` an event puts a round into, takes one from, or shows."""
    if getattr(event, "firearm", None) != firearm:
        return ()
    if isinstance(event, armory.FirearmLoaded | on_set.DischargeReported):
        return event.positions
    if isinstance(event, on_set.MisfireReported | on_set.RoundFound):
        return (event.position,)
    placements = getattr(event, "contents", None) or getattr(event, "removed", None) or ()
    return tuple(p.position for p in placements if isinstance(p, armory.Placement))


def find_load(
    newest_first: Iterable[Recorded], firearm: str, position: str, at: datetime
) -> tuple[Recorded | None, list[Recorded]]:
    """The last load of a round into ``position`` of ``firearm`` at or before ``at``, and the
    entries about that position after it (oldest first), from that position's entries given
    newest first. ``(None, [...])`` when none of them is a load."""
    after: list[Recorded] = []
    for recorded in newest_first:
        if recorded.at > at:
            continue
        event = recorded.event
        if (
            isinstance(event, armory.FirearmLoaded)
            and event.firearm == firearm
            and position in event.positions
        ):
            return recorded, after[::-1]
        if position in _positions(event, firearm):
            after.append(recorded)
    return None, after[::-1]


def fate_of(
    after_load: Iterable[Recorded], load: Recorded, firearm: str, position: str, at: datetime
) -> Recorded | None:
    """The entry that took the loaded round out of the position by ``at`` (fired, unloaded,
    found and removed), or None while it is still there."""
    for recorded in _within(after_load, None, at):
        if recorded.seq > load.seq and _ends(recorded.event, firearm, position):
            return recorded
    return None


def back_in_its_lot(fate: Recorded | None) -> bool:
    """Whether the round went back into its lot's box (unloaded): the firearm's story after
    that is no longer the round's."""
    return fate is not None and isinstance(fate.event, armory.FirearmUnloaded)


def _ends(event: Event, firearm: str, position: str) -> bool:
    """Whether the event took the round out of the position (fired, unloaded, removed)."""
    if isinstance(event, on_set.DischargeReported | armory.FirearmUnloaded | on_set.RoundFound):
        return position in _positions(event, firearm)
    return isinstance(event, armory.FirearmLoaded) and position in event.positions


@dataclass(frozen=True)
class Verification:
    """One verification of rounds of the lot: who recorded it, how, before whom, when."""

    line: Line
    count: int
    method: str
    witness_id: str
    witness: str
    recorded_by: str


@dataclass(frozen=True)
class Holder:
    """A person or container that held the lot's box or the firearm: the entry that first put
    it there (``line``), the last one (``last``), and how many times it did."""

    what: str
    """``"lot"`` (its box), ``"firearm"``, or ``"container"`` (one that held either)."""
    person_id: str
    container: str
    label: str
    line: Line
    last: Line
    times: int


@dataclass(frozen=True)
class RoundTrace:
    """How the round in one position of a firearm at one time got there (module docstring)."""

    firearm: str
    firearm_label: str
    position: str
    at: datetime
    lot: str
    lot_label: str
    load: Line
    fate: Line | None
    """What took the round out of the position by ``at`` (None: still in place)."""
    seen: tuple[Line, ...]
    """Show-clears, inspections and handovers as evidence that showed the round in place."""
    received: Line | None
    supplier: str
    document: str
    delivered_on: str
    verifications: tuple[Verification, ...]
    holds: tuple[Line, ...]
    holders: tuple[Holder, ...]
    overrides: tuple[Line, ...]
    evidence: tuple[Line, ...]
    """The firearm and the lot frozen as evidence, released to investigators, handed back."""
    lines: tuple[Line, ...]
    """Every line above once, in ledger order: the story from the lot's receipt."""


def _exhibit(
    event: evidence.EvidenceReleased | evidence.EvidenceReturned, tag: str
) -> tuple[str, str] | None:
    """Where evidence ``tag`` was when it changed hands: ``(holder id, container)``."""
    for shown in event.firearms:
        if shown.firearm == tag:
            return shown.holder_id, shown.container
    for box in event.lots:
        if box.lot == tag:
            return box.holder_id, box.container
    for worn in event.containers:
        if worn.container == tag:
            return worn.holder_id, ""
    return None


Moved = tuple[str, str, str]
"""``(person id, container tag, label)`` of whoever or whatever holds a thing next."""


@dataclass(frozen=True)
class Move:
    """One entry of :data:`BOX_MOVES`: all a lot's box holder needs of it (a long-lived lot
    goes in and out of a lockbox hundreds of times; these are read without decoding them)."""

    seq: int
    kind: str
    person_id: str
    container: str


def box_holder(move: Move, names: Names, supplier: str = "") -> Moved | None:
    """Who or what holds a lot's box after ``move``."""
    if move.kind == "lot.stored" or (move.kind == "lot.received" and move.container):
        return "", move.container, names.container(move.container)
    if move.kind in ("lot.received", "lot.taken-out"):
        return move.person_id, "", names.person(move.person_id)
    if move.kind == "lot.returned-to-supplier":
        return "", "", f"its supplier, {supplier}"
    return None


def box_holders(
    moves: Iterable[Move], names: Names, supplier: str = ""
) -> list[tuple[Moved, int, int, int]]:
    """Each holder of a lot's box once, in order of its first move: ``(holder, first seq,
    last seq, times)``."""
    first: dict[Moved, int] = {}
    last: dict[Moved, int] = {}
    times: dict[Moved, int] = {}
    for move in moves:
        moved = box_holder(move, names, supplier)
        if moved is not None:
            first.setdefault(moved, move.seq)
            last[moved] = move.seq
            times[moved] = times.get(moved, 0) + 1
    return [(moved, seq, last[moved], times[moved]) for moved, seq in first.items()]


def _moved_to(recorded: Recorded, names: Names, tag: str, owner: str = "") -> Moved | None:
    """Who or what holds firearm, lot box or container ``tag`` after ``recorded``, if it moved
    it there (None if the entry did not move it)."""
    event = recorded.event

    def person(person_id: str) -> Moved:
        return person_id, "", names.person(person_id)

    def box(container: str) -> Moved:
        return "", container, names.container(container)

    if event.kind in BOX_MOVES:
        into = str(getattr(event, "container", "") or "")
        return box_holder(Move(recorded.seq, event.kind, recorded.person_id, into), names, owner)
    if isinstance(event, armory.FirearmReceived):
        return box(event.container) if event.container else person(recorded.person_id)
    if isinstance(event, armory.FirearmHandedOver | armory.ContainerHandedOver):
        return person(event.to)
    if isinstance(
        event,
        armory.FirearmReturned
        | armory.FirearmTakenOut
        | armory.ContainerReturned
        | armory.ContainerRegistered,
    ):
        return person(recorded.person_id)
    if isinstance(event, armory.FirearmStored):
        return box(event.container)
    if isinstance(event, armory.FirearmImpounded):
        return person(event.investigator_id)
    if isinstance(event, armory.FirearmReturnedToOwner):
        return "", "", f"its owner, {event.owner}"
    if isinstance(event, evidence.EvidenceReleased | evidence.EvidenceReturned):
        found = _exhibit(event, tag)
        if found is None:
            return None
        container = names.containers.get(found[1])
        if container is not None and container.container_kind in WORN_CONTAINERS:
            return None  # it travels inside the belt or bag, whose own holder changes
        if isinstance(event, evidence.EvidenceReleased):
            lead = event.investigators[0]
            others = [names.person(p) for p in event.investigators[1:]]
            return lead, "", names.person(lead) + (f" with {', '.join(others)}" if others else "")
        return person(event.armorer_id)
    return None


def _stretches(
    entries: Iterable[Recorded], what: str, names: Names, tag: str, owner: str = ""
) -> list[Holder]:
    """One holder per move, in order (a firearm from its load on: a few moves)."""
    found = []
    for recorded in entries:
        moved = _moved_to(recorded, names, tag, owner)
        if moved is not None:
            made = line(recorded, names)
            found.append(Holder(what, *moved, made, made, 1))
    return found


def trace_round(
    *,
    firearm: str,
    position: str,
    at: datetime,
    load: Recorded,
    after_load: Sequence[Recorded],
    firearm_before: Recorded | None,
    firearm_entries: Sequence[Recorded],
    lot_entries: Sequence[Recorded],
    lot_moves: Sequence[Move],
    moved: Mapping[int, Recorded],
    container_entries: Sequence[Recorded],
    other_overrides: Sequence[Recorded],
    firearm_received: Recorded | None,
    names: Names,
) -> RoundTrace:
    """The trace of the round ``load`` put into ``position`` of ``firearm``, as of ``at``.

    - ``after_load``: the position's entries after the load (:func:`find_load`);
    - ``firearm_before``: the firearm's last custody entry at or before the load;
    - ``firearm_entries``: every entry naming the firearm from the load on;
    - ``lot_entries``: the lot's entries of :data:`LOT_KINDS` (its receipt first);
    - ``lot_moves``: the :class:`Move` of each of the lot's :data:`BOX_MOVES` up to the load,
      and ``moved`` the entries of the first and last move of each holder (by seq);
    - ``container_entries``: entries of :data:`CONTAINER_KINDS` of every container that held
      the lot's box or the firearm;
    - ``other_overrides``: overrides and warnings for the scene and the people on the way.

    Entries recorded after ``at`` are left out.
    """
    loaded = load.event
    assert isinstance(loaded, armory.FirearmLoaded)
    lot = loaded.lot
    lot_kept = _within(lot_entries, None, at)
    received = next((r for r in lot_kept if isinstance(r.event, armory.LotReceived)), None)
    receipt = received.event if received is not None else None
    supplier = receipt.supplier if isinstance(receipt, armory.LotReceived) else ""

    ended = fate_of(after_load, load, firearm, position, at)
    fate = line(ended, names) if ended is not None else None
    seen = [
        line(r, names)
        for r in _within(after_load, None, at)
        if load.seq < r.seq < (ended.seq if ended is not None else r.seq + 1)
        and position in _positions(r.event, firearm)
    ]
    if back_in_its_lot(ended):
        assert ended is not None
        firearm_entries = [r for r in firearm_entries if r.seq <= ended.seq]

    verifications = tuple(
        Verification(
            line(r, names),
            r.event.count,
            r.event.method,
            r.event.witness_id,
            names.person(r.event.witness_id),
            names.person(r.person_id),
        )
        for r in lot_kept
        if isinstance(r.event, armory.RoundsVerified)
    )
    holds = tuple(
        line(r, names)
        for r in lot_kept
        if isinstance(r.event, armory.LotQuarantined | armory.LotReleased)
    )

    # Who held the lot's box from its receipt to the load (each holder once, with its first
    # and last move), then the firearm from the load on (each move), and their containers.
    holders = [
        Holder("lot", *holder, line(moved[first], names), line(moved[last], names), times)
        for holder, first, last, times in box_holders(
            (m for m in lot_moves if m.seq <= load.seq), names, supplier
        )
    ]
    firearm_kept = [r for r in _within(firearm_entries, None, at) if r.seq >= load.seq]
    before = [firearm_before] if firearm_before is not None else []
    holders += _stretches([*before, *firearm_kept], "firearm", names, firearm)
    window_start = received.seq if received is not None else load.seq
    held_containers = {h.container for h in holders if h.container}
    for recorded in _within(container_entries, None, at):
        if recorded.event.kind not in CONTAINER_KINDS or recorded.seq < window_start:
            continue
        container_tag = getattr(recorded.event, "container", getattr(recorded.event, "tag", ""))
        if container_tag in held_containers:
            holders += _stretches([recorded], "container", names, container_tag)
    holders.sort(key=lambda h: h.line.seq)

    frozen = {
        r.seq: line(r, names)
        for r in [*lot_kept, *firearm_kept]
        if r.event.kind.startswith("evidence.") and r.seq >= window_start
    }
    overrides = {
        r.seq: line(r, names)
        for r in [*lot_kept, *firearm_kept, *_within(other_overrides, None, at)]
        if category(r.event.kind) == OVERRIDE and r.seq >= window_start
    }
    story: dict[int, Line] = {load.seq: line(load, names)}
    for each in (
        *([line(received, names)] if received is not None else []),
        *(v.line for v in verifications),
        *holds,
        *(h.line for h in holders),
        *(h.last for h in holders),
        *seen,
        *([fate] if fate is not None else []),
        *overrides.values(),
        *frozen.values(),
    ):
        story[each.seq] = each
    return RoundTrace(
        firearm=firearm,
        firearm_label=firearm_label(firearm_received, firearm),
        position=position,
        at=at,
        lot=lot,
        lot_label=lot_label(received, lot),
        load=line(load, names),
        fate=fate,
        seen=tuple(seen),
        received=line(received, names) if received is not None else None,
        supplier=supplier,
        document=receipt.document if isinstance(receipt, armory.LotReceived) else "",
        delivered_on=receipt.delivered_on if isinstance(receipt, armory.LotReceived) else "",
        verifications=verifications,
        holds=holds,
        holders=tuple(holders),
        overrides=tuple(overrides[seq] for seq in sorted(overrides)),
        evidence=tuple(frozen[seq] for seq in sorted(frozen)),
        lines=tuple(story[seq] for seq in sorted(story)),
    )


def stamp(at: datetime) -> str:
    """``"2025-03-04 08:01:00 UTC"``: a trace's time, to the second."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


__all__ = [
    "BOX_MOVES",
    "CONTAINER_KINDS",
    "FIREARM_CUSTODY_KINDS",
    "LOT_KINDS",
    "OVERRIDE_KINDS",
    "ROSTER_KINDS",
    "Holder",
    "Line",
    "Move",
    "Names",
    "RoundTrace",
    "Timeline",
    "Verification",
    "back_in_its_lot",
    "box_holder",
    "box_holders",
    "category",
    "fate_of",
    "find_load",
    "firearm_label",
    "line",
    "lot_label",
    "names_from",
    "said",
    "stamp",
    "timeline",
    "trace_round",
]
