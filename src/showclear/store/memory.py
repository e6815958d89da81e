"""The ledger store in this process's memory: Python dicts and lists, no database.

For tests (and tools) where a database adds nothing. It keeps the same contract as the SQL
backends and passes the same contract tests: contiguous sequence numbers, one signed checkpoint
per committed append, a refused duplicate Merkle node (:class:`~showclear.core.ledger.seal.
LedgerTampered`), requests recorded once, the mention index with its clock. A transaction holds
the database's lock and keeps an undo list: when its block raises, every row it wrote is taken
back, so nothing of it is ever seen.

``open_store("memory:NAME")`` opens the database NAME of this process (made on first use), so a
second store on the same URL sees what the first recorded, as a second connection would;
``memory:`` alone is a new database of its own. Nothing survives the process: durability,
SQL, locking between processes and the database's own triggers are the SQL backends' to test.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    StoreError,
)
from showclear.store.mentions import CLOCK, LATE, seq_window

SCHEME = "memory:"


@dataclass
class Log:
    """One production's rows."""

    production: Production
    entries: dict[int, bytes] = field(default_factory=dict)
    nodes: dict[NodeId, bytes] = field(default_factory=dict)
    checkpoints: dict[int, str] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=list)
    """The checkpoints' sizes, sorted."""
    mentions: dict[tuple[str, str], dict[int, tuple[str, str]]] = field(default_factory=dict)
    """``(key_kind, key)`` to ``{seq: (recorded_at, kind)}``."""
    clock: list[tuple[str, int]] = field(default_factory=list)
    """The :data:`CLOCK` rows as ``(key, seq)``, sorted."""
    late: list[tuple[str, int]] = field(default_factory=list)
    """The :data:`LATE` rows as ``(key, seq)``, sorted."""
    requests: dict[str, tuple[int, int]] = field(default_factory=dict)
    top: int = 0
    """One past the highest seq (0 when empty)."""

    def copy(self) -> Log:
        """A copy of every row (the bytes are shared: they never change)."""
        return Log(
            self.production,
            dict(self.entries),
            dict(self.nodes),
            dict(self.checkpoints),
            list(self.sizes),
            {name: dict(rows) for name, rows in self.mentions.items()},
            list(self.clock),
            list(self.late),
            dict(self.requests),
            self.top,
        )

    def put_entry(self, seq: int, body: bytes) -> None:
        """Keep one entry."""
        self.entries[seq] = body
        self.top = max(self.top, seq + 1)

    def take_entry(self, seq: int) -> None:
        """Take one entry back."""
        self.entries.pop(seq, None)
        if seq + 1 >= self.top:
            self.top = max(self.entries, default=-1) + 1


@dataclass
class Memory:
    """One in-memory database: every production's rows and the credential tables."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    logs: dict[int, Log] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    #: The credential tables (:mod:`showclear.store.credentials`), keyed like their SQL ones.
    credentials: dict[tuple[int, str, str], dict[str, Any]] = field(default_factory=dict)
    presences: dict[str, dict[str, Any]] = field(default_factory=dict)
    throttles: dict[str, list[float]] = field(default_factory=dict)

    def copy(self) -> Memory:
        """The ledger's rows as they are now (for a snapshot; no credentials)."""
        return Memory(logs={pid: log.copy() for pid, log in self.logs.items()})


_DATABASES: dict[str, Memory] = {}
_NAMES = itertools.count()
_OPENING = threading.Lock()


def database(name: str) -> Memory:
    """The in-memory database ``name`` of this process, made on first use."""
    with _OPENING:
        return _DATABASES.setdefault(name, Memory())


def drop(name: str) -> None:
    """Forget the in-memory database ``name`` (its stores still hold what they had)."""
    with _OPENING:
        _DATABASES.pop(name, None)


def _log_of(memory: Memory, production: Production) -> Log:
    log = memory.logs.get(production.id)
    if log is None:
        raise StoreError(f"no production with id {production.id}")
    return log


