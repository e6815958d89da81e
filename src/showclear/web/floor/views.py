"""The set pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from showclear.web.floor.access import memberships, on_production, require
from showclear.web.floor.templatetags.ledger import latest_seal


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the board of the production this login works on."""
    places = memberships(request.user)
    if len(places) == 1:
        return redirect("board", slug=places[0].production_slug)
    return render(request, "floor/home.html", {"memberships": places})


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """Where every firearm and lot is, with whom, in what condition, and what is missing."""
    from showclear.status import production_status

    place = on_production(request.user, slug)
    require(place, "board")
    status = production_status(place.state)
    return render(
        request,
        "floor/board.html",
        {"place": place, "status": status},
    )


@login_required
def ledger(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest signed checkpoint and the verifier key, for a witness to copy."""
    place = on_production(request.user, slug)
    require(place, "ledger")
    return render(
        request,
        "floor/ledger.html",
        {
            "place": place,
            "verifier_key": place.service.verifier(place.production).verifier_key(),
            "seal": latest_seal(place),
        },
    )
