"""Events of units: a unit formed at its location, and a firearm moved between units.

A production shoots with several units at once (main, second, splinter), each at its own
location. The main unit (``"main"``) always exists: every event recorded before units were
known, and every one that names no unit, belongs to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from showclear.core.events.base import Event

MAIN = "main"
"""The unit every production has from its first entry, and every old entry belongs to."""


@dataclass(frozen=True)
class UnitOpened(Event):
    """A unit was formed: its id, its name and where it shoots."""

    kind: ClassVar[str] = "unit.opened"

    unit: str
    name: str
    location: str


@dataclass(frozen=True)
class FirearmDispatched(Event):
    """The armorer holding a firearm sent it to another unit, to a named armorer there; it stays
    in the sender's custody until the receiver confirms."""

    kind: ClassVar[str] = "firearm.dispatched"

    firearm: str
    unit: str
    to: str
    from_unit: str


@dataclass(frozen=True)
class FirearmReceiptConfirmed(Event):
    """The armorer a firearm was dispatched to confirmed they hold it, at their unit."""

    kind: ClassVar[str] = "firearm.receipt-confirmed"

    firearm: str
    unit: str
    sender: str


__all__ = ["MAIN", "FirearmDispatched", "FirearmReceiptConfirmed", "UnitOpened"]
