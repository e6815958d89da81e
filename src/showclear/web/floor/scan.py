"""Scan: a QR label, a badge, or a typed tag opens the thing it names.

Three ways in, one form field: the phone camera (``scan.js`` reads the QR with the browser's
BarcodeDetector and puts the code in the field), a hardware scanner that types the code and
Enter into the autofocused field, or a person typing the tag. Where the browser has no
BarcodeDetector, the phone takes a photo of the label (a plain file input, so no HTTPS is
needed for the camera) and the server reads the QR in it with zxing-cpp.

A firearm opens its page, a lot its page. A container and a badge open a short result page here
(``scan-container``, ``scan-person``): what is in the container and who holds it; who the badge
belongs to, their roles and whether their training is in force. The badge code itself is a
credential (it confirms a show-clear), so it never goes into a URL: the person page is keyed by
the person's id.
"""

from __future__ import annotations

from urllib.parse import quote

import zxingcpp
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from PIL import Image, UnidentifiedImageError

from showclear.core.read.board import where
from showclear.core.vocabulary import ROLE_NAMES
from showclear.service.codes import BADGE, CONTAINER, FIREARM, LOT, CodeError, Found, decode, find
from showclear.service.credential_desk import Failed
from showclear.web.floor.access import OnProduction, may, on_production, require
from showclear.web.request_size import FORM_ROOM, file_too_large, reads_at_most

MAX_PHOTO_BYTES = 25 * 1024 * 1024
"""A phone photo is a few MB; anything this large is not one."""

PHOTO_TOO_LARGE = "That file is too large to be a photo of a label."

LONGEST_SIDE = 2400
"""Photos are scaled down to this before decoding: a label fills much of the frame, and a
12-megapixel photo takes zxing several times longer for nothing."""

NO_PHOTO_CODE = (
    "No QR code found in the photo. Hold the phone about a hand's width from the label, "
    "let it fill most of the picture, and take it again."
)


def _page(request: HttpRequest, place: OnProduction, **context: object) -> HttpResponse:
    return render(
        request,
        "floor/scan.html",
        {"place": place, **context},
    )


@login_required
@reads_at_most(MAX_PHOTO_BYTES + FORM_ROOM, file=MAX_PHOTO_BYTES)
def scan(request: HttpRequest, slug: str) -> HttpResponse:
    """The scan page (GET); a scanned, typed or photographed code (POST) opens what it names."""
    place = on_production(request.user, slug)
    require(place, "scan")
    if request.method != "POST":
        return _page(request, place)
    photo = request.FILES.get("photo")
    if file_too_large(request) is not None:  # counted while read: the rest was never kept
        return _page(request, place, problem=PHOTO_TOO_LARGE)
    if photo is not None:
        texts, problem = _read_photo(photo)
        if problem:
            return _page(request, place, problem=problem)
    else:
        texts = [request.POST.get("code", "")]
    return _open(request, place, texts)


def _open(request: HttpRequest, place: OnProduction, texts: list[str]) -> HttpResponse:
    """Redirect to the one thing ``texts`` name, or say plainly what went wrong."""
    found: list[Found] = []
    problems: list[str] = []
    for text in texts:
        try:
            code = decode(text)
        except CodeError as error:
            problems.append(str(error))
            continue
        named = find(place.state, code)
        if any(thing.kind == BADGE for thing in named):
            # A badge opens its person only when the whole code checks out (throttled): a
            # photocopy of a badge reprinted since, or a made-up code, opens nothing.
            holder = place.service.credentials.identify(place.production, text)
            if isinstance(holder, Failed):
                named = [thing for thing in named if thing.kind != BADGE]
                if not named:
                    problems.append(holder.problem)
                    continue
        if not named:
            problems.append(
                f"No firearm, lot, container or badge has the code {code.value} on this production."
            )
        found += [thing for thing in named if thing not in found]
    if len(found) == 1:
        return _open_one(request, place, found[0])
    if found:
        choices = [(_described(place, thing), _url(place, thing)) for thing in found]
        return _page(request, place, choices=choices)
    return _page(request, place, problem=" ".join(problems) or "Nothing was scanned.")


