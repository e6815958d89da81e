"""On set: signing on and off set at a unit, forming a unit, and the firearms waiting for the
signed-in armorer to confirm their receipt from another unit (R-PRESENCE, R-UNIT).

Presence is one's own: a person signs themselves on or off on their own session; at a shared
device (the set's door tablet) a person picks their name (or scans their badge) and confirms with
their badge or PIN; an armorer signs the armory crew on and off. What the page offers is what the
core would accept now, asked of the core itself (a preview of the very ``ArriveOnSet`` /
``LeaveSet``, see :func:`~showclear.core.read.readiness_board.preview`): no rule is restated here.
A refusal is the core's sentence, shown where the action was, the form kept.

Routes (under /p/<slug>/): ``on-set/`` (``on-set``), area ``on-set`` to see it and sign on or off;
forming a unit needs area ``form-unit``, confirming a receipt area ``move-between-units``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.text import slugify

from showclear.core.commands import (
    ArriveOnSet,
    Command,
    Confirmation,
    ConfirmReceipt,
    LeaveSet,
    OpenUnit,
)
from showclear.core.decide.verdict import InPerson
from showclear.core.read.readiness_board import preview
from showclear.core.rules import Violation
from showclear.core.state import Person, Unit
from showclear.service.credential_desk import Failed
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.floor.actions import attempt
from showclear.web.floor.today import set_context


def _accepted(place: OnProduction, command: Command, person: Person | None = None) -> bool:
    """Whether the core would record ``command`` by the signed-in person now; with ``person``,
    that person confirming in person with their badge or PIN (a preview checks no credential)."""
    present = (
        {person.person_id: InPerson("preview", person.badge_id or person.pin_id)}
        if person is not None
        else {}
    )
    found = preview(
        place.state,
        command,
        place.person.person_id,
        place.service.clock(),
        present,
        zone=place.zone,
    )
    return not any(v.blocks for v in found)


def _refusals(place: OnProduction, command: Command) -> tuple[Violation, ...]:
    """Why the core would refuse ``command`` by the signed-in person now (``()``: it would not)."""
    found = preview(
        place.state, command, place.person.person_id, place.service.clock(), zone=place.zone
    )
    return tuple(v for v in found if v.blocks)


def _units(place: OnProduction) -> list[Unit]:
    return list(place.state.units.values())


def _own(place: OnProduction) -> dict[str, Any]:
    """What the signed-in person may do about their own presence: sign on at each unit the core
    would accept (and why not at the others), sign off if it would."""
    me = place.person
    sign_on, not_there = [], []
    for unit in _units(place):
        if me.on_set and me.unit == unit.unit:
            continue
        why = _refusals(place, ArriveOnSet(me.person_id, unit=unit.unit))
        if why:
            not_there.append({"unit": unit, "why": why})
        else:
            sign_on.append(unit)
    leave = me.on_set and not _refusals(place, LeaveSet(me.person_id))
    why_stay = _refusals(place, LeaveSet(me.person_id)) if me.on_set and not leave else ()
    return {
        "person": me,
        "at": place.state.unit_label(me.unit) if me.on_set else "",
        "sign_on": sign_on,
        "not_there": not_there,
        "sign_off": leave,
        "why_stay": why_stay,
    }


def _crew(place: OnProduction) -> list[dict[str, Any]]:
    """The others the signed-in person may sign on or off without them confirming in person
    (the armory crew, for an armorer), as the core would accept it now."""
    rows = []
    for person in place.state.people.values():
        if person.person_id == place.person.person_id:
            continue
        arrive = [
            u
            for u in _units(place)
            if not (person.on_set and person.unit == u.unit)
            and _accepted(place, ArriveOnSet(person.person_id, unit=u.unit))
        ]
        leave = person.on_set and _accepted(place, LeaveSet(person.person_id))
        if arrive or leave:
            at = place.state.unit_label(person.unit) if person.on_set else ""
            rows.append({"person": person, "at": at, "arrive": arrive, "leave": leave})
    return rows


def _at_the_door(place: OnProduction) -> list[Person]:
    """Who may sign on or off here by confirming with their own badge or PIN, as the core
    would accept it now."""
    people = []
    for person in place.state.people.values():
        if person.person_id == place.person.person_id:
            continue
        if not (person.badge_id or person.pin_id):
            continue
        confirming = Confirmation(person.person_id)
        can = person.on_set and _accepted(place, LeaveSet(person.person_id, confirming), person)
        can = can or any(
            _accepted(place, ArriveOnSet(person.person_id, confirming, u.unit), person)
            for u in _units(place)
            if not (person.on_set and person.unit == u.unit)
        )
        if can:
            people.append(person)
    return people


def _waiting(place: OnProduction) -> list[dict[str, Any]]:
    """The firearms dispatched to the signed-in person whose receipt the core would let them
    confirm now."""
    rows = []
    for firearm in place.state.firearms.values():
        sent = firearm.dispatch
        if sent is None or sent.to != place.person.person_id:
            continue
        rows.append(
            {
                "firearm": firearm,
                "from": place.state.person_label(sent.by),
                "unit": place.state.unit_label(sent.unit),
                "why": _refusals(place, ConfirmReceipt(firearm.tag)),
            }
        )
    return rows


def _door_command(place: OnProduction, form: Any) -> tuple[Command | None, str]:
    """Signing on or off at the shared device: the person chosen (or whose badge was scanned)
    confirms with their badge or PIN."""
    code = form.get("code", "").strip()
    person = place.state.people.get(form.get("person", ""))
    if person is None:
        found = place.service.credentials.identify(place.production, code)
        if isinstance(found, Failed):
            return None, f"Choose your name, or scan your badge: {found.problem}"
        person = place.state.people.get(found.person_id)
        if person is None:
            return None, "Choose your name, or scan your badge."
    if not code:
        return None, f"{person.name}: type your PIN or scan your badge."
    confirming = Confirmation(person.person_id, code)
    if form.get("action") == "door-leave":
        return LeaveSet(person.person_id, confirming), f"{person.label} signed off set."
    unit = form.get("unit", "main")
    return (
        ArriveOnSet(person.person_id, confirming, unit),
        f"{person.label} signed on set at {place.state.unit_label(unit)}.",
    )


def _command(place: OnProduction, form: Any) -> tuple[Command | None, str]:
    """The command a posted form asks for and what to say once recorded (or what is wrong with
    the form, with no command)."""
    action = form.get("action", "")
    state = place.state
    unit = form.get("unit", "main")
    named = form.get("person", "")
    who = state.people.get(named) if named else place.person
    if who is None and action in ("arrive", "leave"):
        return None, "Choose who is signing on or off: that person is not on this production."
    if action == "arrive" and who is not None:
        return (
            ArriveOnSet(who.person_id, unit=unit),
            f"{who.label} signed on set at {state.unit_label(unit)}.",
        )
    if action == "leave" and who is not None:
        return LeaveSet(who.person_id), f"{who.label} signed off set."
    if action in ("door-arrive", "door-leave"):
        return _door_command(place, form)
    if action == "open-unit":
        name = " ".join(form.get("name", "").split())
        location = " ".join(form.get("location", "").split())
        if not name or not location:
            return None, "Give the unit a name and say where it is."
        short = form.get("unit", "").strip() or slugify(name)
        return OpenUnit(short, name, location), f"{name} formed, at {location}."
    if action == "confirm-receipt":
        firearm = state.firearms.get(form.get("firearm", ""))
        if firearm is None:
            return None, "Choose the firearm you received."
        return ConfirmReceipt(firearm.tag), f"{firearm.label} received: it is in your hands."
    return None, "Choose what to record."


def _spot(place: OnProduction, posted: Any, crew: bool) -> str:
    """Which part of the page the posted form was in, to show its outcome there."""
    action = posted.get("action", "") if posted else ""
    if action in ("arrive", "leave"):
        other = posted.get("person", "") not in ("", place.person.person_id)
        return "crew" if other and crew else "own"
    return {
        "door-arrive": "door",
        "door-leave": "door",
        "open-unit": "open-unit",
        "confirm-receipt": "confirm-receipt",
    }.get(action, "top")


@login_required
def on_set(request: HttpRequest, slug: str) -> HttpResponse:
    """Who is on set at each unit; sign on and off; form a unit; confirm a firearm received."""
    place = on_production(request.user, slug)
    require(place, "on-set")
    refused: tuple[Violation, ...] = ()
    errors: list[str] = []
    failure = ""
    posted: Any = {}
    if request.method == "POST":
        posted = request.POST
        if posted.get("action") == "open-unit":
            require(place, "form-unit")
        if posted.get("action") == "confirm-receipt":
            require(place, "move-between-units")
        command, said = _command(place, request.POST)
        if command is None:
            errors = [said]
        else:
            outcome = attempt(request, place, command)
            if outcome.recorded:
                assert outcome.executed is not None
                messages.success(request, f"Recorded: {said}")
                for warned in outcome.executed.warnings:
                    messages.warning(request, f"{warned.rule_id}: {warned.message}")
                return redirect("on-set", slug=slug)
            refused, failure = outcome.refused, outcome.failure
    state = place.state
    units = [
        {
            "unit": unit,
            "on_set": sorted(
                p.label for p in state.people.values() if p.on_set and p.unit == unit.unit
            ),
        }
        for unit in _units(place)
    ]
    crew = _crew(place)
    return render(
        request,
        "floor/on_set.html",
        {
            **set_context(place),
            "units": units,
            "several": len(units) > 1,
            "own": _own(place),
            "crew": crew,
            "door": _at_the_door(place),
            "waiting": _waiting(place) if may(place, "move-between-units") else [],
            "may_form": may(place, "form-unit"),
            "refused": refused,
            "errors": errors,
            "failure": failure,
            "posted": posted,
            "spot": _spot(place, posted, bool(crew)),
        },
    )


urlpatterns: list[URLPattern] = [path("on-set/", on_set, name="on-set")]
