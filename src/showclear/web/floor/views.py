"""The set pages."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

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
    status = production_status(state, place.zone)
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
            "may_labels": may(place, "labels"),
            "may_export": may(place, "export"),
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
    """The latest signed checkpoint and the verifier key, for a witness to copy or download;
    and the export bundle, for the roles that may take the whole ledger away."""
    place = on_production(request.user, slug)
    require(place, "ledger")
    return render(
        request,
        "floor/ledger.html",
        {
            "place": place,
            "verifier_key": place.service.verifier(place.production).verifier_key(),
            "seal": latest_seal(place),
            "may_export": may(place, "export"),
        },
    )


def _download(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def checkpoint_file(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest signed checkpoint, as a file to keep somewhere else."""
    place = on_production(request.user, slug)
    require(place, "ledger")
    seal = latest_seal(place)
    return _download(seal.note, f"{slug}-checkpoint-{seal.size}.txt")


@login_required
@require_GET
def verifier_key_file(request: HttpRequest, slug: str) -> HttpResponse:
    """The verifier key that checks every checkpoint of this production."""
    place = on_production(request.user, slug)
    require(place, "ledger")
    key = place.service.verifier(place.production).verifier_key()
    return _download(key + "\n", f"{slug}-verifier-key.txt")


@login_required
@require_GET
def export_bundle_zip(request: HttpRequest, slug: str) -> FileResponse:
    """The bundle ``showclear export`` writes (the same code: :mod:`showclear.archive.bundle`),
    zipped: every entry, the signed checkpoints and the offline verifier, to check anywhere with
    ``showclear-verify``."""
    from showclear.archive.bundle import export_bundle

    place = on_production(request.user, slug)
    require(place, "export")
    work = Path(tempfile.mkdtemp(prefix="showclear-export-"))
    try:
        folder = work / f"{slug}-ledger"
        export_bundle(
            place.service.store, place.production, place.service.verifier(place.production), folder
        )
        packed = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as bundle:
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    bundle.write(file, file.relative_to(work).as_posix())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    packed.seek(0)
    return FileResponse(
        packed, as_attachment=True, filename=f"{slug}-ledger.zip", content_type="application/zip"
    )


urlpatterns: list[URLPattern] = [
    path("", board, name="board"),
    path("ledger/", ledger, name="ledger"),
    path("ledger/checkpoint.txt", checkpoint_file, name="ledger-checkpoint"),
    path("ledger/verifier-key.txt", verifier_key_file, name="ledger-verifier-key"),
    path("ledger/export.zip", export_bundle_zip, name="ledger-export"),
]
