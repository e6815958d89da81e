"""The ledger store on SQLite: one file, WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``.

``BEGIN IMMEDIATE`` takes SQLite's write lock when the transaction starts, so two processes
appending at once queue up (``busy_timeout``) rather than one failing half-way. With
``synchronous=FULL`` in WAL mode a commit returns only after the WAL is fsynced.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from showclear.config import owner_only_database
from showclear.store import credentials
from showclear.store.base import StoreError
from showclear.store.sql import SqlStore

BUSY_SECONDS = 30
"""How long an append waits for another process's write lock before it gives up (the API then
answers 503, nothing recorded)."""

PRAGMAS = (
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)

WAL_SWITCH_SECONDS = 30.0
"""How long to keep trying to put a new database file into WAL mode while others open it."""

APPEND_ONLY = ("ledger_production", "ledger_entry", "ledger_node", "ledger_checkpoint")

SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_production (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_entry (
    production_id INTEGER NOT NULL REFERENCES ledger_production (id),
    seq INTEGER NOT NULL CHECK (seq >= 0),
    body BLOB NOT NULL,
    PRIMARY KEY (production_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger_node (
    production_id INTEGER NOT NULL REFERENCES ledger_production (id),
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (production_id, level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger_checkpoint (
    production_id INTEGER NOT NULL REFERENCES ledger_production (id),
    size INTEGER NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (production_id, size)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger_mention (
    production_id INTEGER NOT NULL,
    key_kind TEXT NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (production_id, key_kind, key, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger_request (
    production_id INTEGER NOT NULL REFERENCES ledger_production (id),
    request TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (production_id, request)
) WITHOUT ROWID;
"""
# ledger_request (what each named request recorded, see store/base.py) is no part of the proof.
# ledger_mention is derived from ledger_entry (see store/mentions.py) and so carries no append-only
# triggers: it is caught up, and forgets rows of entries removed by hand, from the log itself.


def _triggers() -> str:
    statements = []
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_{action.lower()} "
                f"BEFORE {action} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'the Showclear ledger is append-only: {action} on {table} "
                "is refused'); END;"
            )
    return "\n".join(statements)


class SqliteStore(SqlStore):
    """The ledger on a SQLite file."""

    placeholder = "?"
    duplicate = sqlite3.IntegrityError

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            owner_only_database(self.path)
            self._connection = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS
            )
            self._connection.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            for pragma in PRAGMAS:
                self._connection.execute(pragma)
            self._use_wal()
            owner_only_database(self.path)  # the -wal and -shm files WAL mode just made
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the database {self.path}: {error}") from error

    def _use_wal(self) -> None:
        # Switching a new file to WAL needs a moment alone with it, and SQLite answers "locked"
        # at once (without waiting) when another process is opening it too: try again briefly.
        deadline = time.monotonic() + WAL_SWITCH_SECONDS
        while True:
            try:
                mode = self._connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
                continue
            if str(mode).lower() != "wal":
                raise StoreError(f"the database {self.path} cannot run in WAL mode ({mode})")
            return

    @property
    def url(self) -> str:
        """``sqlite:///`` and the file's absolute path."""
        return f"sqlite:///{self.path.resolve()}"

    def create_schema(self) -> None:
        """Create the tables and triggers (idempotent), and catch the mention index up."""
        with self._transaction(None) as cursor:
            for statement in (SCHEMA + _triggers()).split(";\n"):
                if statement.strip():
                    cursor.execute(statement)
            for statement in credentials.statements():  # beside the ledger, never in it
                cursor.execute(statement)
        self.index_mentions()

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    @contextmanager
    def _transaction(self, production_id: int | None) -> Iterator[Any]:
        with self._turn:
            cursor = self._connection.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StoreError(f"the ledger is busy or unwritable: {error}") from error
            try:
                yield cursor
            except sqlite3.Error as error:
                # A full disk, a read-only file, an I/O error: the caller gets a StoreError, never
                # a driver exception, and the whole transaction is gone.
                self._connection.rollback()
                raise StoreError(
                    f"the ledger refused the write, nothing was recorded: {error}"
                ) from error
            except BaseException:
                self._connection.rollback()
                raise
            try:
                cursor.execute("COMMIT")
            except sqlite3.Error as error:
                self._connection.rollback()
                raise StoreError(
                    f"the entry could not be made durable, nothing was recorded: {error}"
                ) from error
            finally:
                cursor.close()

    @contextmanager
    def _reading(self, stream: bool = False) -> Iterator[Any]:
        with self._turn:
            cursor = self._connection.cursor()
            in_transaction = self._connection.in_transaction
            if not in_transaction:
                cursor.execute("BEGIN")
            try:
                yield cursor
            finally:
                if not in_transaction:
                    self._connection.rollback()
                cursor.close()

    @staticmethod
    def _json_text(column: str, path: tuple[str, ...]) -> str:
        # Entry paths are fixed names from the code, never user input.
        text = f"CAST({column} AS TEXT)"
        return f"CASE WHEN json_valid({text}) THEN json_extract({text}, '$.{'.'.join(path)}') END"

    def _insert_production(
        self, cursor: Any, name: str, slug: str, origin: str, created_at: str
    ) -> int:
        cursor.execute(
            "INSERT INTO ledger_production (name, slug, origin, created_at) VALUES (?, ?, ?, ?)",
            (name, slug, origin, created_at),
        )
        return int(cursor.lastrowid)
