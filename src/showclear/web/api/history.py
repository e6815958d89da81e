"""The ledger's entries, a page at a time, filtered by time, firearm, lot, person or kind.

A filtered page is an index range scan on the mention index (``ledger_mention``, written with
each append, see :mod:`showclear.store.mentions`): the entries naming the firearm, lot or person (or
of the kind) after the cursor, each further filter checked by a point lookup in the same index,
the times turned into a seq range by the log's clock. So a page costs the same whether the
filter matches every entry or one in a million, at a hundred entries or a million. An unfiltered
page (or one filtered only by time) reads the ledger itself from the cursor.

What an entry *names* (a firearm, lot or person) is decided from the entry alone by
:func:`showclear.core.mentions.mentions`: a firearm when a payload field ``firearm`` (at any
depth) or a field with the word ``firearms`` holds its tag, or it is the ``tag`` of its own
``firearm.received`` entry, or the ``subject`` of an override or warning; a lot likewise; a
person when they recorded it, or a field holding person ids (``to``, ``performers``, any
``..._id``) holds theirs.

The reads run on a connection of their own per web thread, never the service's, so a long read
does not hold up a command being recorded.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from showclear import config
from showclear.core.ledger.entry import format_recorded_at
from showclear.core.mentions import FIREARM, KIND, LOT, PERSON
from showclear.store import LedgerStore, Production, open_store

_readers = threading.local()

SCAN = 500
"""Entries read at a time by an unfiltered page."""


def _reader() -> LedgerStore:
    """This thread's own read connection to the ledger configured now (a process that is
    pointed at another database, as the tests' in-process app is, reads that one)."""
    url = config.database_url()
    store: LedgerStore | None = getattr(_readers, "store", None)
    if store is not None and getattr(_readers, "url", None) != url:
        store.close()
        store = None
    if store is None:
        store = _readers.store = open_store(url)
        _readers.url = url
    return store


@dataclass(frozen=True)
class Filters:
    """What a page of history keeps (every given filter must match)."""

    since: datetime | None = None
    until: datetime | None = None
    firearm: str | None = None
    lot: str | None = None
    person: str | None = None
    kind: str | None = None

    def names(self) -> list[tuple[str, str]]:
        """The ``(key kind, key)`` every kept entry must name, the likely rarest first."""
        wanted = [
            (FIREARM, self.firearm),
            (LOT, self.lot),
            (PERSON, self.person),
            (KIND, self.kind),
        ]
        return [(kind, key) for kind, key in wanted if key is not None]


def _canonical(moment: datetime | None) -> str | None:
    """A moment as the ledger writes it (UTC, microseconds), naive taken as UTC."""
    if moment is None:
        return None
    return format_recorded_at(moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment)


def page(
    production: Production, filters: Filters, *, after: int, limit: int, sealed: int
) -> tuple[list[dict[str, Any]], int | None]:
    """Up to ``limit`` matching entries after seq ``after``, and the cursor for the next page
    (``None`` when the ledger was read to its end). Only the first ``sealed`` entries are
    read: those Showclear sealed (anything after them was not written by Showclear)."""
    reader = _reader()
    reader.mentions_current(production)
    since, until = _canonical(filters.since), _canonical(filters.until)
    names = filters.names()
    if names:
        rows = reader.named(
            production,
            *names[0],
            also=names[1:],
            after=after,
            upto=sealed - 1,
            since=since,
            until=until,
            limit=limit + 1,
        )
        found = [json.loads(body) for _, body in rows]
    else:
        found = _by_time(
            reader, production, since, until, after=after, upto=sealed - 1, wanted=limit + 1
        )
    if len(found) > limit:
        return found[:limit], found[limit - 1]["seq"]
    return found, None


def _by_time(
    reader: LedgerStore,
    production: Production,
    since: str | None,
    until: str | None,
    *,
    after: int,
    upto: int,
    wanted: int,
) -> list[dict[str, Any]]:
    """Entries after ``after`` recorded in ``[since, until]``, up to ``wanted`` of them.

    The log's clock bounds the times to a seq range in which only the rare entries recorded
    out of order fail the times, so this reads about ``wanted`` entries.
    """
    if since is not None or until is not None:
        window = reader.seq_window(production, since, until)
        if window is None:
            return []
        after, upto = max(after, window[0] - 1), min(upto, window[1])
    found: list[dict[str, Any]] = []
    while len(found) < wanted:
        rows = reader.entry_rows(production, after=after, upto=upto, limit=SCAN)
        for _, body in rows:
            entry = json.loads(body)
            at = entry["recorded_at"]
            if (since is None or at >= since) and (until is None or at <= until):
                found.append(entry)
                if len(found) == wanted:
                    break
        if len(rows) < SCAN:
            break
        after = rows[-1][0]
    return found


def shown(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as the API shows it."""
    return {
        "seq": entry["seq"],
        "kind": entry["kind"],
        "recorded_at": entry["recorded_at"],
        "person": entry["person"],
        "device": entry["device"],
        "payload": entry["payload"],
    }
