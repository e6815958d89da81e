"""STOP WORK: report a found round, a misfire or a discharge; stop work; resume it; and the
alarm banner every page polls.

Anyone on set may report and stop, performers too (R-STOP-WORK, R-LIVE, R-INCIDENT: reality is
always recorded), and sees the banner; only a safety supervisor and an armorer together resume,
as the core decides. Every report goes
through :func:`~showclear.web.floor.actions.attempt`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, URLPattern, path, resolve, reverse
from django.views.decorators.http import require_GET, require_POST

from showclear.core.commands import (
    Command,
    Confirmation,
    ReportDischarge,
    ReportFoundRound,
    ReportHandling,
    ReportMisfire,
    ResumeWork,
    StopWork,
)
from showclear.core.decide import HANDLERS
from showclear.core.decide.separation import stop_concerns
from showclear.core.decide.verdict import InPerson
from showclear.core.events.on_set import WorkResumed, WorkStopped
from showclear.core.read.readiness_board import preview
from showclear.core.rules import ROLE, Violation
from showclear.core.state import Person, ProductionState
from showclear.core.vocabulary import HANDLING_WORDS, WORN_CONTAINERS
from showclear.service.credential_desk import Failed
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.floor.actions import Outcome, attempt
from showclear.web.floor.today import set_context

OBSERVED_CHOICES = (
    ("live", "Live: a bullet, with a primer or powder"),
    ("unknown", "Cannot tell what it is"),
    ("blank", "Blank: no bullet, crimped or wadded"),
    ("dummy", "Dummy: a bullet, no powder"),
)


@require_GET
def alarm(request: HttpRequest, slug: str) -> HttpResponse:
    """The STOP WORK banner for every open page, polled every second (see ``base.html``).

    Short polling rather than server-sent events: a one-second GET goes through every proxy,
    phone network and sleeping tab without a long-lived connection to keep open or resume,
    and it costs only the in-memory state (caught up with any new entries; no ledger scan).
    Empty when work is not stopped. A signed-out page gets 403, which htmx does not swap in.
    """
    if not request.user.is_authenticated:
        raise PermissionDenied("signed out")
    place = on_production(request.user, slug)
    require(place, "alarm")
    response = render(request, "floor/_alarm.html", {"place": place, "fragment": True})
    response["Cache-Control"] = "no-store"
    return response


def _position(value: str) -> tuple[str, str]:
    """``"R-01|chamber 3"`` -> ``("R-01", "chamber 3")``."""
    tag, _, position = value.partition("|")
    return tag, position


def _co_signers(place: OnProduction) -> list[Person]:
    """Who may resume work with the signed-in person, as the core pairs them (ResumeWork's
    handler: a safety supervisor and an armorer, two different people, one acting and one
    confirming), leaving out whoever the stop came from (R-SEPARATION)."""
    resuming = HANDLERS[ResumeWork]
    me = place.person
    involved = stop_concerns(place.state, _resuming_unit(place) or "")
    return [
        p
        for p in place.state.people.values()
        if resuming.pairs(me, p) and p.person_id not in involved
    ]


def _resuming_unit(place: OnProduction) -> str | None:
    """The STOP WORK the resume form offers to lift: the production-wide one (``""``) if there
    is one, else the first unit's, else none."""
    state = place.state
    if state.stoppage is not None:
        return ""
    return min(state.unit_stoppages) if state.unit_stoppages else None


def _before_resuming(place: OnProduction) -> tuple[Violation, ...]:
    """What stands between now and resuming work, beyond the two people signing together:
    the core's own refusal, previewed with a co-signer who would confirm in person."""
    unit = _resuming_unit(place)
    if unit is None:
        return ()
    partners = _co_signers(place)
    partner = partners[0] if partners else None
    # A preview checks no badge: the partner is supposed present, with their badge (or PIN).
    present = (
        {partner.person_id: InPerson("preview", partner.badge_id or partner.pin_id)}
        if partner is not None
        else {}
    )
    found = preview(
        place.state,
        ResumeWork(Confirmation(partner.person_id if partner else ""), unit),
        place.person.person_id,
        place.service.clock(),
        present,
        zone=place.zone,
    )
    # The partner confirms in person when it is done for real; here only what else stands in
    # the way is wanted, so their own confirmation is not what is being previewed.
    return tuple(
        v
        for v in found
        if not (partner and v.rule_id == ROLE.rule_id and v.subject == partner.person_id)
    )


