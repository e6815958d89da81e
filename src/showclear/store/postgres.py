"""The ledger store on PostgreSQL, for a studio server with several app processes.

Appends to one production are serialized by a row lock on its ``ledger_production`` row
(``SELECT ... FOR UPDATE``), held until the transaction commits; PostgreSQL's default
``synchronous_commit = on`` makes the commit durable before it returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from showclear.store import credentials
from showclear.store.base import ProductionExistsError, StoreError
from showclear.store.sql import SqlStore
from showclear.store.sqlite import APPEND_ONLY

SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_production (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_entry (
    production_id BIGINT NOT NULL REFERENCES ledger_production (id),
    seq BIGINT NOT NULL CHECK (seq >= 0),
    body BYTEA NOT NULL,
    PRIMARY KEY (production_id, seq)
);
CREATE TABLE IF NOT EXISTS ledger_node (
    production_id BIGINT NOT NULL REFERENCES ledger_production (id),
    level INTEGER NOT NULL,
    idx BIGINT NOT NULL,
    hash BYTEA NOT NULL,
    PRIMARY KEY (production_id, level, idx)
);
CREATE TABLE IF NOT EXISTS ledger_checkpoint (
    production_id BIGINT NOT NULL REFERENCES ledger_production (id),
    size BIGINT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (production_id, size)
);
CREATE TABLE IF NOT EXISTS ledger_mention (
    production_id BIGINT NOT NULL,
    key_kind TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (production_id, key_kind, key, seq)
);
CREATE TABLE IF NOT EXISTS ledger_request (
    production_id BIGINT NOT NULL REFERENCES ledger_production (id),
    request TEXT NOT NULL,
    first_seq BIGINT NOT NULL,
    size BIGINT NOT NULL,
    PRIMARY KEY (production_id, request)
)
"""
# ledger_mention is derived from ledger_entry (see store/mentions.py): no append-only triggers. Its
# text is in the "C" collation so that canonical times and tags compare byte by byte.

# One statement on its own: its body holds semicolons, so it is never split like SCHEMA.
REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION showclear_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the Showclear ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
END;
$$
"""


def _triggers() -> list[str]:
    statements = []
    for table in APPEND_ONLY:
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION showclear_refuse_change()"
        )
        statements.append(
            f"CREATE OR REPLACE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION showclear_refuse_change()"
        )
    return statements


class PostgresStore(SqlStore):
    """The ledger on a PostgreSQL database."""

    placeholder = "%s"
    duplicate = psycopg.errors.UniqueViolation

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        try:
            self._connection = psycopg.connect(url, autocommit=True)
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to PostgreSQL: {error}") from error

    @property
    def url(self) -> str:
        """The PostgreSQL URL this store was opened with."""
        return self._url

    def create_schema(self) -> None:
        """Create the tables and triggers (idempotent; serialized by an advisory lock)."""
        with self._transaction(None) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7468697)")  # schema changes, one at a time
            for statement in [
                *SCHEMA.split(";\n"),
                REFUSE_CHANGE,
                *_triggers(),
                *credentials.statements(),  # beside the ledger, never in it
            ]:
                if statement.strip():
                    cursor.execute(statement)
        self.index_mentions()

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    @contextmanager
    def _transaction(self, production_id: int | None) -> Iterator[Any]:
        with self._turn:
            try:
                with self._connection.transaction(), self._connection.cursor() as cursor:
                    if production_id is not None:
                        cursor.execute(
                            "SELECT id FROM ledger_production WHERE id = %s FOR UPDATE",
                            (production_id,),
                        )
                        if cursor.fetchone() is None:
                            raise StoreError(f"no production with id {production_id}")
                    yield cursor
            except psycopg.errors.UniqueViolation as error:
                if error.diag.table_name == "ledger_production":
                    raise ProductionExistsError(
                        "a production of that name already exists"
                    ) from error
                raise StoreError(
                    f"two writers collided on {error.diag.table_name}; nothing was recorded: {error}"
                ) from error
            except psycopg.Error as error:
                # Not only lost connections: a deferred constraint or a full disk can fail the
                # COMMIT itself. The transaction is rolled back; the caller gets a StoreError.
                raise StoreError(
                    f"the entry could not be made durable, nothing was recorded: {error}"
                ) from error

    @contextmanager
    def _reading(self, stream: bool = False) -> Iterator[Any]:
        with self._turn:
            if self._connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                with self._connection.cursor() as cursor:
                    yield cursor
                return
            with self._connection.transaction():
                self._connection.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                )
                # A server-side cursor streams a million entries without holding them all in memory.
                cursor = (
                    self._connection.cursor(name="showclear_read")
                    if stream
                    else self._connection.cursor()
                )
                with cursor:
                    yield cursor

    @staticmethod
    def _json_text(column: str, path: tuple[str, ...]) -> str:
        # Entry paths are fixed names from the code, never user input.
        return f"(convert_from({column}, 'UTF8')::jsonb #>> '{{{','.join(path)}}}')"

    def _insert_production(
        self, cursor: Any, name: str, slug: str, origin: str, created_at: str
    ) -> int:
        cursor.execute(
            "INSERT INTO ledger_production (name, slug, origin, created_at) "
            "VALUES (%s, %s, %s, %s) RETURNING id",
            (name, slug, origin, created_at),
        )
        return int(cursor.fetchone()[0])
