"""The SQL both SQL backends share (:mod:`~showclear.store.sqlite`,
:mod:`~showclear.store.postgres`): the ledger's tables through one DB-API cursor.

:class:`SqlTables` is one transaction's :class:`~showclear.store.contract.Tables`;
:class:`SqlStore` is the :class:`~showclear.store.base.LedgerStore` whose history reads are
SQL queries. A backend adds its connection, its transactions and its dialect.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from showclear.core.ledger.audit import BATCH
from showclear.core.ledger.merkle import NodeId
from showclear.store.base import LedgerStore
from showclear.store.contract import (
    DuplicateRow,
    MentionRow,
    NodeRow,
    Production,
    ProductionExistsError,
)
from showclear.store.mentions import CLOCK, LATE, seq_window


def _blob(value: Any) -> bytes:
    """A BLOB column's value as bytes, even when it was rewritten as text.

    SQLite lets anyone with the file store text in a BLOB column (its ``replace()`` returns
    text), so an edited entry must still read back as the bytes it now holds, for ``verify``
    to name it, rather than crash.
    """
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


_SIZE = "CAST(size AS BIGINT)"
"""A checkpoint's size as a number even if it was rewritten as text (SQLite keeps any type)."""


class SqlTables:
    """The ledger's tables through one cursor of one transaction or snapshot."""

    def __init__(self, cursor: Any, placeholder: str, duplicate: type[Exception]) -> None:
        self.cursor = cursor
        self._p = placeholder
        self._duplicate = duplicate

    # -- entries, nodes, checkpoints, requests ---------------------------------------------

    def size(self, production_id: int) -> int:
        p = self._p
        self.cursor.execute(
            f"SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_entry WHERE production_id = {p}",
            (production_id,),
        )
        return int(self.cursor.fetchone()[0])

    def entries_between(self, production_id: int, start: int, end: int) -> list[bytes]:
        return [body for _, body in self.seqs_and_entries(production_id, start, end)]

    def seqs_and_entries(self, production_id: int, start: int, end: int) -> list[tuple[int, bytes]]:
        p = self._p
        self.cursor.execute(
            f"SELECT seq, body FROM ledger_entry WHERE production_id = {p} AND seq >= {p} "
            f"AND seq < {p} ORDER BY seq",
            (production_id, start, end),
        )
        return [(int(seq), _blob(body)) for seq, body in self.cursor.fetchall()]

    def read_nodes(self, production_id: int, wanted: Sequence[NodeId]) -> dict[NodeId, bytes]:
        # One query for every node (a proof or a tree's right edge needs a few dozen), each a
        # primary-key lookup: one round trip instead of one per node.
        nodes = sorted(set(wanted))
        if not nodes:
            return {}
        # The wanted keys as a VALUES list driving one primary-key lookup each (a CROSS JOIN
        # keeps SQLite's loop order): both planners then read only those rows, where a
        # row-value IN or a long OR makes them scan every node of the production.
        p = self._p
        pairs = ", ".join([f"({p}, {p})"] * len(nodes))
        self.cursor.execute(
            f"WITH wanted (level, idx) AS (VALUES {pairs}) "
            "SELECT n.level, n.idx, n.hash FROM wanted CROSS JOIN ledger_node n "
            f"WHERE n.production_id = {p} AND n.level = wanted.level AND n.idx = wanted.idx",
            [*(value for node in nodes for value in node), production_id],
        )
        return {
            (int(level), int(idx)): _blob(value) for level, idx, value in self.cursor.fetchall()
        }

    def newest_checkpoint(self, production_id: int) -> tuple[int, str] | None:
        self.cursor.execute(
            f"SELECT {_SIZE}, note FROM ledger_checkpoint WHERE production_id = {self._p} "
            "ORDER BY size DESC LIMIT 1",
            (production_id,),
        )
        row = self.cursor.fetchone()
        return (int(row[0]), str(row[1])) if row is not None else None

    def checkpoint_within(self, production_id: int, low: int, high: int) -> tuple[int, str] | None:
        p = self._p
        self.cursor.execute(
            f"SELECT {_SIZE}, note FROM ledger_checkpoint WHERE production_id = {p} "
            f"AND size > {p} AND size <= {p} ORDER BY size DESC LIMIT 1",
            (production_id, low, high),
        )
        row = self.cursor.fetchone()
        return (int(row[0]), str(row[1])) if row is not None else None

    def checkpoints_between(self, production_id: int, low: int, high: int) -> list[tuple[int, str]]:
        p = self._p
        self.cursor.execute(
            f"SELECT {_SIZE}, note FROM ledger_checkpoint WHERE production_id = {p} "
            f"AND size > {p} AND size <= {p} ORDER BY size",
            (production_id, low, high),
        )
        return [(int(size), str(note)) for size, note in self.cursor.fetchall()]

    def checkpoint_note(self, production_id: int, size: int) -> str | None:
        p = self._p
        self.cursor.execute(
            f"SELECT note FROM ledger_checkpoint WHERE production_id = {p} AND size = {p}",
            (production_id, size),
        )
        row = self.cursor.fetchone()
        return None if row is None else str(row[0])

    def request_span(self, production_id: int, request: str) -> tuple[int, int] | None:
        p = self._p
        self.cursor.execute(
            f"SELECT first_seq, size FROM ledger_request WHERE production_id = {p} "
            f"AND request = {p}",
            (production_id, request),
        )
        row = self.cursor.fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def insert_entry(self, production_id: int, seq: int, body: bytes) -> None:
        p = self._p
        self.cursor.execute(
            f"INSERT INTO ledger_entry (production_id, seq, body) VALUES ({p}, {p}, {p})",
            (production_id, seq, body),
        )

    def insert_nodes(self, rows: Sequence[NodeRow]) -> None:
        p = self._p
        try:
            self.cursor.executemany(
                "INSERT INTO ledger_node (production_id, level, idx, hash) "
                f"VALUES ({p}, {p}, {p}, {p})",
                rows,
            )
        except self._duplicate as error:
            raise DuplicateRow(str(error)) from error

    def insert_checkpoint(self, production_id: int, size: int, note: str) -> None:
        p = self._p
        self.cursor.execute(
            f"INSERT INTO ledger_checkpoint (production_id, size, note) VALUES ({p}, {p}, {p})",
            (production_id, size, note),
        )

    def insert_request(self, production_id: int, request: str, first_seq: int, size: int) -> None:
        p = self._p
        self.cursor.execute(
            "INSERT INTO ledger_request (production_id, request, first_seq, size) "
            f"VALUES ({p}, {p}, {p}, {p})",
            (production_id, request, first_seq, size),
        )

    # -- the mention index -----------------------------------------------------------------

    def last_indexed(self, production_id: int) -> tuple[int, str | None]:
        p = self._p
        self.cursor.execute(
            f"SELECT seq, key FROM ledger_mention WHERE production_id = {p} AND key_kind = {p} "
            "ORDER BY key DESC, seq DESC LIMIT 1",
            (production_id, CLOCK),
        )
        row = self.cursor.fetchone()
        return (-1, None) if row is None else (int(row[0]), str(row[1]))

    def forget_mentions(self, production_id: int, start: int) -> None:
        p = self._p
        self.cursor.execute(
            f"DELETE FROM ledger_mention WHERE production_id = {p} AND seq >= {p}",
            (production_id, start),
        )

    def insert_mentions(self, rows: Sequence[MentionRow]) -> None:
        if not rows:
            return
        p = self._p
        self.cursor.executemany(
            "INSERT INTO ledger_mention (production_id, key_kind, key, seq, recorded_at, kind) "
            f"VALUES ({p}, {p}, {p}, {p}, {p}, {p})",
            rows,
        )

    def first_clock_from(self, production_id: int, since: str) -> int | None:
        p = self._p
        self.cursor.execute(
            f"SELECT seq FROM ledger_mention WHERE production_id = {p} AND key_kind = {p} "
            f"AND key >= {p} ORDER BY key, seq LIMIT 1",
            (production_id, CLOCK, since),
        )
        row = self.cursor.fetchone()
        return None if row is None else int(row[0])

    def last_clock_until(self, production_id: int, until: str) -> int | None:
        p = self._p
        self.cursor.execute(
            f"SELECT seq FROM ledger_mention WHERE production_id = {p} AND key_kind = {p} "
            f"AND key <= {p} ORDER BY key DESC, seq DESC LIMIT 1",
            (production_id, CLOCK, until),
        )
        row = self.cursor.fetchone()
        return None if row is None else int(row[0])

    def last_late_until(self, production_id: int, until: str) -> int | None:
        p = self._p
        self.cursor.execute(
            f"SELECT MAX(seq) FROM ledger_mention WHERE production_id = {p} "
            f"AND key_kind = {p} AND key <= {p}",
            (production_id, LATE, until),
        )
        row = self.cursor.fetchone()
        return None if row is None or row[0] is None else int(row[0])


