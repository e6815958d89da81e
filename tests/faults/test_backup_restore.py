"""``showclear backup`` while the server records, and ``showclear restore``: the restored ledger
verifies and is the one the backup's checkpoint seals; an old backup restored and carried on
with is caught by a witness's newer checkpoint; a restore never runs over a production, under a
running server, or half way.

On PostgreSQL each test has a database of its own (not a schema of the shared test database): a
restore refuses while other sessions use the database, and other tests' sessions would.
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from fault_server import (
    KillableServer,
    api,
    init_production,
    make_token,
    run_showclear,
    showclear_env,
)


@dataclass
class Place:
    """A data directory and its database (SQLite in it, or a PostgreSQL database of its own)."""

    backend: str
    data_dir: Path
    env: dict[str, str]

    def showclear(self, *args: str) -> tuple[int, str]:
        ran = run_showclear(self.env, *args)
        return ran.returncode, ran.stdout + ran.stderr


@pytest.fixture
def place(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """A fresh place on the backend under test (the root conftest's ``backend``)."""
    data_dir = tmp_path / "data"
    if backend == "sqlite":
        yield Place(backend, data_dir, showclear_env(data_dir))
        return
    server = request.getfixturevalue("postgres_server")
    name = f"showclear_backup_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    url = urlunsplit(urlsplit(server)._replace(path=f"/{name}", query=""))
    yield Place(backend, data_dir, showclear_env(data_dir, url))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _record(base: str, slug: str, token: str, course: str) -> int:
    answer = api(
        base,
        "POST",
        f"/productions/{slug}/commands/record-training",
        token=token,
        body={"person_id": "person-1", "course": course, "completed_on": "2024-01-01"},
        key=str(uuid.uuid4()),
    )
    assert answer.status == 201, answer
    return int(answer.body["entries"][-1]["seq"])


def _size_and_root(said: str) -> tuple[int, str]:
    found = re.search(r"([\d,]+) (?:entry|entries)[^\n]*root (\S+)", said)
    assert found, said
    return int(found.group(1).replace(",", "")), found.group(2).rstrip(",;")


def test_a_backup_taken_while_the_server_records_restores_intact_and_an_old_one_is_caught(
    place: Place, tmp_path: Path
) -> None:
    slug = init_production(place.env, "Backup Western")
    token = make_token(place.env, slug, "scanner")
    server = KillableServer(place.env, tmp_path / "serve.log")
    server.start()
    stop = threading.Event()
    recorded: list[int] = []

    def keep_recording() -> None:
        while not stop.is_set():
            recorded.append(_record(server.base, slug, token, f"drill {len(recorded)}"))

    recorder = threading.Thread(target=keep_recording)
    try:
        recorder.start()
        while len(recorded) < 5:
            threading.Event().wait(0.05)
        out = tmp_path / "backups" / "monday.backup"
        out.parent.mkdir()
        code, said = place.showclear("backup", "--out", str(out))
        threading.Event().wait(0.5)  # the set records on after the backup
        stop.set()
        recorder.join()
        assert code == 0, said
        backed_size, backed_root = _size_and_root(said)
        assert backed_size > 5, "the backup holds what was recorded before it"
        assert backed_size < recorded[-1] + 1, "the set went on recording after the backup"
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600, "owner-only: it holds hashes"
        assert not [p for p in out.parent.iterdir() if p != out], "no partial file left behind"
        _, witness = place.showclear("checkpoint")  # the producer keeps tonight's checkpoint
        witness_file = tmp_path / "witness.txt"
        witness_file.write_text(witness)
        code, said = place.showclear("restore", str(out), "--force")
        assert code == 2, "the server is running"
        assert "server is running" in said
    finally:
        stop.set()
        server.stop()

    code, said = place.showclear("restore", str(out))
    assert code == 2, said
    assert "not empty" in said
    assert "--force" in said

    code, said = place.showclear("restore", str(out), "--force")
    assert code == 0, said
    assert said.startswith(f"Restored {out}")
    assert _size_and_root(said) == (backed_size, backed_root), "the backup's own checkpoint"
    code, verified = place.showclear("verify")
    assert code == 0, verified
    assert _size_and_root(verified) == (backed_size, backed_root)
    _, latest = place.showclear("checkpoint")
    assert f"\n{backed_size}\n{backed_root}\n" in latest

    # Carry on from the old backup: the witness's newer checkpoint says entries went missing.
    code, said = place.showclear("verify", "--against", str(witness_file))
    assert code == 1, said
    assert "NOT INTACT" in said
    server.start()
    try:
        for n in range(recorded[-1] + 2 - backed_size):
            _record(server.base, slug, token, f"after the restore {n}")
    finally:
        server.stop()
    code, said = place.showclear("verify")
    assert code == 0, "the ledger is intact in itself"
    code, said = place.showclear("verify", "--against", str(witness_file))
    assert code == 1, said
    assert "NOT INTACT" in said


def test_a_restore_that_fails_part_way_leaves_the_database_as_it_was(
    place: Place, tmp_path: Path
) -> None:
    slug = init_production(place.env, "Backup Western")
    code, said = place.showclear("backup", "--out", str(tmp_path / "whole.backup"))
    assert code == 0, said
    whole = (tmp_path / "whole.backup").read_bytes()
    cut = tmp_path / "cut.backup"
    if place.backend == "sqlite":
        cut.write_bytes(whole[: len(whole) * 3 // 4])  # a copy that stopped three quarters in
    else:
        # A whole archive, but the database holds a table of someone else's in the schema the
        # archive drops and makes anew: pg_restore gets past dropping Showclear's tables, then
        # fails on the schema, part way through.
        cut.write_bytes(whole)
        with psycopg.connect(place.env["SHOWCLEAR_DATABASE_URL"], autocommit=True) as other:
            other.execute("CREATE TABLE someone_elses_notes (line text)")
    token = make_token(place.env, slug, "scanner")
    server = KillableServer(place.env, tmp_path / "serve.log")
    server.start()
    try:
        _record(server.base, slug, token, "first aid")
    finally:
        server.stop()
    _, before = place.showclear("verify")

    code, said = place.showclear("restore", str(cut), "--force")

    assert code == 2, said
    if place.backend == "postgres":  # it got part way, and rolled all of it back
        assert "pg_restore (nothing was changed) failed" in said, said
        assert "cannot drop schema public" in said, said
    else:  # the copy is checked before the database is touched
        assert "nothing was restored" in said, said
    code, after = place.showclear("verify")
    assert code == 0, after
    assert after == before, "the database is exactly as it was"


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_kind_of_database(
    place: Place, tmp_path: Path
) -> None:
    init_production(place.env, "Backup Western")
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    code, said = place.showclear("restore", str(text), "--force")
    assert code == 2
    assert "is not a Showclear backup" in said
    other = tmp_path / "other.backup"
    if place.backend == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(100))
        expected = "is a PostgreSQL backup, but Showclear is set up for SQLite"
    else:
        other.write_bytes(b"SQLite format 3\x00" + bytes(100))
        expected = "is a SQLite backup, but Showclear is set up for PostgreSQL"
    code, said = place.showclear("restore", str(other), "--force")
    assert code == 2
    assert expected in said


def test_a_backup_of_an_altered_ledger_is_not_restored(tmp_path: Path) -> None:
    """On SQLite, where a backup is a database file anyone can open and edit."""
    place = Place("sqlite", tmp_path / "data", showclear_env(tmp_path / "data"))
    init_production(place.env, "Backup Western")
    out = tmp_path / "altered.backup"
    code, said = place.showclear("backup", "--out", str(out))
    assert code == 0, said
    with closing(sqlite3.connect(out)) as altered, altered:
        altered.execute("DROP TRIGGER ledger_entry_refuse_update")
        altered.execute("UPDATE ledger_entry SET body = replace(body, 'Hannah', 'Hanna')")
    target = Place("sqlite", tmp_path / "elsewhere", showclear_env(tmp_path / "elsewhere"))
    target.data_dir.mkdir(mode=0o700)

    code, said = target.showclear("restore", str(out))

    assert code == 1, said
    assert "the backup's ledger is NOT INTACT" in said
    assert "nothing was restored" in said
    assert not (target.data_dir / "showclear.sqlite3").exists(), "nothing was restored"
