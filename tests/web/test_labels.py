"""The label sheet, through Django's test client: one label per firearm, lot and container,
each QR reading back to its code, and only armorers may print it. Badges are printed only as they
are issued (the code exists on that PDF alone, and the old badge stops), and a person's PIN is
set on the same page."""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator

import pytest
import zxingcpp
from demo_on_set import DemoSite, demo_in_process, fetch, post
from PIL import Image

from showclear.reports.labels import label_sheet, production_labels
from showclear.service import Service
from showclear.service.codes import CONTAINER, FIREARM, LOT, encode
from showclear.service.credential_desk import Checked, Failed

DEMO_FIREARMS = ["P-08", "R-01", "R-02", "R-03", "R-04", "R-05", "S-07", "W-06"]
DEMO_LOTS = ["B-01", "B-02", "D-01", "D-02", "D-03", "D-04"]
DEMO_CONTAINERS = ["AMMO-1", "BELT-1", "BELT-2", "SAFE-1"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with demo_in_process(tmp_path_factory.mktemp("labels") / "data") as site:
        yield site


def every_code(demo: DemoSite) -> set[str]:
    return {
        *(encode(FIREARM, tag) for tag in DEMO_FIREARMS),
        *(encode(LOT, tag) for tag in DEMO_LOTS),
        *(encode(CONTAINER, tag) for tag in DEMO_CONTAINERS),
    }


@pytest.fixture
def service(demo: DemoSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    """The demo's service, opened beside the web app's (same database, same keys)."""
    monkeypatch.setenv("SHOWCLEAR_DATA_DIR", str(demo.server.data_dir))
    monkeypatch.delenv("SHOWCLEAR_DATABASE_URL", raising=False)
    opened = Service.from_environment()
    try:
        yield opened
    finally:
        opened.store.close()


def decoded(pdf: bytes) -> list[str]:
    """The text of every QR code in the PDF."""
    return [barcode.text for image in qr_images(pdf) for barcode in zxingcpp.read_barcodes(image)]


def qr_images(pdf: bytes) -> list[Image.Image]:
    """Every image of the PDF as Pillow sees it.

    fpdf2 stores a greyscale image as a Flate stream with PNG row filters (``/Predictor 15``):
    the very bytes of a PNG's IDAT chunk. Wrapped in a PNG header again, Pillow reads them, so
    the test reads the QR codes *in the PDF*, not ones made again beside it.
    """
    images = []
    for found in re.finditer(rb"\d+ 0 obj\s*<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        header = found.group(1)
        if b"/Subtype /Image" not in header:
            continue
        assert b"/DeviceGray" in header
        assert b"/Predictor 15" in header
        width, height, length = (
            int(re.search(rb"/" + name + rb" (\d+)", header).group(1))  # type: ignore[union-attr]
            for name in (b"Width", b"Height", b"Length")
        )
        stream = pdf[found.end() : found.end() + length]
        images.append(Image.open(io.BytesIO(png(width, height, stream))))
    return images


def png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_the_sheet_has_one_label_per_firearm_lot_container_and_badge(demo: DemoSite) -> None:
    answer = fetch(demo.signed_in("armorer"), f"/p/{demo.slug}/labels.pdf")
    assert answer.status == 200
    assert answer.content_type == "application/pdf"
    assert answer.body.startswith(b"%PDF-")
    decoded = [
        barcode.text
        for image in qr_images(answer.body)
        for barcode in zxingcpp.read_barcodes(image)
    ]
    assert sorted(decoded) == sorted(every_code(demo)), "one QR per thing, each reading back"
    assert all(
        barcode.format == zxingcpp.BarcodeFormat.QRCode
        for image in qr_images(answer.body)
        for barcode in zxingcpp.read_barcodes(image)
    ), "full-size QR: phone cameras do not read Micro QR"


def test_each_label_shows_its_tag_in_words_and_no_badge_is_on_the_sheet(
    demo: DemoSite, service: Service
) -> None:
    production = service.production(demo.slug)
    labels = production_labels(service.state(production))
    readable = label_sheet(production.name, labels, compress=False)
    titles = DEMO_FIREARMS + DEMO_LOTS + DEMO_CONTAINERS
    for title in titles:
        assert f"({title}) Tj".encode() in readable, f"{title} is printed"
    assert len(labels) == len(titles)
    for badge in demo.credentials["badges"]:
        assert badge["badge"].encode() not in readable
        assert f"({badge['name']}) Tj".encode() not in readable


def test_the_sheet_comes_in_letter_size_too(demo: DemoSite) -> None:
    phone = demo.signed_in("assistant-armorer")
    a4 = fetch(phone, f"/p/{demo.slug}/labels.pdf").body
    letter = fetch(phone, f"/p/{demo.slug}/labels.pdf?paper=letter").body
    assert b"/MediaBox [0 0 595.28 841.89]" in a4
    assert b"/MediaBox [0 0 612.00 792.00]" in letter
    assert len(qr_images(letter)) == len(every_code(demo))


def test_the_labels_page_links_to_the_sheet(demo: DemoSite) -> None:
    page = fetch(demo.signed_in("armorer"), f"/p/{demo.slug}/labels/").text
    assert f'href="/p/{demo.slug}/labels.pdf"' in page
    assert "8 firearms, 6 lots and 4 containers (18 labels)" in page


@pytest.mark.parametrize("role", ["first-ad", "safety-supervisor", "producer"])
def test_only_armorers_may_print_labels_with_badge_codes(demo: DemoSite, role: str) -> None:
    phone = demo.signed_in(role)
    assert fetch(phone, f"/p/{demo.slug}/labels.pdf").status == 403
    assert fetch(phone, f"/p/{demo.slug}/labels/").status == 403


def test_printing_a_badge_issues_a_new_one_and_the_old_one_stops(
    demo: DemoSite, service: Service
) -> None:
    production = service.production(demo.slug)
    stunt = demo.badge("stunt")
    armorer = demo.signed_in("armorer")
    answer = post(
        armorer,
        f"/p/{demo.slug}/labels/",
        {"person": stunt["person_id"], "paper": "a4"},
        action=f"/p/{demo.slug}/labels/badges.pdf",
    )
    assert answer.status == 200
    assert answer.content_type == "application/pdf"
    (printed,) = decoded(answer.body)
    assert printed.startswith("SC1:B:")
    assert printed != f"SC1:B:{stunt['badge']}"

    new = service.credentials.identify(production, printed)
    assert isinstance(new, Checked)
    assert (new.person_id, new.method) == (stunt["person_id"], "badge-scanned")
    old = service.credentials.identify(production, f"SC1:B:{stunt['badge']}")
    assert isinstance(old, Failed), "the badge printed before, and every copy, stops"
    # The page now names the new badge's serial, never its code.
    page = fetch(armorer, f"/p/{demo.slug}/labels/").text
    assert f"(badge {printed.removeprefix('SC1:B:')[:6]} now)" in page
    assert printed.removeprefix("SC1:B:") not in page


def test_a_person_sets_their_pin_on_the_labels_page_typed_twice(
    demo: DemoSite, service: Service
) -> None:
    production = service.production(demo.slug)
    first_ad = demo.badge("first-ad")
    armorer = demo.signed_in("armorer")
    page = f"/p/{demo.slug}/labels/"
    action = f"/p/{demo.slug}/labels/pin/"
    person = first_ad["person_id"]
    before = service.state(production).people[person].pin_id

    differ = post(
        armorer, page, {"person": person, "pin": "3579", "pin_again": "3578"}, action=action
    )
    assert "The two PINs differ: nothing set." in differ.text
    short = post(armorer, page, {"person": person, "pin": "12", "pin_again": "12"}, action=action)
    assert "A PIN is 4 to 12 digits. Nothing set." in short.text
    assert service.state(production).people[person].pin_id == before

    done = post(
        armorer, page, {"person": person, "pin": "3579", "pin_again": "3579"}, action=action
    )
    assert done.status == 200
    assert f"A new PIN is set for {first_ad['name']}" in done.text
    assert "3579" not in done.text
    assert service.state(production).people[person].pin_id not in ("", before)
    checked = service.credentials.confirm_in_person(production, person, "3579", actor=person)
    assert isinstance(checked, Checked)
    assert checked.method == "pin-typed"


@pytest.mark.parametrize("role", ["first-ad", "producer"])
def test_only_armorers_issue_badges_and_set_pins_on_the_page(demo: DemoSite, role: str) -> None:
    phone = demo.signed_in(role)
    person = demo.badge("cast")["person_id"]
    labels = f"/p/{demo.slug}/labels/"
    # Their CSRF token comes from a page they may open (STOP WORK: anyone on set).
    for action, fields in (
        (f"{labels}badges.pdf", {"person": person}),
        (f"{labels}pin/", {"person": person, "pin": "1111", "pin_again": "1111"}),
    ):
        answer = post(phone, f"/p/{demo.slug}/stop/", fields, action=action)
        assert answer.status == 403, action


def test_a_production_with_nothing_yet_gets_a_sheet_that_says_so() -> None:
    sheet = label_sheet("Empty Days", [], compress=False)
    assert b"(No firearm, lot, container or badge on this production yet.) Tj" in sheet
