"""The mention index: a derived read model of the log, written beside each append.

``ledger_mention`` holds ``(production_id, key_kind, key, seq)`` with the entry's ``recorded_at``
and ``kind``, one row per thing an entry names (what that is, is decided by
:func:`showclear.core.mentions.mentions`, pure), and two more key kinds index time
(:data:`CLOCK`, :data:`LATE`). It is not part of the proof: nothing in it is hashed or signed,
every answer it leads to is read from the entries, and it is rebuilt from the log whenever it is
behind or missing.

The writer (:class:`~showclear.store.writer.LogWriter`) calls :class:`MentionBatch` for the rows
of what it appends, and :func:`ready` to catch the index up first. This module uses only
:class:`~showclear.store.contract.IndexTables` and never imports the writer or a backend.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from showclear.core.mentions import mentions
from showclear.store.contract import IndexTables, MentionRow

CLOCK = "at"
"""Key kind of the log's clock: one row per entry whose key is the latest ``recorded_at`` of any
entry up to and including it. Writers on several machines take their time before they queue for
the lock, so ``recorded_at`` alone is not sorted by ``seq``; this running maximum is, which turns
"recorded at or after T" into one index seek."""

LATE = "late"
"""Key kind of an entry recorded with a time earlier than the clock before it (key: its own
``recorded_at``). Rare; with :data:`CLOCK` it makes "recorded at or before T" exact too."""

MENTION_BATCH = 20_000
"""Entries indexed per transaction when the index catches up with the log."""


def index_rows(
    rows: list[MentionRow],
    production_id: int,
    seq: int,
    kind: str,
    payload: Mapping[str, Any],
    person: str,
    recorded_at: str,
    clock: str | None,
) -> str:
    """Add the index rows of one entry to ``rows``; return the log's clock after it.

    ``recorded_at`` is canonical text (``YYYY-MM-DDTHH:MM:SS.ffffffZ``), so comparing the text
    compares the moments.
    """
    moved = recorded_at if clock is None or recorded_at > clock else clock
    rows.extend(
        (production_id, key_kind, key, seq, recorded_at, kind)
        for key_kind, key in mentions(kind, payload, person)
    )
    rows.append((production_id, CLOCK, moved, seq, recorded_at, kind))
    if recorded_at < moved:
        rows.append((production_id, LATE, recorded_at, seq, recorded_at, kind))
    return moved


def read_for_index(body: bytes) -> tuple[str, Mapping[str, Any], str, str] | None:
    """An entry's kind, payload, person and time, or None when its bytes cannot be read.

    An unreadable entry (damaged, or edited by hand) names nothing in the index; ``verify`` is
    what names it, and it must still be able to open the database to do so.
    """
    try:
        raw = json.loads(body)
        kind, payload, person, at = raw["kind"], raw["payload"], raw["person"], raw["recorded_at"]
    except (ValueError, KeyError, TypeError):
        return None
    if not (isinstance(kind, str) and isinstance(payload, dict) and isinstance(at, str)):
        return None
    return kind, payload, person if isinstance(person, str) else "", at


def ready(tables: IndexTables, production_id: int, size: int) -> str | None:
    """Index every entry below ``size`` not yet indexed; return the log's clock."""
    indexed, clock = tables.last_indexed(production_id)
    if indexed >= size:
        # Entries were removed by hand below the index (``verify`` names that): forget
        # what the index says of them, so it describes the log as it is.
        tables.forget_mentions(production_id, size)
        indexed, clock = tables.last_indexed(production_id)
    while indexed + 1 < size:
        end = min(size, indexed + 1 + MENTION_BATCH)
        rows: list[MentionRow] = []
        for seq, body in tables.seqs_and_entries(production_id, indexed + 1, end):
            read = read_for_index(body)
            if read is None:
                rows.append((production_id, CLOCK, clock or "", seq, clock or "", ""))
                continue
            kind, payload, person, at = read
            clock = index_rows(rows, production_id, seq, kind, payload, person, at, clock)
        tables.insert_mentions(rows)
        indexed = end - 1
    return clock


def behind(tables: IndexTables, production_id: int, sealed: int) -> bool:
    """Whether the index does not cover exactly the sealed log."""
    return tables.last_indexed(production_id)[0] + 1 != sealed


def seq_window(
    tables: IndexTables, production_id: int, since: str | None, until: str | None
) -> tuple[int, int] | None:
    """The smallest seq range holding every entry recorded in ``[since, until]``, or None."""
    low = 0
    if since is not None:
        first = tables.first_clock_from(production_id, since)
        if first is None:
            return None
        low = first
    if until is None:
        high = tables.size(production_id) - 1
    else:
        last = tables.last_clock_until(production_id, until)
        high = -1 if last is None else last
        late = tables.last_late_until(production_id, until)
        if late is not None:
            high = max(high, late)
    return (low, high) if low <= high else None
