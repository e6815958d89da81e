"""Events of the armory: firearms, ammunition lots and containers.

Listed by kind in :data:`showclear.core.events.EVENTS`, so that ``event_from`` knows every kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from showclear.core.events.base import Event


@dataclass(frozen=True)
class Placement:
    """One round of a lot in one named position of a firearm."""

    position: str
    lot: str


@dataclass(frozen=True)
class LotTally:
    """A lot's expected and hand-counted rounds at a reconciliation; ``container`` is ``""``
    for the whole lot wherever it is."""

    lot: str
    expected: int
    counted: int
    container: str = ""


# -- firearms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirearmReceived(Event):
    """A firearm came into the production, into the recorder's hands or a container."""

    kind: ClassVar[str] = "firearm.received"

    tag: str
    serial: str
    make: str
    model: str
    firearm_type: str
    calibre: str
    firearm_class: str
    positions: tuple[str, ...]
    owner: str
    notes: str
    container: str | None


@dataclass(frozen=True)
class FirearmInspected(Event):
    """An armorer inspected every position and the barrel; ``contents`` is what was in it."""

    kind: ClassVar[str] = "firearm.inspected"

    firearm: str
    positions_checked: tuple[str, ...]
    barrel_clear: bool
    contents: tuple[Placement, ...]
    #: The class the armorer found it to be (``""``: not said; ledgers before R-CLASS).
    firearm_class: str = ""


@dataclass(frozen=True)
class FirearmLoaded(Event):
    """One verified round of ``lot`` went into each named position, for a scene."""

    kind: ClassVar[str] = "firearm.loaded"

    firearm: str
    lot: str
    positions: tuple[str, ...]
    scene: str


@dataclass(frozen=True)
class FirearmUnloaded(Event):
    """Rounds came out of these positions and went back to their lots' stock."""

    kind: ClassVar[str] = "firearm.unloaded"

    firearm: str
    removed: tuple[Placement, ...]


@dataclass(frozen=True)
class ShownClear(Event):
    """The firearm was opened and every position shown to the performer and the first AD, who
    both confirmed its condition (``cold``, ``dummies`` or ``hot``) and round count."""

    kind: ClassVar[str] = "firearm.shown-clear"

    firearm: str
    scene: str
    performer_id: str
    first_ad_id: str
    condition: str
    rounds: int
    contents: tuple[Placement, ...]
    #: How each confirmed in person (``pin-typed``, ``badge-scanned``, ``badge-typed``; empty in
    #: ledgers of format 1).
    performer_via: str = ""
    first_ad_via: str = ""


@dataclass(frozen=True)
class FirearmHandedOver(Event):
    """An armorer handed a firearm to a person (a performer for a scene, or another armorer)."""

    kind: ClassVar[str] = "firearm.handed-over"

    firearm: str
    to: str
    scene: str


@dataclass(frozen=True)
class FirearmReturned(Event):
    """An armorer took a firearm back from the person holding it."""

    kind: ClassVar[str] = "firearm.returned"

    firearm: str
    returned_by: str


@dataclass(frozen=True)
class FirearmStored(Event):
    """A firearm was put into a container."""

    kind: ClassVar[str] = "firearm.stored"

    firearm: str
    container: str


@dataclass(frozen=True)
class FirearmTakenOut(Event):
    """A firearm was taken out of a container into the recorder's hands."""

    kind: ClassVar[str] = "firearm.taken-out"

    firearm: str
    container: str


@dataclass(frozen=True)
class FirearmImpounded(Event):
    """After an incident a firearm went, untouched, to an investigator as evidence.

    No longer recorded: evidence now goes to the investigators with ``evidence.released`` (see
    :mod:`showclear.core.events.evidence`). Kept so that older ledgers still read and fold."""

    kind: ClassVar[str] = "firearm.impounded"

    firearm: str
    investigator_id: str
    witness_id: str
    contents: tuple[Placement, ...]


@dataclass(frozen=True)
class FirearmReturnedToOwner(Event):
    """A firearm, unloaded and inspected, went back to its owner at wrap."""

    kind: ClassVar[str] = "firearm.returned-to-owner"

    firearm: str
    owner: str


