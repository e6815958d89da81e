"""The words Showclear says things in: a time, a count, a firearm's condition.

One definition of each, for every page, report, refusal and trace. The sentence each kind of
ledger entry makes is built from these by :mod:`showclear.core.read.sentences`.

Pure, and low in the core (beside the vocabulary): the deciders word their refusals with it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from showclear.core.vocabulary import COLD, DUMMIES, HOT

if TYPE_CHECKING:
    from showclear.core.events.armory import Placement

# -- times ---------------------------------------------------------------------------------------
#
# Every time is said in the production's time zone (``zone``, an aware ``tzinfo`` the caller
# resolves from the production's zone name: the core never reads zone files), with its
# abbreviation ("MDT"), and with its date unless it falls on ``today`` (the reader's date in
# that zone). Without a zone a time is said in UTC; without a today it always has its date.


def local_day(at: datetime, zone: tzinfo = UTC) -> date:
    """The date ``at`` falls on in ``zone``."""
    return at.astimezone(zone).date()


def _zone_name(local: datetime) -> str:
    """``"MDT"``; ``"UTC-03:00"`` where the zone has no letters for itself (``"-03"``)."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def stamp(at: datetime, *, zone: tzinfo = UTC, today: date | None = None) -> str:
    """``"Oct 14 10:21 MDT"``, or ``"10:21 MDT"`` on ``today``: a time on a page or a phone,
    short, and says its zone; ``"Oct 14 2025 10:21 MDT"`` in another year."""
    local = at.astimezone(zone)
    if today is not None and local.date() == today:
        return f"{local:%H:%M} {_zone_name(local)}"
    day = f"{local:%b %d}" if today is None or local.year == today.year else f"{local:%b %d %Y}"
    return f"{day} {local:%H:%M} {_zone_name(local)}"


def full_stamp(at: datetime, *, zone: tzinfo = UTC) -> str:
    """``"2026-10-14 10:21:00 MDT (UTC-06:00)"``: a time in a trace or a report, with the year,
    to the second (entries recorded in the same minute are told apart) and its offset from
    UTC, so an investigator reads the instant without knowing the zone's rules."""
    local = at.astimezone(zone)
    said = f"{local:%Y-%m-%d %H:%M:%S} {_zone_name(local)}"
    if local.utcoffset() == timedelta(0) and _zone_name(local) == "UTC":
        return said
    offset = local.strftime("%z")
    return f"{said} (UTC{offset[:3]}:{offset[3:]})"


def clock(at: datetime, *, zone: tzinfo = UTC, today: date | None = None) -> str:
    """``"13:02 MDT"``: the time of day, for a sentence about today (a report of one day);
    with its date (as :func:`stamp`) when ``today`` is given and it is another day."""
    if today is not None:
        return stamp(at, zone=zone, today=today)
    local = at.astimezone(zone)
    return f"{local:%H:%M} {_zone_name(local)}"


# -- counts and conditions -------------------------------------------------------------------------


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 round"``, ``"6 rounds"``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def rounds(count: int) -> str:
    """``"1 round"``, ``"50 rounds"``."""
    return plural(count, "round")


def described(held: tuple[str, int]) -> str:
    """``"cold"``, ``"dummies (6)"``, ``"hot (2 blanks)"``: a firearm's condition in words."""
    word, count = held
    if word == COLD:
        return "cold"
    if word == HOT:
        return f"hot ({plural(count, 'blank')})"
    if word == DUMMIES:
        return f"dummies ({count})"
    return f"dummies and blanks MIXED ({rounds(count)})"


def held(contents: Sequence[Placement]) -> str:
    """``"chamber 1: D-01, chamber 2: D-01"``, or ``"empty"``."""
    return ", ".join(f"{p.position}: {p.lot}" for p in contents) or "empty"
