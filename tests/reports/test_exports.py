"""CSV exports: the inventory round-trips into a new production, the bound book says where each
firearm came from and went, a history view lists the entries naming what it shows (as
:mod:`showclear.core.mentions` defines it), and no cell is ever a formula.

The round trip runs on SQLite and (when asked for) PostgreSQL, on the demo production built
in this process through the service exactly as ``showclear demo`` builds it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from showclear import imports
from showclear.cli import demo as script
from showclear.core.commands import (
    DrawFirearm,
    InspectFirearm,
    ReceiveFirearm,
    RegisterContainer,
    ReturnToOwner,
)
from showclear.core.mentions import FIREARM, mentions
from showclear.core.state import ProductionState
from showclear.core.vocabulary import FIRING, revolver_chambers
from showclear.imports.table import GUARDED, Column, read
from showclear.reports import exports, reading
from showclear.reports.cells import csv_bytes, csv_text, guarded
from showclear.service import GENESIS_PERSON, Service
from showclear.service.keyring import Keyring


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def service(database: Any) -> Iterator[Service]:
    service = Service(
        store=database.open_store(), keyring=Keyring(database.data_dir), device="test"
    )
    yield service
    service.store.close()


def _western(service: Service) -> ProductionState:
    built = script.build(service, script.Credentials.fresh(), day_two=date(2026, 10, 14))
    service.clock = _Clock()
    return service.state(built.production)


def _inventory(state: ProductionState) -> dict[str, tuple[object, ...]]:
    """What a production holds, as an armorer would compare two: every firearm's identity and
    every lot's provenance with the rounds it has."""
    held: dict[str, tuple[object, ...]] = {
        f.tag: (
            f.serial,
            f.make,
            f.model,
            f.firearm_type,
            f.calibre,
            f.firearm_class,
            f.positions,
            f.owner,
            f.notes,
        )
        for f in state.firearms.values()
        if f.active
    }
    for tag, lot in state.lots.items():
        if state.on_hand(tag) and not lot.live:
            held[tag] = (
                lot.lot_kind,
                lot.calibre,
                state.on_hand(tag),
                lot.supplier,
                lot.document,
                lot.delivered_on,
                lot.load,
                lot.for_firearms,
            )
    return held


def test_an_exported_inventory_imported_into_a_new_production_gives_the_same_inventory(
    service: Service,
) -> None:
    western = _western(service)
    data = csv_bytes(exports.INVENTORY, exports.inventory(western))
    second, _ = service.create_production("Dust and Iron: second unit", "Sam Ortiz")
    size = service.store.size(second)

    done = imports.run(service, second, "manifest", data, person_id=GENESIS_PERSON)

    arrived = service.state(second)
    assert _inventory(arrived) == _inventory(western)
    assert len(_inventory(arrived)) == len(script.FIREARMS) + len(script.LOTS) + 1
    assert service.store.size(second) == size + done.entries
    assert exports.inventory(arrived) == exports.inventory(western), "export o import o export"


def test_rounds_fired_and_lots_with_a_live_round_do_not_travel(service: Service) -> None:
    western = _western(service)
    rows = {row[0]: row for row in exports.inventory(western)}

    blank_lots = [tag for tag, kind, *_ in script.LOTS if kind == "blank"]
    for tag in blank_lots:
        assert int(rows[tag][10]) == western.on_hand(tag) < western.lots[tag].received


def test_the_bound_book_says_who_each_firearm_came_from_and_went_to_and_when(
    service: Service,
) -> None:
    western = _western(service)
    production = service.production(script.NAME)
    service.execute(production, DrawFirearm("W-06"), person_id=GENESIS_PERSON)
    service.execute(production, ReturnToOwner("W-06"), person_id=GENESIS_PERSON)

    book = {row[4]: row for row in exports.bound_book(service.state(production))}

    serial = next(serial for tag, serial, *_ in script.FIREARMS if tag == "W-06")
    make, model, calibre, kind, _, came, on, went, back = book[serial]
    assert (make, model, calibre, kind) == ("Winchester", "1892", ".44-40", "lever-action rifle")
    assert (came, on) == (script.RENTALS, "2026-10-12")  # the prep day, two before day two
    assert (went, back) == (script.RENTALS, "2026-10-20")
    still_here = book[next(s for t, s, *_ in script.FIREARMS if t == "R-02")]
    assert still_here[7:] == ("", "")
    assert len(book) == len(western.firearms)


