"""Today: the readiness board of the day's scenes, for one glance by the first AD.

Each scene is READY or NOT READY with every reason, and each firearm shows its custodian, its
condition (cold / dummies n / hot n), its last inspection and what is missing before it may be
handed over. The reasons are the core's own refusals of the commands the set gives next,
previewed (see :mod:`showclear.core.read.readiness_board`): nothing is recorded by looking.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from showclear.core.read.readiness_board import days_with_scenes, shoot_day
from showclear.core.words import local_day
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.floor.templatetags.fragments import WhenDrawn, moment


def set_context(place: OnProduction) -> dict[str, Any]:
    """What every page of the set areas shows around its content: the production, which of
    the set pages the person may open, and the ledger footer."""
    return {
        "place": place,
        "may": {
            "meeting": may(place, "safety-meeting"),
            "wrap": may(place, "wrap"),
            "lot": may(place, "lot"),
            "reports": may(place, "reports"),
        },
    }


@login_required
def today(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's scenes (or the day asked for, or the latest shoot day), READY or NOT READY."""
    place = on_production(request.user, slug)
    require(place, "today")
    now = place.service.clock()
    asked = request.GET.get("day", "")
    # The board is worked out only when its kept parts (keyed by the ledger size, the day asked
    # for and the 5-second moment, as the board polls) must be drawn again: a template calls
    # these when it first reads them, and each works out once.
    context = {
        **set_context(place),
        "day": WhenDrawn(
            lambda: shoot_day(place.state, local_day(now, place.zone), now, asked, zone=place.zone)
        ),
        "today": local_day(now, place.zone),
        "now": now,
        "moment": moment(now),
        "days": WhenDrawn(lambda: days_with_scenes(place.state)),
    }
    if request.headers.get("HX-Target") == "scenes":  # the board refreshing itself
        return render(request, "floor/_today_scenes.html", context)
    return render(request, "floor/today.html", context)


urlpatterns: list[URLPattern] = [path("today/", today, name="today")]
