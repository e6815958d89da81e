"""Show clear / show loaded, then hand over, on the armorer's phone (issue 4).

Route ``firearm/<tag>/show/`` (``firearm-show``, under /p/<slug>/): the armorer shows every
position and the barrel to the performer, says what it holds; the performer confirms on this
phone with their PIN or badge, then the first AD the same (checked and throttled by the
application service, see :mod:`~showclear.web.floor.firearm_confirm`; the flow keeps only the
one-time presence tokens it gives). Only then is the show-clear recorded, and then, if asked,
the handover. The flow in progress lives in the session and lapses after
:data:`SHOW_FLOW_MINUTES`, or as soon as anything is recorded about the firearm.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from showclear.core.commands import Confirmation, HandOver, ShowClear
from showclear.core.read.readiness_board import not_shown
from showclear.core.state import Firearm, Person, condition, described
from showclear.core.vocabulary import CONDITIONS, FIRST_AD
from showclear.web.floor.access import OnProduction, on_production, require
from showclear.web.floor.actions import attempt
from showclear.web.floor.firearm_confirm import check
from showclear.web.floor.firearms import (
    Problems,
    find_firearm,
    firearm_page_with,
    last_seq,
    page_context,
    problems_of,
    say_recorded,
    unknown_firearm,
)

SHOW_FLOW_MINUTES = 15


def _flow_key(slug: str, tag: str) -> str:
    return f"showclear:show:{slug}:{tag}"


def _pending(request: HttpRequest, place: OnProduction, firearm: Firearm) -> dict[str, Any]:
    """The show in progress for this firearm on this phone, if still valid.

    It lapses after :data:`SHOW_FLOW_MINUTES`, or as soon as anything is recorded about the
    firearm: what the witnesses saw must be what the firearm holds.
    """
    flow = request.session.get(_flow_key(place.production.slug, firearm.tag))
    if not isinstance(flow, dict):
        return {}
    started = datetime.fromisoformat(str(flow.get("started")))
    if flow.get("last") != last_seq(firearm) or place.service.clock() - started > timedelta(
        minutes=SHOW_FLOW_MINUTES
    ):
        request.session.pop(_flow_key(place.production.slug, firearm.tag), None)
        return {}
    return flow


def _save(
    request: HttpRequest, place: OnProduction, firearm: Firearm, flow: dict[str, Any]
) -> None:
    request.session[_flow_key(place.production.slug, firearm.tag)] = flow


def _clear(request: HttpRequest, place: OnProduction, firearm: Firearm) -> None:
    request.session.pop(_flow_key(place.production.slug, firearm.tag), None)


def _first_ads(place: OnProduction) -> list[Person]:
    return [p for p in place.state.people.values() if FIRST_AD in p.roles]


def _show_page(
    request: HttpRequest,
    place: OnProduction,
    firearm: Firearm,
    flow: dict[str, Any],
    problems: Problems | None = None,
) -> HttpResponse:
    context = page_context(request, place, firearm, problems or Problems())
    performer = place.state.people.get(str(flow.get("performer", "")))
    first_ad = place.state.people.get(str(flow.get("first_ad", "")))
    step = "show" if not flow else "performer" if not flow.get("performer_via") else "first-ad"
    held = condition(place.state, firearm)
    context.update(
        {
            "flow": flow,
            "step": step,
            "performer": performer,
            "first_ad": first_ad,
            "first_ads": _first_ads(place),
            "announce": {"condition": held[0], "rounds": held[1]},
            "conditions": sorted(CONDITIONS),
        }
    )
    return render(request, "floor/firearm_show.html", context)


def _start(
    request: HttpRequest, place: OnProduction, firearm: Firearm
) -> tuple[dict[str, Any], list[str]]:
    """Step one: which performer and scene, what is announced, every position ticked."""
    form = request.POST
    performer, _, scene = form.get("to", "").partition("@")
    shown = [p for p in firearm.positions if p in form.getlist("position")]
    problems = []
    if place.state.people.get(performer) is None or scene not in place.state.scenes:
        problems.append("Choose the performer and the scene.")
    # Asked of the core: the very check ShowClear makes, before the witnesses confirm.
    for unseen in not_shown(
        place.state, firearm, tuple(shown), place.service.clock(), zone=place.zone
    ):
        problems.append(f"{unseen.rule_id}: tick every position as you show it. {unseen.message}")
    if firearm.positions and form.get("barrel") != "shown":
        problems.append("Show the barrel clear too, and tick it.")
    announced = form.get("announced", "")
    rounds = form.get("rounds", "0")
    if announced not in CONDITIONS or not rounds.isdigit():
        problems.append("Say what it holds: cold, dummies or hot, and how many rounds.")
    if problems:
        return {}, problems
    flow = {
        "started": place.service.clock().isoformat(),
        "last": last_seq(firearm),
        "performer": performer,
        "scene": scene,
        "announced": announced,
        "rounds": int(rounds),
        "shown": shown,
        "hand_over": form.get("hand_over") == "yes",
    }
    return flow, []


def _finish(
    request: HttpRequest, place: OnProduction, firearm: Firearm, flow: dict[str, Any]
) -> HttpResponseBase:
    """Both confirmed: record the show-clear, then (if asked) the handover."""
    performer, first_ad = str(flow["performer"]), str(flow["first_ad"])
    _clear(request, place, firearm)
    show = ShowClear(
        firearm.tag,
        str(flow["scene"]),
        tuple(flow["shown"]),
        str(flow["announced"]),
        int(flow["rounds"]),
        Confirmation(performer, str(flow["performer_token"])),
        Confirmation(first_ad, str(flow["first_ad_token"])),
    )
    outcome = attempt(request, place, show)
    if not outcome.recorded:
        return _show_page(request, place, firearm, {}, problems_of(outcome))
    held = described((str(flow["announced"]), int(flow["rounds"])))
    say_recorded(
        request,
        outcome,
        f"{firearm.label} shown {held} to {place.state.person_label(performer)}, witnessed by "
        f"{place.state.person_label(first_ad)}.",
    )
    if flow.get("hand_over"):
        handed = attempt(request, place, HandOver(firearm.tag, performer, str(flow["scene"])))
        if not handed.recorded:
            return firearm_page_with(
                request,
                place,
                firearm,
                problems_of(handed, "The show-clear is recorded; the handover was not."),
            )
        say_recorded(
            request,
            handed,
            f"{firearm.label} handed to {place.state.person_label(performer)} for scene "
            f"{flow['scene']}.",
        )
    return redirect("firearm", slug=place.production.slug, tag=firearm.tag)


@login_required
@require_http_methods(["GET", "POST"])
def firearm_show(request: HttpRequest, slug: str, tag: str) -> HttpResponseBase:
    """Show clear / show loaded, confirmed on this phone by the performer and the first AD."""
    place = on_production(request.user, slug)
    require(place, "firearm")
    require(place, "handle-firearms")
    firearm = find_firearm(place, tag)
    if firearm is None:
        return unknown_firearm(request, place, tag)
    if firearm.holder != place.person.person_id:
        messages.info(request, f"Take {firearm.label} into your hands before you show it.")
        return redirect("firearm", slug=slug, tag=tag)
    flow = _pending(request, place, firearm)
    if request.method == "GET":
        return _show_page(request, place, firearm, flow)
    step = request.POST.get("step", "")
    if step == "cancel":
        _clear(request, place, firearm)
        messages.info(request, "Show clear cancelled: nothing recorded.")
        return redirect("firearm", slug=slug, tag=tag)
    if step == "show":
        flow, problems = _start(request, place, firearm)
        if problems:
            return _show_page(request, place, firearm, {}, Problems(plain=problems))
        _save(request, place, firearm, flow)
        return _show_page(request, place, firearm, flow)
    if step == "performer" and flow:
        person = place.state.people[str(flow["performer"])]
        checked = check(place, person, request.POST.get("code", ""))
        if not checked.confirmed:
            return _show_page(request, place, firearm, flow, Problems(plain=[checked.problem]))
        flow["performer_via"], flow["performer_token"] = checked.via, checked.token
        _save(request, place, firearm, flow)
        return _show_page(request, place, firearm, flow)
    if step == "first-ad" and flow.get("performer_via"):
        witness = place.state.people.get(request.POST.get("first_ad", ""))
        if witness is None or FIRST_AD not in witness.roles:
            return _show_page(
                request, place, firearm, flow, Problems(plain=["Choose the first AD."])
            )
        checked = check(place, witness, request.POST.get("code", ""))
        if not checked.confirmed:
            return _show_page(request, place, firearm, flow, Problems(plain=[checked.problem]))
        flow["first_ad"], flow["first_ad_via"] = witness.person_id, checked.via
        flow["first_ad_token"] = checked.token
        return _finish(request, place, firearm, flow)
    return _show_page(
        request,
        place,
        firearm,
        flow,
        Problems(
            plain=["That step has lapsed (the firearm changed, or time ran out): start again."]
        ),
    )


urlpatterns: list[URLPattern] = [
    path("firearm/<str:tag>/show/", firearm_show, name="firearm-show"),
]
