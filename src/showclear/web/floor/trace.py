"""Trace pages for the investigator, the safety supervisor and the armorers (area ``trace``):
how a round got into a firearm, and a firearm's, lot's or person's record between two times.

The same traces as ``showclear trace`` (:class:`showclear.service.traces.Tracer`), read through the
mention index: a page costs what its answer holds. Every line names its ledger entry (``#seq``)
so it can be proven with an inclusion proof against a signed checkpoint (the ledger page).

Routes (under /p/<slug>/): ``firearm/<tag>/trace/``, ``firearm/<tag>/trace/round/``,
``lot/<tag>/trace/``, ``person/<person_id>/trace/``. Times are said and typed in the
production's zone (:func:`~showclear.web.floor.local_time.typed`). A timeline opens on the
local day of its subject's last entry, not the last 24 hours: the day an investigator asks about
is the firearm's last shoot day, even weeks after the wrap. ``?day=YYYY-MM-DD`` shows another
day (the page links the days before and after it); ``from``/``to`` any window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from showclear.core.events.armory import FirearmReceived
from showclear.core.read.trace import Timeline
from showclear.core.words import local_day
from showclear.service import InputError
from showclear.service.traces import NothingLoaded, Tracer
from showclear.web.floor import local_time
from showclear.web.floor.access import OnProduction, on_production, require
from showclear.web.floor.today import set_context

SHOWN = 500
"""Lines a timeline page shows at most; a longer window says so and asks for a shorter one."""

# The days a timeline may show: a day's bounds, and the days around it, in UTC in any zone.
FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)


def _tracer(place: OnProduction) -> Tracer:
    return Tracer(place.service.store, place.production, place.state.seq + 1)


@dataclass(frozen=True)
class Window:
    """The times a timeline page shows: a day of the production's zone, or two typed times."""

    since: datetime
    until: datetime
    #: The local day shown, when the page shows one (no ``from``/``to`` typed).
    day: date | None = None


def _day(request: HttpRequest, last: Callable[[], datetime | None]) -> tuple[date, list[str]]:
    """The local day asked for (``?day=YYYY-MM-DD``), by default the day of the subject's last
    entry in the production's zone (today, if nothing names it yet)."""
    asked = request.GET.get("day", "").strip()
    if asked:
        try:
            day = date.fromisoformat(asked)
        except ValueError:
            return local_time.today(), [f"The day {asked!r} is not a date (like 2026-10-14)."]
        if not FIRST_DAY <= day <= LAST_DAY:
            return local_time.today(), [f"The day {asked!r} is outside the years 0002 to 9998."]
        return day, []
    newest = last()
    return (local_time.today() if newest is None else local_day(newest, local_time.zone())), []


def _window(request: HttpRequest, last: Callable[[], datetime | None]) -> tuple[Window, list[str]]:
    """The window asked for: two typed times (``from``/``to``, in the production's zone), or
    else a whole local day (:func:`_day`)."""
    typed = {n: request.GET.get(n, "").strip() for n in ("from", "to")}
    day, errors = _day(request, last)
    since, until = local_time.day_bounds(day)
    if not any(typed.values()):
        return Window(since, until, day), errors
    bounds = {"from": since, "to": until}  # a time left empty: the day's own bound
    for name, text in typed.items():
        if text:
            try:
                bounds[name] = local_time.typed(text, f"The time {name!r}")
            except InputError as error:
                errors.append(f"{str(error)[:1].upper()}{str(error)[1:]}.")
    if bounds["from"] > bounds["to"]:
        errors.append("The window starts after it ends: put 'from' before 'to'.")
    return Window(bounds["from"], bounds["to"]), errors


