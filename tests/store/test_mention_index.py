"""The mention index: written with each append, read by range scans, rebuilt from the log.

The same tests on SQLite and on PostgreSQL. The index is derived (nothing in it is hashed or
signed): these tests prove it always says what the entries themselves say.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backends import MEMORY, ON_DATABASES
from showclear.core.ledger.entry import format_recorded_at
from showclear.core.mentions import mentions, position_key
from showclear.store import open_store
from showclear.store.base import CLOCK, LATE

SHOOT_DAY = datetime(2025, 3, 14, 7, 30, tzinfo=UTC)
PRODUCTIONS = itertools.count()


def append(ledger: Any, kind: str, payload: dict[str, Any], minute: float, person: str = "p-1"):
    with ledger.store.writing(ledger.production, ledger.signer) as log:
        return log.append(
            kind,
            payload,
            person=person,
            device="armory-tablet",
            recorded_at=SHOOT_DAY + timedelta(minutes=minute),
        )


def a_day_on_set(ledger: Any) -> None:
    """R-01 loaded from D-01, shown, handed to jo, fired; R-02 inspected between."""
    append(ledger, "firearm.inspected", {"firearm": "R-02", "contents": []}, 1)
    append(ledger, "firearm.loaded", {"firearm": "R-01", "lot": "D-01", "positions": ["c 1"]}, 2)
    append(ledger, "firearm.handed-over", {"firearm": "R-01", "to": "jo", "scene": "14"}, 3)
    append(ledger, "firearm.inspected", {"firearm": "R-02", "contents": []}, 4)
    append(
        ledger,
        "discharge.reported",
        {"firearm": "R-01", "positions": ["c 1"], "fired_lots": ["D-01"], "scene": "14"},
        5,
        person="jo",
    )


def seqs(rows: list[tuple[int, bytes]]) -> list[int]:
    return [seq for seq, _ in rows]


def stored_index(database: Any, production_id: int) -> set[tuple[Any, ...]]:
    if database.backend == MEMORY:  # the rows themselves, as raw SQL reads them below
        log = open_store(database.url).memory.logs[production_id]
        return {
            (key_kind, key, seq, recorded_at, kind)
            for (key_kind, key), rows in log.mentions.items()
            for seq, (recorded_at, kind) in rows.items()
        }
    with database.raw() as raw:
        rows = raw.execute(
            "SELECT key_kind, key, seq, recorded_at, kind FROM ledger_mention "
            "WHERE production_id = ?",
            (production_id,),
        )
    return {tuple(row) for row in rows}


def index_from_the_log(ledger: Any) -> set[tuple[Any, ...]]:
    """What the index must hold, recomputed from every entry of the log."""
    wanted: set[tuple[Any, ...]] = set()
    clock = ""
    for batch in ledger.store.entry_batches(ledger.production):
        for body in batch:
            raw = json.loads(body)
            at = raw["recorded_at"]
            for key_kind, key in mentions(raw["kind"], raw["payload"], raw["person"]):
                wanted.add((key_kind, key, raw["seq"], at, raw["kind"]))
            clock = max(clock, at)
            wanted.add((CLOCK, clock, raw["seq"], at, raw["kind"]))
            if at < clock:
                wanted.add((LATE, at, raw["seq"], at, raw["kind"]))
    return wanted


def test_each_append_indexes_what_its_entries_name_in_the_same_transaction(
    ledger, database
) -> None:
    a_day_on_set(ledger)
    assert stored_index(database, ledger.production.id) == index_from_the_log(ledger)

    def a_command_that_fails_after_appending() -> None:
        with ledger.store.writing(ledger.production, ledger.signer) as log:
            log.append("firearm.stored", {"firearm": "R-01", "container": "SAFE-1"},
                       person="p-1", device="x", recorded_at=SHOOT_DAY)  # fmt: skip
            raise RuntimeError("the command failed after deciding")

    with pytest.raises(RuntimeError):
        a_command_that_fails_after_appending()
    assert ledger.store.named(ledger.production, "container", "SAFE-1") == []
    assert stored_index(database, ledger.production.id) == index_from_the_log(ledger)


def test_a_firearm_a_person_a_position_and_a_kind_are_each_one_range_scan(ledger) -> None:
    a_day_on_set(ledger)
    production, store = ledger.production, ledger.store

    assert seqs(store.named(production, "firearm", "R-01")) == [2, 3, 5]
    assert seqs(store.named(production, "firearm", "R-02")) == [1, 4]
    assert seqs(store.named(production, "person", "jo")) == [3, 5]
    assert seqs(store.named(production, "position", position_key("R-01", "c 1"))) == [2, 5]
    assert seqs(store.named(production, "kind", "firearm.inspected")) == [1, 4]
    assert seqs(store.named(production, "lot", "D-01")) == [2, 5]
    # the bytes read back are the sealed entries themselves
    ((seq, body),) = store.named(production, "person", "jo", kinds=["discharge.reported"])
    assert body == store.entry(production, seq)


def test_range_scans_take_bounds_other_names_kinds_a_limit_and_either_order(ledger) -> None:
    a_day_on_set(ledger)
    production, store = ledger.production, ledger.store

    assert seqs(store.named(production, "firearm", "R-01", after=2)) == [3, 5]
    assert seqs(store.named(production, "firearm", "R-01", upto=3)) == [2, 3]
    assert seqs(store.named(production, "firearm", "R-01", also=[("person", "jo")])) == [3, 5]
    assert seqs(store.named(production, "firearm", "R-01", also=[("scene", "14"), ("lot", "D-01")])) == [5]  # fmt: skip
    assert seqs(store.named(production, "firearm", "R-01", kinds=["firearm.loaded"])) == [2]
    assert seqs(store.named(production, "firearm", "R-01", limit=2)) == [2, 3]
    assert seqs(store.named(production, "firearm", "R-01", newest_first=True, limit=2)) == [5, 3]
    assert store.named(production, "firearm", "R-99") == []


def test_times_bound_a_scan_exactly(ledger) -> None:
    a_day_on_set(ledger)
    production, store = ledger.production, ledger.store
    at = [format_recorded_at(SHOOT_DAY + timedelta(minutes=m)) for m in range(7)]

    assert seqs(store.named(production, "firearm", "R-01", since=at[3])) == [3, 5]
    assert seqs(store.named(production, "firearm", "R-01", until=at[3])) == [2, 3]
    assert seqs(store.named(production, "firearm", "R-01", since=at[3], until=at[4])) == [3]
    assert store.named(production, "firearm", "R-01", since=at[6]) == []
    # The genesis entry was recorded today, after this shoot day: every entry since is "late",
    # so the window may start earlier than the first match, but never misses one.
    low, high = store.seq_window(production, at[2], at[4])
    assert low <= 2
    assert high == 4
    assert store.seq_window(production, "2999-01-01T00:00:00.000000Z", None) is None


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    minutes=st.lists(st.integers(0, 40), min_size=1, max_size=25),
    since=st.none() | st.integers(-1, 41),
    until=st.none() | st.integers(-1, 41),
)
def test_entries_recorded_out_of_order_are_still_found_by_time(
    new_ledger, minutes: list[int], since: int | None, until: int | None
) -> None:
    """Writers take their time before they queue for the lock, so recorded_at is not sorted by
    seq; the log's clock and its late entries still bound every time window exactly."""
    ledger = new_ledger(f"Out of order {next(PRODUCTIONS)}")
    for n, minute in enumerate(minutes):
        append(ledger, "firearm.inspected", {"firearm": "R-01", "n": n}, minute)

    def moment(minute: int | None) -> str | None:
        if minute is None:
            return None
        return format_recorded_at(SHOOT_DAY + timedelta(minutes=minute))

    low, high = moment(since), moment(until)
    expected = [
        n + 1
        for n, minute in enumerate(minutes)
        if (low is None or moment(minute) >= low) and (high is None or moment(minute) <= high)
    ]
    found = ledger.store.named(ledger.production, "firearm", "R-01", since=low, until=high)
    assert seqs(found) == expected
    window = ledger.store.seq_window(ledger.production, low, high)
    if expected:
        assert window is not None
        assert window[0] <= expected[0]
        assert expected[-1] <= window[1]


