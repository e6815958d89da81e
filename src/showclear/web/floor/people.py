"""People: the roster as cards (name, roles, training in force or expired, on set or not, badge
and PIN), with what a roster keeper may do: put someone on the roster with their roles (an
investigator too), give a duty, record a training course or a licence (an armorer's licence is
a training record in the core: what it records for a permit), issue a badge or a PIN, revoke one.

A badge or a PIN is issued through the service's credential desk (the ledger holds only its id;
the secret is a keyed hash beside it). A new badge code, or a PIN made here, is shown once, on
the answer to the press that issued it, and never again; a badge is printed as a label by
issuing it (the old one, and every copy of it, stops working). Adding a person may also make
their sign-in, for whoever may put people on the roster (AddPerson's declared roles): its
password is shown once. A sign-in is made only for someone who has none on this production.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from showclear.core.commands import AddPerson, AssignDuty, RecordTraining, RevokeCredential
from showclear.core.decide import Refused
from showclear.core.decide.people import may_vouch, vouchers
from showclear.core.events.on_set import PersonAdded
from showclear.core.rules import Violation
from showclear.core.vocabulary import ARMORER_LICENCE, FIREARM_SAFETY, ROLE_NAMES
from showclear.reports.labels import badge_labels, label_sheet
from showclear.service.credentials import CredentialError
from showclear.store import StoreError
from showclear.web.accounts import create_login
from showclear.web.accounts.models import Membership
from showclear.web.floor.access import OnProduction, on_production, require
from showclear.web.floor.desk import record
from showclear.web.floor.today import set_context
from showclear.web.not_recorded import mark

COURSES = (
    (FIREARM_SAFETY, "Firearm safety training"),
    (ARMORER_LICENCE, "Armorer's licence or permit"),
)


def _signed_in(place: OnProduction) -> set[str]:
    """The people of this production who have a sign-in."""
    return set(
        Membership.objects.filter(production_slug=place.production.slug).values_list(
            "person_id", flat=True
        )
    )


def _cards(place: OnProduction, today: date) -> list[dict[str, Any]]:
    logins = _signed_in(place)
    cards = []
    for person in sorted(place.state.people.values(), key=lambda p: p.name):
        cards.append(
            {
                "person": person,
                "roles": ", ".join(ROLE_NAMES[r] for r in ROLE_NAMES if r in person.roles),
                "trainings": [
                    (t.course.replace("-", " "), t.expires_on, t.valid_on(today))
                    for t in person.trainings.values()
                ],
                "login": person.person_id in logins,
                "vouched": _not_vouched(place, person.roles),
            }
        )
    return cards


def _offered(place: OnProduction) -> list[tuple[str, str]]:
    """The roles the signed-in person may put on the roster (R-ROLE's vouching)."""
    return [(r, words) for r, words in ROLE_NAMES.items() if may_vouch(place.person, r)]


def _not_vouched(place: OnProduction, roles: frozenset[str] | set[str]) -> str:
    """Why the signed-in person may not issue a badge or PIN to someone holding ``roles``, or
    "" when they may."""
    for role in sorted(roles, key=list(ROLE_NAMES).index):
        if not may_vouch(place.person, role):
            return (
                f"Only {vouchers(role)} can issue their badge or PIN: whoever does could act "
                "as them."
            )
    return ""


def _withheld(place: OnProduction) -> list[str]:
    """The roles not offered to the signed-in person, each with who may vouch for it."""
    return [
        f"{ROLE_NAMES[r][:1].upper()}{ROLE_NAMES[r][1:]}: only {vouchers(r)} can add one."
        for r in ROLE_NAMES
        if not may_vouch(place.person, r)
    ]


def _login_problem(username: str) -> str:
    """Why ``username`` cannot be a new sign-in ("" when it can)."""
    user_model = get_user_model()
    field = user_model._meta.get_field("username")
    try:
        field.run_validators(username)
    except ValidationError as error:
        return f"The sign-in name {username!r} is not one: {' '.join(error.messages)}"
    if len(username) > 150 or not username:
        return "A sign-in name has 1 to 150 letters, digits and @.+-_."
    if user_model.objects.filter(username=username).exists():
        return f"The sign-in name {username!r} is taken: choose another."
    return ""


def _issue(
    request: HttpRequest, place: OnProduction, person_id: str, what: str, pin: str = ""
) -> tuple[str, tuple[Violation, ...], str]:
    """Issue a badge (its code) or a PIN through the credential desk: (what to show once,
    refused, failure)."""
    desk = place.service.credentials
    try:
        if what == "badge":
            issued = desk.issue_badge(
                place.production, person_id, by=place.person.person_id, device=_device(request)
            )
            return issued.code, (), ""
        desk.issue_pin(
            place.production, person_id, pin, by=place.person.person_id, device=_device(request)
        )
        return pin, (), ""
    except Refused as refused:
        return "", refused.violations, ""
    except CredentialError as error:
        return "", (), f"{error}"
    except StoreError as error:
        mark(request)
        return "", (), f"Not recorded: {error}"


def _device(request: HttpRequest) -> str:
    from showclear.web.floor.actions import device_of

    return device_of(request)


@login_required
@never_cache
def people(request: HttpRequest, slug: str) -> HttpResponse:
    """The roster as cards, and a form per job a roster keeper does."""
    place = on_production(request.user, slug)
    require(place, "people")
    said: dict[str, Any] = {"refused": (), "errors": [], "failure": "", "done": "", "warned": []}
    shown: dict[str, str] = {}
    acted = ""
    status = 200
    if request.method == "POST":
        form = request.POST
        action = form.get("action", "")
        person = place.state.people.get(form.get("person", ""))
        acted = form.get("person", "") if action != "add" else "add"
        errors: list[str] = []
        outcome = None
        if action == "add":
            name = " ".join(form.get("name", "").split())
            roles = tuple(r for r in form.getlist("role") if r in ROLE_NAMES)
            username = form.get("username", "").strip()
            if not name:
                errors.append("Write the person's name.")
            if not roles:
                errors.append("Tick at least one role.")
            if username and (problem := _login_problem(username)):
                errors.append(problem)
            if not errors:
                outcome = record(request, place, AddPerson(name, roles))
                if outcome.recorded:
                    assert outcome.executed is not None
                    added = next(e for e in outcome.executed.events if isinstance(e, PersonAdded))
                    acted = added.person_id
                    said["done"] = f"{name} is on the roster."
                    if username:
                        password = secrets.token_urlsafe(12)
                        create_login(slug, added.person_id, username, password)
                        shown = {"username": username, "password": password}
        elif person is None:
            errors.append("Choose the person.")
        elif action == "duty":
            duty = " ".join(form.get("duty", "").split())
            if not duty:
                errors.append("Write the duty.")
            else:
                outcome = record(request, place, AssignDuty(person.person_id, duty))
                said["done"] = f"{person.name} has the {duty} duty."
        elif action == "training":
            course = form.get("course", "")
            course = (
                " ".join(form.get("other_course", "").split()).lower().replace(" ", "-") or course
            )
            completed, expires = form.get("completed_on", ""), form.get("expires_on", "")
            if not course:
                errors.append("Choose the course or licence.")
            if not completed:
                errors.append("Give the date it was completed or issued.")
            if not errors:
                outcome = record(
                    request,
                    place,
                    RecordTraining(person.person_id, course, completed, expires or None),
                )
                said["done"] = (
                    f"{course.replace('-', ' ').capitalize()} recorded for {person.name}."
                )
        elif action in ("badge", "pin"):
            pin = form.get("pin", "").strip()
            if action == "pin" and pin != form.get("pin_again", "").strip():
                errors.append("The two PINs differ: type it again.")
            elif action == "pin" and not pin:
                pin = f"{secrets.randbelow(10**6):06d}"
            if not errors:
                code, refused, failure = _issue(request, place, person.person_id, action, pin)
                said["refused"], said["failure"] = refused, failure
                if code:
                    shown = {action: code, "made": "yes" if not form.get("pin") else ""}
                    said["done"] = (
                        f"A new badge is issued to {person.name}; their old one stops working."
                        if action == "badge"
                        else f"A new PIN is set for {person.name}; their old one stops working."
                    )
        elif action == "revoke":
            what, reason = form.get("credential", ""), " ".join(form.get("reason", "").split())
            if what not in ("badge", "pin") or not reason:
                errors.append("Choose the badge or the PIN, and say why.")
            else:
                outcome = record(request, place, RevokeCredential(person.person_id, what, reason))
                said["done"] = f"{person.name}'s {what} no longer counts."
        else:
            errors.append("Choose what to do.")
        if outcome is not None:
            said["refused"], said["failure"] = outcome.refused, outcome.failure
            if outcome.recorded:
                assert outcome.executed is not None
                said["warned"] = [f"{w.rule_id}: {w.message}" for w in outcome.executed.warnings]
            else:
                said["done"] = ""
        said["errors"] = errors
        if errors:
            status = 400
    today = place.service.clock().date()
    response = render(
        request,
        "floor/people.html",
        {
            **set_context(place),
            **said,
            "cards": _cards(place, today),
            "roles": _offered(place),
            "withheld": _withheld(place),
            "courses": COURSES,
            "acted": acted,
            "shown": shown,
            "posted": request.POST if said["errors"] or said["refused"] else {},
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # a code shown once is never kept
    return response


@login_required
@require_POST
def badge_label(request: HttpRequest, slug: str) -> HttpResponse:
    """A badge just issued, as a printable label: its code comes back from the page that showed
    it once, and is printed only if it is that person's current badge."""
    place = on_production(request.user, slug)
    require(place, "people")
    code = request.POST.get("code", "")
    holder = place.service.credentials.identify(place.production, code)
    person_id = getattr(holder, "person_id", "")
    if not person_id or person_id != request.POST.get("person", ""):
        return _said(
            request,
            place,
            "That is not the person's current badge: nothing printed. Issue a new one.",
        )
    state = place.service.state(place.production)
    pdf = label_sheet(place.production.name, badge_labels(state, [(person_id, code)]), paper="a4")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="badge.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _said(request: HttpRequest, place: OnProduction, problem: str) -> HttpResponse:
    """The People page with one problem said at its top (nothing recorded)."""
    today = place.service.clock().date()
    return render(
        request,
        "floor/people.html",
        {
            **set_context(place),
            "cards": _cards(place, today),
            "roles": _offered(place),
            "withheld": _withheld(place),
            "courses": COURSES,
            "acted": "add",
            "errors": [problem],
            "posted": {},
        },
    )


urlpatterns: list[URLPattern] = [
    path("people/", people, name="people"),
    path("people/badge.pdf", badge_label, name="people-badge"),
]
