"""The databases the store and CLI tests run against: SQLite always, PostgreSQL on request,
and the in-memory store where a database adds nothing (``MEMORY``, see below).

PostgreSQL runs when ``SHOWCLEAR_TEST_POSTGRES_URL`` names a server (for example
``postgresql://postgres@127.0.0.1:5432/test``). Each test then gets a fresh schema of its own,
reached through ``?options=-csearch_path%3D<schema>``, dropped afterwards. When the variable is
set but the server cannot be reached, every PostgreSQL test fails: a CI run that was asked for
PostgreSQL never passes without it.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from hypothesis import settings

from backends import BACKENDS, MEMORY, POSTGRES_URL, POSTGRES_URL_VARIABLE, STORE_BACKENDS
from showclear.store import LedgerStore, open_store
from showclear.store.memory import drop as drop_memory

__all__ = ["BACKENDS", "MEMORY", "STORE_BACKENDS"]

LEDGER_TABLES = ("ledger_production", "ledger_entry", "ledger_node", "ledger_checkpoint")

# Property tests: a few examples each in the loop a maintainer runs while working, Hypothesis's
# full hundred in CI (.ci/run sets SHOWCLEAR_HYPOTHESIS_PROFILE=ci). Every example that ever
# failed is kept in .hypothesis/ and tried first on every later run, whatever the profile.
# Tests that set their own max_examples keep it under both.
settings.register_profile("dev", max_examples=20)
settings.register_profile("ci", max_examples=100)
settings.load_profile(os.environ.get("SHOWCLEAR_HYPOTHESIS_PROFILE", "dev"))


def _with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    option = f"options=-csearch_path%3D{schema}"
    query = f"{parts.query}&{option}" if parts.query else option
    return urlunsplit(parts._replace(query=query))


class RawSql:
    """A connection straight to the database, the way an attacker with the file would use it.

    It speaks ``?`` placeholders on both backends and commits when the block ends.
    """

    def __init__(self, backend: str, connection: Any) -> None:
        self.backend = backend
        self.connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; return its rows (none for a statement that returns none)."""
        if self.backend == "postgres":
            sql = sql.replace("?", "%s")
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, tuple(params))
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        finally:
            cursor.close()

    def drop_triggers(self) -> list[str]:
        """Drop every append-only trigger on the ledger tables; return their names."""
        if self.backend == "sqlite":
            found = self.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            found = self.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
            )
        dropped = []
        for name, table in found:
            if table in LEDGER_TABLES:
                on_table = f" ON {table}" if self.backend == "postgres" else ""
                self.execute(f"DROP TRIGGER {name}{on_table}")
                dropped.append(name)
        return dropped


@dataclass
class Database:
    """One empty database for one test, on one backend, with its Showclear data directory."""

    backend: str
    data_dir: Path
    url: str
    """What Showclear is given as its database URL."""
    path: Path | None = None
    """The SQLite file (SQLite only)."""

    def open_store(self) -> LedgerStore:
        """A new store on this database (a new connection), its schema created."""
        store = open_store(self.url)
        store.create_schema()
        return store

    @contextmanager
    def raw(self) -> Iterator[RawSql]:
        """A raw connection in one transaction, committed when the block ends."""
        if self.backend == MEMORY:
            pytest.fail("the memory store has no SQL: run this test on BACKENDS")
        if self.backend == "sqlite":
            assert self.path is not None
            connection = sqlite3.connect(self.path, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                yield RawSql("sqlite", connection)
                connection.execute("COMMIT")
            finally:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                connection.close()
        else:
            with psycopg.connect(self.url) as connection:
                yield RawSql("postgres", connection)  # psycopg commits on a clean exit

    def environment(self) -> dict[str, str]:
        """The environment a ``showclear`` process needs to use this database."""
        if self.backend == MEMORY:
            pytest.fail("another process cannot open the memory store: run this test on BACKENDS")
        env = {key: value for key, value in os.environ.items() if not key.startswith("SHOWCLEAR_")}
        env["SHOWCLEAR_DATA_DIR"] = str(self.data_dir)
        if self.backend == "postgres":
            env["SHOWCLEAR_DATABASE_URL"] = self.url
        return env


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server to test against, checked once; fails loudly when unreachable."""
    if not POSTGRES_URL:
        pytest.fail(f"set {POSTGRES_URL_VARIABLE} to run the PostgreSQL tests")
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=10) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        pytest.fail(
            f"{POSTGRES_URL_VARIABLE} is set to {POSTGRES_URL!r} but PostgreSQL cannot be "
            f"reached there: {error}. Start PostgreSQL or unset the variable.",
            pytrace=False,
        )
    return POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test: ``sqlite`` or ``postgres`` (``memory`` where a test
    module or ``parametrize`` asks for it)."""
    return str(request.param)


@pytest.fixture
def make_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Database]]:
    """Makes fresh, separate databases (each with its own data directory) on ``backend``."""
    schemas: list[str] = []
    memories: list[str] = []
    server = request.getfixturevalue("postgres_server") if backend == "postgres" else ""

    def make(name: str) -> Database:
        data_dir = tmp_path / name
        data_dir.mkdir(mode=0o700)
        if backend == MEMORY:
            memories.append(f"test-{secrets.token_hex(6)}")
            return Database(MEMORY, data_dir, f"memory:{memories[-1]}")
        if backend == "sqlite":
            path = data_dir / "showclear.sqlite3"
            return Database("sqlite", data_dir, f"sqlite:///{path}", path)
        schema = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        return Database("postgres", data_dir, _with_search_path(server, schema))

    yield make

    for memory in memories:
        drop_memory(memory)
    if schemas:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute("SET lock_timeout = '20s'")
            for schema in schemas:
                connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def database(make_database: Callable[[str], Database]) -> Database:
    """A fresh, empty database for this test."""
    return make_database("data")
