"""The manifest import learns who made a lot (R-INERT-PRIMER) and refuses a line whose positions
or calibre contradict its class (R-CLASS); every firearm it receives waits for an armorer's first
inspection to record its class."""

from __future__ import annotations

import pytest
from paperwork_set import MANIFEST, Paperwork, csv_file

from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    MADE_ON_PRODUCTION,
    OTHER_MAKER,
    UNKNOWN_MAKER,
)

HEADER = "Tag,Type,Calibre,Qty,Supplier,Delivery note,Delivery date,Rounds made by\n"


@pytest.mark.parametrize(
    ("written", "maker"),
    [
        ("factory", AMMUNITION_MAKER),
        ("home-made", MADE_ON_PRODUCTION),
        ("prop house", OTHER_MAKER),
        ("", UNKNOWN_MAKER),
    ],
)
def test_a_lot_line_says_who_made_its_rounds(
    paperwork: Paperwork, written: str, maker: str
) -> None:
    line = f"D-05,Dummies,.45 Colt,12,Props Dept.,work order 7,2026-10-09,{written}\n"
    done = paperwork.imported("manifest", csv_file(HEADER + line))
    assert done.recorded
    assert paperwork.state.lots["D-05"].maker == maker


def test_a_manifest_without_a_maker_column_receives_its_lots_as_of_unknown_making(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("manifest", csv_file(MANIFEST))
    assert paperwork.state.lots["D-01"].maker == UNKNOWN_MAKER
    assert paperwork.state.firearms["R-01"].class_found == ""


def test_a_maker_that_is_not_one_of_the_words_is_refused_on_its_line(
    paperwork: Paperwork,
) -> None:
    line = "D-05,Dummies,.45 Colt,12,Props Dept.,work order 7,2026-10-09,my uncle\n"
    problems = paperwork.refused("manifest", csv_file(HEADER + line))
    assert any(
        p.startswith("line 2, column 8 (Rounds made by): 'my uncle' is not a lot maker")
        for p in problems
    ), problems


def test_a_replica_line_with_chambers_is_refused_as_contradicting_its_class(
    paperwork: Paperwork,
) -> None:
    text = MANIFEST.replace("DX-1106,replica,,", "DX-1106,replica,6,")
    problems = paperwork.refused("manifest", csv_file(text))
    assert any(
        "a non firing replica takes no rounds, so positions contradict its class (R-CLASS)" in p
        for p in problems
    ), problems
    assert "P-08" not in paperwork.state.firearms


def test_a_replica_line_with_a_calibre_and_a_serial_is_received_for_inspection(
    paperwork: Paperwork,
) -> None:
    done = paperwork.imported("manifest", csv_file(MANIFEST), dry_run=True)
    (replica,) = [step.says for step in done.steps if "P-08" in step.says]
    assert ".45 Colt, serial DX-1106, non-firing-replica, 0 positions" in replica
    assert replica.endswith("not issued until an armorer's first inspection records its class")
