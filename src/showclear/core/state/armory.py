"""How armory events change the state: firearms, lots, containers (see :mod:`state`)."""

from __future__ import annotations

from datetime import datetime

from showclear.core.events import Event, ProductionCreated, TimeZoneSet, armory
from showclear.core.state.model import (
    Apply,
    Container,
    Firearm,
    Gap,
    Inspection,
    Lot,
    Person,
    ProductionState,
    Recorded,
    Shown,
)
from showclear.core.vocabulary import ARMORER, INERT_PRIMER_METHODS


def _created(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, ProductionCreated)
    state.name, state.origin, state.armorer_id = event.name, event.origin, event.armorer_id
    state.people[event.armorer_id] = Person(
        event.armorer_id, event.armorer_name, frozenset({ARMORER})
    )


def _zone_set(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, TimeZoneSet)
    state.zone = event.zone


def _needs_inspection(firearm: Firearm, at: datetime, account: str) -> None:
    firearm.gap = Gap(at, account)
    firearm.shown = None


def _leave_container(state: ProductionState, firearm: Firearm) -> None:
    if firearm.container is not None:
        state.containers[firearm.container].firearms.discard(firearm.tag)
        firearm.container = None


def _firearm_received(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmReceived)
    firearm = Firearm(
        tag=event.tag,
        serial=event.serial,
        make=event.make,
        model=event.model,
        firearm_type=event.firearm_type,
        calibre=event.calibre,
        firearm_class=event.firearm_class,
        positions=event.positions,
        owner=event.owner,
        notes=event.notes,
        gap=Gap(recorded.at, f"arrived from {event.owner}"),
        since=recorded.at,
    )
    if event.container:
        firearm.container = event.container
        state.containers[event.container].firearms.add(event.tag)
    else:
        firearm.holder = recorded.person_id
    state.firearms[event.tag] = firearm


def _inspected(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmInspected)
    firearm = state.firearms[event.firearm]
    firearm.barrel_clear = event.barrel_clear
    firearm.shown = None
    firearm.last_inspection = Inspection(recorded.at, recorded.person_id, event.barrel_clear)
    if event.firearm_class:
        firearm.class_found = firearm.firearm_class = event.firearm_class
    if event.barrel_clear:
        firearm.gap = None
        if not firearm.duds:
            firearm.misfire_at = None
        if not event.contents:
            firearm.handled = None
    else:
        firearm.gap = Gap(recorded.at, "was found with an obstructed barrel")


def _loaded(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmLoaded)
    firearm = state.firearms[event.firearm]
    for position in event.positions:
        firearm.contents[position] = event.lot
    state.lots[event.lot].stock -= len(event.positions)
    firearm.shown = None
    firearm.scene = event.scene


def _unloaded(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmUnloaded)
    firearm = state.firearms[event.firearm]
    for placement in event.removed:
        del firearm.contents[placement.position]
        state.lots[placement.lot].stock += 1
    firearm.shown = None


def _shown(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.ShownClear)
    state.firearms[event.firearm].shown = Shown(
        event.scene, event.performer_id, event.first_ad_id, event.condition, event.rounds
    )


def _handed_over(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmHandedOver)
    firearm = state.firearms[event.firearm]
    firearm.holder, firearm.since = event.to, recorded.at
    firearm.scene = event.scene
    recipient = state.people.get(event.to)
    if recipient is None or not recipient.is_armorer:
        held_by = state.person_label(event.to)
        firearm.gap = Gap(recorded.at, "left armorer custody", f" (held by {held_by})")


def _returned(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmReturned)
    firearm = state.firearms[event.firearm]
    firearm.holder, firearm.since = recorded.person_id, recorded.at
    firearm.shown = None
    if firearm.status == "impounded":
        firearm.status = "active"
        firearm.gap = Gap(recorded.at, "came back from the investigators")


def _stored(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmStored)
    firearm = state.firearms[event.firearm]
    firearm.holder, firearm.since = None, recorded.at
    firearm.container = event.container
    state.containers[event.container].firearms.add(event.firearm)


def _taken_out(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmTakenOut)
    firearm = state.firearms[event.firearm]
    _leave_container(state, firearm)
    firearm.holder, firearm.since = recorded.person_id, recorded.at


def _impounded(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmImpounded)
    firearm = state.firearms[event.firearm]
    _leave_container(state, firearm)
    firearm.holder, firearm.since = event.investigator_id, recorded.at
    firearm.status = "impounded"
    firearm.shown = None


def _to_owner(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.FirearmReturnedToOwner)
    firearm = state.firearms[event.firearm]
    _leave_container(state, firearm)
    firearm.holder, firearm.since = None, recorded.at
    firearm.status = "returned"


