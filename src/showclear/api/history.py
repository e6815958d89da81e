"""The ledger's entries, a page at a time, filtered by time, firearm, lot, person or kind.

Correct first: a page is read by scanning the committed entries in order from the cursor and
keeping those that match, so a filter that matches rarely reads far. The scan runs on a
connection of its own per web thread, never the service's, so a long read does not hold up a
command being recorded. At a million entries the filters want an index table written beside
each append (see docs/api.md, "History at scale").

What an entry *names*:

- a firearm when a payload field ``firearm`` (at any depth) holds its tag, a field ending in
  ``firearms`` lists it, the field ``item`` or ``subject`` is its tag, or it is the ``tag`` of
  its own ``firearm.received`` entry;
- a lot likewise with ``lot`` / ``lots`` and ``lot.received``;
- a person when they recorded it, or any payload value (at any depth) is their person id.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from showclear import config
from showclear.store import LedgerStore, Production, open_store

_readers = threading.local()


def _reader() -> LedgerStore:
    """This thread's own read connection to the ledger."""
    store: LedgerStore | None = getattr(_readers, "store", None)
    if store is None:
        store = _readers.store = open_store(config.database_url())
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


def _walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (field name, value) pair in a payload, at any depth; list items keep their field."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from _walk(inner, str(name))
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner, key)
    else:
        yield key, value


def _names_thing(entry: dict[str, Any], tag: str, field: str, received: str) -> bool:
    payload = entry["payload"]
    if entry["kind"] == received and payload.get("tag") == tag:
        return True
    return any(
        value == tag and (name in (field, "item", "subject") or name.endswith(field + "s"))
        for name, value in _walk(payload)
    )


def _names_person(entry: dict[str, Any], person_id: str) -> bool:
    if entry["person"] == person_id:
        return True
    return any(value == person_id for _, value in _walk(entry["payload"]))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def matcher(filters: Filters) -> Callable[[dict[str, Any]], bool]:
    """Whether an entry (as decoded JSON) passes every filter."""
    since = _utc(filters.since) if filters.since else None
    until = _utc(filters.until) if filters.until else None

    def matches(entry: dict[str, Any]) -> bool:
        if since is not None or until is not None:
            at = datetime.fromisoformat(entry["recorded_at"])
            if (since is not None and at < since) or (until is not None and at > until):
                return False
        if filters.kind is not None and entry["kind"] != filters.kind:
            return False
        if filters.firearm is not None and not _names_thing(
            entry, filters.firearm, "firearm", "firearm.received"
        ):
            return False
        if filters.lot is not None and not _names_thing(entry, filters.lot, "lot", "lot.received"):
            return False
        return filters.person is None or _names_person(entry, filters.person)

    return matches


def page(
    production: Production, filters: Filters, *, after: int, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """Up to ``limit`` matching entries after seq ``after``, and the cursor for the next page
    (``None`` when the ledger was read to its end)."""
    matches = matcher(filters)
    found: list[dict[str, Any]] = []
    for batch in _reader().entry_batches(production, start=after + 1):
        for body in batch:
            entry = json.loads(body)
            if matches(entry):
                if len(found) == limit:
                    return found, found[-1]["seq"]
                found.append(entry)
    return found, None


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
