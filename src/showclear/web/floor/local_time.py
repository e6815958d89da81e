"""Times on the set pages, in the production's time zone: said, and typed.

A page on a production reads its zone once (:func:`read_in`, called when the page finds its
production) and every time on it is then said in that zone, with its date when it is not
today there, by the core's words (:mod:`showclear.core.words`): the template filters
(``trace_words``) and the views read the zone from here, so no template passes it along.
A ``datetime-local`` field shows and takes the production's local time (:func:`typed`): an
hour the clocks repeat (the night they go back) is read as its first occurrence, as the
ledger's own times say it first; an hour they skip (the night they go forward) never happened
there, so it is refused with the change said, rather than moved silently by an hour.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from showclear.core import words
from showclear.service import InputError


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


def today() -> date:
    """Today's date in this request's zone (in UTC before the page found its production)."""
    return _READING.get().today or datetime.now(UTC).date()


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


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or zone)


def _exists(local: datetime) -> bool:
    """Whether the wall time ``local`` (aware, fold 0) is one the zone's clocks showed."""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def _skipped(local: datetime, text: str, what: str) -> InputError:
    """Why ``local``, in a gap of its zone, is refused: the change, from when to when."""
    zone = local.tzinfo
    assert zone is not None
    start = local.replace(second=0, microsecond=0)
    while not _exists(start - timedelta(minutes=1)):  # a gap is hours long at most
        start -= timedelta(minutes=1)
    before, after = start.replace(fold=0), start.replace(fold=1)
    jump = (after.utcoffset() or timedelta(0)) - (before.utcoffset() or timedelta(0))
    if jump <= timedelta(0):  # zoneinfo gives the offset after the gap to fold=0
        before, after = after, before
        jump = -jump
    end = start + jump
    minutes = int(jump.total_seconds() // 60)
    size = (
        f"{minutes // 60} hour{'s' if minutes // 60 != 1 else ''}"
        if minutes % 60 == 0
        else (f"{minutes} minutes")
    )
    return InputError(
        f"{what} {text!r} never happened in {_zone_name(zone)}: on {start:%Y-%m-%d} the clocks "
        f"went forward {size}, from {start:%H:%M} to {end:%H:%M} "
        f"({before.tzname()} to {after.tzname()}); give a time before {start:%H:%M} or from "
        f"{end:%H:%M} on"
    )


def typed(text: str, what: str = "The time", zone: tzinfo | None = None) -> datetime:
    """A time typed on a set page (``2026-11-01T01:30``, as a ``datetime-local`` field sends
    it), read in ``zone`` (the request's, by default); aware UTC. A time that names its own
    offset (``...Z``, ``...-06:00``) is taken as it says. An hour the clocks repeat is its
    first occurrence; an hour they skip, or anything not a time, is an :class:`InputError`
    saying why (nothing is read from it)."""
    zone = zone or _READING.get().zone
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InputError(
            f"{what} {text!r} is not a date and time (for example 2026-10-14T10:21)"
        ) from error
    try:
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
        local = moment.replace(tzinfo=zone, fold=0)
        if not _exists(local):
            raise _skipped(local, text, what)
        return local.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59 in Denver is in the year 10000 in UTC
        raise InputError(
            f"{what} {text!r} is outside the years 0001 to 9999: give a time in those years"
        ) from None
