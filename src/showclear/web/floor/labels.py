"""Labels: the printable PDF sheet of QR labels, and a page that explains and links to it.

The sheet holds a label for every firearm, lot and container of the production and for every
person's badge (see :mod:`showclear.labels`). Badge labels carry badge codes, which confirm a
show-clear, so only armorers open this area (:data:`roles.AREAS`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.text import slugify

from showclear.labels import PAPERS, label_sheet, production_labels
from showclear.web.floor.access import on_production, require


@login_required
def sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """The PDF sheet; ``?paper=letter`` for US Letter, A4 otherwise."""
    place = on_production(request.user, slug)
    require(place, "labels")
    paper = request.GET.get("paper", "a4").lower()
    if paper not in PAPERS:
        paper = "a4"
    pdf = label_sheet(place.production.name, production_labels(place.state), paper=paper)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{slugify(place.production.name) or 'production'}-labels-{paper}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # badge codes are on it
    return response


@login_required
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """What the sheet holds, with a link per paper size."""
    place = on_production(request.user, slug)
    require(place, "labels")
    state = place.state
    return render(
        request,
        "floor/labels.html",
        {
            "place": place,
            "counts": {
                "firearms": len(state.firearms),
                "lots": len(state.lots),
                "containers": len(state.containers),
                "badges": sum(1 for person in state.people.values() if person.badge),
            },
            "total": len(production_labels(state)),
        },
    )


urlpatterns: list[URLPattern] = [
    path("labels.pdf", sheet, name="labels"),
    path("labels/", page, name="labels-page"),
]
