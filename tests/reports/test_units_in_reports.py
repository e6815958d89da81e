"""The daily log and the compliance summary say per unit what happened: the demo's second unit
shot scene 30 at Red Mesa on day two, with the rifle moved there and back between armorers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from demo_with_incident import DemoWithIncident

from showclear import reports
from showclear.reports import reading
from showclear.reports.document import Table
from showclear.service import Service

DAY_ONE, DAY_TWO = date(2026, 10, 13), date(2026, 10, 14)
QUARRY = "Second unit (Red Mesa quarry, 30 km north)"


@pytest.fixture
def service(western: DemoWithIncident, tmp_path: Path) -> Iterator[Service]:
    """A service on the demo's data (read only)."""
    opened = western.service()
    yield opened
    opened.store.close()


def _by_unit(document: reports.Document) -> Table:
    section = next(s for s in document.sections if s.heading == "By unit")
    return next(b for b in section.blocks if isinstance(b, Table))


def test_the_daily_log_says_what_each_unit_did_on_the_day(service: Service) -> None:
    snap = reading.snapshot(service, service.production())

    table = _by_unit(reports.document(snap, "daily-log", day=DAY_TWO))

    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert rows[QUARRY]["Scenes started"] == "30"
    assert rows[QUARRY]["Handovers"] == "1"
    assert rows[QUARRY]["Moves between units"] == "2", "received there, then sent back"
    assert rows["Main unit"]["Moves between units"] == "2", "sent out, then received back"
    assert "34" in rows["Main unit"]["Scenes started"]


def test_the_compliance_summary_is_told_per_unit(service: Service) -> None:
    snap = reading.snapshot(service, service.production())

    table = _by_unit(reports.document(snap, "compliance", day=DAY_TWO, refusals=[]))

    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert set(rows) == {"Main unit", QUARRY}
    assert rows[QUARRY]["Warnings"] == "0"
    assert rows[QUARRY]["STOP WORK"] == "none"
    total = len(reading.between(service, service.production(), *reading.day_bounds(DAY_TWO, snap.state),
                                snap.size - 1))  # fmt: skip
    assert sum(int(row["Entries"]) for row in rows.values()) == total
