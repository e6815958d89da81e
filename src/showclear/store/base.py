"""The store contract: one append-only, checkpointed log per production.

Tables (created by each SQL backend with its own DDL and append-only triggers; kept in Python
by :mod:`showclear.store.memory`):

- ``ledger_production``: one row per production (name, slug, checkpoint origin).
- ``ledger_entry``: ``(production_id, seq, body)``; ``body`` is the entry's canonical bytes,
  the only thing the ledger hashes. Nothing else about an entry is stored beside it, so there
  is no second copy that could drift from what was sealed.
- ``ledger_node``: the hash of every perfect subtree ``(level, idx)``, written with the entry
  that completes it, so that proofs at any size never rebuild the tree.
- ``ledger_checkpoint``: every signed checkpoint ever issued, one per committed append.
- ``ledger_mention``: a *derived* index (see :mod:`showclear.store.mentions`), written in the
  same transaction as the entry. It is not part of the proof: nothing in it is hashed or signed,
  every answer it leads to is read from ``ledger_entry``, and it is rebuilt from the log whenever
  it is behind or missing (:meth:`LedgerStore.index_mentions`, run when the schema is opened and
  before each append).
- ``ledger_request``: ``(production_id, request, first_seq, size)``, one row per append made
  for a named request (the API's device token and ``Idempotency-Key``): the entries
  ``[first_seq, size)`` it recorded, sealed by the checkpoint of ``size``. Written in the
  append's own transaction, so the ledger itself says whether a request was recorded, even when
  the process died before its answer was kept anywhere else. Not part of the proof either: the
  entries carry no trace of it.

The jobs are in their own modules: this contract and the writing transaction here; the writer
in :mod:`~showclear.store.writer`; the proof reads in :mod:`~showclear.store.proofs`; the mention
index in :mod:`~showclear.store.mentions`; the SQL both SQL backends share in
:mod:`~showclear.store.sql`. The names once defined here are still importable from here.
"""

from __future__ import annotations

import abc
from collections.abc import Generator, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any

from showclear.core.ledger.entry import format_recorded_at
from showclear.core.ledger.merkle import Frontier, NodeId
from showclear.core.ledger.note import NoteSigner
from showclear.core.ledger.seal import Head
from showclear.store import mentions, proofs
from showclear.store.contract import (
    Appended,
    Intrusion,
    MentionRow,
    Production,
    ProductionExistsError,
    StoreError,
    Tables,
)
from showclear.store.mentions import CLOCK, LATE, MENTION_BATCH
from showclear.store.writer import LogWriter


