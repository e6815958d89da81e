"""The store contract: the same tests, word for word, on SQLite, on PostgreSQL and in memory
(a test about SQL or other processes runs on the databases only: ``ON_DATABASES``)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import psycopg
import pytest

from backends import MEMORY, ON_DATABASES
from showclear.core.ledger.merkle import (
    frontier_nodes,
    leaf_hash,
    prove_consistency,
    prove_inclusion,
    verify_consistency,
    verify_inclusion,
)
from showclear.core.ledger.note import NoteSigner
from showclear.core.ledger.seal import LedgerTampered, wanted_nodes
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store.base import StoreError

WORKER = Path(__file__).with_name("append_worker.py")
CREATOR = Path(__file__).with_name("create_worker.py")


def test_appends_get_contiguous_sequence_numbers_after_the_genesis_entry(ledger) -> None:
    singles = ledger.record(3)
    batched = ledger.record(7, per_append=4)

    given = [entry.seq for entry in singles + batched]
    assert given == list(range(1, 11))
    assert ledger.size == 11
    stored = ledger.entries()
    assert [entry.seq for entry in stored] == list(range(11))
    assert stored[0].kind == "production.created"
    assert stored[1:] == singles + batched


def test_an_entry_reads_back_byte_for_byte_as_it_was_sealed(ledger) -> None:
    (entry,) = ledger.record(1)

    assert ledger.store.entry(ledger.production, entry.seq) == entry.encode()
    assert ledger.store.entry(ledger.production, entry.seq + 1) is None


def test_every_committed_append_stores_a_signed_checkpoint_and_every_one_is_kept(ledger) -> None:
    ledger.record(2)
    ledger.record(3, per_append=3)
    ledger.record(1)

    checkpoints = ledger.checkpoints()
    assert sorted(checkpoints) == [1, 2, 3, 6, 7]
    for size, note in checkpoints.items():
        opened = ledger.opened(note)
        assert (opened.origin, opened.size) == (ledger.production.origin, size)
    assert ledger.store.latest_checkpoint(ledger.production) == checkpoints[7]
    assert ledger.verify().checkpoints == 5


def test_the_checkpoint_an_append_returns_is_the_one_stored(ledger) -> None:
    with ledger.store.writing(ledger.production, ledger.signer) as log:
        ledger.append(log)
        ledger.append(log)

    assert log.sealed is not None
    assert log.sealed.size == 3
    assert ledger.checkpoints()[3] == log.sealed.checkpoint


def test_a_writing_block_that_appends_nothing_issues_no_checkpoint(ledger) -> None:
    with ledger.store.writing(ledger.production, ledger.signer) as log:
        pass

    assert log.sealed is None
    assert sorted(ledger.checkpoints()) == [1]
    assert ledger.size == 1


def test_an_exception_inside_writing_records_nothing(ledger) -> None:
    ledger.record(4)
    before = (ledger.size, ledger.checkpoints())

    class Interrupted(Exception):
        pass

    def append_then_fail() -> None:
        with ledger.store.writing(ledger.production, ledger.signer) as log:
            ledger.append(log)
            ledger.append(log)
            raise Interrupted

    with pytest.raises(Interrupted):
        append_then_fail()

    assert (ledger.size, ledger.checkpoints()) == before
    assert ledger.store.entry(ledger.production, 5) is None
    assert ledger.store.read_nodes(ledger.production, [(0, 5), (0, 6)]) == {}
    (next_entry,) = ledger.record(1)
    assert next_entry.seq == 5
    assert ledger.verify().entries == 6


def test_a_signing_key_of_another_ledger_is_refused_and_nothing_is_recorded(ledger) -> None:
    stranger = NoteSigner.generate("showclear/other-show/00000000")

    with (
        pytest.raises(StoreError, match="does not belong"),
        ledger.store.writing(ledger.production, stranger) as log,
    ):
        ledger.append(log)

    assert ledger.size == 1
    assert sorted(ledger.checkpoints()) == [1]
    ledger.verify()


def _plant_node(database, ledger, level: int, idx: int, value: bytes) -> None:
    """Store a Merkle node behind Showclear's back (raw SQL, or the memory store's rows)."""
    if database.backend == MEMORY:
        ledger.store.memory.logs[ledger.production.id].nodes[(level, idx)] = value
        return
    with database.raw() as sql:
        sql.execute(
            "INSERT INTO ledger_node (production_id, level, idx, hash) VALUES (?, ?, ?, ?)",
            (ledger.production.id, level, idx, value),
        )


def test_a_node_stored_before_its_entry_refuses_the_append_and_nothing_is_recorded(
    ledger, database
) -> None:
    ledger.record(3)
    before = (ledger.size, ledger.checkpoints())
    _plant_node(database, ledger, 0, 4, bytes(32))

    with (
        pytest.raises(LedgerTampered, match="added outside Showclear") as refused,
        ledger.store.writing(ledger.production, ledger.signer) as log,
    ):
        ledger.append(log)

    assert refused.value.seq == 4
    assert (ledger.size, ledger.checkpoints()) == before
    assert ledger.store.entry(ledger.production, 4) is None


def test_the_head_is_the_size_the_newest_checkpoint_and_the_nodes_that_tie_them(ledger) -> None:
    ledger.record(6, per_append=2)
    head = ledger.store.head(ledger.production)

    assert head.size == ledger.size == 7
    assert head.newest == (7, ledger.store.latest_checkpoint(ledger.production))
    assert set(head.nodes) == set(wanted_nodes(head.newest))
    with ledger.store.writing(ledger.production, ledger.signer) as log:
        assert log.head() == head
        assert log.checkpoint_within(2, 6) == (5, ledger.checkpoints()[5])
        assert [size for size, _ in log.checkpoints_between(1, 7)] == [3, 5, 7]
    assert ledger.store.checkpoint_within(ledger.production, 7, 100) is None
    assert ledger.store.checkpoint_sizes(ledger.production) == [1, 3, 5, 7]


def test_an_append_for_a_request_is_read_back_and_the_request_is_never_recorded_twice(
    ledger,
) -> None:
    ledger.record(2)
    with ledger.store.writing(ledger.production, ledger.signer, request="tablet/key-1") as log:
        assert log.recorded_before() is None
        first = [ledger.append(log), ledger.append(log)]
    recorded = ledger.store.recorded_for(ledger.production, "tablet/key-1")

    assert recorded is not None
    assert (list(recorded.entries), recorded.size) == (first, 5)
    assert recorded.checkpoint == ledger.checkpoints()[5]
    assert ledger.store.recorded_for(ledger.production, "tablet/key-2") is None
    with ledger.store.writing(ledger.production, ledger.signer, request="tablet/key-1") as log:
        assert log.recorded_before() == recorded
    with (
        pytest.raises(StoreError),
        ledger.store.writing(ledger.production, ledger.signer, request="tablet/key-1") as log,
    ):
        ledger.append(log)
    assert ledger.size == 5
    assert sorted(ledger.checkpoints()) == [1, 2, 3, 5]


def test_a_second_store_on_the_same_database_sees_every_commit_at_once(ledger, database) -> None:
    other = database.open_store()
    try:
        ledger.record(2)
        assert other.size(ledger.production) == 3
        assert other.productions() == [ledger.production]
        with other.writing(ledger.production, ledger.signer) as log:
            assert ledger.append(log).seq == 3
        assert ledger.size == 4
        assert ledger.verify().entries == 4
    finally:
        other.close()


def test_inclusion_proofs_from_stored_nodes_verify_against_every_signed_root(ledger) -> None:
    ledger.record(12)
    ledger.record(10, per_append=5)
    ledger.record(12)
    read = partial(ledger.store.read_nodes, ledger.production)
    leaves = [leaf_hash(entry.encode()) for entry in ledger.entries()]

    checked = 0
    for size, note in ledger.checkpoints().items():
        root = ledger.opened(note).root
        for index in range(size):
            verify_inclusion(index, size, leaves[index], prove_inclusion(index, size, read), root)
            checked += 1

    assert checked == sum(ledger.checkpoints())


def test_consistency_proofs_from_stored_nodes_verify_between_every_two_signed_roots(
    ledger,
) -> None:
    ledger.record(12)
    ledger.record(10, per_append=5)
    ledger.record(12)
    read = partial(ledger.store.read_nodes, ledger.production)
    roots = {size: ledger.opened(note).root for size, note in ledger.checkpoints().items()}

    pairs = [(old, new) for old in roots for new in roots if old < new]
    for old, new in pairs:
        proof = prove_consistency(old, new, read)
        verify_consistency(old, new, roots[old], roots[new], proof)

    assert len(roots) == 27  # every size from 1 to 35 but those inside the two 5-entry appends
    assert len(pairs) == 351


TABLE_COLUMN = {
    "ledger_production": "name",
    "ledger_entry": "body",
    "ledger_node": "hash",
    "ledger_checkpoint": "note",
}


def _statement(backend: str, table: str, action: str) -> str:
    """The SQL that would change ``table`` by ``action``; fixed names only, no input."""
    column = TABLE_COLUMN[table]
    key = "id" if table == "ledger_production" else "production_id"
    if action == "update":
        return f"UPDATE {table} SET {column} = {column}"  # noqa: S608
    if action == "delete":
        return f"DELETE FROM {table} WHERE {key} = 1"  # noqa: S608
    # SQLite has no TRUNCATE: a DELETE without WHERE is its whole-table wipe.
    return f"TRUNCATE {table} CASCADE" if backend == "postgres" else f"DELETE FROM {table}"  # noqa: S608


@pytest.mark.parametrize(**ON_DATABASES)
@pytest.mark.parametrize("action", ["update", "delete", "truncate"])
@pytest.mark.parametrize("table", list(TABLE_COLUMN))
def test_the_database_refuses_to_update_delete_or_truncate_any_ledger_table(
    ledger, database, table: str, action: str
) -> None:
    ledger.record(3)
    with database.raw() as sql:
        (rows_before,) = sql.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608

    with (
        pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"),
        database.raw() as sql,
    ):
        sql.execute(_statement(database.backend, table, action))

    with database.raw() as sql:
        assert sql.execute(f"SELECT COUNT(*) FROM {table}") == [rows_before]  # noqa: S608
    assert ledger.verify().entries == 4


def _start_appending(database, ledger, writer: str, count: int) -> subprocess.Popen[str]:
    """Another process, with its own connection, ready to append ``count`` entries."""
    worker = subprocess.Popen(
        [
            sys.executable,
            str(WORKER),
            database.url,
            str(database.data_dir),
            ledger.production.name,
            writer,
            str(count),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "ready"
    return worker


def _go(*workers: subprocess.Popen[str]) -> None:
    """Let every worker start appending at once."""
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()


@pytest.mark.parametrize(**ON_DATABASES)
def test_two_processes_appending_at_once_leave_one_contiguous_log(ledger, database) -> None:
    per_worker = 30
    workers = [
        _start_appending(database, ledger, writer, per_worker)
        for writer in ("armory-tablet", "set-phone")
    ]
    _go(*workers)
    outputs = [worker.communicate(timeout=120) for worker in workers]

    for worker, (_, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, stderr
    given = [sorted(map(int, out.split())) for out, _ in outputs]
    assert sorted(given[0] + given[1]) == list(range(1, 2 * per_worker + 1))
    assert given[0] != list(range(given[0][0], given[0][0] + per_worker)), (
        "the two workers never took turns: this run did not test concurrent appends"
    )
    entries = ledger.entries()
    for writer, seqs in zip(("armory-tablet", "set-phone"), given, strict=True):
        mine = [entry for entry in entries if entry.payload.get("writer") == writer]
        assert [entry.seq for entry in mine] == seqs
        assert [entry.payload["pass"] for entry in mine] == list(range(per_worker))
    assert sorted(ledger.checkpoints()) == list(range(1, 2 * per_worker + 2))
    assert ledger.verify().entries == 2 * per_worker + 1


@pytest.mark.parametrize(**ON_DATABASES)
# Whether the two collide is a matter of timing: three tries catch a race nearly every time.
@pytest.mark.parametrize("attempt", range(3))
def test_two_processes_creating_one_production_at_once_leave_it_with_its_own_key(
    make_database, attempt: int
) -> None:
    database = make_database(f"race-{attempt}")
    creators = [
        subprocess.Popen(
            [sys.executable, str(CREATOR), database.url, str(database.data_dir), "The Crow"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for creator in creators:
        assert creator.stdout is not None
        assert creator.stdout.readline().strip() == "ready"
    _go(*creators)
    outcomes = sorted(creator.communicate(timeout=120)[0].strip() for creator in creators)

    assert outcomes[0].startswith("created "), outcomes
    assert outcomes[1].startswith("refused "), outcomes
    assert "already exists" in outcomes[1]
    store = database.open_store()
    try:
        service = Service(store=store, keyring=Keyring(database.data_dir))
        (production,) = store.productions()
        assert production.origin == outcomes[0].removeprefix("created ")
        assert service.signer(production).name == production.origin
        assert service.verify(production).entries == 1
    finally:
        store.close()


def test_a_restarted_store_sees_the_same_size_and_root(ledger, database) -> None:
    ledger.record(9, per_append=2)
    size, root = ledger.size, ledger.verify().root
    ledger.store.close()

    reopened = database.open_store()
    try:
        assert reopened.size(ledger.production) == size == 10
        latest = reopened.latest_checkpoint(ledger.production)
        assert latest is not None
        assert ledger.opened(latest).root == root
        stored = reopened.read_nodes(ledger.production, frontier_nodes(size))
        assert set(stored) == set(frontier_nodes(size))
        with reopened.writing(ledger.production, ledger.signer) as log:
            assert ledger.append(log).seq == size
        service = Service(store=reopened, keyring=ledger.service.keyring)
        assert service.verify(ledger.production).entries == size + 1
    finally:
        reopened.close()


def test_each_production_keeps_its_own_log(ledger, new_ledger) -> None:
    other = new_ledger("The Crow")
    ledger.record(5)
    other.record(2)

    assert (ledger.size, other.size) == (6, 3)
    assert ledger.verify().entries == 6
    assert other.verify().entries == 3
    assert ledger.verify().root != other.verify().root


@pytest.mark.parametrize(**ON_DATABASES)
def test_verify_while_another_process_appends_sees_one_consistent_state(ledger, database) -> None:
    worker = _start_appending(database, ledger, "set-phone", 150)
    _go(worker)
    deadline = time.monotonic() + 120

    seen = []
    while (worker.poll() is None or not seen) and time.monotonic() < deadline:
        seen.append(ledger.verify().entries)
    _, stderr = worker.communicate(timeout=120)

    assert worker.returncode == 0, stderr
    assert seen == sorted(seen)
    assert ledger.verify().entries == 151


def test_an_append_committed_while_verify_reads_is_not_half_seen(
    ledger, database, monkeypatch
) -> None:
    ledger.record(3)
    other_process = database.open_store()
    read_size = ledger.store.size
    interleaved = []

    def size_then_another_process_appends(production):
        size = read_size(production)
        interleaved.append(size)
        with other_process.writing(production, ledger.signer) as log:
            ledger.append(log)
        return size

    monkeypatch.setattr(ledger.store, "size", size_then_another_process_appends)
    try:
        assert ledger.verify().entries == 4
    finally:
        other_process.close()
    assert interleaved == [4]
    monkeypatch.undo()
    assert ledger.verify().entries == 5
