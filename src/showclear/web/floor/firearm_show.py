"""Show clear / show loaded, then hand over, on the armorer's phone (issue 4, issue 16).

Route ``firearm/<tag>/show/`` (``firearm-show``, under /p/<slug>/), in three steps:

1. The armorer chooses the performer and scene, and the first AD, and shows every position and
   the barrel. What it holds is the condition on record: the armorer confirms it, never types
   another. Before the phone is handed over, the core is asked what the rules would refuse once
   both have confirmed (:meth:`Service.rehearse` of the very show-clear and handover, with the
   two confirmations taken as given): a scene not started, a performer not planned, a
   firearm not inspected... is said now, with the core's reasons, and nobody confirms.
2. The performer confirms on this phone with their PIN or badge, then 3. the first AD the same
   (checked and throttled by the application service, see
   :mod:`~showclear.web.floor.firearm_confirm`; the flow keeps only the one-time presence
   tokens it gives).

Only then are the show-clear and the handover recorded, together or not at all
(:func:`~showclear.web.floor.actions.attempt_all`: one transaction, one checkpoint), and the
page gives one answer. The flow in progress lives in the session and lapses after
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

from showclear.core.commands import Command, Confirmation, HandOver, ShowClear
from showclear.core.decide import InPerson
from showclear.core.state import Firearm, Person, condition, described
from showclear.core.vocabulary import FIRST_AD
from showclear.service import BatchRefused
from showclear.web.floor.access import OnProduction, on_production, require
from showclear.web.floor.actions import already_recorded, attempt_all
from showclear.web.floor.firearm_confirm import check, presented
from showclear.web.floor.firearms import (
    Problems,
    find_firearm,
    last_seq,
    page_context,
    problems_of,
    say_recorded,
    scenes_for,
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
    scenes = scenes_for(place, firearm)
    choices = [f"{p['person_id']}@{s['scene']}" for s in scenes for p in s["performers"]]
    first_ads = _first_ads(place)
    form = request.POST if request.method == "POST" and step == "show" else {}
    # The one performer of a running scene is chosen for the armorer (a scene not started
    # takes no show-clear: R-HANDLING), as is the only choice there is.
    running = [
        f"{p['person_id']}@{s['scene']}"
        for s in scenes
        if s["status"] == "running"
        for p in s["performers"]
    ]
    only = choices if len(choices) == 1 else running if len(running) == 1 else []
    chosen = form.get("to", "") or (only[0] if only else "")
    context.update(
        {
            "flow": flow,
            "step": step,
            "performer": performer,
            "first_ad": first_ad,
            "first_ads": first_ads,
            "chosen_to": chosen,
            "chosen_first_ad": form.get("first_ad", "")
            or (first_ads[0].person_id if first_ads else ""),
            "hand_over": form.get("hand_over", "yes") == "yes" if form else True,
            "held": described(condition(place.state, firearm)),
            "choices": choices,
            "show_scenes": scenes,
        }
    )
    return render(request, "floor/firearm_show.html", context)


def _assumed(person: Person) -> InPerson | None:
    """``person`` taken to have confirmed with their current PIN or badge (a rehearsal asks
    what else the rules would refuse), or None when they hold neither."""
    held = person.pin_id or person.badge_id
    return InPerson("rehearsed", held) if held else None


def _commands(firearm: Firearm, flow: dict[str, Any], held: tuple[str, int]) -> list[Command]:
    """The show-clear of ``flow`` and, if asked, the handover it leads to."""
    performer, first_ad = str(flow["performer"]), str(flow["first_ad"])
    show = ShowClear(
        firearm.tag,
        str(flow["scene"]),
        tuple(firearm.positions),
        held[0],
        held[1],
        Confirmation(performer, str(flow.get("performer_token", ""))),
        Confirmation(first_ad, str(flow.get("first_ad_token", ""))),
    )
    if not flow.get("hand_over"):
        return [show]
    return [show, HandOver(firearm.tag, performer, str(flow["scene"]))]


def _start(
    request: HttpRequest, place: OnProduction, firearm: Firearm
) -> tuple[dict[str, Any], Problems]:
    """Step one: which performer, scene and first AD; then ask the core, before anyone
    confirms, what it would refuse of the show-clear and the handover."""
    form = request.POST
    performer, _, scene = form.get("to", "").partition("@")
    who = place.state.people.get(performer)
    witness = place.state.people.get(form.get("first_ad", ""))
    plain = []
    if not scenes_for(place, firearm):
        plain.append(
            f"No scene that is not wrapped plans {firearm.label}: the first AD plans it for a "
            "scene and its performer (Today, the schedule) before it is shown."
        )
    elif who is None or scene not in place.state.scenes:
        plain.append("Choose the performer and the scene it goes to.")
    if witness is None or FIRST_AD not in witness.roles:
        plain.append(
            "Choose the first AD who witnesses the show-clear."
            if _first_ads(place)
            else "There is no first AD on the roster: add one (People) before a show-clear."
        )
    if plain or who is None or witness is None:
        return {}, Problems(plain=plain)
    flow: dict[str, Any] = {
        "started": place.service.clock().isoformat(),
        "last": last_seq(firearm),
        "performer": performer,
        "scene": scene,
        "first_ad": witness.person_id,
        "hand_over": form.get("hand_over") == "yes",
    }
    present = {p.person_id: a for p in (who, witness) if (a := _assumed(p)) is not None}
    for p in (who, witness):
        if p.person_id not in present:
            plain.append(f"{p.label} has no PIN or badge: issue one (Labels) before they confirm.")
    held = condition(place.state, firearm)
    try:
        place.service.rehearse(
            place.production,
            _commands(firearm, flow, held),
            person_id=place.person.person_id,
            present=present,
        )
    except BatchRefused as refused:
        violations = tuple(v for _, one in refused.refusals for v in one.violations)
        unique = tuple(dict.fromkeys(violations))
        return {}, Problems(unique, plain)
    if plain:
        return {}, Problems(plain=plain)
    return flow, Problems()


def _finish(
    request: HttpRequest, place: OnProduction, firearm: Firearm, flow: dict[str, Any]
) -> HttpResponseBase:
    """Both confirmed: record the show-clear and (if asked) the handover, together."""
    performer, first_ad = str(flow["performer"]), str(flow["first_ad"])
    _clear(request, place, firearm)
    held = condition(place.state, firearm)
    outcome = attempt_all(request, place, _commands(firearm, flow, held))
    if not outcome.recorded:
        return _show_page(request, place, firearm, {}, problems_of(outcome))
    what = (
        f"{firearm.label} shown {described(held)} to {place.state.person_label(performer)}, "
        f"witnessed by {place.state.person_label(first_ad)}"
    )
    if flow.get("hand_over"):
        what += f", and handed to them for scene {flow['scene']}"
    say_recorded(request, outcome, what + ".")
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
    if not flow and already_recorded(request, place):
        messages.success(request, "Recorded once: a second press of it recorded nothing.")
        return redirect("firearm", slug=slug, tag=tag)
    if step == "show":
        flow, problems = _start(request, place, firearm)
        if not flow:
            return _show_page(request, place, firearm, {}, problems)
        _save(request, place, firearm, flow)
        return _show_page(request, place, firearm, flow)
    if step == "performer" and flow:
        person = place.state.people[str(flow["performer"])]
        checked = check(place, person, presented(request))
        if not checked.confirmed:
            return _show_page(request, place, firearm, flow, Problems(plain=[checked.problem]))
        flow["performer_via"], flow["performer_token"] = checked.via, checked.token
        _save(request, place, firearm, flow)
        return _show_page(request, place, firearm, flow)
    if step == "first-ad" and flow.get("performer_via"):
        witness = place.state.people[str(flow["first_ad"])]
        checked = check(place, witness, presented(request))
        if not checked.confirmed:
            return _show_page(request, place, firearm, flow, Problems(plain=[checked.problem]))
        flow["first_ad_via"], flow["first_ad_token"] = checked.via, checked.token
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