class LedgerStore(abc.ABC):
    """One append-only, checkpointed log per production."""

    def __init__(self) -> None:
        #: The right edge of each production's tree after this process's last commit.
        self._frontiers: dict[int, Frontier] = {}

    # -- what each backend provides -------------------------------------------------------

    @abc.abstractmethod
    def create_schema(self) -> None:
        """Create the tables and their append-only triggers, if missing."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection."""

    @abc.abstractmethod
    def _writing_tables(self, production_id: int | None) -> AbstractContextManager[Tables]:
        """A write transaction holding the production's lock (every production's when None)."""

    @abc.abstractmethod
    def _reading_tables(self) -> AbstractContextManager[Tables]:
        """A read-only snapshot of the tables."""

    @abc.abstractmethod
    def _new_production(
        self, tables: Tables, name: str, slug: str, origin: str, created_at: str
    ) -> int:
        """Insert a production row and return its id; :class:`ProductionExistsError` when its
        name, slug or origin is taken."""

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def creating(
        self, *, name: str, slug: str, origin: str, created_at: datetime, signer: NoteSigner
    ) -> Iterator[LogWriter]:
        """Create a production and write its first entries, all in one transaction."""
        with self._writing_tables(None) as tables:
            stamp = format_recorded_at(created_at)
            pid = self._new_production(tables, name, slug, origin, stamp)
            writer = LogWriter(tables, Production(pid, name, slug, origin, stamp), 0)
            yield writer
            if writer.seal(signer) is None:
                raise StoreError("a production starts with at least one entry")

    @contextmanager
    def writing(
        self, production: Production, signer: NoteSigner, *, request: str | None = None
    ) -> Iterator[LogWriter]:
        """Append to ``production``'s log: serialized, sealed, durable on exit.

        Appends from every process are serialized per production. When the block exits
        normally the entries, their nodes and a new signed checkpoint commit together, and only
        then does control return to the caller. If the block raises, nothing is written.

        ``request`` names what the append is made for (an idempotency key with its device,
        unique within the production): it is written beside the entries, in the same
        transaction, never in them, and :meth:`LogWriter.recorded_before` and
        :meth:`recorded_for` find what was recorded for it.
        """
        with self._writing_tables(production.id) as tables:
            writer = LogWriter(
                tables,
                production,
                tables.size(production.id),
                request,
                cached=self._frontiers.get(production.id),
            )
            yield writer
            writer.seal(signer)
        if writer.committed_frontier is not None:
            self._frontiers[production.id] = writer.committed_frontier

    # -- reading: the proof reads, over the backend's tables ------------------------------

    @property
    @abc.abstractmethod
    def url(self) -> str:
        """The database URL, for another process to open the same store."""

    @abc.abstractmethod
    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Make every read inside the block see one consistent state of the database."""

    def entry_range(self, production: Production, start: int, end: int) -> list[bytes]:
        """The canonical bytes of entries ``[start, end)`` that are present, in order."""
        with self._reading_tables() as tables:
            return tables.entries_between(production.id, start, end)

    def size(self, production: Production) -> int:
        """How many entries the production's log holds."""
        with self._reading_tables() as tables:
            return tables.size(production.id)

    def head(self, production: Production) -> Head:
        """The end of the production's stored log (see :class:`~showclear.core.ledger.seal.Head`)."""
        with self._reading_tables() as tables:
            return proofs.head(tables, production.id)

    def checkpoint_within(
        self, production: Production, low: int, high: int
    ) -> tuple[int, str] | None:
        """The newest stored checkpoint ``(size, note)`` of a size in ``(low, high]``."""
        with self._reading_tables() as tables:
            return tables.checkpoint_within(production.id, low, high)

    def checkpoints_between(
        self, production: Production, low: int, high: int
    ) -> list[tuple[int, str]]:
        """Every stored checkpoint ``(size, note)`` of a size in ``(low, high]``, smallest first."""
        with self._reading_tables() as tables:
            return tables.checkpoints_between(production.id, low, high)

    def recorded_for(self, production: Production, request: str) -> Appended | None:
        """What the append made for ``request`` recorded (its entries and the checkpoint that
        sealed them), or None when nothing was recorded for it."""
        with self._reading_tables() as tables:
            return proofs.recorded_for(tables, production, request)

    def read_nodes(self, production: Production, wanted: Sequence[NodeId]) -> dict[NodeId, bytes]:
        """Stored perfect-subtree hashes (a :data:`~showclear.core.ledger.merkle.NodeReader`)."""
        with self._reading_tables() as tables:
            return tables.read_nodes(production.id, wanted)

    # -- reading: history, each backend its own way ---------------------------------------

    @abc.abstractmethod
    def checkpoint_sizes(self, production: Production) -> list[int]:
        """The size of every stored checkpoint, smallest first."""

    @abc.abstractmethod
    def productions(self) -> list[Production]:
        """Every production, oldest first."""

    @abc.abstractmethod
    def sequence_gap(self, production: Production) -> int | None:
        """The first missing sequence number below the highest one, if any."""

    @abc.abstractmethod
    def entry_batches(self, production: Production, start: int = 0) -> Iterator[list[bytes]]:
        """The entries' canonical bytes in order, :data:`BATCH` at a time, from one snapshot."""

    @abc.abstractmethod
    def entry(self, production: Production, seq: int) -> bytes | None:
        """One entry's canonical bytes."""

    @abc.abstractmethod
    def checkpoints(
        self, production: Production, start: int = 0
    ) -> Generator[tuple[int, str], None, None]:
        """Every stored checkpoint ``(size, note)`` from ``start`` on, smallest first."""

    @abc.abstractmethod
    def latest_checkpoint(self, production: Production) -> str | None:
        """The newest signed checkpoint."""

    @abc.abstractmethod
    def leaf_hashes(self, production: Production, start: int, end: int) -> list[bytes | None]:
        """The leaf hashes stored for entries ``[start, end)``."""

    @abc.abstractmethod
    def entries_at(self, production: Production, seqs: Sequence[int]) -> list[tuple[int, bytes]]:
        """``(seq, canonical bytes)`` of the entries at ``seqs`` that exist, in seq order."""

    @abc.abstractmethod
    def entry_rows(
        self, production: Production, *, after: int = -1, upto: int | None = None, limit: int
    ) -> list[tuple[int, bytes]]:
        """Up to ``limit`` ``(seq, canonical bytes)`` after seq ``after`` (to ``upto``)."""

    # -- the mention index (derived, never part of the proof) --------------------------------

    def index_mentions(self, production: Production | None = None) -> None:
        """Bring the mention index up to the log of ``production`` (of every production when
        None), under the production's write lock. Run when the schema is opened, so that a
        database written before the index existed is caught up; idempotent."""
        for each in [production] if production is not None else self.productions():
            with self._writing_tables(each.id) as tables:
                mentions.ready(tables, each.id, proofs.sealed_size(tables, each.id))

    def mentions_current(self, production: Production) -> None:
        """Make sure the index covers every committed entry before it is read.

        Only a process that appended without writing the index (a Showclear from before it)
        leaves it behind; then it is caught up here, under the write lock.
        """
        with self._reading_tables() as tables:
            behind = mentions.behind(
                tables, production.id, proofs.sealed_size(tables, production.id)
            )
        if behind:
            self.index_mentions(production)

    def seq_window(
        self, production: Production, since: str | None, until: str | None
    ) -> tuple[int, int] | None:
        """The smallest seq range holding every entry recorded in ``[since, until]``
        (canonical times, either may be None), or None when no entry is; two index seeks.

        Entries inside the range recorded outside the times are only ever the rare late ones
        (see :data:`LATE`): a caller still compares each entry's own time.
        """
        with self._reading_tables() as tables:
            return mentions.seq_window(tables, production.id, since, until)

    @abc.abstractmethod
    def named(
        self,
        production: Production,
        key_kind: str,
        key: str,
        *,
        also: Sequence[tuple[str, str]] = (),
        kinds: Sequence[str] = (),
        after: int = -1,
        upto: int | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[tuple[int, bytes]]:
        """``(seq, canonical bytes)`` of the entries naming ``key`` as a ``key_kind``, in seq
        order (newest first if asked), read with an index range scan.

        ``also``: other ``(key kind, key)`` each entry must name too; ``kinds``: only entries
        of these kinds; ``after``/``upto``: seq bounds (exclusive/inclusive); ``since``/``until``:
        canonical times, inclusive.
        """

    @abc.abstractmethod
    def named_fields(
        self,
        production: Production,
        key_kind: str,
        key: str,
        paths: Sequence[tuple[str, ...]],
        *,
        kinds: Sequence[str],
        after: int = -1,
        upto: int | None = None,
    ) -> list[tuple[Any, ...]]:
        """``(seq, kind, *values)`` of the entries of ``kinds`` naming ``key``, in seq order,
        each value the text at one JSON path of the entry (``("payload", "container")``; None
        when absent): a few narrow values of many entries, read by the database, not Python."""


__all__ = [
    "CLOCK",
    "LATE",
    "MENTION_BATCH",
    "Appended",
    "Intrusion",
    "LedgerStore",
    "LogWriter",
    "MentionRow",
    "Production",
    "ProductionExistsError",
    "StoreError",
]
