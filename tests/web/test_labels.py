"""The label sheet from a real ``showclear serve``: one label per firearm, lot, container and
badge, each QR reading back to its code, and only armorers may print it."""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator

import pytest
import zxingcpp
from demo_on_set import DemoSite, fetch, served_demo
from PIL import Image

from showclear.codes import BADGE, CONTAINER, FIREARM, LOT, encode
from showclear.labels import label_sheet, production_labels
from showclear.service import Showclear

DEMO_FIREARMS = ["P-08", "R-01", "R-02", "R-03", "R-04", "R-05", "S-07", "W-06"]
DEMO_LOTS = ["B-01", "B-02", "D-01", "D-02", "D-03", "D-04"]
DEMO_CONTAINERS = ["AMMO-1", "BELT-1", "BELT-2", "SAFE-1"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with served_demo(tmp_path_factory.mktemp("labels") / "data") as site:
        yield site


def every_code(demo: DemoSite) -> set[str]:
    return {
        *(encode(FIREARM, tag) for tag in DEMO_FIREARMS),
        *(encode(LOT, tag) for tag in DEMO_LOTS),
        *(encode(CONTAINER, tag) for tag in DEMO_CONTAINERS),
        *(encode(BADGE, badge["badge"]) for badge in demo.credentials["badges"]),
    }


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


def test_each_label_shows_its_tag_or_name_in_words(
    demo: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOWCLEAR_DATA_DIR", str(demo.server.data_dir))
    monkeypatch.delenv("SHOWCLEAR_DATABASE_URL", raising=False)
    service = Showclear.from_environment()
    production = service.production(demo.slug)
    labels = production_labels(service.state(production))
    service.store.close()
    readable = label_sheet(production.name, labels, compress=False)
    titles = DEMO_FIREARMS + DEMO_LOTS + DEMO_CONTAINERS
    titles += [badge["name"] for badge in demo.credentials["badges"]]
    for title in titles:
        assert f"({title}) Tj".encode() in readable, f"{title} is printed"
    assert len(labels) == len(titles)


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
    assert "8 firearms, 6 lots, 4 containers" in page


@pytest.mark.parametrize("role", ["first-ad", "safety-supervisor", "producer"])
def test_only_armorers_may_print_labels_with_badge_codes(demo: DemoSite, role: str) -> None:
    phone = demo.signed_in(role)
    assert fetch(phone, f"/p/{demo.slug}/labels.pdf").status == 403
    assert fetch(phone, f"/p/{demo.slug}/labels/").status == 403


def test_a_production_with_nothing_yet_gets_a_sheet_that_says_so() -> None:
    sheet = label_sheet("Empty Days", [], compress=False)
    assert b"(No firearm, lot, container or badge on this production yet.) Tj" in sheet
