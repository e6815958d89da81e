"""Times typed on the set pages are read in the production's zone: the night the clocks go
back, the repeated hour is its first occurrence; the night they go forward, the skipped hour is
refused with the change said, and nothing is read from it. Real dates of America/Denver: 2026
goes to MDT on March 8 at 02:00 and back to MST on November 1 at 02:00."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from floor_demo import Demo, demo_in_process, record, text

from showclear.core.commands import SetTimeZone
from showclear.service import InputError
from showclear.web.floor.local_time import typed

DENVER = ZoneInfo("America/Denver")


def test_a_time_typed_in_denver_is_read_in_denver() -> None:
    assert typed("2026-10-14T10:21", zone=DENVER) == datetime(2026, 10, 14, 16, 21, tzinfo=UTC)
    assert typed("2026-12-06T10:21", zone=DENVER) == datetime(2026, 12, 6, 17, 21, tzinfo=UTC)


def test_a_time_that_names_its_offset_is_taken_as_it_says() -> None:
    assert typed("2026-10-14T10:21Z", zone=DENVER) == datetime(2026, 10, 14, 10, 21, tzinfo=UTC)
    assert typed("2026-10-14T10:21+02:00", zone=DENVER) == datetime(2026, 10, 14, 8, 21, tzinfo=UTC)


def test_the_repeated_hour_when_the_clocks_go_back_is_its_first_occurrence() -> None:
    # 01:30 happens twice on November 1: at 07:30 UTC (MDT) and at 08:30 UTC (MST).
    assert typed("2026-11-01T01:30", zone=DENVER) == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert typed("2026-11-01T00:59", zone=DENVER) == datetime(2026, 11, 1, 6, 59, tzinfo=UTC)
    assert typed("2026-11-01T02:00", zone=DENVER) == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_the_skipped_hour_when_the_clocks_go_forward_is_refused_with_the_change() -> None:
    with pytest.raises(InputError) as refused:
        typed("2026-03-08T02:30", "At", zone=DENVER)
    assert str(refused.value) == (
        "At '2026-03-08T02:30' never happened in America/Denver: on 2026-03-08 the clocks went "
        "forward 1 hour, from 02:00 to 03:00 (MST to MDT); give a time before 02:00 or from "
        "03:00 on"
    )
    assert typed("2026-03-08T01:59", zone=DENVER) == datetime(2026, 3, 8, 8, 59, tzinfo=UTC)
    assert typed("2026-03-08T03:00", zone=DENVER) == datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def test_what_is_not_a_time_or_out_of_range_is_refused() -> None:
    with pytest.raises(InputError, match="is not a date and time"):
        typed("yesterday", zone=DENVER)
    with pytest.raises(InputError, match="outside the years 0001 to 9999"):
        typed("9999-12-31T23:59", zone=DENVER)


# -- on the trace pages of a production in Denver ----------------------------------------------


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        record(served, served.person_id("Marta Velez"), SetTimeZone("America/Denver"))
        yield served


def _entries(page: str) -> list[str]:
    return re.findall(r"entry #(\d+)", page)


def test_the_timeline_window_is_typed_in_the_production_s_zone(demo: Demo) -> None:
    armorer = demo.phone("marta")
    _, _, local = armorer.get(
        demo.page("firearm/R-02/trace/?from=2026-10-12T00:00&to=2026-10-12T23:59")
    )
    _, _, in_utc = armorer.get(
        demo.page("firearm/R-02/trace/?from=2026-10-12T06:00Z&to=2026-10-13T05:59Z")
    )
    assert _entries(local), "the demo's prep day has entries about R-02"
    assert _entries(local) == _entries(in_utc)
    assert 'value="2026-10-12T00:00"' in local, "the window is shown as it was typed"
    said = text(local)
    assert "From (America/Denver (MDT))" in said
    assert "To (America/Denver (MDT))" in said


def test_a_skipped_hour_in_the_window_is_refused_and_shows_nothing(demo: Demo) -> None:
    code, _, page = demo.phone("marta").get(
        demo.page("firearm/R-02/trace/?from=2026-03-08T02:30&to=2026-10-15T00:00")
    )
    assert code == 200
    assert "never happened in America/Denver" in text(page)
    assert "from 02:00 to 03:00 (MST to MDT)" in text(page)
    assert _entries(page) == []


def test_the_round_trace_reads_its_time_in_the_zone_and_names_it(demo: Demo) -> None:
    code, _, page = demo.phone("marta").get(
        demo.page("firearm/R-02/trace/round/?position=chamber+1&at=2026-11-01T01:30")
    )
    assert code == 200
    assert 'value="2026-11-01T01:30"' in page
    assert "At (America/Denver (MDT))" in text(page), "the first 01:30 of the night is MDT"