def _timeline_page(
    request: HttpRequest,
    place: OnProduction,
    read: Any,
    last: Callable[[], datetime | None],
    back: tuple[str, str] | None,
) -> HttpResponse:
    window, errors = _window(request, last)
    found: Timeline | None = None
    if not errors:
        try:
            found = read(window.since, window.until)
        except InputError as error:
            raise Http404(str(error)) from error
    day = window.day
    context = {
        **set_context(place),
        "found": found,
        "lines": found.lines[:SHOWN] if found else (),
        "more": max(0, len(found.lines) - SHOWN) if found else 0,
        "since": local_time.field_value(window.since),
        "until": local_time.field_value(window.until),
        "since_zone": local_time.zone_said(window.since),
        "until_zone": local_time.zone_said(window.until),
        "day": day,
        "day_said": "" if day is None else f"{day:%A} {day.day} {day:%B %Y}",
        "zone": local_time.zone_said(window.since),
        "earlier": None if day is None else (day - timedelta(days=1)).isoformat(),
        "later": None if day is None else (day + timedelta(days=1)).isoformat(),
        "errors": errors,
        "back": back,
    }
    return render(request, "floor/trace_timeline.html", context)


@login_required
@require_GET
def firearm_trace(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """A firearm's timeline (custody, inspections, loads, show-clears, discharges, misfires)."""
    place = on_production(request.user, slug)
    require(place, "trace")
    tracer = _tracer(place)
    return _timeline_page(
        request,
        place,
        lambda since, until: tracer.firearm(tag, since, until),
        lambda: tracer.last_at("firearm", tag),
        ("firearm", tag),
    )


@login_required
@require_GET
def lot_trace(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """A lot's timeline: receipt, verification, holds, custody, loads, rounds fired."""
    place = on_production(request.user, slug)
    require(place, "trace")
    tracer = _tracer(place)
    return _timeline_page(
        request,
        place,
        lambda since, until: tracer.lot(tag, since, until),
        lambda: tracer.last_at("lot", tag),
        ("lot", tag),
    )


@login_required
@require_GET
def person_trace(request: HttpRequest, slug: str, person_id: str) -> HttpResponse:
    """Everything a person recorded or that names them."""
    place = on_production(request.user, slug)
    require(place, "trace")
    if person_id not in place.state.people:
        raise Http404(f"no person {person_id} on this production")
    tracer = _tracer(place)
    return _timeline_page(
        request,
        place,
        lambda since, until: tracer.person(person_id, since, until),
        lambda: tracer.last_at("person", person_id),
        None,
    )


@login_required
@require_GET
def round_trace(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """How the round in one position of a firearm at one time got there."""
    place = on_production(request.user, slug)
    require(place, "trace")
    tracer = _tracer(place)
    try:
        receipt = tracer.firearm_receipt(tag)
    except InputError as error:
        raise Http404(str(error)) from error
    received = receipt.event
    assert isinstance(received, FirearmReceived)
    given = request.GET.get("position", "").strip()
    at_text = request.GET.get("at", "").strip()
    errors: list[str] = []
    found = None
    nothing = ""
    at = place.service.clock()
    if at_text:
        try:
            at = local_time.typed(at_text, "The time")
        except InputError as error:
            errors.append(f"{error}.")
    if given and not errors:
        try:
            found = tracer.round(tag, given, at)
        except InputError as error:
            errors.append(f"{str(error)[:1].upper()}{str(error)[1:]}.")
        except NothingLoaded as error:
            nothing = f"{str(error)[:1].upper()}{str(error)[1:]}."
    context = {
        **set_context(place),
        "tag": tag,
        "positions": received.positions,
        "position": given,
        "at": local_time.field_value(at),
        "at_zone": local_time.zone_said(at),
        "at_said": local_time.full_stamp(at),
        "found": found,
        "nothing": nothing,
        "errors": errors,
    }
    return render(request, "floor/trace_round.html", context)


urlpatterns: list[URLPattern] = [
    path("firearm/<str:tag>/trace/", firearm_trace, name="firearm-trace"),
    path("firearm/<str:tag>/trace/round/", round_trace, name="firearm-trace-round"),
    path("lot/<str:tag>/trace/", lot_trace, name="lot-trace"),
    path("person/<str:person_id>/trace/", person_trace, name="person-trace"),
]
