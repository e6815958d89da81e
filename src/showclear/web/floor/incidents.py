"""Incidents: each open incident as a card (what, when, what it froze, what it blocks) with the
safety supervisor's actions on it, and the closed ones below.

The safety supervisor releases an incident's evidence to named investigators before a witness,
closes it with a second person (a producer or another safety supervisor), and overrides an
overridable rule once with a reason and a second person; an investigator of the incident hands
its evidence back to an armorer once it is closed. Whoever confirms in person types their PIN or
has their badge scanned on this phone. Each card first says what the core would refuse now
(:func:`~showclear.web.floor.desk.ahead`), so nobody is asked to confirm what cannot be
recorded; a refusal stands on the card, with the form as it was left.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from showclear.core.commands import (
    CloseIncident,
    Command,
    Confirmation,
    OverrideRule,
    ReleaseEvidence,
    ReturnEvidence,
)
from showclear.core.decide.evidence import frozen_as_found, labels, with_investigators
from showclear.core.decide.readiness import NON_BLOCKING_INCIDENTS
from showclear.core.decide.separation import SECONDS
from showclear.core.rules import RULES, SEPARATION, Violation
from showclear.core.state import Incident, Person
from showclear.core.vocabulary import INVESTIGATOR
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.floor.desk import ahead, chosen, confirmed, presented, record
from showclear.web.floor.today import set_context

PREVIEW_FINDINGS = "the findings, as they will be written"


def _seconds(place: OnProduction) -> list[Person]:
    """Who may be the second person of a closing or an override (a producer or another safety
    supervisor, not the signed-in person): the core's own roles for it."""
    me = place.person.person_id
    return [p for p in place.state.people.values() if p.roles & SECONDS and p.person_id != me]


def _witnesses(place: OnProduction) -> list[Person]:
    """Who may be offered as the witness of a release: anyone but the signed-in person."""
    return [p for p in place.state.people.values() if p.person_id != place.person.person_id]


def _before_release(
    place: OnProduction, incident: Incident, investigators: list[Person]
) -> tuple[Violation, ...]:
    """What the core would refuse of releasing the evidence now, with the first witness it
    would accept (no witness is chosen yet: a reason about one particular witness, R-SEPARATION
    for the armorer whose custody it came from, is not a reason to show before the form). The
    first witness with no such reason answers; the roster is tried only while each has one."""
    first: tuple[Violation, ...] = ()
    for witness in _witnesses(place):
        found = ahead(
            place,
            ReleaseEvidence(
                incident.incident,
                tuple(p.person_id for p in investigators[:1]),
                Confirmation(witness.person_id),
            ),
            witness,
        )
        if all(v.rule_id != SEPARATION.rule_id for v in found):
            return found  # what holds whoever witnesses (nothing, most often)
        first = first or found
    return first


def _card(place: OnProduction, incident: Incident) -> dict[str, Any]:
    """One open incident as its card shows it, with what the core would refuse now."""
    state = place.state
    frozen = frozen_as_found(state, incident)
    held = with_investigators(state, incident)
    seconds = _seconds(place)
    second = seconds[0] if seconds else None
    investigators = [p for p in state.people.values() if INVESTIGATOR in p.roles]
    card: dict[str, Any] = {
        "incident": incident,
        "frozen": labels(state, frozen),
        "held": labels(state, held),
        "blocks": incident.category not in NON_BLOCKING_INCIDENTS,
        "investigators": ", ".join(state.person_label(p) for p in incident.investigators),
    }
    if frozen and may(place, "incidents"):
        card["before_release"] = _before_release(place, incident, investigators)
    if may(place, "incidents"):
        card["before_close"] = ahead(
            place,
            CloseIncident(
                incident.incident,
                PREVIEW_FINDINGS,
                Confirmation(second.person_id if second else ""),
            ),
            second,
        )
    return card


def _command(place: OnProduction, form: Any) -> tuple[Command | None, list[str]]:
    """The command a posted form asks for (its people confirmed in person), or what is wrong.

    The core is asked first, with the confirming people supposed present: only when nothing
    else stands in the way is a PIN or badge checked (and a wrong one counted)."""
    action = form.get("action", "")
    incident = form.get("incident", "")
    if action == "release":
        witness = chosen(place, form, "witness")
        investigators = tuple(p for p in dict.fromkeys(form.getlist("investigator")))
        if witness is None:
            return None, ["Choose the witness to the handover."]
        trial: Command = ReleaseEvidence(incident, investigators, Confirmation(witness.person_id))
        confirming = witness
    elif action == "close":
        second = chosen(place, form, "second")
        findings = " ".join(form.get("findings", "").split())
        if second is None:
            return None, ["Choose the second person who confirms the closing."]
        if not findings:
            return None, ["Write what the investigation found."]
        trial = CloseIncident(incident, findings, Confirmation(second.person_id))
        confirming = second
    elif action == "return":
        armorer = chosen(place, form, "armorer")
        if armorer is None:
            return None, ["Choose the armorer who takes the evidence back."]
        trial = ReturnEvidence(incident, Confirmation(armorer.person_id))
        confirming = armorer
    elif action == "override":
        second = chosen(place, form, "second")
        rule_id, subject = form.get("rule", ""), form.get("subject", "").strip()
        reason = " ".join(form.get("reason", "").split())
        problems = []
        if rule_id not in OVERRIDABLE:
            problems.append("Choose the rule to override.")
        if not subject:
            problems.append("Say what the override is for (a tag, a person, a scene).")
        if not reason:
            problems.append("Say why, in words.")
        if second is None:
            problems.append("Choose the second person who confirms the override.")
        if problems or second is None:
            return None, problems
        trial = OverrideRule(rule_id, subject, reason, Confirmation(second.person_id))
        confirming = second
    else:
        return None, ["Choose what to do."]
    return trial, [] if confirming else ["Choose who confirms in person."]


