"""Template words: a trace's time, a page's time (in the production's zone, see
:mod:`~showclear.web.floor.local_time`), and whether a person may open traces."""

from __future__ import annotations

from datetime import datetime

from django import template

from showclear.web.floor import local_time
from showclear.web.floor.access import OnProduction, may

register = template.Library()


@register.filter
def utc(moment: datetime) -> str:
    """``2026-10-14 10:21:00 MDT (UTC-06:00)``: a trace's time, to the second, in the
    production's zone (the filter keeps its old name: every trace template uses it)."""
    return local_time.full_stamp(moment)


@register.filter
def full_stamp(moment: datetime) -> str:
    """The same as :func:`utc`, by its right name."""
    return local_time.full_stamp(moment)


@register.filter
def stamp(moment: datetime) -> str:
    """``10:21 MDT`` today, ``Oct 14 10:21 MDT`` another day: a time on a page, short enough
    for a phone, in the production's zone."""
    return local_time.stamp(moment)


@register.filter
def iso_stamp(text: str | None) -> str:
    """:func:`stamp` of a time written for scripts (``2026-10-14T10:21:00Z``, as the status
    holds it)."""
    return "" if not text else local_time.stamp(datetime.fromisoformat(text))


@register.filter
def may_trace(place: OnProduction) -> bool:
    """Whether the signed-in person may open the trace pages (area ``trace``)."""
    return may(place, "trace")
