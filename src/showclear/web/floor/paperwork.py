"""Reports and exports on the set pages: a page that lists them, each report as a page (HTML) or
a PDF, and the CSV exports (bound book, inventory, history).

Every report is drawn from one snapshot of the ledger by :mod:`showclear.reports`, the same code
as ``showclear report``: the page and the PDF say the same things. The compliance summary counts
the refusals kept in the refusal log (:mod:`showclear.web.refusals`). Parameters ride in the
query string (``?kind=daily-log&day=2026-10-13``); a page without them goes back to the list.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.text import slugify

from showclear import reports
from showclear.reports import exports, reading
from showclear.reports.cells import csv_bytes
from showclear.reports.document import Document
from showclear.reports.html import context as document_context
from showclear.reports.pdf import PAPERS, render_pdf
from showclear.service import InputError
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.floor.still import holds_the_state_itself
from showclear.web.floor.today import set_context
from showclear.web.refusals.log import refusals
from showclear.web.runtime import service


def _document(place: OnProduction, request: HttpRequest) -> Document | None:
    """The report the query string asks for; ``None`` when it names none."""
    kind = request.GET.get("kind", "")
    if kind not in reports.DOCUMENTS:
        return None
    snap = reading.snapshot(place.service, place.production)
    day = reading.day_of(request.GET.get("day") or "today", snap.state)
    return reports.document(
        snap,
        kind,
        day=day,
        scene=request.GET.get("scene") or None,
        tag=request.GET.get("tag") or None,
        incident_id=request.GET.get("incident") or None,
        refusals=refusals(place.production, reading.day_bounds(day, snap.state)[1])
        if kind == "compliance"
        else None,
    )


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """Every report of a day, every firearm's sheet, every incident, and the CSV exports."""
    place = on_production(request.user, slug)
    require(place, "reports")
    state = place.state
    error = ""
    try:
        day = reading.day_of(request.GET.get("day") or "today", state)
    except InputError as problem:
        error, day = str(problem), reading.day_of("today", state)
    return render(
        request,
        "reports/index.html",
        {
            **set_context(place),
            "day": day,
            "days": _days(state.days, day),
            "daily": [(kind, reports.TITLES[kind]) for kind in reports.DAILY],
            "firearms": list(state.firearms.values()),
            "lots": list(state.lots.values()),
            "incidents": sorted(state.incidents.values(), key=lambda i: -i.seq),
            "may_import": may(place, "import"),
            "error": error,
        },
    )


def _days(planned: dict[str, str], chosen: date) -> list[tuple[str, str]]:
    """``(date, label)`` of every shoot day, and the chosen day if it is none."""
    days = {when: f"{when} ({name})" for name, when in planned.items()}
    days.setdefault(chosen.isoformat(), chosen.isoformat())
    return sorted(days.items())


def _asked(place: OnProduction, request: HttpRequest) -> Document | HttpResponse:
    """The report the query asks for; or, when it asks for none, the Reports page, and when it
    cannot be made (a day that is not one), the problem page (404)."""
    try:
        document = _document(place, request)
    except InputError as error:
        return render(
            request, "reports/problem.html", {**set_context(place), "error": error}, status=404
        )
    return redirect("reports", slug=place.production.slug) if document is None else document


@login_required
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """One report as a page."""
    place = on_production(request.user, slug)
    require(place, "reports")
    document = _asked(place, request)
    if isinstance(document, HttpResponse):
        return document
    query = request.GET.urlencode()
    return render(
        request,
        "reports/page.html",
        {**set_context(place), **document_context(document), "query": query},
    )


@login_required
@holds_the_state_itself
def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """One report as a PDF (``&paper=letter`` for US Letter, A4 otherwise). The state is held
    while the report is read from it, not while its pages are drawn (thousands of rows take
    seconds, and this process's STOP WORK banner polls must not wait for them)."""
    place = on_production(request.user, slug)
    require(place, "reports")
    with service().held():
        document = _asked(place, request)
        if isinstance(document, HttpResponse):
            return document
        name = _file(place, document.name)
    paper = request.GET.get("paper", "a4").lower()
    response = HttpResponse(
        render_pdf(document, paper=paper if paper in PAPERS else "a4"),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def csv(request: HttpRequest, slug: str) -> HttpResponse:
    """A CSV export: ``?export=bound-book``, ``inventory`` or ``history`` (with the history
    view's ``firearm``, ``lot``, ``container``, ``person`` and ``kind``)."""
    place = on_production(request.user, slug)
    require(place, "reports")
    wanted = request.GET.get("export", "")
    if wanted == "bound-book":
        name, data = "bound-book", csv_bytes(exports.BOUND_BOOK, exports.bound_book(place.state))
    elif wanted == "inventory":
        name, data = "inventory", csv_bytes(exports.INVENTORY, exports.inventory(place.state))
    elif wanted == "history":
        view = exports.HistoryView(
            firearm=request.GET.get("firearm") or None,
            lot=request.GET.get("lot") or None,
            container=request.GET.get("container") or None,
            person=request.GET.get("person") or None,
            kind=request.GET.get("kind") or None,
        )
        try:
            exports.check_view(place.state, view)
        except InputError as error:
            return render(
                request, "reports/problem.html", {**set_context(place), "error": error}, status=404
            )
        snap = reading.snapshot(place.service, place.production)
        name, data = view.name, csv_bytes(exports.HISTORY, exports.history(snap, view))
    else:
        return redirect("reports", slug=slug)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file(place, name)}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _file(place: OnProduction, name: str) -> str:
    return f"{slugify(place.production.name) or 'production'}-{slugify(name)}"


urlpatterns: list[URLPattern] = [
    path("reports/", index, name="reports"),
    path("reports/page/", page, name="report-page"),
    path("reports/pdf/", pdf, name="report-pdf"),
    path("reports/csv/", csv, name="report-csv"),
]
