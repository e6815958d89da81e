"""Reports say their times in the production's zone and cut their days at its midnight: the
armorer's log of a day in Denver holds what was recorded between two Denver midnights, however
late in UTC, and the night the clocks go back that day is 25 hours long."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from showclear import reports
from showclear.core.commands import AddPerson
from showclear.core.vocabulary import CREW
from showclear.reports import reading
from showclear.reports.document import Document, Table
from showclear.service import GENESIS_PERSON, Service
from showclear.service.keyring import Keyring
from showclear.store import open_store

DENVER = ZoneInfo("America/Denver")


class Clock:
    """The time the next entry is recorded at."""

    def __init__(self) -> None:
        self.now = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    clock = Clock()
    store = open_store(f"sqlite:///{tmp_path / 'showclear.sqlite3'}")
    store.create_schema()
    service = Service(
        store=store,
        keyring=Keyring(tmp_path),
        device="test",
        clock=clock,
    )
    service.create_production("Night Shoot", "Marta Velez", "America/Denver")
    yield service
    service.store.close()


def _add_at(service: Service, name: str, *local: int) -> None:
    """Put ``name`` on the roster at the Denver wall time ``local`` (its first occurrence)."""
    at = datetime(*local, tzinfo=DENVER)  # type: ignore[misc]
    _add_at_utc(service, name, at.astimezone(UTC))


def _add_at_utc(service: Service, name: str, at: datetime) -> None:
    clock = service.clock
    assert isinstance(clock, Clock)
    clock.now = at
    service.execute(service.production(), AddPerson(name, (CREW,)), person_id=GENESIS_PERSON)


def _log(service: Service, day: date) -> Document:
    return reports.document(reading.snapshot(service, service.production()), "daily-log", day=day)


def _entries(document: Document) -> list[tuple[str, str]]:
    """(time, what happened) of every row of the log's table of entries."""
    table = next(
        block
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Table) and block.columns[0] == "Time"
    )
    return [(row[0], row[3]) for row in table.rows]


def test_a_day_in_denver_runs_from_its_midnight_to_the_next(service: Service) -> None:
    _add_at(service, "Before Midnight", 2026, 10, 13, 23, 30)  # 05:30 UTC on the 14th
    _add_at(service, "Just After", 2026, 10, 14, 0, 30)
    _add_at(service, "Late Night", 2026, 10, 14, 23, 50)  # 05:50 UTC on the 15th
    _add_at(service, "Next Day", 2026, 10, 15, 0, 10)
    log = _log(service, date(2026, 10, 14))
    assert [(time, what.split(" (")[0]) for time, what in _entries(log)] == [
        ("00:30 MDT", "Just After joined the roster"),
        ("23:50 MDT", "Late Night joined the roster"),
    ]
    assert log.subtitle == "Wednesday 14 October 2026 (times in America/Denver)"


def test_today_is_the_production_s_today(service: Service) -> None:
    _add_at(service, "Late Night", 2026, 10, 14, 23, 50)  # already the 15th in UTC
    state = service.state(service.production())
    assert reading.day_of("today", state) == date(2026, 10, 14)


def test_the_night_the_clocks_go_back_the_day_is_25_hours_long(service: Service) -> None:
    _add_at(service, "Early", 2026, 11, 1, 0, 30)
    _add_at(service, "First Half Past One", 2026, 11, 1, 1, 30)  # 07:30 UTC, MDT
    _add_at_utc(service, "Second Half Past One", datetime(2026, 11, 1, 8, 30, tzinfo=UTC))
    _add_at(service, "Last", 2026, 11, 1, 23, 30)  # 06:30 UTC on the 2nd
    _add_at(service, "Tomorrow", 2026, 11, 2, 0, 10)
    state = service.state(service.production())
    start, end = reading.day_bounds(date(2026, 11, 1), state)
    assert (end - start).total_seconds() == 25 * 3600
    times = [time for time, _ in _entries(_log(service, date(2026, 11, 1)))]
    assert times == ["00:30 MDT", "01:30 MDT", "01:30 MST", "23:30 MST"]


def test_the_compliance_summary_says_the_zone(service: Service) -> None:
    _add_at(service, "Just After", 2026, 10, 14, 0, 30)
    snap = reading.snapshot(service, service.production())
    summary = reports.document(snap, "compliance", day=date(2026, 10, 14), refusals=[])
    assert summary.subtitle.endswith("(times in America/Denver)")