def test_a_firearms_history_csv_lists_every_entry_naming_it_in_order(service: Service) -> None:
    western = _western(service)
    production = service.production(script.NAME)
    snap = reading.snapshot(service, production)

    rows = exports.history(snap, exports.HistoryView(firearm="R-01"))

    naming = [
        entry["seq"]
        for batch in service.store.entry_batches(production)
        for entry in map(json.loads, batch)
        if (FIREARM, "R-01") in mentions(entry["kind"], entry["payload"], entry["person"])
    ]
    assert [int(row[0]) for row in rows] == naming
    assert {e.seq for e in western.firearms["R-01"].history} <= set(naming)
    assert rows[0][2] == "firearm.received"
    assert "R-01" in rows[0][3]
    by_kind = exports.history(snap, exports.HistoryView(firearm="R-01", kind="firearm.loaded"))
    assert {row[2] for row in by_kind} == {"firearm.loaded"}
    assert len(by_kind) == 2, "scene 14 on day one, scene 34 on day two"


def test_cells_a_spreadsheet_would_run_are_written_as_text_and_read_back_exactly(
    service: Service,
) -> None:
    production, _ = service.create_production("Formula Films", "Hannah Reed")
    service.clock = _Clock()
    service.execute(
        production, RegisterContainer("SAFE-1", "armory-safe"), person_id=GENESIS_PERSON
    )
    nasty = {
        '=HYPERLINK("http://evil.example","click")': "owner",
        "+1-555-0100": "notes",
        "@SUM(A1:A9)": "model",
        "-2+3": "make",
    }
    by_field = {field: text for text, field in nasty.items()}
    service.execute(
        production,
        ReceiveFirearm(
            "R-01",
            "SN-1",
            by_field["make"],
            by_field["model"],
            "revolver",
            ".45 Colt",
            FIRING,
            revolver_chambers(6),
            by_field["owner"],
            by_field["notes"],
        ),
        person_id=GENESIS_PERSON,
    )
    service.execute(
        production,
        InspectFirearm("R-01", revolver_chambers(6), True, FIRING),
        person_id=GENESIS_PERSON,
    )
    state = service.state(production)

    text = csv_text(exports.INVENTORY, exports.inventory(state))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]

    assert not [cell for cell in cells if cell.startswith(GUARDED)], "no cell starts a formula"
    for dangerous in nasty:
        assert f"'{dangerous}" in cells
    again, _ = service.create_production("Formula Films 2", "Hannah Reed")
    imports.run(service, again, "manifest", text.encode(), person_id=GENESIS_PERSON)
    copied = service.state(again).firearms["R-01"]
    assert (copied.make, copied.model, copied.owner, copied.notes) == (
        by_field["make"],
        by_field["model"],
        by_field["owner"],
        by_field["notes"],
    )


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
@example("\t")  # a guarded blank is still a blank line
@example("\r")
@example("'\t")  # an apostrophe before a formula start is kept
@example("''=1+1")
@example("'Doc' Holliday")
def test_any_text_is_written_as_a_cell_no_spreadsheet_runs_and_read_back_by_an_import(
    text: str,
) -> None:
    written = csv_text(("value",), [(text,)])

    table = read(written.encode("utf-8"), (Column("value"),))

    assert not guarded(text).startswith(GUARDED)
    assert table.problems == []
    expected = [text.strip()] if text.strip() else []  # imports trim cells and skip blank lines
    assert [row.text("value") for row in table.rows] == expected
