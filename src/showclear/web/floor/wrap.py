"""Wrap: count every firearm and round by hand and reconcile with the record (R-CLOSE-OUT).

The count is blind: the form does not show what the record expects, so nobody counts toward a
number. The core compares, and every difference becomes an incident in the same record
(:class:`CountAndReconcile` through :func:`~showclear.web.floor.actions.attempt`); the page
then shows counted against expected, each difference in red and in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from showclear.core.commands import CountAndReconcile, LotCount
from showclear.core.events.armory import CountReconciled
from showclear.core.events.on_set import IncidentOpened
from showclear.core.rules import Violation
from showclear.core.state import ProductionState
from showclear.core.state.model import OutForScenes
from showclear.web.floor.access import may, on_production, require
from showclear.web.floor.actions import attempt
from showclear.web.floor.today import set_context


@dataclass(frozen=True)
class Line:
    """One thing counted at wrap: counted against the record, in words."""

    what: str
    counted: int
    expected: int

    @property
    def difference(self) -> int:
        return self.counted - self.expected

    @property
    def words(self) -> str:
        """``"2 missing"``, ``"1 more than on record"``, ``"matches"``."""
        if self.difference < 0:
            return f"{-self.difference} missing"
        if self.difference > 0:
            return f"{self.difference} more than on record"
        return "matches"


def _rows(
    state: ProductionState, out: OutForScenes
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """The lots to count wherever they are, and the (container, lot) pairs to count inside:
    not what is ``out`` for a running scene."""
    lots = [
        (tag, lot.label)
        for tag, lot in sorted(state.lots.items())
        if state.on_hand(tag) - out.rounds.get(tag, 0)
    ]
    inside = [
        (box.tag, lot_tag, f"{state.lots[lot_tag].label} in {box.label}")
        for box in state.containers.values()
        if box.tag not in out.containers
        for lot_tag, rounds in sorted(box.rounds.items())
        if rounds
    ]
    return lots, inside


def _out(state: ProductionState, out: OutForScenes) -> list[str]:
    """What a performer holds for a running scene, in words: the count leaves it out."""
    held = [state.firearms[tag] for tag in sorted(out.firearms)]
    worn = [state.containers[tag] for tag in sorted(out.containers)]
    return [
        f"{label}, with {state.person_label(who)} for scene {scene}"
        for label, who, scene in [
            *((f.label, f.holder, f.scene) for f in held),
            *((box.label, box.custodian, box.scene) for box in worn),
        ]
    ]


def _number(value: str) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _result(state: ProductionState, events: tuple[object, ...]) -> tuple[list[Line], str, str]:
    """The lines of a recorded count, and the incident it opened (id and summary)."""
    lines: list[Line] = []
    incident, summary = "", ""
    for event in events:
        if isinstance(event, CountReconciled):
            counted = set(event.firearms_counted)
            for tag in event.firearms_expected:
                lines.append(Line(state.firearms[tag].label, int(tag in counted), 1))
            for tag in sorted(counted - set(event.firearms_expected)):
                lines.append(Line(state.firearms[tag].label, 1, 0))
            for tally in event.lots:
                where = f" in {state.containers[tally.container].label}" if tally.container else ""
                lines.append(
                    Line(f"{state.lots[tally.lot].label}{where}", tally.counted, tally.expected)
                )
        elif isinstance(event, IncidentOpened):
            incident, summary = event.incident, event.summary
    return lines, incident, summary


@login_required
def wrap(request: HttpRequest, slug: str) -> HttpResponse:
    """The wrap count: a blind count form; after recording, counted against expected."""
    place = on_production(request.user, slug)
    require(place, "wrap")
    state = place.state
    out = state.out_for_scenes()
    lots, inside = _rows(state, out)
    errors: list[str] = []
    refused: tuple[Violation, ...] = ()
    failure = ""
    lines: list[Line] = []
    incident = summary = ""
    recorded = False
    if request.method == "POST":
        require(place, "count-at-wrap")
        form = request.POST
        counts: list[LotCount] = []
        for tag, label in lots:
            number = _number(form.get(f"lot-{tag}", ""))
            if number is None:
                errors.append(f"Count {label} (every round, wherever it is) and write the number.")
            else:
                counts.append(LotCount(tag, number))
        for box, tag, label in inside:
            number = _number(form.get(f"in-{box}-{tag}", ""))
            if number is None:
                errors.append(f"Count the rounds of {label} and write the number.")
            else:
                counts.append(LotCount(tag, number, box))
        present = tuple(t for t in form.getlist("firearm") if t in state.firearms)
        if not errors:
            outcome = attempt(request, place, CountAndReconcile(present, tuple(counts)))
            refused, failure = outcome.refused, outcome.failure
            if outcome.executed is not None:
                recorded = True
                lines, incident, summary = _result(state, outcome.executed.events)
    open_differences = [
        i for i in state.incidents.values() if i.open and i.category == "count-difference"
    ]
    return render(
        request,
        "floor/wrap.html",
        {
            **set_context(place),
            "firearms": [
                f for f in state.firearms.values() if f.active and f.tag not in out.firearms
            ],
            "out": _out(state, out),
            "lots": lots,
            "inside": inside,
            "may_count": may(place, "count-at-wrap"),
            "posted": request.POST,
            "recorded": recorded,
            "lines": lines,
            "differences": [line for line in lines if line.difference],
            "incident": incident,
            "summary": summary,
            "open_differences": open_differences,
            "errors": errors,
            "refused": refused,
            "failure": failure,
        },
    )


urlpatterns: list[URLPattern] = [path("wrap/", wrap, name="wrap")]
