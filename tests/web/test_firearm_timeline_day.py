"""A firearm's timeline opens on the local day of its last entry (not the last 24 hours), in
the production's zone, with the days before and after it a link away."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from floor_demo import Demo, demo_in_process, record, text

from showclear.core.commands import SetTimeZone

DENVER = ZoneInfo("America/Denver")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        record(served, served.person_id("Marta Velez"), SetTimeZone("America/Denver"))
        yield served


def _days_of_r02(demo: Demo) -> dict[date, list[str]]:
    """R-02's entries by their day in Denver, as ``showclear trace`` reads them."""
    done = demo.showclear("trace", "firearm", "R-02", "--json")
    assert done.returncode == 0, done.stderr
    days: dict[date, list[str]] = {}
    for line in json.loads(done.stdout)["lines"]:
        at = datetime.fromisoformat(line["at"].replace("Z", "+00:00")).astimezone(DENVER)
        days.setdefault(at.date(), []).append(str(line["seq"]))
    return days


def _entries(page: str) -> list[str]:
    return re.findall(r"entry #(\d+)", page)


def _said(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_the_timeline_opens_on_the_local_day_of_the_firearm_s_last_entry(demo: Demo) -> None:
    days = _days_of_r02(demo)
    last = max(days)
    code, _, page = demo.phone("pat").get(demo.page("firearm/R-02/trace/"))
    assert code == 200
    assert f"{_said(last)} in America/Denver (M" in text(page)
    assert _entries(page) == days[last], "every entry of that day in Denver, and no other"
    assert f'href="?day={last - timedelta(days=1)}"' in page
    assert f'href="?day={last + timedelta(days=1)}"' in page


def test_the_day_before_is_a_link_away_and_shows_that_day(demo: Demo) -> None:
    days = _days_of_r02(demo)
    earlier = sorted(days)[-2]
    code, _, page = demo.phone("pat").get(demo.page(f"firearm/R-02/trace/?day={earlier}"))
    assert code == 200
    assert _said(earlier) in text(page)
    assert _entries(page) == days[earlier]


def test_a_day_with_nothing_on_it_says_so(demo: Demo) -> None:
    days = _days_of_r02(demo)
    after = max(days) + timedelta(days=1)
    _, _, page = demo.phone("pat").get(demo.page(f"firearm/R-02/trace/?day={after}"))
    assert _said(after) in text(page)
    assert "Nothing was recorded about it in this window." in text(page)


def test_a_day_that_is_not_a_date_is_said_and_never_fails(demo: Demo) -> None:
    for asked, said in (
        ("yesterday", "The day 'yesterday' is not a date (like 2026-10-14)."),
        ("9999-12-31", "The day '9999-12-31' is outside the years 0002 to 9998."),
    ):
        code, _, page = demo.phone("pat").get(demo.page(f"firearm/R-02/trace/?day={asked}"))
        assert code == 200
        assert said in text(page)
        assert _entries(page) == []
