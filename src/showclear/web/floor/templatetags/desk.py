"""``{% if place|gives:"StartScene" %}``: whether the signed-in person is among those the
command's handler declares (a button to offer; the core still decides the press), and
``{% break_card %}``: the first AD's break card on Today."""

from __future__ import annotations

from typing import Any

from django import template

from showclear.core.commands import Command
from showclear.web.floor.access import OnProduction
from showclear.web.floor.roles import ACTING, may_give
from showclear.web.floor.scenes import BREAKS

register = template.Library()

_COMMANDS: dict[str, type[Command]] = {
    command.__name__: command for commands in ACTING.values() for command in commands
}


@register.filter
def gives(place: OnProduction | None, command: str) -> bool:
    """Whether the person of ``place`` may give ``command`` (named as its class is)."""
    return isinstance(place, OnProduction) and may_give(place.person.roles, _COMMANDS[command])


@register.inclusion_tag("floor/_breaks.html", takes_context=True)
def break_card(context: template.Context) -> dict[str, Any]:
    """The break on (if any) with the button to end it, or the form to call one."""
    place = context.get("place")
    on_break = place.state.on_break if isinstance(place, OnProduction) else None
    return {
        "place": place,
        "on_break": on_break,
        "break_reasons": BREAKS,
        "csrf_token": context.get("csrf_token"),
    }
