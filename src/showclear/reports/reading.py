"""Reading the ledger for a report: entries as the core sees them, by time.

A report is drawn from one snapshot: the state now (for names), the entries it covers, and the
latest signed checkpoint at the moment it was read, which the report names so that anyone can
check what it was drawn from.
"""

from __future__ import annotations

import base64
import json
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from showclear.core.events import event_from
from showclear.core.ledger.audit import BATCH
from showclear.core.ledger.checkpoint import read_unverified
from showclear.core.ledger.entry import format_recorded_at
from showclear.core.mentions import KIND
from showclear.core.state import ProductionState, Recorded
from showclear.service import InputError, Service, zones
from showclear.store import Production


def recorded(body: bytes) -> Recorded:
    """One committed entry as the core sees it."""
    raw = json.loads(body)
    return Recorded(
        raw["seq"],
        datetime.fromisoformat(raw["recorded_at"]),
        raw["person"],
        raw["device"],
        event_from(raw["kind"], raw["payload"]),
    )


def between(
    service: Service, production: Production, since: datetime, until: datetime, upto: int
) -> list[Recorded]:
    """The entries recorded in ``[since, until)`` (and at most seq ``upto``), oldest first.

    Two seeks in the store's clock index find the seq range; only that range is read.
    """
    last = until - timedelta(microseconds=1)
    window = service.store.seq_window(
        production, format_recorded_at(since), format_recorded_at(last)
    )
    if window is None:
        return []
    low, high = window[0], min(window[1], upto)
    found: list[Recorded] = []
    after = low - 1
    while after < high:
        rows = service.store.entry_rows(production, after=after, upto=high, limit=BATCH)
        if not rows:
            break
        for _, body in rows:
            entry = recorded(body)
            if since <= entry.at < until:  # a rare late entry inside the range is left out
                found.append(entry)
        after = rows[-1][0]
    return found


def of_kinds(
    service: Service, production: Production, kinds: tuple[str, ...], upto: int
) -> list[Recorded]:
    """Every entry of one of ``kinds`` up to seq ``upto``, oldest first (the kind index)."""
    found = [
        recorded(body)
        for kind in kinds
        for _, body in service.store.named(production, KIND, kind, upto=upto)
    ]
    return sorted(found, key=lambda entry: entry.seq)


@dataclass(frozen=True)
class Snapshot:
    """What a report is drawn from: the state, its size, and the checkpoint sealing it."""

    service: Service
    production: Production
    state: ProductionState
    size: int
    checkpoint: str

    @property
    def sealed(self) -> str:
        """``"Drawn from ledger entries 0 to 244, sealed by the signed checkpoint of size
        245 (root ...)"``."""
        fault = self.service.tampered(self.production)
        if fault is not None:
            return (
                f"THE LEDGER WAS TAMPERED WITH ({fault.where}: {fault.reason}): this report "
                f"stops at entry {self.size - 1}, the last one Showclear sealed."
            )
        if not self.checkpoint:
            return "Drawn from an empty ledger."
        seal = read_unverified(self.checkpoint)
        root = base64.b64encode(seal.root).decode()
        return (
            f"Drawn from ledger entries 0 to {seal.size - 1} of {self.production.name!r}, sealed "
            f"by its signed checkpoint of size {seal.size} (root {root})."
        )


def snapshot(service: Service, production: Production) -> Snapshot:
    """The state now and the signed checkpoint of exactly its size."""
    service.store.mentions_current(production)
    state = service.state(production)
    size = state.seq + 1
    with closing(service.store.checkpoints(production, start=size)) as stored:
        first = next(stored, None)
    checkpoint = first[1] if first is not None and first[0] == size else ""
    return Snapshot(service, production, state, size, checkpoint)


def day_of(text: str, state: ProductionState) -> date:
    """A day given as ``2026-10-13``, a shoot day's id (``day-2``) or ``today``."""
    text = text.strip()
    if text in state.days:
        return date.fromisoformat(state.days[text])
    if text.casefold() == "today":  # the production's today, in its zone
        return (state.last_at or datetime.now(UTC)).astimezone(zones.zone(state.zone)).date()
    try:
        found = date.fromisoformat(text)
    except ValueError:
        days = ", ".join(sorted(state.days)) or "none planned"
        raise InputError(
            f"{text!r} is not a day: give a date (YYYY-MM-DD) or a shoot day ({days})"
        ) from None
    if found == date.max:  # its end, the next midnight, is past the last time a ledger holds
        raise InputError(f"{text!r} is the last day a calendar holds: give a day before it")
    if found == date.min:  # its midnight east of UTC is in the year 0 there
        raise InputError(f"{text!r} is the first day a calendar holds: give a day after it")
    return found


def day_bounds(day: date, state: ProductionState) -> tuple[datetime, datetime]:
    """The day in the production's zone, from its midnight to the next, as ``[start, end)`` in
    UTC (a day the clocks change on is 23 or 25 hours long)."""
    zone = zones.zone(state.zone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def shoot_day_of(day: date, state: ProductionState) -> str:
    """``"shoot day day-2"`` when ``day`` is one, else ``""``."""
    for name, planned in state.days.items():
        if planned == day.isoformat():
            return name
    return ""
