"""Receiving by hand: a firearm or a lot, typed in by the armorer as it comes off the truck
(the import page takes a whole manifest as CSV).

The form asks for every field the command needs; the positions and the calibre are read the
way the manifest import reads them (a number of chambers, barrels or magazine capacity, or a
list; a calibre by any of its usual spellings). A problem with what was typed is said under
the form, kept as it was, with nothing recorded (400); what the core refuses stands there too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from showclear.core.commands import Command, ReceiveFirearm, ReceiveLot
from showclear.core.rules import Violation
from showclear.core.vocabulary import BLANK, LOT_KINDS, LOT_MAKERS, UNKNOWN_MAKER
from showclear.imports import words
from showclear.imports.table import Cell, Problem
from showclear.web.floor.access import OnProduction, on_production, require
from showclear.web.floor.desk import record
from showclear.web.floor.today import set_context


def _cell(form: QueryDict, name: str) -> Cell:
    return Cell(" ".join(form.get(name, "").split()), 0, 0, name)


def _calibre(place: OnProduction, form: QueryDict, errors: list[str]) -> str:
    known = {f.calibre for f in place.state.firearms.values()} | {
        lot.calibre for lot in place.state.lots.values()
    }
    found = words.calibre(_cell(form, "calibre"), words.calibres_known(known))
    if isinstance(found, Problem):
        errors.append(found.message.capitalize() + ".")
        return ""
    return found


def _firearm(place: OnProduction, form: QueryDict) -> tuple[Command | None, list[str]]:
    errors: list[str] = []
    text = {n: " ".join(form.get(n, "").split()) for n in ("tag", "serial", "type", "owner")}
    for name, what in (("tag", "tag"), ("serial", "serial number"), ("type", "type")):
        if not text[name]:
            errors.append(f"Give the firearm's {what}.")
    if not text["owner"]:
        errors.append("Give the owner (the rental house).")
    klass = words.one_of(_cell(form, "firearm_class"), words.FIREARM_CLASSES, "firearm class")
    if isinstance(klass, Problem):
        errors.append(klass.message.capitalize() + ".")
        return None, errors
    calibre = _calibre(place, form, errors) if form.get("calibre", "").strip() else ""
    positions = words.positions(_cell(form, "positions"), text["type"], klass)
    if isinstance(positions, Problem):
        errors.append(positions.message.capitalize() + ".")
    if errors or isinstance(positions, Problem):
        return None, errors
    return ReceiveFirearm(
        tag=text["tag"].upper(),
        serial=text["serial"],
        make=" ".join(form.get("make", "").split()),
        model=" ".join(form.get("model", "").split()),
        firearm_type=text["type"].casefold(),
        calibre=calibre,
        firearm_class=klass,
        positions=positions,
        owner=text["owner"],
        notes=" ".join(form.get("notes", "").split()),
        container=form.get("container", ""),
    ), []


def _lot(place: OnProduction, form: QueryDict) -> tuple[Command | None, list[str]]:
    errors: list[str] = []
    kind = form.get("lot_kind", "")
    if kind not in LOT_KINDS:
        errors.append("Choose dummies or blanks (live rounds are never received).")
    tag = " ".join(form.get("tag", "").split()).upper()
    if not tag:
        errors.append("Give the lot's tag.")
    count = words.whole_number(_cell(form, "count"), "count of rounds", least=1)
    if isinstance(count, Problem):
        errors.append(count.message.capitalize() + ".")
    calibre = _calibre(place, form, errors)
    maker = form.get("maker", UNKNOWN_MAKER)
    if maker not in LOT_MAKERS:
        errors.append("Choose who made the rounds.")
    load = form.get("load", "")
    if kind == BLANK and load not in words.BLANK_LOADS:
        errors.append("Choose the blanks' load (quarter, half, full).")
    if errors or isinstance(count, Problem):
        return None, errors
    return ReceiveLot(
        tag=tag,
        lot_kind=kind,
        calibre=calibre,
        count=count,
        supplier=" ".join(form.get("supplier", "").split()),
        document=" ".join(form.get("document", "").split()),
        delivered_on=form.get("delivered_on", ""),
        load=load if kind == BLANK else "",
        for_firearms=tuple(form.getlist("for_firearms")),
        container=form.get("container", ""),
        maker=maker,
    ), []


@login_required
def receive(request: HttpRequest, slug: str) -> HttpResponse:
    """The two forms, a firearm and a lot; a press records one."""
    place = on_production(request.user, slug)
    require(place, "receive")
    refused: tuple[Violation, ...] = ()
    errors: list[str] = []
    failure = ""
    status = 200
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action == "firearm":
            command, errors = _firearm(place, request.POST)
        elif action == "lot":
            command, errors = _lot(place, request.POST)
        else:
            command, errors = None, ["Choose a firearm or a lot."]
        if command is not None:
            outcome = record(request, place, command)
            if outcome.recorded:
                assert isinstance(command, ReceiveFirearm | ReceiveLot)
                what = "Firearm" if action == "firearm" else "Lot"
                messages.success(
                    request,
                    f"{what} {command.tag} is received"
                    + (
                        ": inspect it, and record its class, before it is used."
                        if action == "firearm"
                        else ": quarantined until every round is verified."
                    ),
                )
                return redirect(reverse("receive", kwargs={"slug": slug}) + f"#receive-{action}")
            refused, failure = outcome.refused, outcome.failure
        if errors:
            status = 400
    state = place.state
    context: dict[str, Any] = {
        **set_context(place),
        "acted": action,
        "refused": refused,
        "errors": errors,
        "failure": failure,
        "posted": request.POST,
        "classes": list(words.FIREARM_CLASSES),
        "makers": sorted(LOT_MAKERS),
        "loads": list(words.BLANK_LOADS),
        "containers": [c for c in state.containers.values() if not c.locked],
        "firearms": [f for f in state.firearms.values() if f.active],
        "calibres": sorted(words.CALIBRES),
    }
    return render(request, "floor/receive.html", context, status=status)


urlpatterns: list[URLPattern] = [path("receive/", receive, name="receive")]