def _confirmed(command: Command, confirmation: Confirmation) -> Command:
    """``command`` with its one in-person confirmation filled in."""
    if isinstance(command, ReleaseEvidence):
        return ReleaseEvidence(command.incident, command.investigators, confirmation)
    if isinstance(command, CloseIncident):
        return CloseIncident(command.incident, command.findings, confirmation)
    if isinstance(command, ReturnEvidence):
        return ReturnEvidence(command.incident, confirmation)
    assert isinstance(command, OverrideRule)
    return OverrideRule(command.rule_id, command.subject, command.reason, confirmation)


def _confirmer(command: Command) -> str:
    if isinstance(command, ReleaseEvidence):
        return command.witness.person_id
    if isinstance(command, ReturnEvidence):
        return command.armorer.person_id
    assert isinstance(command, CloseIncident | OverrideRule)
    return command.second.person_id


OVERRIDABLE = {rule_id: rule for rule_id, rule in RULES.items() if rule.overridable}

DONE = {
    "release": "The evidence of {incident} is with the investigators.",
    "close": "{incident} is closed.",
    "return": "The evidence of {incident} is back with the armorer: inspect every firearm and "
    "verify every lot before use.",
    "override": "The override is recorded: it is used once.",
}


@login_required
def incidents(request: HttpRequest, slug: str) -> HttpResponse:
    """Every incident, open ones first as cards with the safety supervisor's actions."""
    place = on_production(request.user, slug)
    require(place, "incidents")
    return _page(request, place, "incidents")


@login_required
def evidence(request: HttpRequest, slug: str) -> HttpResponse:
    """The same cards for an investigator: the evidence they hold, to hand back once closed."""
    place = on_production(request.user, slug)
    require(place, "return-evidence")
    return _page(request, place, "incidents-evidence")


def _page(request: HttpRequest, place: OnProduction, here: str) -> HttpResponse:
    slug = place.production.slug
    refused: tuple[Violation, ...] = ()
    errors: list[str] = []
    failure = ""
    acted = ""
    status = 200
    if request.method == "POST":
        form = request.POST
        action = form.get("action", "")
        acted = form.get("incident", "") if action != "override" else "override"
        if (action == "return") != (here == "incidents-evidence"):
            raise PermissionDenied("that is done from the other incidents page")
        trial, errors = _command(place, form)
        if trial is not None and not errors:
            person = place.state.people[_confirmer(trial)]
            refused = ahead(place, trial, person)
            if not refused:
                proof = confirmed(place, person, presented(form, "code"))
                if isinstance(proof, str):
                    errors = [proof]
                else:
                    outcome = record(request, place, _confirmed(trial, proof))
                    if outcome.recorded:
                        incident = form.get("incident", "")
                        messages.success(request, DONE[action].format(incident=incident))
                        anchor = f"#incident-{incident}" if action != "override" else "#override"
                        return redirect(reverse(here, kwargs={"slug": slug}) + anchor)
                    refused, failure = outcome.refused, outcome.failure
        if errors:
            status = 400
    state = place.state
    open_ones = sorted((i for i in state.incidents.values() if i.open), key=lambda i: i.seq)
    closed = sorted(
        (i for i in state.incidents.values() if not i.open), key=lambda i: i.seq, reverse=True
    )
    return render(
        request,
        "floor/incidents.html",
        {
            **set_context(place),
            "cards": [_card(place, i) for i in open_ones],
            "closed": [
                {"incident": i, "held": labels(state, with_investigators(state, i))} for i in closed
            ],
            "here": here,
            "may_act": here == "incidents",
            "may_return": here == "incidents-evidence",
            "me": place.person.person_id,
            "seconds": _seconds(place),
            "witnesses": _witnesses(place),
            "investigators": [p for p in state.people.values() if INVESTIGATOR in p.roles],
            "armorers": [p for p in state.people.values() if p.is_armorer],
            "rules": sorted(OVERRIDABLE.values(), key=lambda r: r.rule_id),
            "acted": acted,
            "refused": refused,
            "errors": errors,
            "failure": failure,
            "posted": request.POST,
        },
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("incidents/", incidents, name="incidents"),
    path("incidents/evidence/", evidence, name="incidents-evidence"),
]
