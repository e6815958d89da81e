"""The ledger store: one append-only log per production, on SQLite or PostgreSQL (or, for
tests, in memory).

Every backend keeps the same contract (:class:`showclear.store.base.LedgerStore`) and passes the
same contract tests. Integrity never rests on the database: the triggers that refuse UPDATE,
DELETE and TRUNCATE only stop accidents; ``showclear verify`` recomputes everything from the
entries and the signed checkpoints.
"""

from __future__ import annotations

from showclear.store.base import Intrusion, LedgerStore, Production, StoreError


def open_store(url: str) -> LedgerStore:
    """The store at ``url``: ``sqlite:///path``, ``postgres://...`` or ``memory:NAME`` (this
    process's in-memory database NAME; ``memory:`` alone, a new one)."""
    if url.startswith(("postgres://", "postgresql://")):
        from showclear.store.postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        from showclear.store.sqlite import SqliteStore

        return SqliteStore(url.removeprefix("sqlite:///"))
    if url.startswith("memory:"):
        from showclear.store.memory import MemoryStore

        return MemoryStore(url.removeprefix("memory:"))
    raise StoreError(
        f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:///, postgres:// or memory:"
    )


__all__ = ["Intrusion", "LedgerStore", "Production", "StoreError", "open_store"]
