"""A production's time zone: its IANA name on record, resolved here from the zone files.

The core says every time in the production's zone but never reads a zone file: the service
resolves the name the ledger holds (``TimeZoneSet``) into a ``tzinfo`` and passes it in the
decide context, and tells the core which names it can resolve (a new zone must be one).
"""

from __future__ import annotations

import logging
from datetime import UTC, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

logger = logging.getLogger(__name__)

DEFAULT = "UTC"
"""The zone of a production that never set one (every ledger before time zones)."""


@cache
def known() -> frozenset[str]:
    """Every time zone name this machine can resolve (read once: about 600 names)."""
    return frozenset(available_timezones()) | {DEFAULT}


def is_zone(name: str) -> bool:
    """Whether ``name`` is a time zone this machine knows (``America/Denver``, ``UTC``)."""
    return name in known()


@cache
def zone(name: str) -> tzinfo:
    """The ``tzinfo`` of ``name``; UTC (and a warning in the log) if this machine lacks it, so
    a ledger moved to a machine without that zone still opens, and says its times in UTC."""
    if name == DEFAULT:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("the time zone %r is not known on this machine: times are said in UTC", name)
        return UTC


COMMON: tuple[str, ...] = (
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Pacific/Honolulu",
    "America/Anchorage",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Prague",
    "Europe/Budapest",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Pacific/Auckland",
    DEFAULT,
)
"""The zones productions shoot in most often, offered first; any other IANA name is taken."""


def offered(current: str) -> tuple[str, ...]:
    """The zones to choose from: ``current`` (the production's, even if not a common one)
    first, then every common zone this machine knows."""
    common = tuple(name for name in COMMON if is_zone(name) and name != current)
    return (current, *common)


def named(typed: str) -> str:
    """The zone name ``typed`` means: as typed, or the known name it matches whatever its case
    and with spaces for underscores (``america/new york`` is ``America/New_York``)."""
    name = "_".join(typed.strip().split())
    if is_zone(name):
        return name
    folded = {known_name.casefold(): known_name for known_name in known()}
    return folded.get(name.casefold(), name)
