"""The firearm page (issue 4): its state, every position, its custody history, and the next
actions as large buttons. The show clear / hand over flow is in
:mod:`~showclear.web.floor.firearm_show`.

Routes (under /p/<slug>/):

- ``firearm/<tag>/`` (``firearm``): the page. Area ``firearm`` to see it.
- ``firearm/<tag>/act/`` (``firearm-act``, POST): inspect, load, unload, take back, take out,
  hand over, lock away. Area ``handle-firearms``.

Every record goes through :func:`~showclear.web.floor.actions.attempt`. A refusal re-renders
the page with every reason and its rule id (nothing recorded); a record redirects back
(POST/redirect/GET) with a short confirmation. The forms work as plain forms and, with htmx,
swap only the page's main section.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from showclear.core.commands import (
    Command,
    ConfirmReceipt,
    DispatchFirearm,
    DrawFirearm,
    HandOver,
    InspectFirearm,
    Load,
    LockAway,
    RecoverMisfire,
    Return,
    Unload,
)
from showclear.core.read.firearm_record import missing_before_handover, told
from showclear.core.read.readiness_board import lots_that_fit, preview
from showclear.core.rules import PLAN, Violation
from showclear.core.state import Firearm, Person, condition, described
from showclear.core.vocabulary import ARMORY_CONTAINERS, BLANK, DUMMIES, FIREARM_CLASSES, HOT
from showclear.core.words import local_day
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.floor.actions import Outcome, already_recorded, attempt
from showclear.web.floor.local_time import stamp
from showclear.web.floor.templatetags.fragments import WhenDrawn

HISTORY_PAGE = 30
CUSTODY_SHOWN = 12


# -- reading ------------------------------------------------------------------------------------


@dataclass
class Problems:
    """What to put at the top of a page: refused reasons (with rule ids) and plain problems."""

    refused: tuple[Violation, ...] = ()
    plain: list[str] = field(default_factory=list)


def find_firearm(place: OnProduction, tag: str) -> Firearm | None:
    return place.state.firearms.get(tag)


def unknown_firearm(request: HttpRequest, place: OnProduction, tag: str) -> HttpResponse:
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


def last_seq(firearm: Firearm) -> int:
    """The latest entry about the firearm: a form carries it, so a double tap or a stale page
    records nothing twice."""
    return firearm.history[-1].seq if firearm.history else -1


def _seq(entry: Any) -> int:
    return int(entry.seq)


def scenes_for(place: OnProduction, firearm: Firearm) -> list[dict[str, Any]]:
    """The scenes that plan this firearm and are not wrapped, running ones first, with the
    performers it may go to in each. The plan is asked of the core (a preview of the very
    ``HandOver``): a performer the plan refuses it to now (R-PLAN: another day's scene, ...) is
    not offered, and the page says why."""
    scenes = [
        s
        for s in place.state.scenes.values()
        if firearm.tag in s.firearms and s.status != "wrapped"
    ]
    scenes.sort(key=lambda s: (s.status != "started", s.scene != firearm.scene))
    at = place.service.clock()
    rows = []
    for s in scenes:
        offered, refused = [], []
        for performer in s.performers:
            found = preview(
                place.state,
                HandOver(firearm.tag, performer, s.scene),
                place.person.person_id,
                at,
                zone=place.zone,
            )
            plan = [v.message for v in found if v.rule_id == PLAN.rule_id]
            entry = {"person_id": performer, "label": place.state.person_label(performer)}
            if plan:
                refused.append({**entry, "why": plan[0]})
            else:
                offered.append(entry)
        rows.append(
            {
                "scene": s.scene,
                "title": s.title,
                "status": "running" if s.status == "started" else "not started",
                "planned": described((s.condition, s.rounds)),
                "condition": s.condition,
                "performers": offered,
                "refused": refused,
            }
        )
    return rows


def _lots(place: OnProduction, firearm: Firearm) -> list[dict[str, Any]]:
    """The lots offered for loading: those with rounds in their box that the core would let
    into this firearm (R-AMMUNITION-MATCH, asked of the core)."""
    rows = []
    for lot in lots_that_fit(place.state, firearm, place.service.clock()):
        if not lot.stock:
            continue
        state = "verified" if lot.usable else "NOT USABLE: quarantined"
        rows.append(
            {
                "tag": lot.tag,
                "label": lot.label,
                "stock": lot.stock,
                "state": state,
                "usable": lot.usable,
                "fills": HOT if lot.lot_kind == BLANK else DUMMIES,
            }
        )
    rows.sort(key=lambda row: (row["state"] != "verified", row["tag"]))
    return rows


def _load_choice(lots: list[dict[str, Any]], scenes: list[dict[str, Any]]) -> str:
    """The lot the load form starts on: the first usable one that gives the condition the
    first scene plans (dummies or blanks). None without a scene that plans the firearm, nor
    one that is quarantined: the armorer chooses."""
    if not scenes:
        return ""
    planned = scenes[0]["condition"]
    return next((lot["tag"] for lot in lots if lot["usable"] and lot["fills"] == planned), "")


def _kept(request: HttpRequest) -> dict[str, Any]:
    """The posted form, as the person left it, to draw again around a refusal (ticks kept)."""
    if request.method != "POST":
        return {"action": ""}
    form = request.POST
    return {
        "action": form.get("action", ""),
        "positions": form.getlist("position"),
        **{
            name: form.get(name, "")
            for name in ("barrel", "firearm_class", "lot", "scene", "to", "container", "went_to")
        },
        "note": form.get("note", ""),
    }


def _armorers(place: OnProduction) -> list[Person]:
    me = place.person.person_id
    return [p for p in place.state.people.values() if p.is_armorer and p.person_id != me]


def _actions(place: OnProduction, firearm: Firearm) -> dict[str, Any]:
    """The next actions this person may take on this firearm, as the page offers them."""
    if not firearm.active or not may(place, "handle-firearms"):
        return {}
    me = place.person.person_id
    if firearm.dispatch is not None:
        return _on_its_way(place, firearm)
    if firearm.container is not None:
        return {"draw": place.state.containers[firearm.container].label}
    if firearm.holder != me:
        return {"take_back": place.state.person_label(firearm.holder)}
    empty = [p for p in firearm.positions if p not in firearm.contents]
    return {
        "in_hand": True,
        "inspect": True,
        # One press for "every position checked, barrel clear": the record still lists each
        # position checked. Not at a first inspection, which records the class found.
        "inspect_all": bool(firearm.class_found),
        "needs_inspection": firearm.gap is not None
        or not firearm.barrel_clear
        or firearm.misfire_at is not None,
        "load": bool(firearm.loadable and empty),
        "empty": empty,
        "unload": bool(firearm.contents),
        # R-CLASS: the first inspection records the class found (a later one may).
        "classes": [(c, c.replace("-", " ")) for c in sorted(FIREARM_CLASSES)],
        "class_found": firearm.class_found,
        "declared_class": firearm.firearm_class,
        # R-MISFIRE: a misfired round comes out with where it went.
        "duds": list(firearm.duds),
        "dud_containers": [
            {"tag": c.tag, "label": c.label}
            for c in place.state.containers.values()
            if c.container_kind in ARMORY_CONTAINERS and not c.firearms
        ],
        "show": True,
        "secure": [
            {"tag": c.tag, "label": c.label, "locked": c.locked}
            for c in place.state.containers.values()
            if c.container_kind in ARMORY_CONTAINERS
        ],
        "armorers": [{"person_id": p.person_id, "label": p.label} for p in _armorers(place)],
        "dispatch": _dispatch_to(place, firearm),
    }


def _blocking(place: OnProduction, command: Command) -> tuple[Violation, ...]:
    """What would refuse ``command`` by the signed-in person now (a preview: nothing recorded)."""
    found = preview(
        place.state, command, place.person.person_id, place.service.clock(), zone=place.zone
    )
    return tuple(v for v in found if v.blocks)


def _dispatch_to(place: OnProduction, firearm: Firearm) -> list[dict[str, str]]:
    """The armorers at other units this firearm may be dispatched to now, as the core would
    accept the very ``DispatchFirearm`` (R-UNIT: unloaded, to an armorer on set there)."""
    if len(place.state.units) < 2 or not may(place, "move-between-units"):
        return []
    return [
        {
            "value": f"{p.unit}|{p.person_id}",
            "label": f"{p.label} at {place.state.unit_label(p.unit)}",
        }
        for p in place.state.people.values()
        if p.is_armorer
        and p.person_id != place.person.person_id
        and not _blocking(place, DispatchFirearm(firearm.tag, p.unit, p.person_id))
    ]


def _on_its_way(place: OnProduction, firearm: Firearm) -> dict[str, Any]:
    """A firearm dispatched to another unit: to whom and where, and whether the signed-in
    person may confirm its receipt now (asked of the core), or why not."""
    sent = firearm.dispatch
    assert sent is not None
    mine = sent.to == place.person.person_id and may(place, "move-between-units")
    why = _blocking(place, ConfirmReceipt(firearm.tag)) if mine else ()
    return {
        "dispatched": {
            "to": place.state.person_label(sent.to),
            "unit": place.state.unit_label(sent.unit),
            "at": stamp(sent.at),
        },
        "receive": mine and not why,
        "receive_why": why,
    }


def page_context(
    request: HttpRequest, place: OnProduction, firearm: Firearm, problems: Problems
) -> dict[str, Any]:
    before = request.GET.get("before", "")
    lazy = WhenDrawn
    held = lazy(lambda: condition(place.state, firearm))
    scenes = lazy(lambda: scenes_for(place, firearm))
    lots = lazy(lambda: _lots(place, firearm))
    kept = _kept(request) if problems.refused or problems.plain else {"action": ""}
    return {
        "kept": kept,
        "load_lot": lazy(
            lambda: kept["lot"] if kept["action"] == "load" else _load_choice(lots(), scenes())
        ),
        "place": place,
        "firearm": firearm,
        "problems": problems,
        "where": lazy(lambda: _where(place, firearm)),
        "since": lazy(lambda: stamp(firearm.since) if firearm.since else ""),
        "condition": lazy(lambda: held()[0]),
        "described": lazy(lambda: described(held())),
        "positions": lazy(lambda: _positions(place, firearm)),
        "barrel": "clear" if firearm.barrel_clear else "OBSTRUCTED",
        "inspection": lazy(lambda: _inspection(place, firearm)),
        "missing": lazy(
            lambda: missing_before_handover(
                place.state,
                firearm,
                zone=place.zone,
                today=local_day(place.service.clock(), place.zone),
            )
        ),
        "shown": lazy(lambda: _shown(place, firearm)),
        "custody": lazy(lambda: _custody(place, firearm)),
        "history": lazy(
            lambda: _history(
                place, firearm, int(before) if before.isascii() and before.isdigit() else None
            )
        ),
        "actions": lazy(lambda: _actions(place, firearm)),
        "scenes": scenes,
        "lots": lots,
        "seen": lazy(lambda: last_seq(firearm)),
    }


def _inspection(place: OnProduction, firearm: Firearm) -> dict[str, str] | None:
    inspection = firearm.last_inspection
    if inspection is None:
        return None
    return {
        "at": stamp(inspection.at),
        "by": place.state.person_label(inspection.by),
        "barrel": "barrel clear" if inspection.barrel_clear else "BARREL OBSTRUCTED",
    }


def _shown(place: OnProduction, firearm: Firearm) -> dict[str, str] | None:
    if firearm.shown is None:
        return None
    return {
        "described": described((firearm.shown.condition, firearm.shown.rounds)),
        "performer": place.state.person_label(firearm.shown.performer_id),
        "scene": firearm.shown.scene,
    }


def firearm_page_with(
    request: HttpRequest, place: OnProduction, firearm: Firearm, problems: Problems | None = None
) -> HttpResponse:
    return render(
        request, "floor/firearm.html", page_context(request, place, firearm, problems or Problems())
    )


@login_required
def firearm_page(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """The firearm now: where, condition, every position, custody history, next actions."""
    place = on_production(request.user, slug)
    require(place, "firearm")
    firearm = find_firearm(place, tag)
    if firearm is None:
        return unknown_firearm(request, place, tag)
    return firearm_page_with(request, place, firearm)


# -- acting -------------------------------------------------------------------------------------


def say_recorded(request: HttpRequest, outcome: Outcome, what: str) -> None:
    """The short confirmation after a record, with any warnings sealed with it."""
    assert outcome.executed is not None
    if outcome.replayed:
        messages.success(request, f"Recorded once: {what} (a second press of it recorded nothing)")
        return
    messages.success(request, f"Recorded: {what}")
    for warning in outcome.executed.warnings:
        messages.warning(request, f"Warning {warning.rule_id}: {warning.message}")


def problems_of(outcome: Outcome, *plain: str) -> Problems:
    return Problems(outcome.refused, [*plain, *([outcome.failure] if outcome.failure else [])])


def _command(
    request: HttpRequest, place: OnProduction, firearm: Firearm
) -> tuple[Command | None, str]:
    """The command a posted action asks for, and what to say once it is recorded (or why the
    form itself cannot be used, with no command)."""
    form = request.POST
    action = form.get("action", "")
    tag = firearm.tag
    if action == "inspect-all":
        # Every position checked and the barrel clear, said in one press: recorded as such,
        # position by position (the class found stays as found).
        return (
            InspectFirearm(tag, tuple(firearm.positions), barrel_clear=True),
            f"{firearm.label} inspected, every position checked, barrel clear.",
        )
    if action == "inspect":
        checked = tuple(p for p in firearm.positions if p in form.getlist("position"))
        barrel = form.get("barrel", "")
        if barrel not in ("clear", "obstructed"):
            return None, "Say whether the barrel is clear or obstructed."
        found = form.get("firearm_class", "")
        if found and found not in FIREARM_CLASSES:
            return None, "Choose the class you found it to be."
        if not found and not firearm.class_found:
            return None, (
                "Record the class you find it to be (firing, blank-adapted, non-firing replica "
                "or inert): this is its first inspection."
            )
        return (
            InspectFirearm(tag, checked, barrel_clear=barrel == "clear", firearm_class=found),
            f"{firearm.label} inspected, barrel {barrel}"
            f"{f', found {found.replace(chr(45), chr(32))}' if found else ''}.",
        )
    if action == "recover-misfire":
        went_to = form.get("went_to", "")
        container = ""
        if went_to.startswith("container:"):
            went_to, container = "container", went_to.removeprefix("container:")
        return (
            RecoverMisfire(
                tag,
                went_to,
                position=form.get("position", ""),
                container=container,
                note=" ".join(form.get("note", "").split()),
            ),
            f"The misfired round is out of {firearm.label}; where it went is recorded.",
        )
    if action == "load":
        positions = tuple(p for p in firearm.positions if p in form.getlist("position"))
        lot, scene = form.get("lot", ""), form.get("scene", "")
        if not scene:
            return None, (
                f"Choose the scene the rounds are loaded for. If none is listed, no scene "
                f"plans {firearm.label}: the first AD plans it first."
            )
        if not lot:
            return None, "Choose the lot the rounds come from."
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
    if action == "dispatch":
        unit, _, to = form.get("to", "").partition("|")
        return (
            DispatchFirearm(tag, unit, to),
            f"{firearm.label} dispatched to {place.state.person_label(to)} at "
            f"{place.state.unit_label(unit)}; it is yours until they confirm its receipt.",
        )
    if action == "confirm-receipt":
        return ConfirmReceipt(tag), f"{firearm.label} received: it is in your hands."
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
    if request.POST.get("action") in ("dispatch", "confirm-receipt"):
        require(place, "move-between-units")
    firearm = find_firearm(place, tag)
    if firearm is None:
        return unknown_firearm(request, place, tag)
    if already_recorded(request, place):  # the same press again: it records once
        messages.success(request, "Recorded once: a second press of it recorded nothing.")
        return redirect("firearm", slug=slug, tag=tag)
    seen, last = request.POST.get("seen", ""), last_seq(firearm)
    if seen and seen != str(last):
        changed = firearm.history[-1]
        return firearm_page_with(
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
        return firearm_page_with(request, place, firearm, Problems(plain=[said]))
    outcome = attempt(request, place, command)
    if not outcome.recorded:
        return firearm_page_with(request, place, firearm, problems_of(outcome))
    say_recorded(request, outcome, said)
    return redirect("firearm", slug=slug, tag=tag)


urlpatterns: list[URLPattern] = [
    path("firearm/<str:tag>/", firearm_page, name="firearm"),
    path("firearm/<str:tag>/act/", firearm_act, name="firearm-act"),
]
