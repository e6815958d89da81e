"""Events of evidence: what an incident froze, its handover to the investigators, and its return.

After a discharge outside a planned take or a found live round, the firearms, lots and
containers involved are frozen as found (``evidence.frozen``); the safety supervisor releases
them, untouched, to named investigators before a witness (``evidence.released``); once the
incident is closed, an investigator hands them back to an armorer (``evidence.returned``).
Each event lists every item by its tag, so a reader of the log sees the freeze and the chain of
custody without re-deriving them. Field names follow the ledger's conventions (``firearm``,
``lots``, ``container``, ``holder_id``, ...), so the mention index (:mod:`~showclear.core.mentions`)
files each entry under every firearm, lot, container and person it names.

Listed by kind in :data:`showclear.core.events.EVENTS`, so that ``event_from`` knows every kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from showclear.core.events import armory
from showclear.core.events.base import Event


@dataclass(frozen=True)
class Counted:
    """``rounds`` counted rounds of ``lot``."""

    lot: str
    rounds: int


@dataclass(frozen=True)
class FirearmExhibit:
    """A firearm as it changed hands: who held it or which container it was in, and the
    round in each position."""

    firearm: str
    holder_id: str
    container: str
    contents: tuple[armory.Placement, ...]


@dataclass(frozen=True)
class LotExhibit:
    """A lot's box as it changed hands: who held it or which container it was in, and how many
    rounds were in it."""

    lot: str
    holder_id: str
    container: str
    rounds: int


@dataclass(frozen=True)
class LooseRounds:
    """Counted rounds of an evidence lot taken out of an armory container to join its box."""

    lot: str
    container: str
    rounds: int


@dataclass(frozen=True)
class ContainerExhibit:
    """A gun belt or bag handed over whole: who held it, and the counted rounds in it."""

    container: str
    holder_id: str
    contents: tuple[Counted, ...]


@dataclass(frozen=True)
class EvidenceFrozen(Event):
    """The firearms and lots involved in an incident, and the containers holding them, were
    frozen as found: no command touches them until they are released to the investigators."""

    kind: ClassVar[str] = "evidence.frozen"

    incident: str
    firearms: tuple[str, ...]
    lots: tuple[str, ...]
    containers: tuple[str, ...]

    @property
    def firearms_named(self) -> tuple[str, ...]:
        """The firearms whose record holds this entry."""
        return self.firearms


@dataclass(frozen=True)
class EvidenceReleased(Event):
    """The safety supervisor released an incident's evidence, untouched, to named investigators
    before a witness who confirmed in person: every firearm, lot box, loose round and belt or
    bag as it was and where it was. ``unsealed_containers`` are the armory containers that were
    sealed only because they held evidence; they stay with their custodian."""

    kind: ClassVar[str] = "evidence.released"

    incident: str
    investigators: tuple[str, ...]
    witness_id: str
    firearms: tuple[FirearmExhibit, ...]
    lots: tuple[LotExhibit, ...]
    loose_lots: tuple[LooseRounds, ...]
    containers: tuple[ContainerExhibit, ...]
    unsealed_containers: tuple[str, ...]
    witness_via: str = ""

    @property
    def firearms_named(self) -> tuple[str, ...]:
        """The firearms whose record holds this entry."""
        return tuple(exhibit.firearm for exhibit in self.firearms)


@dataclass(frozen=True)
class EvidenceReturned(Event):
    """After the incident was closed, an investigator handed its evidence back to an armorer
    who confirmed in person. Each firearm is inspected and each lot verified again before use."""

    kind: ClassVar[str] = "evidence.returned"

    incident: str
    armorer_id: str
    firearms: tuple[FirearmExhibit, ...]
    lots: tuple[LotExhibit, ...]
    containers: tuple[ContainerExhibit, ...]
    armorer_via: str = ""

    @property
    def firearms_named(self) -> tuple[str, ...]:
        """The firearms whose record holds this entry."""
        return tuple(exhibit.firearm for exhibit in self.firearms)


__all__ = [
    "ContainerExhibit",
    "Counted",
    "EvidenceFrozen",
    "EvidenceReleased",
    "EvidenceReturned",
    "FirearmExhibit",
    "LooseRounds",
    "LotExhibit",
]