@pytest.mark.parametrize(**ON_DATABASES)
def test_a_database_from_before_the_index_is_caught_up_when_it_is_opened(ledger, database) -> None:
    a_day_on_set(ledger)
    wanted = index_from_the_log(ledger)
    with database.raw() as raw:  # the database as Showclear left it before the index existed
        raw.execute("DROP TABLE ledger_mention")
    ledger.store.close()

    reopened = database.open_store()  # what every Showclear process does when it starts
    try:
        assert stored_index(database, ledger.production.id) == wanted
        assert seqs(reopened.named(ledger.production, "firearm", "R-01")) == [2, 3, 5]
    finally:
        reopened.close()
    ledger.store = database.open_store()  # for the fixture to close


@pytest.mark.parametrize(**ON_DATABASES)
def test_an_index_left_behind_by_an_older_process_is_caught_up_before_it_is_read(
    ledger, database
) -> None:
    a_day_on_set(ledger)
    with database.raw() as raw:  # an older Showclear appended entries 4 and 5 without indexing
        raw.execute(
            "DELETE FROM ledger_mention WHERE production_id = ? AND seq >= 4",
            (ledger.production.id,),
        )
    assert seqs(ledger.store.named(ledger.production, "firearm", "R-01")) == [2, 3]

    ledger.store.mentions_current(ledger.production)
    assert seqs(ledger.store.named(ledger.production, "firearm", "R-01")) == [2, 3, 5]
    assert stored_index(database, ledger.production.id) == index_from_the_log(ledger)


