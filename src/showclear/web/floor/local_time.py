"""Times on the set pages, in the production's time zone: said, and typed.

A page on a production reads its zone once (:func:`read_in`, called when the page finds its
production) and every time on it is then said in that zone, with its date when it is not
today there, by the core's words (:mod:`showclear.core.words`): the template filters
(``trace_words``) and the views read the zone from here, so no template passes it along.
A ``datetime-local`` field shows and takes the production's local time.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from showclear.core import words


@dataclass(frozen=True)
class Reading:
    """Where the page is read: the production's zone, and today's date in it."""

    zone: tzinfo = UTC
    today: date | None = None


_UTC = Reading()
_READING: ContextVar[Reading] = ContextVar("showclear_reading", default=_UTC)


def read_in(zone: tzinfo, now: datetime) -> None:
    """Say this request's times in ``zone``, ``now`` giving today."""
    _READING.set(Reading(zone, words.local_day(now, zone)))


def forget(**_: object) -> None:
    """Back to UTC (at the start of every request: a thread serves many)."""
    _READING.set(_UTC)


def zone() -> tzinfo:
    """The zone this request's times are said in."""
    return _READING.get().zone


def stamp(at: datetime) -> str:
    """``"10:21 MDT"`` today, ``"Oct 14 10:21 MDT"`` another day."""
    reading = _READING.get()
    return words.stamp(at, zone=reading.zone, today=reading.today)


def full_stamp(at: datetime) -> str:
    """``"2026-10-14 10:21:00 MDT (UTC-06:00)"``: a trace's time, to the second."""
    return words.full_stamp(at, zone=_READING.get().zone)


def zone_said(at: datetime | None = None) -> str:
    """``"America/Denver (MDT)"``: the zone a field's time is typed in, as a label says it."""
    reading = _READING.get()
    local = (at or datetime.now(UTC)).astimezone(reading.zone)
    name = str(reading.zone)
    abbreviation = local.tzname() or ""
    return name if abbreviation in ("", name) else f"{name} ({abbreviation})"


def field_value(moment: datetime | None) -> str:
    """A time as a ``datetime-local`` field shows it: local, to the minute."""
    return "" if moment is None else moment.astimezone(zone()).strftime("%Y-%m-%dT%H:%M")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first and the last moment of ``day`` in this request's zone (aware UTC)."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone())
    following = day + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=zone())
    return start.astimezone(UTC), end.astimezone(UTC) - timedelta(microseconds=1)
