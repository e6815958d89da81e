"""Import: the armorer uploads a manifest, a schedule or the people as CSV.

"Check" decides the whole file as an import would and shows what it would record, line by line,
recording nothing; the page then offers "Record" with the very same bytes (carried in the form,
with their SHA-256 so a changed file is noticed). "Import" records at once. Either way the file
goes through :func:`showclear.imports.run`: decided whole, recorded in one transaction sealed by
one checkpoint, or refused with every problem by line and column and nothing recorded. Every
answer is the page itself (200), with what happened in words.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from showclear import imports
from showclear.store import StoreError
from showclear.web.floor.access import on_production, require
from showclear.web.floor.actions import device_of
from showclear.web.floor.today import set_context
from showclear.web.not_recorded import mark
from showclear.web.request_size import FORM_ROOM, file_too_large, reads_at_most

MAX_BYTES = 1_000_000
"""The largest file taken (a manifest of thousands of lines is a few hundred kilobytes)."""

KINDS = {
    "manifest": "Rental manifest (firearms and lots)",
    "schedule": "Shooting schedule or scene breakdown",
    "people": "People (roster and training records)",
}


def _file(request: HttpRequest) -> tuple[str, bytes, str]:
    """The file's name, its bytes and a problem (``""`` when none)."""
    upload = request.FILES.get("file")
    if file_too_large(request) is not None:  # counted while read: the rest was never kept
        return "", b"", f"The file is over {MAX_BYTES // 1000} kB."
    if upload is not None:
        if upload.size is not None and upload.size > MAX_BYTES:
            return upload.name or "", b"", f"The file is over {MAX_BYTES // 1000} kB."
        return upload.name or "upload.csv", upload.read(), ""
    carried = request.POST.get("data", "")
    if carried:
        try:
            data = base64.b64decode(carried, validate=True)
        except (binascii.Error, ValueError):
            return "", b"", "The checked file did not come back whole: upload it again."
        if hashlib.sha256(data).hexdigest() != request.POST.get("sha256", ""):
            return "", b"", "The checked file did not come back whole: upload it again."
        return request.POST.get("name", "upload.csv"), data, ""
    return "", b"", "Choose the CSV file to import."


@login_required
@require_http_methods(["GET", "POST"])
@reads_at_most(MAX_BYTES * 4 // 3 + FORM_ROOM, file=MAX_BYTES)  # the file, or its checked copy
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """The import page: choose the kind and the file, check it, record it."""
    place = on_production(request.user, slug)
    require(place, "import")
    kind = request.POST.get("kind", "manifest")
    context = {**set_context(place), "kinds": KINDS, "kind": kind, "max_kb": MAX_BYTES // 1000}
    if request.method != "POST":
        return render(request, "reports/import.html", context)
    name, data, problem = _file(request)
    if kind not in KINDS:
        problem = "Choose what kind of file it is."
    if problem:
        return render(request, "reports/import.html", {**context, "error": problem})
    dry_run = request.POST.get("action") == "check"
    try:
        done = imports.run(
            place.service,
            place.production,
            kind,
            data,
            person_id=place.person.person_id,
            device=device_of(request),
            dry_run=dry_run,
        )
    except imports.ImportRefused as refused:
        return render(
            request,
            "reports/import.html",
            {**context, "name": name, "problems": refused.problems},
        )
    except StoreError as error:
        mark(request)  # the page answers 503 (showclear.web.not_recorded)
        return render(
            request, "reports/import.html", {**context, "error": f"Not recorded: {error}"}
        )
    return render(
        request,
        "reports/import.html",
        {
            **context,
            "name": name,
            "done": done,
            "lines": list(zip(done.steps, done.events, strict=True)),
            "data": base64.b64encode(data).decode() if dry_run else "",
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )


urlpatterns: list[URLPattern] = [path("import/", upload, name="import")]