class SqlStore(LedgerStore):
    """A :class:`LedgerStore` on a SQL database, through one DB-API connection."""

    #: DB-API parameter placeholder of the backend.
    placeholder = "?"
    #: The driver's error for a row whose key is already stored.
    duplicate: type[Exception] = Exception

    def __init__(self) -> None:
        super().__init__()
        #: One connection, many threads (the web server's): each transaction or read takes
        #: its turn, so no thread begins, reads or rolls back inside another's transaction.
        self._turn = threading.RLock()

    # -- what each SQL backend provides ----------------------------------------------------

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

    @staticmethod
    @abc.abstractmethod
    def _json_text(column: str, path: tuple[str, ...]) -> str:
        """SQL for the text at ``path`` in the JSON entry bytes of ``column`` (NULL if absent
        or if the bytes are not JSON)."""

    # -- the contract's tables -------------------------------------------------------------

    @contextmanager
    def _writing_tables(self, production_id: int | None) -> Iterator[SqlTables]:
        with self._transaction(production_id) as cursor:
            yield SqlTables(cursor, self.placeholder, self.duplicate)

    @contextmanager
    def _reading_tables(self) -> Iterator[SqlTables]:
        with self._reading() as cursor:
            yield SqlTables(cursor, self.placeholder, self.duplicate)

    def _new_production(
        self, tables: Any, name: str, slug: str, origin: str, created_at: str
    ) -> int:
        cursor = tables.cursor
        p = self.placeholder
        cursor.execute(
            f"SELECT name FROM ledger_production WHERE name = {p} OR slug = {p} OR origin = {p}",
            (name, slug, origin),
        )
        if cursor.fetchone() is not None:
            raise ProductionExistsError(f"a production named {name!r} already exists")
        return self._insert_production(cursor, name, slug, origin, created_at)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Make every read inside the block see one consistent state of the database."""
        with self._reading():
            yield

    # -- history reads -----------------------------------------------------------------------

    def checkpoint_sizes(self, production: Production) -> list[int]:
        """The size of every stored checkpoint, smallest first."""
        p = self.placeholder
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT {_SIZE} FROM ledger_checkpoint WHERE production_id = {p} ORDER BY size",
                (production.id,),
            )
            return [int(row[0]) for row in cursor.fetchall()]

    def productions(self) -> list[Production]:
        """Every production, oldest first."""
        with self._reading() as cursor:
            cursor.execute(
                "SELECT id, name, slug, origin, created_at FROM ledger_production ORDER BY id"
            )
            return [Production(*row) for row in cursor.fetchall()]

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
        """``(seq, canonical bytes)`` of the entries naming ``key`` as a ``key_kind`` (see
        :meth:`LedgerStore.named`), read with an index range scan."""
        p = self.placeholder
        with self._reading() as cursor:
            if since is not None or until is not None:
                tables = SqlTables(cursor, p, self.duplicate)
                window = seq_window(tables, production.id, since, until)
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
        """``(seq, kind, *values)`` of the entries of ``kinds`` naming ``key`` (see
        :meth:`LedgerStore.named_fields`), read by the database, not Python."""
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