@pytest.mark.parametrize(**ON_DATABASES)
def test_the_next_append_catches_a_stale_index_up_first(ledger, database) -> None:
    a_day_on_set(ledger)
    with database.raw() as raw:
        raw.execute("DELETE FROM ledger_mention WHERE production_id = ?", (ledger.production.id,))
    append(ledger, "firearm.returned", {"firearm": "R-01", "returned_by": "jo"}, 6)
    assert seqs(ledger.store.named(ledger.production, "firearm", "R-01")) == [2, 3, 5, 6]
    assert stored_index(database, ledger.production.id) == index_from_the_log(ledger)


@pytest.mark.parametrize(**ON_DATABASES)
def test_the_index_forgets_entries_removed_by_hand_and_names_nothing_for_an_unreadable_one(
    ledger, database
) -> None:
    a_day_on_set(ledger)
    with database.raw() as raw:
        raw.drop_triggers()
        raw.execute("DELETE FROM ledger_entry WHERE production_id = ? AND seq = 5",
                    (ledger.production.id,))  # fmt: skip
        raw.execute("DELETE FROM ledger_mention WHERE production_id = ? AND seq >= 3",
                    (ledger.production.id,))  # fmt: skip
        raw.execute("UPDATE ledger_entry SET body = ? WHERE production_id = ? AND seq = 3",
                    (b"not json", ledger.production.id))  # fmt: skip
    ledger.store.index_mentions(ledger.production)
    assert seqs(ledger.store.named(ledger.production, "firearm", "R-01")) == [2]
    assert seqs(ledger.store.named(ledger.production, "person", "jo")) == []


def test_a_few_fields_of_many_entries_are_read_by_the_database_and_whole_entries_by_seq(
    ledger, database
) -> None:
    """How trace round reads a lot's box moves: two JSON fields each, not the whole entry."""
    append(ledger, "lot.stored", {"lot": "D-01", "container": "AMMO-1"}, 1)
    append(ledger, "lot.taken-out", {"lot": "D-01", "container": "AMMO-1"}, 2, person="sam")
    append(ledger, "lot.verified-elsewhere", {"lot": "D-01"}, 3)
    production = ledger.production

    moves = ledger.store.named_fields(
        production, "lot", "D-01", [("person",), ("payload", "container")],
        kinds=["lot.stored", "lot.taken-out"],
    )  # fmt: skip
    assert moves == [(1, "lot.stored", "p-1", "AMMO-1"), (2, "lot.taken-out", "sam", "AMMO-1")]
    assert (
        ledger.store.named_fields(
            production, "lot", "D-01", [("payload", "missing")], kinds=["lot.stored"], after=1
        )
        == []
    )
    assert ledger.store.named_fields(
        production, "lot", "D-01", [("payload", "missing")], kinds=["lot.stored"]
    ) == [(1, "lot.stored", None)]

    rows = ledger.store.entries_at(production, [3, 1, 99])
    assert [seq for seq, _ in rows] == [1, 3]
    assert rows[0][1] == ledger.store.entry(production, 1)
    assert ledger.store.entries_at(production, []) == []
