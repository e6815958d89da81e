"""Template words for the trace pages: a trace's time, and whether a person may open traces."""

from __future__ import annotations

from datetime import datetime

from django import template

from showclear.core.trace import full_stamp
from showclear.web.floor.access import OnProduction, may

register = template.Library()


@register.filter
def utc(moment: datetime) -> str:
    """``2025-03-04 08:10:00 UTC``: a trace's time, to the second."""
    return full_stamp(moment)


@register.filter
def may_trace(place: OnProduction) -> bool:
    """Whether the signed-in person may open the trace pages (area ``trace``)."""
    return may(place, "trace")
