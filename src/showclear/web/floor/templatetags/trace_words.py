"""Template words: a trace's time, a page's time, and whether a person may open traces."""

from __future__ import annotations

from datetime import datetime

from django import template

from showclear.core.words import full_stamp
from showclear.core.words import stamp as page_stamp
from showclear.web.floor.access import OnProduction, may

register = template.Library()


@register.filter
def utc(moment: datetime) -> str:
    """``2025-03-04 08:10:00 UTC``: a trace's time, to the second."""
    return full_stamp(moment)


@register.filter
def stamp(moment: datetime) -> str:
    """``Oct 14 10:21 UTC``: a time on a page, short enough for a phone."""
    return page_stamp(moment)


@register.filter
def may_trace(place: OnProduction) -> bool:
    """Whether the signed-in person may open the trace pages (area ``trace``)."""
    return may(place, "trace")
