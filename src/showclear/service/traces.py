"""Traces read from the ledger: the queries behind ``showclear trace`` and the trace pages.

Each trace reads only the entries it needs, by index range scans on the mention index (a
firearm's entries between two times, one chamber's entries before a moment, a lot's receipt and
verifications, ...), decodes them, and hands them to the pure :mod:`showclear.core.read.trace`. So a
trace costs what its answer holds, not what the ledger holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from showclear.core.events import UnknownEventError, event_from
from showclear.core.events.armory import FirearmLoaded, FirearmReceived
from showclear.core.ledger.entry import format_recorded_at
from showclear.core.mentions import (
    CONTAINER,
    FIREARM,
    KIND,
    LOT,
    PERSON,
    POSITION,
    SCENE,
    SUBJECT,
    mentions,
    position_key,
)
from showclear.core.read import trace
from showclear.core.state import Recorded
from showclear.service.writer import InputError
from showclear.store import LedgerStore, Production

POSITION_BATCH = 16
"""A chamber's entries read at a time, newest first, while looking for the load."""


class NothingLoaded(Exception):
    """No round was loaded into that position at or before that time."""


def parse_time(text: str, what: str = "time") -> datetime:
    """An ISO 8601 time (``2025-03-04T14:02``, ``...Z``, ``...+01:00``, or a date for its
    midnight); one without a zone is UTC. Anything else is an :class:`InputError`."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InputError(
            f"{what} {text!r} is not an ISO 8601 time (for example 2025-03-04T14:02:00Z)"
        ) from error
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is in the year 0 in UTC
        raise InputError(
            f"{what} {text!r} is outside the years 0001 to 9999 in UTC: give a time in those years"
        ) from None


def decoded(rows: Sequence[tuple[int, bytes]]) -> list[Recorded]:
    """Ledger rows as the core reads them (an entry of a kind this version does not know is
    left out: it cannot be said in words)."""
    found = []
    for _, body in rows:
        raw = json.loads(body)
        try:
            event = event_from(raw["kind"], raw["payload"])
        except UnknownEventError:
            continue
        at = datetime.fromisoformat(raw["recorded_at"])
        found.append(Recorded(raw["seq"], at, raw["person"], raw["device"], event))
    return found


class Tracer:
    """The traces of one production, read from its store."""

    def __init__(self, store: LedgerStore, production: Production, sealed: int) -> None:
        self.store = store
        self.production = production
        #: How many entries Showclear sealed (the service's proved size): nothing after them
        #: is ever read into a trace.
        self.sealed = sealed
        store.mentions_current(production)
        self._names: trace.Names | None = None

    # -- reading ----------------------------------------------------------------------------

    def _read(self, key_kind: str, key: str, **bounds: Any) -> list[Recorded]:
        upto = bounds.pop("upto", None)
        last = self.sealed - 1 if upto is None else min(int(upto), self.sealed - 1)
        return decoded(self.store.named(self.production, key_kind, key, upto=last, **bounds))

    @property
    def names(self) -> trace.Names:
        """Everyone on the roster and every container, by id and tag."""
        if self._names is None:
            roster = [e for kind in trace.ROSTER_KINDS for e in self._read(KIND, kind)]
            self._names = trace.names_from(sorted(roster, key=lambda r: r.seq))
        return self._names

    def _receipt(self, key_kind: str, tag: str, kind: str) -> Recorded | None:
        found = self._read(key_kind, tag, kinds=[kind], limit=1)
        return found[0] if found else None

    def firearm_receipt(self, tag: str) -> Recorded:
        """The entry that received firearm ``tag``; an InputError when there is none."""
        found = self._receipt(FIREARM, tag, "firearm.received")
        if found is None:
            raise InputError(f"{self.production.name!r} has no firearm tagged {tag!r}")
        return found

    def lot_receipt(self, tag: str) -> Recorded:
        """The entry that received lot ``tag``; an InputError when there is none."""
        found = self._receipt(LOT, tag, "lot.received")
        if found is None:
            raise InputError(f"{self.production.name!r} has no lot tagged {tag!r}")
        return found

    def person_id(self, who: str) -> str:
        """The person id of ``who``: an id, or a full name (any case, one person only)."""
        names = self.names
        if who in names.people:
            return who
        wanted = " ".join(who.split()).casefold()
        matches = sorted(
            p for p, person in names.people.items() if person.name.casefold() == wanted
        )
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise InputError(
                f"several people are called {who!r}: name one by id ({', '.join(matches)})"
            )
        raise InputError(f"{self.production.name!r} has no person with the id or name {who!r}")

    # -- timelines ---------------------------------------------------------------------------

    def last_at(self, subject: str, key: str) -> datetime | None:
        """When the newest entry naming ``key`` (a ``"firearm"``, ``"lot"`` or ``"person"``,
        by ``subject``) was recorded; None when none does."""
        key_kind = {"firearm": FIREARM, "lot": LOT, "person": PERSON}[subject]
        newest = self._read(key_kind, key, newest_first=True, limit=1)
        return newest[0].at if newest else None

    def _timeline(
        self,
        subject: str,
        label: str,
        key: tuple[str, str],
        since: datetime | None,
        until: datetime | None,
    ) -> trace.Timeline:
        entries = self._read(*key, since=_canonical(since), until=_canonical(until))
        return trace.timeline(subject, label, entries, self.names, since=since, until=until)

    def firearm(
        self, tag: str, since: datetime | None = None, until: datetime | None = None
    ) -> trace.Timeline:
        """Every entry naming firearm ``tag`` recorded in ``[since, until]``."""
        label = trace.firearm_label(self.firearm_receipt(tag), tag)
        return self._timeline(f"firearm {tag}", label, (FIREARM, tag), since, until)

    def lot(
        self, tag: str, since: datetime | None = None, until: datetime | None = None
    ) -> trace.Timeline:
        """Every entry naming lot ``tag`` recorded in ``[since, until]``."""
        label = trace.lot_label(self.lot_receipt(tag), tag)
        return self._timeline(f"lot {tag}", label, (LOT, tag), since, until)

    def person(
        self, who: str, since: datetime | None = None, until: datetime | None = None
    ) -> trace.Timeline:
        """Every entry ``who`` recorded or that names them, recorded in ``[since, until]``."""
        person_id = self.person_id(who)
        label = self.names.person(person_id)
        return self._timeline(f"person {person_id}", label, (PERSON, person_id), since, until)

    # -- a round -----------------------------------------------------------------------------

    def position(self, receipt: Recorded, given: str) -> str:
        """The position of the firearm named by ``given``: its name (``chamber 3``, any case)
        or its number (``3``, when one position ends with that number)."""
        event = receipt.event
        assert isinstance(event, FirearmReceived)
        wanted = " ".join(given.split()).casefold()
        for position in event.positions:
            if position.casefold() == wanted:
                return position
        if re.fullmatch(r"\d+", wanted):
            numbered = [p for p in event.positions if p.rsplit(" ", 1)[-1] == wanted]
            if len(numbered) == 1:
                return numbered[0]
        known = ", ".join(event.positions) or "none (it takes no rounds)"
        raise InputError(f"{event.tag} has no position {given!r}; its positions: {known}")

    def round(self, tag: str, given_position: str, at: datetime) -> trace.RoundTrace:
        """The trace of the round in ``given_position`` of firearm ``tag`` at ``at``.

        Raises :class:`NothingLoaded` when no round was loaded there at or before ``at``.
        """
        receipt = self.firearm_receipt(tag)
        position = self.position(receipt, given_position)
        window = self.store.seq_window(self.production, None, _canonical(at))
        if window is None:
            raise NothingLoaded(f"nothing was recorded at or before {trace.full_stamp(at)}")
        upto = window[1]
        key = position_key(tag, position)

        # The chamber's entries, newest first, until the load that put the round there.
        seen: list[Recorded] = []
        load: Recorded | None = None
        after_load: list[Recorded] = []
        while True:
            batch = self._read(POSITION, key, upto=upto, newest_first=True, limit=POSITION_BATCH)
            seen += batch
            load, after_load = trace.find_load(seen, tag, position, at)
            if load is not None or len(batch) < POSITION_BATCH:
                break
            upto = batch[-1].seq - 1
        if load is None:
            raise NothingLoaded(
                f"no round was loaded into {position} of {tag} at or before {trace.full_stamp(at)}"
            )
        loaded = load.event
        assert isinstance(loaded, FirearmLoaded)
        last = window[1]

        before = self._read(
            FIREARM, tag, kinds=trace.FIREARM_CUSTODY_KINDS, upto=load.seq, newest_first=True,
            limit=1,
        )  # fmt: skip
        fate = trace.fate_of(after_load, load, tag, position, at)
        if trace.back_in_its_lot(fate):
            assert fate is not None
            last = fate.seq  # unloaded: the firearm's story after that is not the round's
        firearm_entries = self._read(FIREARM, tag, after=load.seq - 1, upto=last)
        lot_entries = self._read(LOT, loaded.lot, kinds=trace.LOT_KINDS, upto=last)
        # The lot's box goes in and out of a lockbox for every scene: its moves are read as
        # a few fields each, and only each holder's first and last entry whole.
        arrived = next((r for r in lot_entries if r.event.kind == "lot.received"), None)
        supplier = str(getattr(arrived.event, "supplier", "")) if arrived is not None else ""
        lot_moves = [
            trace.Move(seq, kind, person or "", container or "")
            for seq, kind, person, container in self.store.named_fields(
                self.production, LOT, loaded.lot, [("person",), ("payload", "container")],
                kinds=trace.BOX_MOVES, upto=load.seq,
            )
        ]  # fmt: skip
        wanted = {
            seq
            for _, first, end, _ in trace.box_holders(lot_moves, self.names, supplier)
            for seq in (first, end)
        }
        moved = {r.seq: r for r in decoded(self.store.entries_at(self.production, sorted(wanted)))}

        # Containers that held the lot's box or the firearm, and people on the way: their
        # handovers and the overrides granted for them are part of the story.
        containers = {
            str(getattr(r.event, "container", "") or "")
            for r in [*before, *firearm_entries, *lot_entries]
        } | {move.container for move in lot_moves}
        containers.discard("")
        subjects = {loaded.scene} if loaded.scene else set()
        subjects |= {r.person_id for r in lot_entries} | {m.person_id for m in lot_moves}
        for recorded in [*before, *firearm_entries]:
            payload = recorded.event.to_payload()
            for key_kind, named in mentions(recorded.event.kind, payload, recorded.person_id):
                if key_kind in (PERSON, SCENE):
                    subjects.add(named)
        # Only from the lot's receipt on: an ammunition lockbox is named by hundreds of
        # thousands of entries over a long production.
        since = (lot_entries[0].seq if lot_entries else load.seq) - 1
        container_entries = [
            entry
            for box in sorted(containers)
            for entry in self._read(
                CONTAINER, box, kinds=trace.CONTAINER_KINDS, after=since, upto=last
            )
        ]
        overrides = [
            entry
            for subject in sorted(subjects)
            for entry in self._read(
                SUBJECT, subject, kinds=trace.OVERRIDE_KINDS, after=since, upto=last
            )
        ]
        return trace.trace_round(
            firearm=tag,
            position=position,
            at=at,
            load=load,
            after_load=after_load,
            firearm_before=before[0] if before else None,
            firearm_entries=firearm_entries,
            lot_entries=lot_entries,
            lot_moves=lot_moves,
            moved=moved,
            container_entries=container_entries,
            other_overrides=overrides,
            firearm_received=receipt,
            names=self.names,
        )


def _canonical(moment: datetime | None) -> str | None:
    return None if moment is None else format_recorded_at(moment)


__all__ = ["NothingLoaded", "Tracer", "decoded", "parse_time"]