class MemoryTables:
    """One transaction's (or snapshot's) view of a :class:`Memory`; writes keep an undo."""

    def __init__(self, memory: Memory, undo: list[Callable[[], object]] | None = None) -> None:
        self.memory = memory
        self._undo = undo

    def _log(self, production_id: int) -> Log:
        log = self.memory.logs.get(production_id)
        if log is None:
            raise StoreError(f"no production with id {production_id}")
        return log

    def _done(self, undo: Callable[[], object]) -> None:
        if self._undo is None:
            raise StoreError("a read-only snapshot cannot write")
        self._undo.append(undo)

    # -- entries, nodes, checkpoints, requests ---------------------------------------------

    def size(self, production_id: int) -> int:
        return self._log(production_id).top

    def entries_between(self, production_id: int, start: int, end: int) -> list[bytes]:
        return [body for _, body in self.seqs_and_entries(production_id, start, end)]

    def seqs_and_entries(self, production_id: int, start: int, end: int) -> list[tuple[int, bytes]]:
        entries = self._log(production_id).entries
        return [(seq, entries[seq]) for seq in range(max(start, 0), end) if seq in entries]

    def read_nodes(self, production_id: int, wanted: Sequence[NodeId]) -> dict[NodeId, bytes]:
        nodes = self._log(production_id).nodes
        return {node: nodes[node] for node in set(wanted) if node in nodes}

    def newest_checkpoint(self, production_id: int) -> tuple[int, str] | None:
        log = self._log(production_id)
        return (log.sizes[-1], log.checkpoints[log.sizes[-1]]) if log.sizes else None

    def checkpoints_between(self, production_id: int, low: int, high: int) -> list[tuple[int, str]]:
        log = self._log(production_id)
        sizes = log.sizes[
            bisect.bisect_right(log.sizes, low) : bisect.bisect_right(log.sizes, high)
        ]
        return [(size, log.checkpoints[size]) for size in sizes]

    def checkpoint_within(self, production_id: int, low: int, high: int) -> tuple[int, str] | None:
        within = self.checkpoints_between(production_id, low, high)
        return within[-1] if within else None

    def checkpoint_note(self, production_id: int, size: int) -> str | None:
        return self._log(production_id).checkpoints.get(size)

    def request_span(self, production_id: int, request: str) -> tuple[int, int] | None:
        return self._log(production_id).requests.get(request)

    def insert_entry(self, production_id: int, seq: int, body: bytes) -> None:
        log = self._log(production_id)
        if seq < 0 or seq in log.entries:
            raise StoreError(f"the ledger refused the write, nothing was recorded: entry {seq}")
        log.put_entry(seq, bytes(body))
        self._done(lambda: log.take_entry(seq))

    def insert_nodes(self, rows: Sequence[NodeRow]) -> None:
        for production_id, level, idx, value in rows:
            nodes = self._log(production_id).nodes
            node = (level, idx)
            if node in nodes:
                raise DuplicateRow(f"ledger_node ({production_id}, {level}, {idx})")
            nodes[node] = bytes(value)
            self._done(functools.partial(nodes.pop, node, None))

    def insert_checkpoint(self, production_id: int, size: int, note: str) -> None:
        log = self._log(production_id)
        if size in log.checkpoints:
            raise StoreError(
                f"the ledger refused the write, nothing was recorded: checkpoint {size}"
            )
        log.checkpoints[size] = note
        bisect.insort(log.sizes, size)

        def undo() -> None:
            del log.checkpoints[size]
            log.sizes.remove(size)

        self._done(undo)

    def insert_request(self, production_id: int, request: str, first_seq: int, size: int) -> None:
        requests = self._log(production_id).requests
        if request in requests:
            raise StoreError(
                f"two writers collided on ledger_request; nothing was recorded: {request!r}"
            )
        requests[request] = (first_seq, size)
        self._done(lambda: requests.pop(request, None))

    # -- the mention index -----------------------------------------------------------------

    def last_indexed(self, production_id: int) -> tuple[int, str | None]:
        clock = self._log(production_id).clock
        return (clock[-1][1], clock[-1][0]) if clock else (-1, None)

    def forget_mentions(self, production_id: int, start: int) -> None:
        log = self._log(production_id)
        gone = [
            (name, seq, row)
            for name, rows in log.mentions.items()
            for seq, row in rows.items()
            if seq >= start
        ]
        for name, seq, _ in gone:
            self._remove_mention(log, name, seq)

        def undo() -> None:
            for name, seq, row in gone:
                self._add_mention(log, name, seq, row)

        self._done(undo)

    def insert_mentions(self, rows: Sequence[MentionRow]) -> None:
        added: list[tuple[Log, tuple[str, str], int]] = []
        try:
            for production_id, key_kind, key, seq, recorded_at, kind in rows:
                log = self._log(production_id)
                name = (key_kind, key)
                if seq in log.mentions.get(name, {}):
                    raise StoreError(
                        "the ledger refused the write, nothing was recorded: "
                        f"ledger_mention ({key_kind}, {key}, {seq})"
                    )
                self._add_mention(log, name, seq, (recorded_at, kind))
                added.append((log, name, seq))
        finally:

            def undo() -> None:
                for log, name, seq in reversed(added):
                    self._remove_mention(log, name, seq)

            self._done(undo)

    @staticmethod
    def _add_mention(log: Log, name: tuple[str, str], seq: int, row: tuple[str, str]) -> None:
        log.mentions.setdefault(name, {})[seq] = row
        if name[0] == CLOCK:
            bisect.insort(log.clock, (name[1], seq))
        elif name[0] == LATE:
            bisect.insort(log.late, (name[1], seq))

    @staticmethod
    def _remove_mention(log: Log, name: tuple[str, str], seq: int) -> None:
        rows = log.mentions[name]
        del rows[seq]
        if not rows:
            del log.mentions[name]
        if name[0] == CLOCK:
            log.clock.remove((name[1], seq))
        elif name[0] == LATE:
            log.late.remove((name[1], seq))

    def first_clock_from(self, production_id: int, since: str) -> int | None:
        clock = self._log(production_id).clock
        at = bisect.bisect_left(clock, (since, -1))
        return clock[at][1] if at < len(clock) else None

    def last_clock_until(self, production_id: int, until: str) -> int | None:
        clock = self._log(production_id).clock
        at = bisect.bisect_right(clock, (until, float("inf")))
        return clock[at - 1][1] if at > 0 else None

    def last_late_until(self, production_id: int, until: str) -> int | None:
        late = self._log(production_id).late
        return max((seq for key, seq in late if key <= until), default=None)


