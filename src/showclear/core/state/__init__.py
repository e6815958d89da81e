"""The production's current state, folded from its ledger one entry at a time.

- :mod:`.model`: the state's types (:class:`ProductionState` and what it holds), and what a firearm
  holds (:func:`condition`, :func:`placements`);
- :mod:`.armory`, :mod:`.on_set`, :mod:`.evidence`: how each event of that area changes the
  state, beside each other, each area ending in its table of appliers;
- here: :data:`APPLIERS`, the one table of every event's applier, and :func:`evolve` and
  :func:`fold`, which apply entries through it.
"""

from __future__ import annotations

from showclear.core.events import Event
from showclear.core.state import armory, evidence, on_set, units
from showclear.core.state.model import (
    Apply,
    Container,
    Custody,
    Dispatch,
    Evidence,
    Firearm,
    Gap,
    Incident,
    Inspection,
    Lot,
    Meeting,
    Person,
    PlanChange,
    ProductionState,
    Recorded,
    Scene,
    Shown,
    Stoppage,
    Training,
    Unit,
    Warning,
    condition,
    described,
    initial,
    placements,
)

APPLIERS: dict[type[Event], Apply] = {
    **armory.APPLIERS,
    **on_set.APPLIERS,
    **evidence.APPLIERS,
    **units.APPLIERS,
}
"""How each event changes the state: every event class in
:data:`showclear.core.events.EVENTS` has exactly one applier (``tests/core/test_registration.py``)."""


def evolve(state: ProductionState, recorded: Recorded) -> ProductionState:
    """Apply one ledger entry to ``state`` in place and return it (why in place: see
    :mod:`showclear.core.state.model`)."""
    # Presence is one's own and said (R-PRESENCE): an entry a person records does not sign
    # them back on set; only their arrival does.
    APPLIERS[type(recorded.event)](state, recorded, recorded.event)
    for tag in _firearms_named(recorded.event):
        firearm = state.firearms.get(tag)
        if firearm is not None:
            _remember(firearm, recorded)
    state.seq = recorded.seq
    state.last_at = recorded.at
    return state


def _firearms_named(event: Event) -> tuple[str, ...]:
    """The tags of the firearms an event is about: its ``firearm``, a received firearm's tag,
    or every firearm an evidence event lists (``firearms_named``)."""
    tag = getattr(event, "firearm", None)
    if isinstance(tag, str):
        return (tag,)
    if event.kind == "firearm.received":
        return (str(getattr(event, "tag", "")),)
    named = getattr(event, "firearms_named", None)
    return named if isinstance(named, tuple) else ()


def _remember(firearm: Firearm, recorded: Recorded) -> None:
    """Keep the entry in the firearm's history; open a new custody stretch when it moved."""
    firearm.history.append(recorded)
    where = (firearm.holder, firearm.container)
    last = firearm.custody[-1] if firearm.custody else None
    if last is not None and (last.holder, last.container) == where:
        return
    if last is not None:
        firearm.custody[-1] = Custody(last.holder, last.container, last.start, recorded.at)
    if where != (None, None) or firearm.active:
        firearm.custody.append(Custody(firearm.holder, firearm.container, recorded.at))


def fold(recorded: list[Recorded], state: ProductionState | None = None) -> ProductionState:
    """Apply entries in order, from the empty state unless one is given."""
    production = state if state is not None else initial()
    for entry in recorded:
        evolve(production, entry)
    return production


__all__ = [
    "APPLIERS",
    "Apply",
    "Container",
    "Custody",
    "Dispatch",
    "Evidence",
    "Firearm",
    "Gap",
    "Incident",
    "Inspection",
    "Lot",
    "Meeting",
    "Person",
    "PlanChange",
    "ProductionState",
    "Recorded",
    "Scene",
    "Shown",
    "Stoppage",
    "Training",
    "Unit",
    "Warning",
    "condition",
    "described",
    "evolve",
    "fold",
    "initial",
    "placements",
]
