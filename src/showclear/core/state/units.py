"""How events of units change the state: a unit formed, a firearm sent to and received at
another unit."""

from __future__ import annotations

from showclear.core.events import Event, units
from showclear.core.state.model import Apply, Dispatch, ProductionState, Recorded, Unit


def _opened(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, units.UnitOpened)
    state.units[event.unit] = Unit(event.unit, event.name, event.location)


def _dispatched(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, units.FirearmDispatched)
    firearm = state.firearms[event.firearm]
    firearm.dispatch = Dispatch(event.unit, event.to, recorded.person_id, recorded.at)


def _received(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, units.FirearmReceiptConfirmed)
    firearm = state.firearms[event.firearm]
    firearm.holder, firearm.container, firearm.since = recorded.person_id, None, recorded.at
    firearm.dispatch = None


APPLIERS: dict[type[Event], Apply] = {
    units.UnitOpened: _opened,
    units.FirearmDispatched: _dispatched,
    units.FirearmReceiptConfirmed: _received,
}
"""How each event of this area changes the state."""