def _json_text(body: bytes, path: tuple[str, ...]) -> str | None:
    """The text at ``path`` in an entry's JSON bytes, as PostgreSQL's ``#>>`` gives it."""
    try:
        value: Any = json.loads(body)
    except ValueError:
        return None
    for step in path:
        if not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class MemoryStore(LedgerStore):
    """The ledger in this process's memory (see the module's description)."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        # Every database is named, so that a forked worker (``verify`` on a long log) that
        # opens this store's URL finds the rows as they were when it was forked.
        self.name = name or f"anonymous-{next(_NAMES)}"
        self.memory = database(self.name)
        self._frozen = threading.local()

    @property
    def url(self) -> str:
        """``memory:`` and the database's name (in this process only)."""
        return f"{SCHEME}{self.name}"

    def create_schema(self) -> None:
        """Nothing to create; catch the mention index up, as the SQL backends do."""
        self.index_mentions()

    def close(self) -> None:
        """Nothing to release: the rows stay with the database for other stores on it."""

    @contextmanager
    def _writing_tables(self, production_id: int | None) -> Iterator[MemoryTables]:
        with self.memory.lock:
            if production_id is not None and production_id not in self.memory.logs:
                raise StoreError(f"no production with id {production_id}")
            undo: list[Callable[[], object]] = []
            try:
                yield MemoryTables(self.memory, undo)
            except BaseException:
                for step in reversed(undo):
                    step()
                raise

    @contextmanager
    def _reads(self) -> Iterator[Memory]:
        """The database as this thread's reads see it (frozen inside :meth:`snapshot`), under
        its lock."""
        memory = getattr(self._frozen, "memory", None) or self.memory
        with memory.lock:
            yield memory

    @contextmanager
    def _reading_tables(self) -> Iterator[MemoryTables]:
        with self._reads() as memory:
            yield MemoryTables(memory)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Make every read of this thread inside the block see one consistent state: a copy
        of the rows as they were when it began, while other stores go on writing (as a SQL
        snapshot lets them)."""
        if getattr(self._frozen, "memory", None) is not None:
            yield
            return
        with self.memory.lock:
            self._frozen.memory = self.memory.copy()
        try:
            yield
        finally:
            self._frozen.memory = None

    def _new_production(
        self, tables: Any, name: str, slug: str, origin: str, created_at: str
    ) -> int:
        logs = self.memory.logs
        for log in logs.values():
            taken = log.production
            if name == taken.name or slug == taken.slug or origin == taken.origin:
                raise ProductionExistsError(f"a production named {name!r} already exists")
        pid = next(self.memory.ids)
        logs[pid] = Log(Production(pid, name, slug, origin, created_at))
        tables._done(lambda: logs.pop(pid, None))
        return pid

    # -- history reads -----------------------------------------------------------------------

    def checkpoint_sizes(self, production: Production) -> list[int]:
        """The size of every stored checkpoint, smallest first."""
        with self._reads() as memory:
            return list(_log_of(memory, production).sizes)

    def productions(self) -> list[Production]:
        """Every production, oldest first."""
        with self._reads() as memory:
            return [memory.logs[pid].production for pid in sorted(memory.logs)]

    def sequence_gap(self, production: Production) -> int | None:
        """The first missing sequence number below the highest one, if any."""
        with self._reads() as memory:
            seqs = _log_of(memory, production).entries
            if not seqs or (min(seqs) == 0 and max(seqs) == len(seqs) - 1):
                return None
            return next(seq for seq in itertools.count() if seq not in seqs)

    def entry_batches(self, production: Production, start: int = 0) -> Iterator[list[bytes]]:
        """The entries' canonical bytes in order, :data:`BATCH` at a time, from one snapshot."""
        with self._reads() as memory:
            entries = _log_of(memory, production).entries
            bodies = [entries[seq] for seq in sorted(entries) if seq >= start]
        for at in range(0, len(bodies), BATCH):
            yield bodies[at : at + BATCH]

    def entry(self, production: Production, seq: int) -> bytes | None:
        """One entry's canonical bytes."""
        with self._reads() as memory:
            return _log_of(memory, production).entries.get(seq)

    def checkpoints(
        self, production: Production, start: int = 0
    ) -> Generator[tuple[int, str], None, None]:
        """Every stored checkpoint ``(size, note)`` from ``start`` on, smallest first."""
        with self._reads() as memory:
            log = _log_of(memory, production)
            found = [(size, log.checkpoints[size]) for size in log.sizes if size >= start]
        yield from found

    def latest_checkpoint(self, production: Production) -> str | None:
        """The newest signed checkpoint."""
        with self._reads() as memory:
            log = _log_of(memory, production)
            return log.checkpoints[log.sizes[-1]] if log.sizes else None

    def leaf_hashes(self, production: Production, start: int, end: int) -> list[bytes | None]:
        """The leaf hashes stored for entries ``[start, end)``."""
        with self._reads() as memory:
            nodes = _log_of(memory, production).nodes
            return [nodes.get((0, seq)) for seq in range(start, end)]

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
        :meth:`LedgerStore.named`)."""
        with self._reads() as memory:
            log = _log_of(memory, production)
            if since is not None or until is not None:
                window = seq_window(MemoryTables(memory), production.id, since, until)
                if window is None:
                    return []
                after = max(after, window[0] - 1)
                upto = window[1] if upto is None else min(upto, window[1])
            rows = log.mentions.get((key_kind, key), {})
            others = [log.mentions.get(other, {}) for other in also]
            found = [
                seq
                for seq, (recorded_at, kind) in rows.items()
                if seq > after
                and (upto is None or seq <= upto)
                and (not kinds or kind in kinds)
                and (since is None or recorded_at >= since)
                and (until is None or recorded_at <= until)
                and all(seq in other for other in others)
                and seq in log.entries
            ]
            found.sort(reverse=newest_first)
            if limit is not None:
                found = found[: max(limit, 0)]
            return [(seq, log.entries[seq]) for seq in found]

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
        :meth:`LedgerStore.named_fields`); each value as PostgreSQL gives it (text or None)."""
        with self._reads() as memory:
            log = _log_of(memory, production)
            rows = log.mentions.get((key_kind, key), {})
            found = sorted(
                seq
                for seq, (_, kind) in rows.items()
                if seq > after
                and (upto is None or seq <= upto)
                and kind in kinds
                and seq in log.entries
            )
            return [
                (seq, rows[seq][1], *(_json_text(log.entries[seq], path) for path in paths))
                for seq in found
            ]

    def entries_at(self, production: Production, seqs: Sequence[int]) -> list[tuple[int, bytes]]:
        """``(seq, canonical bytes)`` of the entries at ``seqs`` that exist, in seq order."""
        with self._reads() as memory:
            entries = _log_of(memory, production).entries
            return [(seq, entries[seq]) for seq in sorted(set(seqs)) if seq in entries]

    def entry_rows(
        self, production: Production, *, after: int = -1, upto: int | None = None, limit: int
    ) -> list[tuple[int, bytes]]:
        """Up to ``limit`` ``(seq, canonical bytes)`` after seq ``after`` (to ``upto``)."""
        with self._reads() as memory:
            entries = _log_of(memory, production).entries
            found = sorted(seq for seq in entries if seq > after and (upto is None or seq <= upto))[
                : max(limit, 0)
            ]
            return [(seq, entries[seq]) for seq in found]
