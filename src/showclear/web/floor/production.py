"""The production: its name and its time zone, which the armorer may change.

Every time on the set pages, the reports and the CLI is said in the production's zone
(:mod:`~showclear.web.floor.local_time`). Anyone who works the production's pages sees which
zone that is and the time there now; the roles the core declares for ``SetTimeZone`` may choose
another, from the zones productions shoot in most (the production's own first) or by any IANA
name typed in. The change records through the Service like every desk press; a name the
machine does not know is the core's refusal, said where the form is, with nothing recorded.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from showclear.core.commands import SetTimeZone
from showclear.core.rules import Violation
from showclear.service import zones
from showclear.web.floor import local_time
from showclear.web.floor.access import may, on_production, require
from showclear.web.floor.actions import already_recorded
from showclear.web.floor.desk import record
from showclear.web.floor.forbidden import roles_in_words
from showclear.web.floor.roles import AREAS
from showclear.web.floor.today import set_context


@login_required
def production(request: HttpRequest, slug: str) -> HttpResponse:
    """The production's name and time zone; a press sets another zone."""
    place = on_production(request.user, slug)
    require(place, "production")
    current = place.state.zone or zones.DEFAULT
    refused: tuple[Violation, ...] = ()
    errors: list[str] = []
    failure = unchanged = ""
    status = 200
    if request.method == "POST":
        require(place, "time-zone")
        typed = request.POST.get("other", "").strip()
        chosen = zones.named(typed or request.POST.get("zone", ""))
        if not chosen:
            errors.append("Choose a time zone, or type its IANA name (America/Denver).")
        elif chosen == current and already_recorded(request, place):  # a double tap
            return redirect(reverse("production", kwargs={"slug": slug}) + "#time-zone")
        elif chosen == current:
            unchanged = f"The production already works in {current}: nothing was recorded."
        else:
            outcome = record(request, place, SetTimeZone(chosen))
            if outcome.recorded:
                messages.success(
                    request, f"The production works in {chosen}: every time is said in it."
                )
                return redirect(reverse("production", kwargs={"slug": slug}) + "#time-zone")
            refused, failure = outcome.refused, outcome.failure
        status = 400 if errors else 200
    now = place.service.clock()
    context: dict[str, Any] = {
        **set_context(place),
        "zone": current,
        "zone_said": local_time.zone_said(now),
        "now": f"{now.astimezone(place.zone):%A %d %B %Y, %H:%M}",
        "offered": zones.offered(current),
        "may_change": may(place, "time-zone"),
        "changers": roles_in_words(AREAS["time-zone"]),
        "unchanged": unchanged,
        "refused": refused,
        "errors": errors,
        "failure": failure,
        "posted": request.POST,
    }
    return render(request, "floor/production.html", context, status=status)


urlpatterns: list[URLPattern] = [path("production/", production, name="production")]
