"""The ledger store: one append-only log per production, on SQLite or PostgreSQL.

Both backends keep the same contract (:class:`showclear.store.base.LedgerStore`) and pass the
same contract tests. Integrity never rests on the database: the triggers that refuse UPDATE,
DELETE and TRUNCATE only stop accidents; ``showclear verify`` recomputes everything from the
entries and the signed checkpoints.
"""

from __future__ import annotations

from showclear.store.base import Intrusion, LedgerStore, Production, StoreError


def open_store(url: str) -> LedgerStore:
    """The store at ``url``: ``sqlite:///path`` or ``postgres://...``."""
    if url.startswith(("postgres://", "postgresql://")):
        from showclear.store.postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        from showclear.store.sqlite import SqliteStore

        return SqliteStore(url.removeprefix("sqlite:///"))
    raise StoreError(
        f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:/// or postgres://"
    )


__all__ = ["Intrusion", "LedgerStore", "Production", "StoreError", "open_store"]
