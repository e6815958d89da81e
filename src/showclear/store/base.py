"""The store contract and the SQL both backends share.

Tables (created by each backend with its own DDL and append-only triggers):

- ``ledger_production``: one row per production (name, slug, checkpoint origin).
- ``ledger_entry``: ``(production_id, seq, body)``; ``body`` is the entry's canonical bytes,
  the only thing the ledger hashes. Nothing else about an entry is stored beside it, so there
  is no second copy that could drift from what was sealed.
- ``ledger_node``: the hash of every perfect subtree ``(level, idx)``, written with the entry
  that completes it, so that proofs at any size never rebuild the tree.
- ``ledger_checkpoint``: every signed checkpoint ever issued, one per committed append.
- ``ledger_mention``: a *derived* index, ``(production_id, key_kind, key, seq)`` with the entry's
  ``recorded_at`` and ``kind``, one row per thing an entry names (what that is, is decided by
  :func:`showclear.core.mentions.mentions`), written in the same transaction as the entry. Two
  more key kinds index time (see :data:`CLOCK` and :data:`LATE`). It is not part of the proof:
  nothing in it is hashed or signed, every answer it leads to is read from ``ledger_entry``, and
  it is rebuilt from the log whenever it is behind or missing (:meth:`LedgerStore.index_mentions`,
  run when the schema is opened and before each append).
- ``ledger_request``: ``(production_id, request, first_seq, size)``, one row per append made
  for a named request (the API's device token and ``Idempotency-Key``): the entries
  ``[first_seq, size)`` it recorded, sealed by the checkpoint of ``size``. Written in the
  append's own transaction, so the ledger itself says whether a request was recorded, even when
  the process died before its answer was kept anywhere else. Not part of the proof either: the
  entries carry no trace of it.
"""

from __future__ import annotations

import abc
import json
import threading
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from showclear.core.ledger.audit import BATCH
from showclear.core.ledger.checkpoint import Checkpoint
from showclear.core.ledger.entry import EncodingError, Entry, decode_entry, format_recorded_at
from showclear.core.ledger.merkle import Frontier, NodeId, leaf_hash
from showclear.core.ledger.note import NoteSigner
from showclear.core.ledger.seal import Head, LedgerTampered, wanted_nodes
from showclear.core.mentions import mentions

CLOCK = "at"
"""Key kind of the log's clock: one row per entry whose key is the latest ``recorded_at`` of any
entry up to and including it. Writers on several machines take their time before they queue for
the lock, so ``recorded_at`` alone is not sorted by ``seq``; this running maximum is, which turns
"recorded at or after T" into one index seek."""

LATE = "late"
"""Key kind of an entry recorded with a time earlier than the clock before it (key: its own
``recorded_at``). Rare; with :data:`CLOCK` it makes "recorded at or before T" exact too."""

MENTION_BATCH = 20_000
"""Entries indexed per transaction when the index catches up with the log."""

MentionRow = tuple[int, str, str, int, str, str]
"""``(production_id, key_kind, key, seq, recorded_at, kind)``."""


def _blob(value: Any) -> bytes:
    """A BLOB column's value as bytes, even when it was rewritten as text.

    SQLite lets anyone with the file store text in a BLOB column (its ``replace()`` returns
    text), so an edited entry must still read back as the bytes it now holds, for ``verify``
    to name it, rather than crash.
    """
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


_SIZE = "CAST(size AS BIGINT)"
"""A checkpoint's size as a number even if it was rewritten as text (SQLite keeps any type)."""