def _open_one(request: HttpRequest, place: OnProduction, thing: Found) -> HttpResponse:
    if thing.kind in (FIREARM, LOT) and not may(place, thing.kind):
        # Their role does not open that page: say what it is and where, rather than a 403.
        return _page(
            request, place, glimpse=f"{_described(place, thing)}: {where(place.state, thing.key)}."
        )
    return HttpResponseRedirect(_url(place, thing))


def _url(place: OnProduction, thing: Found) -> str:
    slug = place.production.slug
    name = {
        FIREARM: "firearm",
        LOT: "lot",
        CONTAINER: "scan-container",
        BADGE: "scan-person",
    }[thing.kind]
    key = "person_id" if thing.kind == BADGE else "tag"
    try:
        return reverse(name, kwargs={"slug": slug, key: thing.key})
    except NoReverseMatch:
        # The firearm and lot pages are built alongside this one: their agreed paths.
        return f"/p/{slug}/{name}/{quote(thing.key, safe='')}/"


def _described(place: OnProduction, thing: Found) -> str:
    state = place.state
    if thing.kind == FIREARM:
        return state.firearms[thing.key].label
    if thing.kind == LOT:
        return state.lots[thing.key].label
    if thing.kind == CONTAINER:
        return state.containers[thing.key].label
    return f"Badge of {state.person_label(thing.key)}"


def _read_photo(photo: UploadedFile) -> tuple[list[str], str]:
    """The texts of the QR codes in a photo, or a sentence saying why there are none."""
    if (photo.size or 0) > MAX_PHOTO_BYTES:
        return [], PHOTO_TOO_LARGE
    try:
        with Image.open(photo) as image:
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            picture = image.convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return [], "That file is not a photo Showclear can read (take it as JPEG or PNG)."
    codes = zxingcpp.read_barcodes(
        picture, formats=zxingcpp.BarcodeFormat.QRCode | zxingcpp.BarcodeFormat.MicroQRCode
    )
    texts = [code.text for code in codes if code.valid and code.text]
    return texts, "" if texts else NO_PHOTO_CODE


@login_required
def container(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """A scanned container: its custodian, lock, and what is inside, each linked."""
    place = on_production(request.user, slug)
    require(place, "scan")
    box = place.state.containers.get(tag)
    if box is None:
        return _page(request, place, problem=f"No container has the tag {tag} on this production.")
    firearms = [
        (
            place.state.firearms[t].label,
            _url(place, Found(FIREARM, t)) if may(place, FIREARM) else "",
        )
        for t in sorted(box.firearms)
    ]
    lots = [
        (place.state.lots[t].label, _url(place, Found(LOT, t)) if may(place, LOT) else "")
        for t in sorted(box.lots)
    ]
    rounds = [
        f"{count} round{'s' if count != 1 else ''} of {place.state.lots[t].label}"
        for t, count in sorted(box.rounds.items())
        if count
    ]
    return render(
        request,
        "floor/scan_container.html",
        {
            "place": place,
            "box": box,
            "custodian": place.state.person_label(box.custodian),
            "firearms": firearms,
            "lots": lots,
            "rounds": rounds,
        },
    )


@login_required
def person(request: HttpRequest, slug: str, person_id: str) -> HttpResponse:
    """A scanned badge: whose it is, their roles, and whether their training is in force."""
    place = on_production(request.user, slug)
    require(place, "scan")
    someone = place.state.people.get(person_id)
    if someone is None:
        return _page(request, place, problem="No one on this production has that badge.")
    today = place.service.clock().date()
    trainings = [
        {
            "course": training.course.replace("-", " "),
            "valid": training.valid_on(today),
            "expires_on": training.expires_on or "",
        }
        for training in sorted(someone.trainings.values(), key=lambda t: t.course)
    ]
    return render(
        request,
        "floor/scan_person.html",
        {
            "place": place,
            "someone": someone,
            "roles": [ROLE_NAMES.get(role, role) for role in sorted(someone.roles)],
            "trainings": trainings,
            "today": today.isoformat(),
        },
    )


urlpatterns: list[URLPattern] = [
    path("scan/", scan, name="scan"),
    path("scan/container/<path:tag>/", container, name="scan-container"),
    path("scan/person/<str:person_id>/", person, name="scan-person"),
]
