"""The firearm page (issue 4): its state, every position, its custody history, and the next
actions as large buttons; and the show clear / hand over flow on the armorer's phone.

Routes (under /p/<slug>/):

- ``firearm/<tag>/`` (``firearm``): the page. Area ``firearm`` to see it.
- ``firearm/<tag>/act/`` (``firearm-act``, POST): inspect, load, unload, take back, take out,
  hand over, lock away. Area ``handle-firearms``.
- ``firearm/<tag>/show/`` (``firearm-show``): show every position, the performer confirms by PIN
  or badge, then the first AD; only then the show-clear is recorded, then the handover.

Every record goes through :func:`~showclear.web.floor.actions.attempt`. A refusal re-renders
the page with every reason and its rule id (nothing recorded); a record redirects back
(POST/redirect/GET) with a short confirmation. The forms work as plain forms and, with htmx,
swap only the page's main section.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from showclear.core.commands import (
    Command,
    Confirmation,
    DrawFirearm,
    HandOver,
    InspectFirearm,
    Load,
    LockAway,
    Return,
    ShowClear,
    Unload,
)
from showclear.core.firearm_record import (
    condition,
    described,
    missing_before_handover,
    stamp,
    told,
)
from showclear.core.rules import Violation
from showclear.core.state import Firearm, Person
from showclear.core.vocabulary import ARMORY_CONTAINERS, BLANK, CONDITIONS, FIRST_AD
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.floor.actions import Outcome, attempt
from showclear.web.floor.firearm_confirm import check

HISTORY_PAGE = 30
CUSTODY_SHOWN = 12
SHOW_FLOW_MINUTES = 15


# -- reading ------------------------------------------------------------------------------------


@dataclass
class Problems:
    """What to put at the top of a page: refused reasons (with rule ids) and plain problems."""

    refused: tuple[Violation, ...] = ()
    plain: list[str] = field(default_factory=list)


def _firearm(place: OnProduction, tag: str) -> Firearm | None:
    return place.state.firearms.get(tag)


def _unknown(request: HttpRequest, place: OnProduction, tag: str) -> HttpResponse:
    return render(
        request,
        "floor/firearm_unknown.html",
        {"place": place, "tag": tag},
        status=404,
    )


def _where(place: OnProduction, firearm: Firearm) -> str:
    if firearm.status == "returned":
        return f"Returned to {firearm.owner}"
    if firearm.container is not None:
        box = place.state.containers[firearm.container]
        return f"In {box.label} ({'locked' if box.locked else 'OPEN'})"
    return f"With {place.state.person_label(firearm.holder)}"


def _positions(place: OnProduction, firearm: Firearm) -> list[dict[str, str]]:
    rows = []
    for position in firearm.positions:
        lot = place.state.lots.get(firearm.contents.get(position, ""))
        if lot is None:
            rows.append({"position": position, "content": "empty", "kind": "empty", "lot": ""})
        else:
            kind = "blank" if lot.lot_kind == BLANK else "dummy"
            load = f" {lot.load}" if lot.load else ""
            rows.append(
                {
                    "position": position,
                    "content": f"{kind}{load} round from lot {lot.tag}",
                    "kind": kind,
                    "lot": lot.tag,
                }
            )
    return rows


def _custody(place: OnProduction, firearm: Firearm) -> list[dict[str, str]]:
    rows = []
    for stretch in reversed(firearm.custody[-CUSTODY_SHOWN:]):
        if stretch.container is not None:
            who = place.state.containers[stretch.container].label
        else:
            who = place.state.person_label(stretch.holder)
        rows.append(
            {
                "who": who,
                "start": stamp(stretch.start),
                "end": "now" if stretch.end is None else stamp(stretch.end),
                "now": "yes" if stretch.end is None else "",
            }
        )
    return rows


def _history(place: OnProduction, firearm: Firearm, before: int | None) -> dict[str, Any]:
    """One page of the firearm's entries, newest first, ending before entry ``before``."""
    entries = firearm.history
    end = len(entries) if before is None else bisect.bisect_left(entries, before, key=_seq)
    start = max(0, end - HISTORY_PAGE)
    rows = [
        {
            "seq": entry.seq,
            "at": stamp(entry.at),
            "by": place.state.person_label(entry.person_id),
            "kind": entry.event.kind.split(".")[-1],
            "text": told(place.state, entry),
        }
        for entry in reversed(entries[start:end])
    ]
    return {"rows": rows, "older": entries[start].seq if start > 0 else None}