def _command(request: HttpRequest, place: OnProduction) -> tuple[Command | None, list[str]]:
    """The command a posted form asks for, or what is wrong with the form."""
    form = request.POST
    action = form.get("action", "")
    errors: list[str] = []
    scene = form.get("scene", "").strip()
    if action == "found":
        observed = form.get("observed", "")
        where = " ".join(form.get("where", "").split())
        if observed not in {value for value, _ in OBSERVED_CHOICES}:
            errors.append("Say what the round looked like: live, cannot tell, blank or dummy.")
        if not where:
            errors.append("Say where the round was found.")
        firearm, position = _position(form.get("in_firearm", ""))
        if errors:
            return None, errors
        return ReportFoundRound(
            observed,
            where,
            firearm=firearm,
            position=position,
            container=form.get("container", ""),
            lot=form.get("lot", ""),
        ), []
    if action == "misfire":
        firearm, position = _position(form.get("position", ""))
        if not firearm or not position:
            return None, ["Choose the firearm and the position that misfired."]
        return ReportMisfire(firearm, position, scene), []
    if action == "handling":
        person, act = form.get("person", ""), form.get("act", "")
        firearm, container = form.get("firearm", ""), form.get("container", "")
        if not person or act not in HANDLING_WORDS:
            errors.append("Choose who handled rounds and what they did.")
        if not firearm and not container:
            errors.append("Choose the firearm, or the belt or bag, that was handled.")
        if errors:
            return None, errors
        return ReportHandling(
            person,
            act,
            firearm=firearm,
            container=container,
            scene=scene,
            description=" ".join(form.get("description", "").split()),
        ), []
    if action == "discharge":
        chosen = [_position(value) for value in form.getlist("positions")]
        firearms = {tag for tag, _ in chosen}
        if len(firearms) != 1:
            return None, ["Choose the positions that fired, all of one firearm."]
        planned = form.get("planned", "")
        if planned not in ("yes", "no"):
            return None, ["Say whether it fired in a planned take."]
        return ReportDischarge(
            firearms.pop(),
            tuple(position for _, position in chosen),
            planned=planned == "yes",
            scene=scene,
            injury=form.get("injury") == "yes",
            description=" ".join(form.get("description", "").split()),
        ), []
    if action == "stop":
        reason = " ".join(form.get("reason", "").split())
        if not reason:
            return None, ["Say why work stops."]
        return StopWork(
            reason, lockdown=form.get("lockdown") == "yes", unit=form.get("unit", "").strip()
        ), []
    if action == "resume":
        scanned = form.get("badge", "").strip()
        co_signer = place.service.credentials.identify(place.production, scanned)
        if isinstance(co_signer, Failed):
            return None, [
                f"Scan or type the badge of the person resuming work with you: {co_signer.problem}"
            ]
        return ResumeWork(
            Confirmation(co_signer.person_id, scanned), form.get("unit", "").strip()
        ), []
    return None, ["Choose what to report."]


def _said(outcome: Outcome, state: ProductionState) -> str:
    """What was recorded, in words."""
    assert outcome.executed is not None
    stopped = [e for e in outcome.executed.events if isinstance(e, WorkStopped)]
    resumed = [e for e in outcome.executed.events if isinstance(e, WorkResumed)]
    if stopped:
        where = (
            f"at {state.unit_label(stopped[0].unit)}"
            if stopped[0].unit
            else "on the whole production"
        )
        return f"Recorded. STOP WORK is in force {where}."
    if resumed:
        where = f" at {state.unit_label(resumed[0].unit)}" if resumed[0].unit else ""
        return f"Recorded. Work has resumed{where}."
    return "Recorded."


PAGE_WORDS = {
    "board": "the board",
    "today": "Today",
    "firearm": "firearm {tag}",
    "firearm-show": "the show-clear of {tag}",
    "lot": "lot {tag}",
    "meeting": "the safety meeting",
    "wrap": "the wrap count",
    "scan": "Scan",
    "scan-container": "container {tag}",
    "scan-person": "a person's page",
    "on-set": "On set",
    "reports": "Reports",
    "ledger": "the ledger page",
    "labels-page": "Labels",
    "stop": "the STOP WORK page",
}
"""A page's name -> how a STOP WORK called from it reads (``{tag}``: the firearm, lot...)."""


