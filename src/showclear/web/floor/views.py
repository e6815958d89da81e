"""The set pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from showclear.web.floor.access import may, memberships, on_production, require
from showclear.web.floor.templatetags.ledger import latest_seal


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the board of the production this login works on (a performer, who has no
    board, to the STOP WORK page: the one page every person on set may need)."""
    places = memberships(request.user)
    if len(places) == 1:
        slug = places[0].production_slug
        if not may(on_production(request.user, slug), "board"):  # a performer: STOP WORK
            return redirect("stop", slug=slug)
        return redirect("board", slug=slug)
    return render(request, "floor/home.html", {"memberships": places})


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """Where every firearm and lot is, with whom, in what condition, and what is missing."""
    from showclear.core.read.status import production_status

    place = on_production(request.user, slug)
    require(place, "board")
    state = place.state
    status = production_status(state)
    several = len(state.units) > 1
    if several:  # where it matters: each firearm's unit, and who is on set at each unit
        for firearm in status["firearms"]:
            firearm["unit_label"] = state.unit_label(firearm["unit"])
    units = [
        {
            **unit,
            "armorers": [state.person_label(p) for p in unit["armorers_on_set"]],
            "on_set": sorted(
                p.label for p in state.people.values() if p.on_set and p.unit == unit["unit"]
            ),
            "stoppage": state.unit_stoppages.get(unit["unit"]),
        }
        for unit in status["units"]
    ]
    return render(
        request,
        "floor/board.html",
        {
            "place": place,
            "status": status,
            "units": units if several else [],
            "may_form": may(place, "form-unit"),
            # firearms sent from another unit to this person, for them to confirm (R-UNIT)
            "waiting": [
                {"tag": f.tag, "label": f.label, "unit": state.unit_label(f.dispatch.unit)}
                for f in state.firearms.values()
                if f.dispatch is not None and f.dispatch.to == place.person.person_id
            ],
        },
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