def _last_seq(firearm: Firearm) -> int:
    """The latest entry about the firearm: a form carries it, so a double tap or a stale page
    records nothing twice."""
    return firearm.history[-1].seq if firearm.history else -1


def _seq(entry: Any) -> int:
    return int(entry.seq)


def _scenes(place: OnProduction, firearm: Firearm) -> list[dict[str, Any]]:
    """The scenes that plan this firearm and are not wrapped, running ones first."""
    scenes = [
        s
        for s in place.state.scenes.values()
        if firearm.tag in s.firearms and s.status != "wrapped"
    ]
    scenes.sort(key=lambda s: (s.status != "started", s.scene != firearm.scene))
    return [
        {
            "scene": s.scene,
            "title": s.title,
            "status": "running" if s.status == "started" else "not started",
            "planned": described((s.condition, s.rounds)),
            "performers": [
                {"person_id": p, "label": place.state.person_label(p)} for p in s.performers
            ],
        }
        for s in scenes
    ]


def _lots(place: OnProduction, firearm: Firearm) -> list[dict[str, Any]]:
    rows = []
    for lot in place.state.lots.values():
        if lot.calibre != firearm.calibre or not lot.stock:
            continue
        if lot.for_firearms and firearm.tag not in lot.for_firearms:
            continue
        state = "verified" if lot.usable else "NOT USABLE: quarantined"
        rows.append({"tag": lot.tag, "label": lot.label, "stock": lot.stock, "state": state})
    rows.sort(key=lambda row: (row["state"] != "verified", row["tag"]))
    return rows


def _armorers(place: OnProduction) -> list[Person]:
    me = place.person.person_id
    return [p for p in place.state.people.values() if p.is_armorer and p.person_id != me]


def _actions(place: OnProduction, firearm: Firearm) -> dict[str, Any]:
    """The next actions this person may take on this firearm, as the page offers them."""
    if not firearm.active or not may(place, "handle-firearms"):
        return {}
    me = place.person.person_id
    if firearm.container is not None:
        return {"draw": place.state.containers[firearm.container].label}
    if firearm.holder != me:
        return {"take_back": place.state.person_label(firearm.holder)}
    empty = [p for p in firearm.positions if p not in firearm.contents]
    return {
        "in_hand": True,
        "inspect": True,
        "load": bool(firearm.loadable and empty),
        "empty": empty,
        "unload": bool(firearm.contents),
        "show": True,
        "secure": [
            {"tag": c.tag, "label": c.label, "locked": c.locked}
            for c in place.state.containers.values()
            if c.container_kind in ARMORY_CONTAINERS
        ],
        "armorers": [{"person_id": p.person_id, "label": p.label} for p in _armorers(place)],
    }


def _context(
    request: HttpRequest, place: OnProduction, firearm: Firearm, problems: Problems
) -> dict[str, Any]:
    held = condition(place.state, firearm)
    before = request.GET.get("before", "")
    inspection = firearm.last_inspection
    return {
        "place": place,
        "firearm": firearm,
        "where": _where(place, firearm),
        "since": stamp(firearm.since) if firearm.since else "",
        "condition": held[0],
        "described": described(held),
        "positions": _positions(place, firearm),
        "barrel": "clear" if firearm.barrel_clear else "OBSTRUCTED",
        "inspection": None
        if inspection is None
        else {
            "at": stamp(inspection.at),
            "by": place.state.person_label(inspection.by),
            "barrel": "barrel clear" if inspection.barrel_clear else "BARREL OBSTRUCTED",
        },
        "missing": missing_before_handover(place.state, firearm),
        "shown": None
        if firearm.shown is None
        else {
            "described": described((firearm.shown.condition, firearm.shown.rounds)),
            "performer": place.state.person_label(firearm.shown.performer_id),
            "scene": firearm.shown.scene,
        },
        "custody": _custody(place, firearm),
        "history": _history(place, firearm, int(before) if before.isdigit() else None),
        "actions": _actions(place, firearm),
        "scenes": _scenes(place, firearm),
        "lots": _lots(place, firearm),
        "problems": problems,
        "seen": _last_seq(firearm),
    }


