"""Trace pages for the investigator, the safety supervisor and the armorers (area ``trace``):
how a round got into a firearm, and a firearm's, lot's or person's record between two times.

The same traces as ``showclear trace`` (:class:`showclear.service.traces.Tracer`), read through the
mention index: a page costs what its answer holds. Every line names its ledger entry (``#seq``)
so it can be proven with an inclusion proof against a signed checkpoint (the ledger page).

Routes (under /p/<slug>/): ``firearm/<tag>/trace/``, ``firearm/<tag>/trace/round/``,
``lot/<tag>/trace/``, ``person/<person_id>/trace/``. Times are said and typed in the
production's zone (:func:`~showclear.web.floor.local_time.typed`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from showclear.core.events.armory import FirearmReceived
from showclear.core.read.trace import Timeline
from showclear.service import InputError
from showclear.service.traces import NothingLoaded, Tracer
from showclear.web.floor import local_time
from showclear.web.floor.access import OnProduction, on_production, require
from showclear.web.floor.today import set_context

SHOWN = 500
"""Lines a timeline page shows at most; a longer window says so and asks for a shorter one."""


def _tracer(place: OnProduction) -> Tracer:
    return Tracer(place.service.store, place.production, place.state.seq + 1)


def _window(request: HttpRequest, place: OnProduction) -> tuple[datetime, datetime, list[str]]:
    """The window asked for (``from``/``to``), by default the last 24 hours of the ledger."""
    errors: list[str] = []
    latest = place.state.last_at or datetime.now(UTC)
    bounds: dict[str, datetime] = {}
    for name, default in (("from", latest - timedelta(hours=24)), ("to", latest)):
        text = request.GET.get(name, "").strip()
        bounds[name] = default
        if text:
            try:
                bounds[name] = local_time.typed(text, f"The time {name!r}")
            except InputError as error:
                errors.append(f"{str(error)[:1].upper()}{str(error)[1:]}.")
    if bounds["from"] > bounds["to"]:
        errors.append("The window starts after it ends: put 'from' before 'to'.")
    return bounds["from"], bounds["to"], errors


def _timeline_page(
    request: HttpRequest,
    place: OnProduction,
    read: Any,
    back: tuple[str, str] | None,
) -> HttpResponse:
    since, until, errors = _window(request, place)
    found: Timeline | None = None
    if not errors:
        try:
            found = read(since, until)
        except InputError as error:
            raise Http404(str(error)) from error
    context = {
        **set_context(place),
        "found": found,
        "lines": found.lines[:SHOWN] if found else (),
        "more": max(0, len(found.lines) - SHOWN) if found else 0,
        "since": local_time.field_value(since),
        "until": local_time.field_value(until),
        "since_zone": local_time.zone_said(since),
        "until_zone": local_time.zone_said(until),
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
        request, place, lambda since, until: tracer.lot(tag, since, until), ("lot", tag)
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
        request, place, lambda since, until: tracer.person(person_id, since, until), None
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
