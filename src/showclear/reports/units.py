"""What each unit did: the entries of a day told apart by unit, for the daily log and the
compliance summary of a production shooting with several units at once.

An entry belongs to the unit it names (an arrival, a unit's STOP WORK, a scene planned for a
unit, a receipt at a unit, a dispatch from one), else to its scene's unit, else to the unit its
recorder was at when it was recorded (their latest arrival before it, or the unit they were put
on the roster with). A production with only its main unit gets no such section: its reports
read as they always did.
"""

from __future__ import annotations

import bisect

from showclear.core.events import on_set, units
from showclear.core.events.units import MAIN
from showclear.core.state import ProductionState, Recorded
from showclear.reports.reading import Snapshot, of_kinds

WHERE_KINDS = ("person.added", "person.arrived-on-set")
"""The entries that say where a person is."""


def several(state: ProductionState) -> bool:
    """Whether the production has formed any unit besides the main one."""
    return len(state.units) > 1


def by_unit(snap: Snapshot, entries: list[Recorded]) -> dict[str, list[Recorded]]:
    """``entries`` by the unit each belongs to (see the module docstring), units in the order
    they were formed."""
    state = snap.state
    places: dict[str, tuple[list[int], list[str]]] = {}
    for moved in of_kinds(snap.service, snap.production, WHERE_KINDS, snap.size - 1):
        event = moved.event
        assert isinstance(event, on_set.PersonAdded | on_set.ArrivedOnSet)
        seqs, said = places.setdefault(event.person_id, ([], []))
        seqs.append(moved.seq)
        said.append(event.unit)
    found: dict[str, list[Recorded]] = {unit: [] for unit in state.units}
    for recorded in entries:
        found.setdefault(_unit(state, recorded, places), []).append(recorded)
    return found


def _unit(
    state: ProductionState, recorded: Recorded, places: dict[str, tuple[list[int], list[str]]]
) -> str:
    event = recorded.event
    if isinstance(event, units.FirearmDispatched):
        return event.from_unit
    named = getattr(event, "unit", "")
    if isinstance(named, str) and named:
        return named
    scene = state.scenes.get(str(getattr(event, "scene", "") or ""))
    if scene is not None:
        return scene.unit
    seqs, said = places.get(recorded.person_id, ([], []))
    at = bisect.bisect_right(seqs, recorded.seq)
    return said[at - 1] if at else MAIN


def moves(entries: list[Recorded]) -> int:
    """How many firearms were dispatched to or received from another unit."""
    return sum(
        isinstance(e.event, units.FirearmDispatched | units.FirearmReceiptConfirmed)
        for e in entries
    )


def stopped(entries: list[Recorded]) -> str:
    stops = [e.event for e in entries if isinstance(e.event, on_set.WorkStopped)]
    own = sum(1 for stop in stops if stop.unit)
    whole = len(stops) - own
    parts = [f"{own} at this unit"] if own else []
    if whole:
        parts.append(f"{whole} production-wide")
    return ", ".join(parts) or "none"