def _page(
    request: HttpRequest, place: OnProduction, firearm: Firearm, problems: Problems | None = None
) -> HttpResponse:
    return render(
        request, "floor/firearm.html", _context(request, place, firearm, problems or Problems())
    )


@login_required
def firearm_page(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """The firearm now: where, condition, every position, custody history, next actions."""
    place = on_production(request.user, slug)
    require(place, "firearm")
    firearm = _firearm(place, tag)
    if firearm is None:
        return _unknown(request, place, tag)
    return _page(request, place, firearm)


# -- acting -------------------------------------------------------------------------------------


def _recorded(request: HttpRequest, outcome: Outcome, what: str) -> None:
    """The short confirmation after a record, with any warnings sealed with it."""
    assert outcome.executed is not None
    messages.success(request, f"Recorded: {what}")
    for warning in outcome.executed.warnings:
        messages.warning(request, f"Warning {warning.rule_id}: {warning.message}")


def _problems(outcome: Outcome, *plain: str) -> Problems:
    return Problems(outcome.refused, [*plain, *([outcome.failure] if outcome.failure else [])])


def _command(
    request: HttpRequest, place: OnProduction, firearm: Firearm
) -> tuple[Command | None, str]:
    """The command a posted action asks for, and what to say once it is recorded (or why the
    form itself cannot be used, with no command)."""
    form = request.POST
    action = form.get("action", "")
    tag = firearm.tag
    if action == "inspect":
        checked = tuple(p for p in firearm.positions if p in form.getlist("position"))
        barrel = form.get("barrel", "")
        if barrel not in ("clear", "obstructed"):
            return None, "Say whether the barrel is clear or obstructed."
        return (
            InspectFirearm(tag, checked, barrel_clear=barrel == "clear"),
            f"{firearm.label} inspected, barrel {barrel}.",
        )
    if action == "load":
        positions = tuple(p for p in firearm.positions if p in form.getlist("position"))
        lot, scene = form.get("lot", ""), form.get("scene", "")
        return (
            Load(tag, lot, positions, scene),
            f"{len(positions)} round{'s' if len(positions) != 1 else ''} of lot {lot} loaded "
            f"into {firearm.label}.",
        )
    if action == "unload":
        return Unload(tag), f"{firearm.label} unloaded; the rounds went back to their lots."
    if action == "take-back":
        return Return(tag), f"{firearm.label} taken back into your hands."
    if action == "draw":
        return DrawFirearm(tag), f"{firearm.label} taken out, in your hands."
    if action == "secure":
        container = form.get("container", "")
        return LockAway(tag, container), f"{firearm.label} locked away in {container}."
    if action == "hand-over":
        to, _, scene = form.get("to", "").partition("@")
        return (
            HandOver(tag, to, scene),
            f"{firearm.label} handed to {place.state.person_label(to)}.",
        )
    return None, "That is not an action this page knows."


@login_required
@require_POST
def firearm_act(request: HttpRequest, slug: str, tag: str) -> HttpResponseBase:
    """Record one action on the firearm; refused: the page with every reason, nothing recorded."""
    place = on_production(request.user, slug)
    require(place, "firearm")
    require(place, "handle-firearms")
    firearm = _firearm(place, tag)
    if firearm is None:
        return _unknown(request, place, tag)
    seen, last = request.POST.get("seen", ""), _last_seq(firearm)
    if seen and seen != str(last):
        changed = firearm.history[-1]
        return _page(
            request,
            place,
            firearm,
            Problems(
                plain=[
                    f"{firearm.label} changed since this page was shown (entry {changed.seq}, "
                    f"{stamp(changed.at)}, by {place.state.person_label(changed.person_id)}): "
                    "look at it again before you act."
                ]
            ),
        )
    command, said = _command(request, place, firearm)
    if command is None:
        return _page(request, place, firearm, Problems(plain=[said]))
    outcome = attempt(request, place, command)
    if not outcome.recorded:
        return _page(request, place, firearm, _problems(outcome))
    _recorded(request, outcome, said)
    return redirect("firearm", slug=slug, tag=tag)


# -- show clear / hand over ---------------------------------------------------------------------


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
    if flow.get("last") != _last_seq(firearm) or datetime.now(UTC) - started > timedelta(
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
    context = _context(request, place, firearm, problems or Problems())
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
    unseen = [p for p in firearm.positions if p not in shown]
    if unseen:
        problems.append(
            f"R-SHOW-CLEAR: tick every position as you show it: {', '.join(unseen)} not shown "
            f"yet ({len(shown)} of {len(firearm.positions)})."
        )
    if firearm.positions and form.get("barrel") != "shown":
        problems.append("Show the barrel clear too, and tick it.")
    announced = form.get("announced", "")
    rounds = form.get("rounds", "0")
    if announced not in CONDITIONS or not rounds.isdigit():
        problems.append("Say what it holds: cold, dummies or hot, and how many rounds.")
    if problems:
        return {}, problems
    flow = {
        "started": datetime.now(UTC).isoformat(),
        "last": _last_seq(firearm),
        "performer": performer,
        "scene": scene,
        "announced": announced,
        "rounds": int(rounds),
        "shown": shown,
        "hand_over": form.get("hand_over") == "yes",
    }
    return flow, []


def _credential(place: OnProduction, person_id: str, via: str) -> str:
    person = place.state.people.get(person_id)
    if person is None:
        return ""
    return person.pin_hash if via == "PIN" else person.badge


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
        Confirmation(performer, _credential(place, performer, str(flow["performer_via"]))),
        Confirmation(first_ad, _credential(place, first_ad, str(flow["first_ad_via"]))),
    )
    outcome = attempt(request, place, show)
    if not outcome.recorded:
        return _show_page(request, place, firearm, {}, _problems(outcome))
    held = described((str(flow["announced"]), int(flow["rounds"])))
    _recorded(
        request,
        outcome,
        f"{firearm.label} shown {held} to {place.state.person_label(performer)}, witnessed by "
        f"{place.state.person_label(first_ad)}.",
    )
    if flow.get("hand_over"):
        handed = attempt(request, place, HandOver(firearm.tag, performer, str(flow["scene"])))
        if not handed.recorded:
            return _page(
                request,
                place,
                firearm,
                _problems(handed, "The show-clear is recorded; the handover was not."),
            )
        _recorded(
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
    firearm = _firearm(place, tag)
    if firearm is None:
        return _unknown(request, place, tag)
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
        checked = check(slug, person, request.POST.get("code", ""))
        if not checked.confirmed:
            return _show_page(request, place, firearm, flow, Problems(plain=[checked.problem]))
        flow["performer_via"] = checked.via
        _save(request, place, firearm, flow)
        return _show_page(request, place, firearm, flow)
    if step == "first-ad" and flow.get("performer_via"):
        witness = place.state.people.get(request.POST.get("first_ad", ""))
        if witness is None or FIRST_AD not in witness.roles:
            return _show_page(
                request, place, firearm, flow, Problems(plain=["Choose the first AD."])
            )
        checked = check(slug, witness, request.POST.get("code", ""))
        if not checked.confirmed:
            return _show_page(request, place, firearm, flow, Problems(plain=[checked.problem]))
        flow["first_ad"], flow["first_ad_via"] = witness.person_id, checked.via
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
    path("firearm/<str:tag>/", firearm_page, name="firearm"),
    path("firearm/<str:tag>/act/", firearm_act, name="firearm-act"),
    path("firearm/<str:tag>/show/", firearm_show, name="firearm-show"),
]