def _lot_received(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.LotReceived)
    lot = Lot(
        tag=event.tag,
        lot_kind=event.lot_kind,
        calibre=event.calibre,
        load=event.load,
        for_firearms=event.for_firearms,
        received=event.count,
        supplier=event.supplier,
        document=event.document,
        delivered_on=event.delivered_on,
        stock=event.count,
        unverified=event.count,
        maker=event.maker,
    )
    if event.container:
        lot.container = event.container
        state.containers[event.container].lots.add(event.tag)
    else:
        lot.holder = recorded.person_id
    state.lots[event.tag] = lot


def _verified(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.RoundsVerified)
    lot = state.lots[event.lot]
    if lot.primers_to_prove and event.method not in INERT_PRIMER_METHODS:
        return  # (a ledger from before R-INERT-PRIMER: a rattle proves no primer inert)
    lot.unverified -= event.count


def _quarantined(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.LotQuarantined)
    lot = state.lots[event.lot]
    lot.hold = event.reason
    lot.live = lot.live or event.live
    if event.reverify:
        lot.unverified = lot.stock


def _released(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.LotReleased)
    state.lots[event.lot].hold = None


def _lot_stored(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.LotStored)
    lot = state.lots[event.lot]
    lot.holder, lot.container = None, event.container
    state.containers[event.container].lots.add(event.lot)


def _lot_taken_out(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.LotTakenOut)
    lot = state.lots[event.lot]
    state.containers[event.container].lots.discard(event.lot)
    lot.holder, lot.container = recorded.person_id, None


def _packed(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.RoundsPacked)
    state.lots[event.lot].stock -= event.rounds
    rounds = state.containers[event.container].rounds
    rounds[event.lot] = rounds.get(event.lot, 0) + event.rounds


def _unpacked(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.RoundsUnpacked)
    state.lots[event.lot].stock += event.rounds
    rounds = state.containers[event.container].rounds
    rounds[event.lot] -= event.rounds
    if not rounds[event.lot]:
        del rounds[event.lot]


def _lot_to_supplier(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.LotReturnedToSupplier)
    lot = state.lots[event.lot]
    lot.stock -= event.rounds
    lot.returned += event.rounds
    lot.unverified = min(lot.unverified, lot.stock)
    if lot.container is not None:
        state.containers[lot.container].lots.discard(lot.tag)
    lot.holder, lot.container = None, None


def _container(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.ContainerRegistered)
    state.containers[event.tag] = Container(
        event.tag, event.container_kind, event.description, recorded.person_id, unit=event.unit
    )


def _locked(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.ContainerLocked)
    state.containers[event.container].locked = True


def _unlocked(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.ContainerUnlocked)
    state.containers[event.container].locked = False


def _container_handed(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.ContainerHandedOver)
    state.containers[event.container].custodian = event.to
    state.containers[event.container].scene = event.scene


def _container_returned(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, armory.ContainerReturned)
    state.containers[event.container].custodian = recorded.person_id
    state.containers[event.container].scene = ""


def _counted(state: ProductionState, recorded: Recorded, event: Event) -> None:
    """A count changes nothing by itself (a difference comes with its own incident), but a belt
    or bag held because someone not an armorer handled its rounds is counted now."""
    assert isinstance(event, armory.CountReconciled)
    for tally in event.lots:
        container = state.containers.get(tally.container) if tally.container else None
        if container is not None:
            container.handled = None


APPLIERS: dict[type[Event], Apply] = {
    ProductionCreated: _created,
    TimeZoneSet: _zone_set,
    armory.FirearmReceived: _firearm_received,
    armory.FirearmInspected: _inspected,
    armory.FirearmLoaded: _loaded,
    armory.FirearmUnloaded: _unloaded,
    armory.ShownClear: _shown,
    armory.FirearmHandedOver: _handed_over,
    armory.FirearmReturned: _returned,
    armory.FirearmStored: _stored,
    armory.FirearmTakenOut: _taken_out,
    armory.FirearmImpounded: _impounded,
    armory.FirearmReturnedToOwner: _to_owner,
    armory.LotReceived: _lot_received,
    armory.RoundsVerified: _verified,
    armory.LotQuarantined: _quarantined,
    armory.LotReleased: _released,
    armory.LotStored: _lot_stored,
    armory.LotTakenOut: _lot_taken_out,
    armory.RoundsPacked: _packed,
    armory.RoundsUnpacked: _unpacked,
    armory.LotReturnedToSupplier: _lot_to_supplier,
    armory.ContainerRegistered: _container,
    armory.ContainerLocked: _locked,
    armory.ContainerUnlocked: _unlocked,
    armory.ContainerHandedOver: _container_handed,
    armory.ContainerReturned: _container_returned,
    armory.CountReconciled: _counted,
}
"""How each event of this area changes the state."""