# -- ammunition -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LotReceived(Event):
    """A lot of dummies or blanks arrived with its provenance; it is quarantined until every
    round is verified."""

    kind: ClassVar[str] = "lot.received"

    tag: str
    lot_kind: str
    calibre: str
    count: int
    supplier: str
    document: str
    delivered_on: str
    load: str
    for_firearms: tuple[str, ...]
    container: str | None
    #: Who made the rounds (``ammunition-maker``, ``production``, ``other``; ``unknown`` in
    #: ledgers from before it was asked).
    maker: str = "unknown"


@dataclass(frozen=True)
class RoundsVerified(Event):
    """``count`` more rounds of a lot were checked one by one by a method, before a witness."""

    kind: ClassVar[str] = "rounds.verified"

    lot: str
    count: int
    method: str
    witness_id: str
    remaining: int
    witness_via: str = ""


@dataclass(frozen=True)
class LotQuarantined(Event):
    """A lot was held back from use; ``live`` when a live round was found in it (for good)."""

    kind: ClassVar[str] = "lot.quarantined"

    lot: str
    reason: str
    live: bool
    reverify: bool


@dataclass(frozen=True)
class LotReleased(Event):
    """A hold on a fully verified lot was lifted."""

    kind: ClassVar[str] = "lot.released"

    lot: str


@dataclass(frozen=True)
class LotStored(Event):
    """A lot's box was put into a container."""

    kind: ClassVar[str] = "lot.stored"

    lot: str
    container: str


@dataclass(frozen=True)
class LotTakenOut(Event):
    """A lot's box was taken out of a container into the recorder's hands."""

    kind: ClassVar[str] = "lot.taken-out"

    lot: str
    container: str


@dataclass(frozen=True)
class RoundsPacked(Event):
    """Counted rounds of a lot went from its box into a container (a gun belt, a bag)."""

    kind: ClassVar[str] = "rounds.packed"

    container: str
    lot: str
    rounds: int


@dataclass(frozen=True)
class RoundsUnpacked(Event):
    """Counted rounds of a lot went from a container back into the lot's box."""

    kind: ClassVar[str] = "rounds.unpacked"

    container: str
    lot: str
    rounds: int


@dataclass(frozen=True)
class LotReturnedToSupplier(Event):
    """What is left of a lot went back to its supplier."""

    kind: ClassVar[str] = "lot.returned-to-supplier"

    lot: str
    rounds: int


# -- containers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContainerRegistered(Event):
    """A container was put on record, locked, in the recorder's custody."""

    kind: ClassVar[str] = "container.registered"

    tag: str
    container_kind: str
    description: str
    unit: str = "main"
    """The unit it is kept at (the main unit in ledgers from before units)."""


@dataclass(frozen=True)
class ContainerLocked(Event):
    """A container was locked."""

    kind: ClassVar[str] = "container.locked"

    container: str


@dataclass(frozen=True)
class ContainerUnlocked(Event):
    """A container was unlocked."""

    kind: ClassVar[str] = "container.unlocked"

    container: str


@dataclass(frozen=True)
class ContainerHandedOver(Event):
    """An armorer handed a gun belt or bag of counted rounds to a person."""

    kind: ClassVar[str] = "container.handed-over"

    container: str
    to: str
    scene: str


@dataclass(frozen=True)
class ContainerReturned(Event):
    """An armorer took a gun belt or bag back."""

    kind: ClassVar[str] = "container.returned"

    container: str
    returned_by: str


@dataclass(frozen=True)
class CountReconciled(Event):
    """Every firearm and round was counted by hand and compared with the record."""

    kind: ClassVar[str] = "count.reconciled"

    firearms_expected: tuple[str, ...]
    firearms_counted: tuple[str, ...]
    lots: tuple[LotTally, ...]
    balanced: bool


__all__ = [
    "ContainerHandedOver",
    "ContainerLocked",
    "ContainerRegistered",
    "ContainerReturned",
    "ContainerUnlocked",
    "CountReconciled",
    "FirearmHandedOver",
    "FirearmImpounded",
    "FirearmInspected",
    "FirearmLoaded",
    "FirearmReceived",
    "FirearmReturned",
    "FirearmReturnedToOwner",
    "FirearmStored",
    "FirearmTakenOut",
    "FirearmUnloaded",
    "LotQuarantined",
    "LotReceived",
    "LotReleased",
    "LotReturnedToSupplier",
    "LotStored",
    "LotTakenOut",
    "LotTally",
    "Placement",
    "RoundsPacked",
    "RoundsUnpacked",
    "RoundsVerified",
    "ShownClear",
]
