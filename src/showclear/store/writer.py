"""The one way into a log: :class:`LogWriter` appends entries, their Merkle nodes, their index
rows and one signed checkpoint, all in one locked transaction of the backend.

It uses nothing of the store but the transaction's :class:`~showclear.store.contract.Tables`
and the tree edge the store kept from its last commit (``cached``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from showclear.core.ledger.checkpoint import Checkpoint
from showclear.core.ledger.entry import Entry, format_recorded_at
from showclear.core.ledger.merkle import Frontier, leaf_hash
from showclear.core.ledger.note import NoteSigner
from showclear.core.ledger.seal import Head, LedgerTampered
from showclear.store import mentions, proofs
from showclear.store.contract import (
    Appended,
    DuplicateRow,
    MentionRow,
    NodeRow,
    Production,
    StoreError,
    Tables,
)


class LogWriter:
    """Appends entries to one production's log inside one locked transaction."""

    def __init__(
        self,
        tables: Tables,
        production: Production,
        size: int,
        request: str | None = None,
        *,
        cached: Frontier | None = None,
    ) -> None:
        self._tables = tables
        self._cached = cached
        self.production = production
        self.start = size
        #: The request this append is made for (see :meth:`LedgerStore.writing`).
        self.request = request
        self._frontier: Frontier | None = None
        self.entries: list[Entry] = []
        self._nodes: list[NodeRow] = []
        self._mentions: list[MentionRow] = []
        self._clock = mentions.ready(tables, production.id, size)
        self.sealed: Appended | None = None

    @property
    def frontier(self) -> Frontier:
        """The right edge of the tree this writer appends to.

        The one the caller proved (:meth:`continue_from`), or else this process's own from its
        last commit, or else read from the stored nodes.
        """
        if self._frontier is None:
            cached = self._cached
            if cached is not None and cached.size == self.start:
                self._frontier = Frontier(self.start, list(cached.hashes))
            else:
                self._frontier = Frontier.resume(
                    self.start,
                    lambda wanted: self._tables.read_nodes(self.production.id, wanted),
                )
        return self._frontier

    @property
    def committed_frontier(self) -> Frontier | None:
        """The tree edge this writer reached, if it needed one (for the store to keep)."""
        return self._frontier

    def continue_from(self, tree: Frontier) -> None:
        """Append to ``tree`` (the caller's proved tree of the whole stored log)."""
        if tree.size != self.start or self.entries:
            raise StoreError(f"a tree of {tree.size} entries cannot continue a log of {self.start}")
        self._frontier = Frontier(tree.size, list(tree.hashes))

    @property
    def size(self) -> int:
        """The log's size including what this writer has appended so far."""
        return self.frontier.size

    def head(self) -> Head:
        """The end of the stored log, read under this transaction's lock."""
        return proofs.head(self._tables, self.production.id)

    def stored(self, start: int, end: int) -> list[bytes]:
        """The stored entries ``[start, end)``, read under this transaction's lock, so a
        process can catch its state up with what other processes recorded before it decides."""
        return self._tables.entries_between(self.production.id, start, end)

    def checkpoint_within(self, low: int, high: int) -> tuple[int, str] | None:
        """The newest stored checkpoint of a size in ``(low, high]``."""
        return self._tables.checkpoint_within(self.production.id, low, high)

    def checkpoints_between(self, low: int, high: int) -> list[tuple[int, str]]:
        """Every stored checkpoint of a size in ``(low, high]``, smallest first."""
        return self._tables.checkpoints_between(self.production.id, low, high)

    def recorded_before(self) -> Appended | None:
        """What an earlier append for this writer's request recorded, or None (also when no
        request was named). Read under this transaction's lock: no other append for the same
        request can commit between this answer and this transaction's end."""
        if self.request is None:
            return None
        return proofs.recorded_for(self._tables, self.production, self.request)

    def append(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        person: str,
        device: str,
        recorded_at: datetime,
    ) -> Entry:
        """Add one entry at the end of the log (durable only when the transaction commits)."""
        entry = Entry(
            seq=self.frontier.size,
            log=self.production.origin,
            kind=kind,
            recorded_at=format_recorded_at(recorded_at),
            person=person,
            device=device,
            payload=payload,
        )
        body = entry.encode()
        pid = self.production.id
        for level, index, value in self.frontier.append(leaf_hash(body)):
            self._nodes.append((pid, level, index, value))
        self._tables.insert_entry(pid, entry.seq, body)
        self._clock = mentions.index_rows(
            self._mentions, pid, entry.seq, entry.kind, entry.payload, entry.person,
            entry.recorded_at, self._clock,
        )  # fmt: skip
        self.entries.append(entry)
        return entry

    def seal(self, signer: NoteSigner) -> Appended | None:
        """Write the new nodes and the signed checkpoint for everything appended."""
        if not self.entries:
            return None
        if signer.name != self.production.origin:
            raise StoreError("the signing key does not belong to this production")
        try:
            self._tables.insert_nodes(self._nodes)
        except DuplicateRow as error:
            level, index = self._nodes[0][1:3]
            raise LedgerTampered(
                f"Merkle node ({level}, {index})",
                f"a node for entry {self.start} was already stored before Showclear wrote the "
                "entry: it was added outside Showclear",
                self.start,
            ) from error
        self._tables.insert_mentions(self._mentions)
        note = Checkpoint(self.production.origin, self.frontier.size, self.frontier.root()).sign(
            signer
        )
        self._tables.insert_checkpoint(self.production.id, self.frontier.size, note)
        if self.request is not None:
            self._tables.insert_request(
                self.production.id, self.request, self.start, self.frontier.size
            )
        self.sealed = Appended(tuple(self.entries), note, self.frontier.size)
        return self.sealed