def _index_rows(
    rows: list[MentionRow],
    production_id: int,
    seq: int,
    kind: str,
    payload: Mapping[str, Any],
    person: str,
    recorded_at: str,
    clock: str | None,
) -> str:
    """Add the index rows of one entry to ``rows``; return the log's clock after it.

    ``recorded_at`` is canonical text (``YYYY-MM-DDTHH:MM:SS.ffffffZ``), so comparing the text
    compares the moments.
    """
    moved = recorded_at if clock is None or recorded_at > clock else clock
    rows.extend(
        (production_id, key_kind, key, seq, recorded_at, kind)
        for key_kind, key in mentions(kind, payload, person)
    )
    rows.append((production_id, CLOCK, moved, seq, recorded_at, kind))
    if recorded_at < moved:
        rows.append((production_id, LATE, recorded_at, seq, recorded_at, kind))
    return moved


def _read_for_index(body: bytes) -> tuple[str, Mapping[str, Any], str, str] | None:
    """An entry's kind, payload, person and time, or None when its bytes cannot be read.

    An unreadable entry (damaged, or edited by hand) names nothing in the index; ``verify`` is
    what names it, and it must still be able to open the database to do so.
    """
    try:
        raw = json.loads(body)
        kind, payload, person, at = raw["kind"], raw["payload"], raw["person"], raw["recorded_at"]
    except (ValueError, KeyError, TypeError):
        return None
    if not (isinstance(kind, str) and isinstance(payload, dict) and isinstance(at, str)):
        return None
    return kind, payload, person if isinstance(person, str) else "", at


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


