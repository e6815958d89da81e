"""How evidence events change the state: the freeze, the release to the investigators, and the
return (see :mod:`state` and :mod:`showclear.core.events.evidence`)."""

from __future__ import annotations

from dataclasses import replace

from showclear.core.events import Event, evidence
from showclear.core.state.model import Apply, Evidence, Gap, ProductionState, Recorded
from showclear.core.vocabulary import WORN_CONTAINERS


def _frozen(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, evidence.EvidenceFrozen)
    held = Evidence(event.incident, recorded.at)
    for tag in event.firearms:
        state.firearms[tag].evidence = held
    for tag in event.lots:
        state.lots[tag].evidence = held
    for tag in event.containers:
        state.containers[tag].evidence = held
    incident = state.incidents[event.incident]
    incident.evidence = (*incident.evidence, *event.firearms, *event.lots, *event.containers)


def _travels_in(state: ProductionState, container: str | None) -> bool:
    """Whether an item inside ``container`` goes with it (a belt or bag handed over whole)."""
    box = state.containers.get(container or "")
    return box is not None and box.container_kind in WORN_CONTAINERS


def _with_investigators(held: Evidence | None, event: evidence.EvidenceReleased) -> Evidence:
    """The hold once the investigators have it (frozen since the freeze)."""
    assert held is not None, "only frozen evidence is released"
    return Evidence(event.incident, held.since, event.investigators)


def _released(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, evidence.EvidenceReleased)
    lead = event.investigators[0]
    for shown in event.firearms:
        firearm = state.firearms[shown.firearm]
        if not _travels_in(state, firearm.container):
            if firearm.container is not None:
                state.containers[firearm.container].firearms.discard(firearm.tag)
            firearm.container, firearm.holder = None, lead
        firearm.since, firearm.status, firearm.shown = recorded.at, "impounded", None
        firearm.evidence = _with_investigators(firearm.evidence, event)
    for box in event.lots:
        lot = state.lots[box.lot]
        if not _travels_in(state, lot.container):
            if lot.container is not None:
                state.containers[lot.container].lots.discard(lot.tag)
            lot.container, lot.holder = None, lead
        lot.evidence = _with_investigators(lot.evidence, event)
    for loose in event.loose_lots:
        rounds = state.containers[loose.container].rounds
        rounds[loose.lot] -= loose.rounds
        if not rounds[loose.lot]:
            del rounds[loose.lot]
        state.lots[loose.lot].stock += loose.rounds
    for worn in event.containers:
        container = state.containers[worn.container]
        container.custodian = lead
        container.evidence = _with_investigators(container.evidence, event)
    for tag in event.unsealed_containers:
        state.containers[tag].evidence = None
    state.incidents[event.incident].investigators = event.investigators
    if state.stoppage is not None and state.stoppage.lockdown:
        state.stoppage = replace(state.stoppage, released=True)


def _returned(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, evidence.EvidenceReturned)
    came_back = f"came back from the investigators of {event.incident}"
    for shown in event.firearms:
        firearm = state.firearms[shown.firearm]
        if firearm.container is None:
            firearm.holder = event.armorer_id
        firearm.since, firearm.status, firearm.shown = recorded.at, "active", None
        firearm.gap = Gap(recorded.at, came_back)
        firearm.evidence = None
    for box in event.lots:
        lot = state.lots[box.lot]
        if lot.container is None:
            lot.holder = event.armorer_id
        lot.hold, lot.unverified, lot.evidence = came_back, lot.stock, None
    for worn in event.containers:
        container = state.containers[worn.container]
        container.custodian, container.evidence = event.armorer_id, None


APPLIERS: dict[type[Event], Apply] = {
    evidence.EvidenceFrozen: _frozen,
    evidence.EvidenceReleased: _released,
    evidence.EvidenceReturned: _returned,
}
"""How each event of this area changes the state."""
