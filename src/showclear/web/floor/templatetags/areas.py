"""``{% if place|opens:"today" %}``: whether the signed-in person may open an area, so a page
links only where they may go (a performer has the STOP WORK page, not the board)."""

from __future__ import annotations

from django import template

from showclear.web.floor.access import OnProduction, may

register = template.Library()


@register.filter
def opens(place: OnProduction | None, area: str) -> bool:
    """Whether the person of ``place`` may open ``area`` (:data:`~showclear.web.floor.roles.AREAS`)."""
    return isinstance(place, OnProduction) and may(place, area)