class LogWriter:
    """Appends entries to one production's log inside one locked transaction."""

    def __init__(
        self,
        store: LedgerStore,
        cursor: Any,
        production: Production,
        size: int,
        request: str | None = None,
    ) -> None:
        self._store = store
        self._cursor = cursor
        self.production = production
        self.start = size
        #: The request this append is made for (see :meth:`LedgerStore.writing`).
        self.request = request
        self._frontier: Frontier | None = None
        self.entries: list[Entry] = []
        self._nodes: list[tuple[int, int, int, bytes]] = []
        self._mentions: list[MentionRow] = []
        self._clock = store._mentions_ready(cursor, production.id, size)
        self.sealed: Appended | None = None

    @property
    def frontier(self) -> Frontier:
        """The right edge of the tree this writer appends to.

        The one the caller proved (:meth:`continue_from`), or else this process's own from its
        last commit, or else read from the stored nodes.
        """
        if self._frontier is None:
            cached = self._store._frontiers.get(self.production.id)
            if cached is not None and cached.size == self.start:
                self._frontier = Frontier(self.start, list(cached.hashes))
            else:
                self._frontier = Frontier.resume(
                    self.start,
                    lambda wanted: self._store._read_nodes(
                        self._cursor, self.production.id, wanted
                    ),
                )
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
        return self._store._head(self._cursor, self.production.id)

    def stored(self, start: int, end: int) -> list[bytes]:
        """The stored entries ``[start, end)``, read under this transaction's lock, so a
        process can catch its state up with what other processes recorded before it decides."""
        return self._store._entries_between(self._cursor, self.production.id, start, end)

    def checkpoint_within(self, low: int, high: int) -> tuple[int, str] | None:
        """The newest stored checkpoint of a size in ``(low, high]``."""
        return self._store._checkpoint_within(self._cursor, self.production.id, low, high)

    def checkpoints_between(self, low: int, high: int) -> list[tuple[int, str]]:
        """Every stored checkpoint of a size in ``(low, high]``, smallest first."""
        return self._store._checkpoints_between(self._cursor, self.production.id, low, high)

    def recorded_before(self) -> Appended | None:
        """What an earlier append for this writer's request recorded, or None (also when no
        request was named). Read under this transaction's lock: no other append for the same
        request can commit between this answer and this transaction's end."""
        if self.request is None:
            return None
        return self._store._recorded_for(self._cursor, self.production, self.request)

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
        self._store._insert_entry(self._cursor, pid, entry.seq, body)
        self._clock = _index_rows(
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
            self._store._insert_nodes(self._cursor, self._nodes)
        except self._store.duplicate as error:
            level, index = self._nodes[0][1:3]
            raise LedgerTampered(
                f"Merkle node ({level}, {index})",
                f"a node for entry {self.start} was already stored before Showclear wrote the "
                "entry: it was added outside Showclear",
                self.start,
            ) from error
        self._store._insert_mentions(self._cursor, self._mentions)
        note = Checkpoint(self.production.origin, self.frontier.size, self.frontier.root()).sign(
            signer
        )
        self._store._insert_checkpoint(self._cursor, self.production.id, self.frontier.size, note)
        if self.request is not None:
            self._store._insert_request(
                self._cursor, self.production.id, self.request, self.start, self.frontier.size
            )
        self.sealed = Appended(tuple(self.entries), note, self.frontier.size)
        return self.sealed


class LedgerStore(abc.ABC):
    """One append-only, checkpointed log per production."""

    #: DB-API parameter placeholder of the backend.
    placeholder = "?"
    #: The driver's error for a row whose key is already stored.
    duplicate: type[Exception] = Exception

    def __init__(self) -> None:
        #: The right edge of each production's tree after this process's last commit.
        self._frontiers: dict[int, Frontier] = {}
        #: One connection, many threads (the web server's): each transaction or read takes
        #: its turn, so no thread begins, reads or rolls back inside another's transaction.
        self._turn = threading.RLock()

    # -- what each backend provides -------------------------------------------------------

    @abc.abstractmethod
    def create_schema(self) -> None:
        """Create the tables and their append-only triggers, if missing."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection."""

    @abc.abstractmethod
    @contextmanager
    def _transaction(self, production_id: int | None) -> Iterator[Any]:
        """A write transaction holding the production's lock; yields a cursor."""

    @abc.abstractmethod
    @contextmanager
    def _reading(self, stream: bool = False) -> Iterator[Any]:
        """A read-only snapshot; yields a cursor (one that streams rows when ``stream``)."""

    @abc.abstractmethod
    def _insert_production(
        self, cursor: Any, name: str, slug: str, origin: str, created_at: str
    ) -> int:
        """Insert a production row and return its id."""

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def creating(
        self, *, name: str, slug: str, origin: str, created_at: datetime, signer: NoteSigner
    ) -> Iterator[LogWriter]:
        """Create a production and write its first entries, all in one transaction."""
        with self._transaction(None) as cursor:
            p = self.placeholder
            cursor.execute(
                f"SELECT name FROM ledger_production WHERE name = {p} OR slug = {p} OR origin = {p}",
                (name, slug, origin),
            )
            if cursor.fetchone() is not None:
                raise ProductionExistsError(f"a production named {name!r} already exists")
            stamp = format_recorded_at(created_at)
            pid = self._insert_production(cursor, name, slug, origin, stamp)
            writer = LogWriter(self, cursor, Production(pid, name, slug, origin, stamp), 0)
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
        with self._transaction(production.id) as cursor:
            writer = LogWriter(self, cursor, production, self._size(cursor, production.id), request)
            yield writer
            writer.seal(signer)
        if writer._frontier is not None:
            self._frontiers[production.id] = writer._frontier

    # -- reading -------------------------------------------------------------------------

    @property
    @abc.abstractmethod
    def url(self) -> str:
        """The database URL, for another process to open the same store."""

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Make every read inside the block see one consistent state of the database."""
        with self._reading():
            yield

    def checkpoint_sizes(self, production: Production) -> list[int]:
        """The size of every stored checkpoint, smallest first."""
        p = self.placeholder
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT {_SIZE} FROM ledger_checkpoint WHERE production_id = {p} ORDER BY size",
                (production.id,),
            )
            return [int(row[0]) for row in cursor.fetchall()]

    def entry_range(self, production: Production, start: int, end: int) -> list[bytes]:
        """The canonical bytes of entries ``[start, end)`` that are present, in order."""
        with self._reading() as cursor:
            return self._entries_between(cursor, production.id, start, end)

    def productions(self) -> list[Production]:
        """Every production, oldest first."""
        with self._reading() as cursor:
            cursor.execute(
                "SELECT id, name, slug, origin, created_at FROM ledger_production ORDER BY id"
            )
            return [Production(*row) for row in cursor.fetchall()]

    def size(self, production: Production) -> int:
        """How many entries the production's log holds."""
        with self._reading() as cursor:
            return self._size(cursor, production.id)

    def sequence_gap(self, production: Production) -> int | None:
        """The first missing sequence number below the highest one, if any."""
        p = self.placeholder
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), MIN(seq), MAX(seq) FROM ledger_entry WHERE production_id = {p}",
                (production.id,),
            )
            count, low, high = cursor.fetchone()
            if count == 0 or (low == 0 and high == count - 1):
                return None
            if low != 0:
                return 0
            cursor.execute(
                f"SELECT e.seq + 1 FROM ledger_entry e WHERE e.production_id = {p} AND NOT EXISTS "
                f"(SELECT 1 FROM ledger_entry n WHERE n.production_id = e.production_id "
                f"AND n.seq = e.seq + 1) ORDER BY e.seq LIMIT 1",
                (production.id,),
            )
            row = cursor.fetchone()
            return int(row[0]) if row else None

    def entry_batches(self, production: Production, start: int = 0) -> Iterator[list[bytes]]:
        """The entries' canonical bytes in order, :data:`BATCH` at a time, from one snapshot."""
        p = self.placeholder
        with self._reading(stream=True) as cursor:
            cursor.execute(
                f"SELECT body FROM ledger_entry WHERE production_id = {p} AND seq >= {p} ORDER BY seq",
                (production.id, start),
            )
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield [_blob(row[0]) for row in rows]

    def entry(self, production: Production, seq: int) -> bytes | None:
        """One entry's canonical bytes."""
        p = self.placeholder
        with self._reading(stream=True) as cursor:
            cursor.execute(
                f"SELECT body FROM ledger_entry WHERE production_id = {p} AND seq = {p}",
                (production.id, seq),
            )
            row = cursor.fetchone()
            return _blob(row[0]) if row else None

    def checkpoints(
        self, production: Production, start: int = 0
    ) -> Generator[tuple[int, str], None, None]:
        """Every stored checkpoint ``(size, note)`` from ``start`` on, smallest first."""
        p = self.placeholder
        with self._reading(stream=True) as cursor:
            cursor.execute(
                f"SELECT {_SIZE}, note FROM ledger_checkpoint WHERE production_id = {p} AND size >= {p} "
                "ORDER BY size",
                (production.id, start),
            )
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield from ((int(size), str(note)) for size, note in rows)

    def latest_checkpoint(self, production: Production) -> str | None:
        """The newest signed checkpoint."""
        p = self.placeholder
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT note FROM ledger_checkpoint WHERE production_id = {p} "
                "ORDER BY size DESC LIMIT 1",
                (production.id,),
            )
            row = cursor.fetchone()
            return str(row[0]) if row else None

    def head(self, production: Production) -> Head:
        """The end of the production's stored log (see :class:`~showclear.core.ledger.seal.Head`)."""
        with self._reading() as cursor:
            return self._head(cursor, production.id)

    def checkpoint_within(
        self, production: Production, low: int, high: int
    ) -> tuple[int, str] | None:
        """The newest stored checkpoint ``(size, note)`` of a size in ``(low, high]``."""
        with self._reading() as cursor:
            return self._checkpoint_within(cursor, production.id, low, high)

    def checkpoints_between(
        self, production: Production, low: int, high: int
    ) -> list[tuple[int, str]]:
        """Every stored checkpoint ``(size, note)`` of a size in ``(low, high]``, smallest first."""
        with self._reading() as cursor:
            return self._checkpoints_between(cursor, production.id, low, high)

    def recorded_for(self, production: Production, request: str) -> Appended | None:
        """What the append made for ``request`` recorded (its entries and the checkpoint that
        sealed them), or None when nothing was recorded for it."""
        with self._reading() as cursor:
            return self._recorded_for(cursor, production, request)

    def read_nodes(self, production: Production, wanted: Sequence[NodeId]) -> dict[NodeId, bytes]:
        """Stored perfect-subtree hashes (a :data:`~showclear.core.ledger.merkle.NodeReader`)."""
        with self._reading() as cursor:
            return self._read_nodes(cursor, production.id, wanted)

    def leaf_hashes(self, production: Production, start: int, end: int) -> list[bytes | None]:
        """The leaf hashes stored for entries ``[start, end)``."""
        p = self.placeholder
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT idx, hash FROM ledger_node WHERE production_id = {p} AND level = 0 "
                f"AND idx >= {p} AND idx < {p}",
                (production.id, start, end),
            )
            found = {int(idx): _blob(value) for idx, value in cursor.fetchall()}
        return [found.get(seq) for seq in range(start, end)]

    # -- the mention index (derived, never part of the proof) --------------------------------

    def index_mentions(self, production: Production | None = None) -> None:
        """Bring the mention index up to the log of ``production`` (of every production when
        None), under the production's write lock. Run when the schema is opened, so that a
        database written before the index existed is caught up; idempotent."""
        for each in [production] if production is not None else self.productions():
            with self._transaction(each.id) as cursor:
                self._mentions_ready(cursor, each.id, self._sealed_size(cursor, each.id))

    def mentions_current(self, production: Production) -> None:
        """Make sure the index covers every committed entry before it is read.

        Only a process that appended without writing the index (a Showclear from before it)
        leaves it behind; then it is caught up here, under the write lock.
        """
        with self._reading() as cursor:
            behind = self._indexed(cursor, production.id)[0] + 1 != self._sealed_size(
                cursor, production.id
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
        with self._reading() as cursor:
            return self._seq_window(cursor, production.id, since, until)

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
        p = self.placeholder
        with self._reading() as cursor:
            if since is not None or until is not None:
                window = self._seq_window(cursor, production.id, since, until)
                if window is None:
                    return []
                after = max(after, window[0] - 1)
                upto = window[1] if upto is None else min(upto, window[1])
            sql = [
                "SELECT m.seq, e.body FROM ledger_mention m JOIN ledger_entry e "
                "ON e.production_id = m.production_id AND e.seq = m.seq "
                f"WHERE m.production_id = {p} AND m.key_kind = {p} AND m.key = {p} AND m.seq > {p}"
            ]
            params: list[Any] = [production.id, key_kind, key, after]
            if upto is not None:
                sql.append(f"AND m.seq <= {p}")
                params.append(upto)
            if kinds:
                sql.append(f"AND m.kind IN ({', '.join([p] * len(kinds))})")
                params.extend(kinds)
            if since is not None:
                sql.append(f"AND m.recorded_at >= {p}")
                params.append(since)
            if until is not None:
                sql.append(f"AND m.recorded_at <= {p}")
                params.append(until)
            for other_kind, other_key in also:
                sql.append(
                    "AND EXISTS (SELECT 1 FROM ledger_mention x WHERE x.production_id = "
                    f"m.production_id AND x.key_kind = {p} AND x.key = {p} AND x.seq = m.seq)"
                )
                params.extend((other_kind, other_key))
            sql.append("ORDER BY m.seq DESC" if newest_first else "ORDER BY m.seq")
            if limit is not None:
                sql.append(f"LIMIT {p}")
                params.append(limit)
            cursor.execute(" ".join(sql), params)
            return [(int(seq), _blob(body)) for seq, body in cursor.fetchall()]

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
        p = self.placeholder
        values = ", ".join(self._json_text("e.body", path) for path in paths)
        bound = f" AND m.seq <= {p}" if upto is not None else ""
        params = [production.id, key_kind, key, after, *([upto] if upto is not None else [])]
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT m.seq, m.kind, {values} FROM ledger_mention m JOIN ledger_entry e "
                "ON e.production_id = m.production_id AND e.seq = m.seq "
                f"WHERE m.production_id = {p} AND m.key_kind = {p} AND m.key = {p} "
                f"AND m.seq > {p}{bound} AND m.kind IN ({', '.join([p] * len(kinds))}) "
                "ORDER BY m.seq",
                [*params, *kinds],
            )
            return [(int(row[0]), *row[1:]) for row in cursor.fetchall()]

    def entries_at(self, production: Production, seqs: Sequence[int]) -> list[tuple[int, bytes]]:
        """``(seq, canonical bytes)`` of the entries at ``seqs`` that exist, in seq order."""
        if not seqs:
            return []
        p = self.placeholder
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT seq, body FROM ledger_entry WHERE production_id = {p} "
                f"AND seq IN ({', '.join([p] * len(seqs))}) ORDER BY seq",
                [production.id, *seqs],
            )
            return [(int(seq), _blob(body)) for seq, body in cursor.fetchall()]

    @staticmethod
    @abc.abstractmethod
    def _json_text(column: str, path: tuple[str, ...]) -> str:
        """SQL for the text at ``path`` in the JSON entry bytes of ``column`` (NULL if absent
        or if the bytes are not JSON)."""

    def entry_rows(
        self, production: Production, *, after: int = -1, upto: int | None = None, limit: int
    ) -> list[tuple[int, bytes]]:
        """Up to ``limit`` ``(seq, canonical bytes)`` after seq ``after`` (to ``upto``)."""
        p = self.placeholder
        bound = f" AND seq <= {p}" if upto is not None else ""
        params = [production.id, after, *([upto] if upto is not None else []), limit]
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT seq, body FROM ledger_entry WHERE production_id = {p} AND seq > {p}"
                f"{bound} ORDER BY seq LIMIT {p}",
                params,
            )
            return [(int(seq), _blob(body)) for seq, body in cursor.fetchall()]

    def _indexed(self, cursor: Any, production_id: int) -> tuple[int, str | None]:
        """The last indexed seq (-1 for none) and the log's clock there."""
        p = self.placeholder
        cursor.execute(
            f"SELECT seq, key FROM ledger_mention WHERE production_id = {p} AND key_kind = {p} "
            "ORDER BY key DESC, seq DESC LIMIT 1",
            (production_id, CLOCK),
        )
        row = cursor.fetchone()
        return (-1, None) if row is None else (int(row[0]), str(row[1]))

    def _mentions_ready(self, cursor: Any, production_id: int, size: int) -> str | None:
        """Index every entry below ``size`` not yet indexed; return the log's clock."""
        p = self.placeholder
        indexed, clock = self._indexed(cursor, production_id)
        if indexed >= size:
            # Entries were removed by hand below the index (``verify`` names that): forget
            # what the index says of them, so it describes the log as it is.
            cursor.execute(
                f"DELETE FROM ledger_mention WHERE production_id = {p} AND seq >= {p}",
                (production_id, size),
            )
            indexed, clock = self._indexed(cursor, production_id)
        while indexed + 1 < size:
            end = min(size, indexed + 1 + MENTION_BATCH)
            cursor.execute(
                f"SELECT seq, body FROM ledger_entry WHERE production_id = {p} AND seq >= {p} "
                f"AND seq < {p} ORDER BY seq",
                (production_id, indexed + 1, end),
            )
            rows: list[MentionRow] = []
            for seq, body in cursor.fetchall():
                read = _read_for_index(_blob(body))
                if read is None:
                    rows.append((production_id, CLOCK, clock or "", int(seq), clock or "", ""))
                    continue
                kind, payload, person, at = read
                clock = _index_rows(rows, production_id, int(seq), kind, payload, person, at, clock)
            self._insert_mentions(cursor, rows)
            indexed = end - 1
        return clock

    def _seq_window(
        self, cursor: Any, production_id: int, since: str | None, until: str | None
    ) -> tuple[int, int] | None:
        p = self.placeholder
        low = 0
        if since is not None:
            cursor.execute(
                f"SELECT seq FROM ledger_mention WHERE production_id = {p} AND key_kind = {p} "
                f"AND key >= {p} ORDER BY key, seq LIMIT 1",
                (production_id, CLOCK, since),
            )
            row = cursor.fetchone()
            if row is None:
                return None
            low = int(row[0])
        if until is None:
            high = self._size(cursor, production_id) - 1
        else:
            cursor.execute(
                f"SELECT seq FROM ledger_mention WHERE production_id = {p} AND key_kind = {p} "
                f"AND key <= {p} ORDER BY key DESC, seq DESC LIMIT 1",
                (production_id, CLOCK, until),
            )
            row = cursor.fetchone()
            high = -1 if row is None else int(row[0])
            cursor.execute(
                f"SELECT MAX(seq) FROM ledger_mention WHERE production_id = {p} "
                f"AND key_kind = {p} AND key <= {p}",
                (production_id, LATE, until),
            )
            late = cursor.fetchone()
            if late is not None and late[0] is not None:
                high = max(high, int(late[0]))
        return (low, high) if low <= high else None

    # -- SQL shared by both backends ---------------------------------------------------------

    def _size(self, cursor: Any, production_id: int) -> int:
        p = self.placeholder
        cursor.execute(
            f"SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_entry WHERE production_id = {p}",
            (production_id,),
        )
        return int(cursor.fetchone()[0])

    def _read_nodes(
        self, cursor: Any, production_id: int, wanted: Sequence[NodeId]
    ) -> dict[NodeId, bytes]:
        # One query for every node (a proof or a tree's right edge needs a few dozen), each a
        # primary-key lookup: one round trip instead of one per node.
        nodes = sorted(set(wanted))
        if not nodes:
            return {}
        # The wanted keys as a VALUES list driving one primary-key lookup each (a CROSS JOIN
        # keeps SQLite's loop order): both planners then read only those rows, where a
        # row-value IN or a long OR makes them scan every node of the production.
        p = self.placeholder
        pairs = ", ".join([f"({p}, {p})"] * len(nodes))
        cursor.execute(
            f"WITH wanted (level, idx) AS (VALUES {pairs}) "
            "SELECT n.level, n.idx, n.hash FROM wanted CROSS JOIN ledger_node n "
            f"WHERE n.production_id = {p} AND n.level = wanted.level AND n.idx = wanted.idx",
            [*(value for node in nodes for value in node), production_id],
        )
        return {(int(level), int(idx)): _blob(value) for level, idx, value in cursor.fetchall()}

    def _head(self, cursor: Any, production_id: int) -> Head:
        p = self.placeholder
        size = self._size(cursor, production_id)
        cursor.execute(
            f"SELECT {_SIZE}, note FROM ledger_checkpoint WHERE production_id = {p} "
            "ORDER BY size DESC LIMIT 1",
            (production_id,),
        )
        row = cursor.fetchone()
        newest = (int(row[0]), str(row[1])) if row is not None else None
        return Head(size, newest, self._read_nodes(cursor, production_id, wanted_nodes(newest)))

    def _checkpoint_within(
        self, cursor: Any, production_id: int, low: int, high: int
    ) -> tuple[int, str] | None:
        p = self.placeholder
        cursor.execute(
            f"SELECT {_SIZE}, note FROM ledger_checkpoint WHERE production_id = {p} "
            f"AND size > {p} AND size <= {p} ORDER BY size DESC LIMIT 1",
            (production_id, low, high),
        )
        row = cursor.fetchone()
        return (int(row[0]), str(row[1])) if row is not None else None

    def _checkpoints_between(
        self, cursor: Any, production_id: int, low: int, high: int
    ) -> list[tuple[int, str]]:
        p = self.placeholder
        cursor.execute(
            f"SELECT {_SIZE}, note FROM ledger_checkpoint WHERE production_id = {p} "
            f"AND size > {p} AND size <= {p} ORDER BY size",
            (production_id, low, high),
        )
        return [(int(size), str(note)) for size, note in cursor.fetchall()]

    def _sealed_size(self, cursor: Any, production_id: int) -> int:
        """The log's size, but no further than its newest checkpoint: what the derived index
        may cover (an entry beyond it was not written by Showclear)."""
        p = self.placeholder
        cursor.execute(
            f"SELECT CAST(MAX(size) AS BIGINT) FROM ledger_checkpoint WHERE production_id = {p}",
            (production_id,),
        )
        row = cursor.fetchone()
        newest = int(row[0]) if row is not None and row[0] is not None else 0
        return min(newest, self._size(cursor, production_id))

    def _entries_between(
        self, cursor: Any, production_id: int, start: int, end: int
    ) -> list[bytes]:
        p = self.placeholder
        cursor.execute(
            f"SELECT body FROM ledger_entry WHERE production_id = {p} AND seq >= {p} "
            f"AND seq < {p} ORDER BY seq",
            (production_id, start, end),
        )
        return [_blob(row[0]) for row in cursor.fetchall()]

    def _recorded_for(self, cursor: Any, production: Production, request: str) -> Appended | None:
        p = self.placeholder
        cursor.execute(
            f"SELECT first_seq, size FROM ledger_request WHERE production_id = {p} "
            f"AND request = {p}",
            (production.id, request),
        )
        row = cursor.fetchone()
        if row is None:
            return None
        first, size = int(row[0]), int(row[1])
        bodies = self._entries_between(cursor, production.id, first, size)
        cursor.execute(
            f"SELECT note FROM ledger_checkpoint WHERE production_id = {p} AND size = {p}",
            (production.id, size),
        )
        note = cursor.fetchone()
        try:
            entries = tuple(decode_entry(body) for body in bodies)
        except EncodingError as error:
            raise StoreError(
                f"an entry recorded for a request cannot be read ({error}): run 'showclear verify'"
            ) from error
        if len(entries) != size - first or note is None:
            raise StoreError(
                f"entries {first} to {size - 1} or their checkpoint are missing from the ledger: "
                "run 'showclear verify'"
            )
        return Appended(entries, str(note[0]), size)

    def _insert_request(
        self, cursor: Any, production_id: int, request: str, first_seq: int, size: int
    ) -> None:
        p = self.placeholder
        cursor.execute(
            "INSERT INTO ledger_request (production_id, request, first_seq, size) "
            f"VALUES ({p}, {p}, {p}, {p})",
            (production_id, request, first_seq, size),
        )

    def _insert_entry(self, cursor: Any, production_id: int, seq: int, body: bytes) -> None:
        p = self.placeholder
        cursor.execute(
            f"INSERT INTO ledger_entry (production_id, seq, body) VALUES ({p}, {p}, {p})",
            (production_id, seq, body),
        )

    def _insert_nodes(self, cursor: Any, rows: list[tuple[int, int, int, bytes]]) -> None:
        p = self.placeholder
        cursor.executemany(
            f"INSERT INTO ledger_node (production_id, level, idx, hash) VALUES ({p}, {p}, {p}, {p})",
            rows,
        )

    def _insert_mentions(self, cursor: Any, rows: list[MentionRow]) -> None:
        if not rows:
            return
        p = self.placeholder
        cursor.executemany(
            "INSERT INTO ledger_mention (production_id, key_kind, key, seq, recorded_at, kind) "
            f"VALUES ({p}, {p}, {p}, {p}, {p}, {p})",
            rows,
        )

    def _insert_checkpoint(self, cursor: Any, production_id: int, size: int, note: str) -> None:
        p = self.placeholder
        cursor.execute(
            f"INSERT INTO ledger_checkpoint (production_id, size, note) VALUES ({p}, {p}, {p})",
            (production_id, size, note),
        )
