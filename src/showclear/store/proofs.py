"""The reads a proof and the writer stand on, written once over any backend's
:class:`~showclear.store.contract.Tables`: the log's head (its size, newest checkpoint and the
nodes that tie them), what a request recorded, and how much of the log is sealed."""

from __future__ import annotations

from showclear.core.ledger.entry import EncodingError, decode_entry
from showclear.core.ledger.seal import Head, wanted_nodes
from showclear.store.contract import Appended, Production, StoreError, Tables


def head(tables: Tables, production_id: int) -> Head:
    """The end of the stored log (see :class:`~showclear.core.ledger.seal.Head`)."""
    size = tables.size(production_id)
    newest = tables.newest_checkpoint(production_id)
    return Head(size, newest, tables.read_nodes(production_id, wanted_nodes(newest)))


def sealed_size(tables: Tables, production_id: int) -> int:
    """The log's size, but no further than its newest checkpoint: what the derived index
    may cover (an entry beyond it was not written by Showclear)."""
    newest = tables.newest_checkpoint(production_id)
    return min(newest[0] if newest is not None else 0, tables.size(production_id))


def recorded_for(tables: Tables, production: Production, request: str) -> Appended | None:
    """What the append made for ``request`` recorded, or None."""
    span = tables.request_span(production.id, request)
    if span is None:
        return None
    first, size = span
    bodies = tables.entries_between(production.id, first, size)
    note = tables.checkpoint_note(production.id, size)
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
    return Appended(entries, note, size)
