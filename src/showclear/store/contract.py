"""What every backend keeps, and the few primitives the writer, the index and the proof reads
are written against.

A backend (SQL in :mod:`showclear.store.sql`, Python in :mod:`showclear.store.memory`) hands
out :class:`Tables`: one transaction's (or one snapshot's) view of the ledger's rows. The
writer (:mod:`~showclear.store.writer`), the mention index (:mod:`~showclear.store.mentions`)
and the proof reads (:mod:`~showclear.store.proofs`) use nothing of a backend but these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from showclear.core.ledger.entry import Entry
from showclear.core.ledger.merkle import NodeId
from showclear.core.ledger.seal import LedgerTampered

MentionRow = tuple[int, str, str, int, str, str]
"""``(production_id, key_kind, key, seq, recorded_at, kind)``."""

NodeRow = tuple[int, int, int, bytes]
"""``(production_id, level, idx, hash)``."""


class StoreError(Exception):
    """The store cannot do what was asked (a clear message, never a half-done write)."""


class Intrusion(StoreError):
    """Nothing is recorded: the stored ledger holds what Showclear did not write.

    ``fault`` names the entry, checkpoint or node (see :mod:`showclear.core.ledger.seal`).
    A :class:`StoreError`, so every shell that says "not recorded" says it for this too.
    """

    def __init__(self, fault: LedgerTampered) -> None:
        super().__init__(fault.alarm)
        self.fault = fault


class ProductionExistsError(StoreError):
    """A production of that name (or origin) is already there."""


class DuplicateRow(Exception):
    """A row whose key is already stored (a backend's driver error, translated)."""


@dataclass(frozen=True)
class Production:
    """A production as the store knows it: its ledger's identity."""

    id: int
    name: str
    slug: str
    origin: str
    created_at: str


@dataclass(frozen=True)
class Appended:
    """What one committed append recorded, and the checkpoint that seals it."""

    entries: tuple[Entry, ...]
    checkpoint: str
    size: int


class IndexTables(Protocol):
    """The rows the mention index reads and writes (see :mod:`showclear.store.mentions`)."""

    def size(self, production_id: int) -> int:
        """The log's size: one past its highest seq (0 when empty)."""

    def seqs_and_entries(self, production_id: int, start: int, end: int) -> list[tuple[int, bytes]]:
        """``(seq, canonical bytes)`` of the stored entries ``[start, end)``, in order."""

    def last_indexed(self, production_id: int) -> tuple[int, str | None]:
        """The seq of the newest clock row (-1 for none) and its clock."""

    def forget_mentions(self, production_id: int, start: int) -> None:
        """Remove the index rows of every seq from ``start`` on."""

    def insert_mentions(self, rows: Sequence[MentionRow]) -> None:
        """Add index rows."""

    def first_clock_from(self, production_id: int, since: str) -> int | None:
        """The seq of the first clock row at or after ``since`` (by clock, then seq)."""

    def last_clock_until(self, production_id: int, until: str) -> int | None:
        """The seq of the last clock row at or before ``until`` (by clock, then seq)."""

    def last_late_until(self, production_id: int, until: str) -> int | None:
        """The highest seq of a late row at or before ``until``."""


class Tables(IndexTables, Protocol):
    """One transaction's view of the ledger: what :class:`~showclear.store.writer.LogWriter`
    and :mod:`~showclear.store.proofs` read and write, and all they may."""

    def entries_between(self, production_id: int, start: int, end: int) -> list[bytes]:
        """The stored entries ``[start, end)``, in order (missing ones left out)."""

    def read_nodes(self, production_id: int, wanted: Sequence[NodeId]) -> dict[NodeId, bytes]:
        """The stored perfect-subtree hashes among ``wanted``."""

    def newest_checkpoint(self, production_id: int) -> tuple[int, str] | None:
        """The stored checkpoint ``(size, note)`` of the largest size."""

    def checkpoint_within(self, production_id: int, low: int, high: int) -> tuple[int, str] | None:
        """The newest stored checkpoint of a size in ``(low, high]``."""

    def checkpoints_between(self, production_id: int, low: int, high: int) -> list[tuple[int, str]]:
        """Every stored checkpoint of a size in ``(low, high]``, smallest first."""

    def checkpoint_note(self, production_id: int, size: int) -> str | None:
        """The note of the checkpoint of exactly ``size``."""

    def request_span(self, production_id: int, request: str) -> tuple[int, int] | None:
        """``(first_seq, size)`` recorded for ``request``."""

    def insert_entry(self, production_id: int, seq: int, body: bytes) -> None:
        """Store one entry's canonical bytes."""

    def insert_nodes(self, rows: Sequence[NodeRow]) -> None:
        """Store Merkle nodes; :class:`DuplicateRow` when one is already there."""

    def insert_checkpoint(self, production_id: int, size: int, note: str) -> None:
        """Store a signed checkpoint."""

    def insert_request(self, production_id: int, request: str, first_seq: int, size: int) -> None:
        """Store what an append made for ``request`` recorded."""
