"""Labels: the printable PDF sheet of QR labels, and a page that explains and links to it.

The sheet holds a label for every firearm, lot and container of the production (see
:mod:`showclear.reports.labels`). Badges are printed here too, but only as they are issued: printing a
person's badge issues them a new one through the application service (the old one, and every
copy of it, stops working), and its code is on that PDF alone, never stored and never shown
again. A person's PIN is set here too: they type the one they chose on the armorer's phone, it
is issued through the service (kept only as a keyed hash beside the ledger) and their old PIN
stops. Only armorers open this area (:data:`roles.AREAS`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from showclear.core.decide import Refused
from showclear.reports.labels import PAPERS, badge_labels, label_sheet, production_labels
from showclear.service.credentials import CredentialError
from showclear.web.floor.access import OnProduction, on_production, require


def _paper(request: HttpRequest) -> str:
    paper = str(request.GET.get("paper") or request.POST.get("paper") or "a4").lower()
    return paper if paper in PAPERS else "a4"


def _pdf(place: OnProduction, pdf: bytes, what: str, paper: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{slugify(place.production.name) or 'production'}-{what}-{paper}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """The PDF sheet; ``?paper=letter`` for US Letter, A4 otherwise."""
    place = on_production(request.user, slug)
    require(place, "labels")
    paper = _paper(request)
    pdf = label_sheet(place.production.name, production_labels(place.state), paper=paper)
    return _pdf(place, pdf, "labels", paper)


@login_required
@require_POST
def badges(request: HttpRequest, slug: str) -> HttpResponse:
    """Issue a new badge to each person chosen and answer the PDF of those badges (the one
    time their codes exist outside the badges themselves)."""
    place = on_production(request.user, slug)
    require(place, "labels")
    chosen = [p for p in request.POST.getlist("person") if p in place.state.people]
    if not chosen:
        return _page(request, place, problem="Choose whose badges to print.")
    issued: list[tuple[str, str]] = []
    try:
        for person_id in chosen:
            badge = place.service.credentials.issue_badge(
                place.production, person_id, by=place.person.person_id
            )
            issued.append((person_id, badge.code))
    except Refused as refused:
        done = f" ({len(issued)} issued before it: print again to replace them)" if issued else ""
        return _page(request, place, problem=f"Not issued: {refused}{done}", status=409)
    paper = _paper(request)
    labels = badge_labels(place.service.state(place.production), issued)
    pdf = label_sheet(place.production.name, labels, paper=paper)
    return _pdf(place, pdf, "badges", paper)


@login_required
@require_POST
def pin(request: HttpRequest, slug: str) -> HttpResponse:
    """Set the PIN a person chose, typed twice on this phone; their old PIN stops working."""
    place = on_production(request.user, slug)
    require(place, "labels")
    person = place.state.people.get(request.POST.get("person", ""))
    typed, again = request.POST.get("pin", ""), request.POST.get("pin_again", "")
    if person is None:
        return _page(request, place, problem="Choose whose PIN to set.")
    if typed != again:
        return _page(request, place, problem="The two PINs differ: nothing set. Type it again.")
    try:
        place.service.credentials.issue_pin(
            place.production, person.person_id, typed, by=place.person.person_id
        )
    except CredentialError as error:
        return _page(request, place, problem=f"{error} Nothing set.")
    except Refused as refused:
        return _page(request, place, problem=f"Not set: {refused}", status=409)
    return _page(
        request,
        place,
        notice=f"A new PIN is set for {person.label}; any PIN they had before stops working.",
    )


def _page(
    request: HttpRequest,
    place: OnProduction,
    problem: str = "",
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    state = place.state  # the service keeps it caught up: a PIN just set shows
    people = sorted(state.people.values(), key=lambda p: p.name)
    return render(
        request,
        "floor/labels.html",
        {
            "place": place,
            "counts": {
                "firearms": len(state.firearms),
                "lots": len(state.lots),
                "containers": len(state.containers),
            },
            "total": len(production_labels(state)),
            "people": people,
            "problem": problem,
            "notice": notice,
        },
        status=status,
    )


@login_required
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """What the sheet holds, with a link per paper size, and badges to print (issue)."""
    place = on_production(request.user, slug)
    require(place, "labels")
    return _page(request, place)


urlpatterns: list[URLPattern] = [
    path("labels.pdf", sheet, name="labels"),
    path("labels/badges.pdf", badges, name="labels-badges"),
    path("labels/pin/", pin, name="labels-pin"),
    path("labels/", page, name="labels-page"),
]
