"""CSV exports: the bound book, the inventory as a manifest, and any history view.

- **Bound book**: every firearm's acquisition and disposition in the shape of the rental house's
  book (make, model, calibre, type, serial; received from, date; returned to, date).
- **Inventory**: every firearm still on the production and every lot with rounds on hand, in the
  columns of the manifest import (``docs/imports.md``), so that importing it into a new
  production gives the same inventory. A lot in which a live round was found is left out: it
  goes to the investigators, never to another production.
- **History**: the entries a history view shows (a firearm's, a lot's, a container's, a
  person's, one kind, between two times), one line each, with what it says in words and its
  canonical payload.

Every cell is guarded against formula injection (:mod:`showclear.reports.cells`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from showclear.core.events import armory
from showclear.core.ledger.entry import format_recorded_at
from showclear.core.mentions import CONTAINER, FIREARM, KIND, LOT, PERSON
from showclear.core.state import ProductionState, Recorded
from showclear.core.vocabulary import BLANK
from showclear.reports import said
from showclear.reports.reading import Snapshot, recorded
from showclear.service import InputError

Rows = list[tuple[str, ...]]

BOUND_BOOK = (
    "Make",
    "Model",
    "Calibre",
    "Type",
    "Serial number",
    "Received from",
    "Date received",
    "Returned to",
    "Date returned",
)

INVENTORY = (
    "tag",
    "type",
    "make",
    "model",
    "calibre",
    "serial",
    "class",
    "positions",
    "owner",
    "notes",
    "count",
    "supplier",
    "document",
    "delivered on",
    "load",
    "for firearms",
)

HISTORY = (
    "entry",
    "recorded at",
    "kind",
    "about",
    "what",
    "person",
    "recorded by",
    "device",
    "payload",
)


def bound_book(state: ProductionState) -> Rows:
    """A line per firearm, in the order received."""
    rows: Rows = []
    for firearm in state.firearms.values():
        received = next(
            (e for e in firearm.history if isinstance(e.event, armory.FirearmReceived)), None
        )
        returned_to, returned_on = _disposition(state, firearm.history)
        rows.append(
            (
                firearm.make,
                firearm.model,
                firearm.calibre,
                firearm.firearm_type,
                firearm.serial,
                firearm.owner,
                said.local_day(received.at, state).isoformat() if received else "",
                returned_to,
                returned_on,
            )
        )
    return rows


def _disposition(state: ProductionState, history: list[Recorded]) -> tuple[str, str]:
    """To whom the firearm last left the production, and when (empty while it is here)."""
    to, on = "", ""
    for entry in history:
        event = entry.event
        payload = event.to_payload()
        if isinstance(event, armory.FirearmReturnedToOwner):
            to = event.owner
        elif isinstance(event, armory.FirearmImpounded):
            to = f"evidence: {said.person(state, event.investigator_id)}"
        elif event.kind == "evidence.released":
            people = payload.get("investigators") or []
            to = "evidence: " + ", ".join(said.person(state, str(p)) for p in people)
        elif event.kind == "evidence.returned":
            to = ""
        else:
            continue
        on = said.local_day(entry.at, state).isoformat() if to else ""
    return to, on


def inventory(state: ProductionState) -> Rows:
    """A manifest of what is on the production now: firearms, then lots with rounds on hand."""
    rows: Rows = []
    for firearm in state.firearms.values():
        if not firearm.active:
            continue
        rows.append(
            (
                firearm.tag,
                firearm.firearm_type,
                firearm.make,
                firearm.model,
                firearm.calibre,
                firearm.serial,
                firearm.firearm_class,
                "; ".join(firearm.positions),
                firearm.owner,
                firearm.notes,
                *("" for _ in range(6)),
            )
        )
    for tag, lot in state.lots.items():
        on_hand = state.on_hand(tag)
        if lot.live or on_hand <= 0:
            continue
        rows.append(
            (
                tag,
                "blanks" if lot.lot_kind == BLANK else "dummies",
                "",
                "",
                lot.calibre,
                "",
                "",
                "",
                "",
                "",
                str(on_hand),
                lot.supplier,
                lot.document,
                lot.delivered_on,
                lot.load,
                "; ".join(lot.for_firearms),
            )
        )
    return rows


@dataclass(frozen=True)
class HistoryView:
    """What a history view shows: entries naming all of the given things, between two times."""

    firearm: str | None = None
    lot: str | None = None
    container: str | None = None
    person: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    @property
    def keys(self) -> list[tuple[str, str]]:
        """``(key kind, key)`` each entry must name."""
        wanted = (
            (FIREARM, self.firearm),
            (LOT, self.lot),
            (CONTAINER, self.container),
            (PERSON, self.person),
            (KIND, self.kind),
        )
        return [(kind, key) for kind, key in wanted if key]

    @property
    def name(self) -> str:
        """A file name stem: ``history-firearm-R-01``."""
        parts = [f"{kind}-{key}" for kind, key in self.keys]
        return "-".join(["history", *parts]) if parts else "history"


def history(snap: Snapshot, view: HistoryView) -> Rows:
    """The entries of ``view`` as CSV rows, oldest first (read through the mention index)."""
    store, production = snap.service.store, snap.production
    upto = snap.size - 1
    since = format_recorded_at(view.since) if view.since else None
    until = format_recorded_at(view.until) if view.until else None
    keys = view.keys
    if keys:
        (kind, key), *also = keys
        found = store.named(production, kind, key, also=also, upto=upto, since=since, until=until)
        bodies: Sequence[bytes] = [body for _, body in found]
    else:
        window = store.seq_window(production, since, until)
        bodies = []
        if window is not None:
            bodies = store.entry_range(production, window[0], min(window[1], upto) + 1)
    entries = [recorded(body) for body in bodies]
    entries = [
        e
        for e in entries
        if (view.since is None or e.at >= view.since) and (view.until is None or e.at <= view.until)
    ]
    return [_history_row(snap.state, e) for e in entries]


def _history_row(state: ProductionState, entry: Recorded) -> tuple[str, ...]:
    return (
        str(entry.seq),
        format_recorded_at(entry.at),
        entry.event.kind,
        said.about(entry),
        said.entry(state, entry),
        entry.person_id,
        said.person(state, entry.person_id),
        entry.device,
        json.dumps(entry.event.to_payload(), ensure_ascii=False, sort_keys=True),
    )


def check_view(state: ProductionState, view: HistoryView) -> None:
    """InputError when the view names a firearm, lot, container or person nobody has."""
    for what, key, known in (
        ("firearm", view.firearm, state.firearms),
        ("lot", view.lot, state.lots),
        ("container", view.container, state.containers),
        ("person", view.person, state.people),
    ):
        if key and key not in known:
            raise InputError(f"there is no {what} {key!r} on {state.name!r}")
