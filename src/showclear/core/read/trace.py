"""Provenance over recorded events: how a round got into a firearm, and a firearm's, a lot's or
a person's record between two times.

Pure: every function takes the entries it needs (as :class:`~showclear.core.state.Recorded`)
and returns a trace; reading them from the ledger (through the mention index, see
:mod:`showclear.core.mentions`) is the caller's work (:mod:`showclear.service.traces`). Every line of a
trace names the ledger entry it comes from (``seq``), so each can be proven to an outsider with
an inclusion proof against a signed checkpoint.

*The round in position N of firearm F at time T* is the last round loaded into N at or before
T: the :class:`~showclear.core.events.armory.FirearmLoaded` entry, and what became of it up to T
(still there, fired, unloaded, found and removed). Its trace holds the load (who, when, for
which scene), who saw it in place (show-clears with their performer and first AD, inspections),
the lot it came from (its supplier, delivery document and date, who received it), every
verification of that lot (who recorded it, the method, the witness, when), every hold on it,
every person and container that held the lot's box from its receipt to the load and the firearm
from the load on, and every rule override or warning on the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from showclear.core.events import Event, armory, evidence, on_set, units
from showclear.core.read.trace_lines import (  # noqa: F401  (a trace's lines, re-exported)
    BOX_MOVES,
    CONTAINER_KINDS,
    CUSTODY,
    DISCHARGE,
    FIREARM_CUSTODY_KINDS,
    HOLD,
    INCIDENT,
    INSPECTION,
    LOAD,
    LOT_KINDS,
    MISFIRE,
    OTHER,
    OVERRIDE,
    OVERRIDE_KINDS,
    RECEIPT,
    ROSTER_KINDS,
    SHOW_CLEAR,
    VERIFICATION,
    Line,
    Names,
    Timeline,
    category,
    firearm_label,
    full_stamp,
    line,
    lot_label,
    names_from,
    said,
    timeline,
    within,
)
from showclear.core.state import Recorded
from showclear.core.vocabulary import WORN_CONTAINERS

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
    for recorded in within(after_load, None, at):
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
    what, key = _box_key(move)
    if what == "container":
        return "", key, names.container(key)
    if what == "person":
        return key, "", names.person(key)
    if what == "supplier":
        return "", "", f"its supplier, {supplier}"
    return None


def _box_key(move: Move) -> tuple[str, str]:
    """Who or what holds the box after ``move``, before it is named: a container, a person,
    the supplier, or nobody (``("", "")``)."""
    if move.kind == "lot.stored" or (move.kind == "lot.received" and move.container):
        return "container", move.container
    if move.kind in ("lot.received", "lot.taken-out"):
        return "person", move.person_id
    if move.kind == "lot.returned-to-supplier":
        return "supplier", ""
    return "", ""


def box_holders(
    moves: Iterable[Move], names: Names, supplier: str = ""
) -> list[tuple[Moved, int, int, int]]:
    """Each holder of a lot's box once, in order of its first move: ``(holder, first seq,
    last seq, times)``. Hundreds of moves, a few holders: each holder is named once."""
    first: dict[tuple[str, str], Move] = {}
    last: dict[tuple[str, str], int] = {}
    times: dict[tuple[str, str], int] = {}
    for move in moves:
        key = _box_key(move)
        if key[0]:
            first.setdefault(key, move)
            last[key] = move.seq
            times[key] = times.get(key, 0) + 1
    found = []
    for key, move in first.items():
        holder = box_holder(move, names, supplier)
        assert holder is not None
        found.append((holder, move.seq, last[key], times[key]))
    return found


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
    if isinstance(event, units.FirearmReceiptConfirmed):
        return person(recorded.person_id)
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
    lot_kept = within(lot_entries, None, at)
    received = next((r for r in lot_kept if isinstance(r.event, armory.LotReceived)), None)
    receipt = received.event if received is not None else None
    supplier = receipt.supplier if isinstance(receipt, armory.LotReceived) else ""

    ended = fate_of(after_load, load, firearm, position, at)
    fate = line(ended, names) if ended is not None else None
    seen = [
        line(r, names)
        for r in within(after_load, None, at)
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
    firearm_kept = [r for r in within(firearm_entries, None, at) if r.seq >= load.seq]
    before = [firearm_before] if firearm_before is not None else []
    holders += _stretches([*before, *firearm_kept], "firearm", names, firearm)
    window_start = received.seq if received is not None else load.seq
    held_containers = {h.container for h in holders if h.container}
    for recorded in within(container_entries, None, at):
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
        for r in [*lot_kept, *firearm_kept, *within(other_overrides, None, at)]
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
    "full_stamp",
    "line",
    "lot_label",
    "names_from",
    "said",
    "timeline",
    "trace_round",
]