def called_from(page: str) -> str:
    """``"STOP WORK called from firearm R-01"``: the reason a one-tap STOP WORK records, until
    the person who called it says what happened."""
    try:
        match = resolve(page.split("?", 1)[0])
    except Resolver404:
        return "STOP WORK called"
    words = PAGE_WORDS.get(match.url_name or "", "")
    if not words:
        return "STOP WORK called"
    return "STOP WORK called from " + words.format(tag=match.kwargs.get("tag", ""))


@login_required
@require_POST
def stop_now(request: HttpRequest, slug: str) -> HttpResponse:
    """STOP WORK in one tap, from the button on every page: recorded at once, for the whole
    production, with the page it was called from as its reason; the STOP WORK page then asks
    what happened. A tap while work is already stopped on the whole production records nothing
    more (a second tap, or a second phone, says nothing the ledger does not hold)."""
    place = on_production(request.user, slug)
    require(place, "alarm")
    after = reverse("stop", kwargs={"slug": slug}) + "?after=1#what-happened"
    held = place.state.stoppage
    if held is not None:
        messages.info(
            request,
            f"Work was already stopped, by {place.state.person_label(held.by)}: "
            "nothing more to record. Say below what happened, if you know.",
        )
        return redirect(after)
    outcome = attempt(request, place, StopWork(called_from(request.POST.get("page", ""))))
    if not outcome.recorded:
        return _page(request, place, refused=outcome.refused, failure=outcome.failure)
    messages.success(
        request, _said(outcome, place.state) + " Every phone shows it. Now say what happened."
    )
    return redirect(after)


@login_required
def stop(request: HttpRequest, slug: str) -> HttpResponse:
    """Report what happened; stop work; resume it when the core allows."""
    place = on_production(request.user, slug)
    require(place, "report-incident")
    refused: tuple[Violation, ...] = ()
    errors: list[str] = []
    failure = ""
    if request.method == "POST":
        if request.POST.get("action") == "resume":
            require(place, "resume-work")
        command, errors = _command(request, place)
        if command is not None:
            outcome = attempt(request, place, command)
            if outcome.recorded:
                assert outcome.executed is not None
                messages.success(request, _said(outcome, place.state))
                for warned in outcome.executed.warnings:
                    messages.warning(request, f"{warned.rule_id}: {warned.message}")
                return redirect("stop", slug=slug)
            refused, failure = outcome.refused, outcome.failure
    return _page(request, place, refused=refused, errors=errors, failure=failure)


def _page(
    request: HttpRequest,
    place: OnProduction,
    *,
    refused: tuple[Violation, ...] = (),
    errors: list[str] | None = None,
    failure: str = "",
) -> HttpResponse:
    """The STOP WORK page; a refusal or an error is shown inside the form it answers (the
    form posts to its own anchor, so the phone opens where the person tapped)."""
    state = place.state
    firearms = [f for f in state.firearms.values() if f.active and f.positions]
    resuming = _resuming_unit(place)
    acted = request.POST.get("action", "") if request.method == "POST" else ""
    return render(
        request,
        "floor/stop.html",
        {
            **set_context(place),
            "stoppage": state.stoppage,
            "stopped_by": state.person_label(state.stoppage.by) if state.stoppage else "",
            "after": request.GET.get("after") == "1",
            "units": list(state.units.values()) if len(state.units) > 1 else [],
            "unit_stoppages": [
                (state.unit_label(unit), held, state.person_label(held.by))
                for unit, held in sorted(state.unit_stoppages.items())
            ],
            "resuming_unit": resuming,
            "resuming_label": state.unit_label(resuming) if resuming else "",
            "observed_choices": OBSERVED_CHOICES,
            "firearms": firearms,
            "all_firearms": [f for f in state.firearms.values() if f.active],
            "handlers": [p for p in state.people.values() if not p.is_armorer],
            "handling_acts": list(HANDLING_WORDS.items()),
            "worn": [c for c in state.containers.values() if c.container_kind in WORN_CONTAINERS],
            "containers": list(state.containers.values()),
            "lots": list(state.lots.values()),
            "scenes": [s for s in state.scenes.values() if s.status != "wrapped"],
            "may_resume": may(place, "resume-work"),
            "co_signers": _co_signers(place),
            "before_resuming": _before_resuming(place),
            "open_incidents": [i for i in state.incidents.values() if i.open],
            "acted": acted,
            "refused": refused,
            "errors": errors or [],
            "failure": failure,
            "posted": request.POST,
        },
        status=200,
    )


urlpatterns: list[URLPattern] = [
    path("alarm/", alarm, name="alarm"),
    path("stop/", stop, name="stop"),
    path("stop/now/", stop_now, name="stop-now"),
]
