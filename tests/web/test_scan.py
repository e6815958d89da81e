"""Scan, through Django's test client: a scanner's typed code + Enter, a photo of a QR
label, a typed tag; each opens what it names, and anything else gets a plain sentence."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
import segno
from demo_on_set import DemoSite, demo_in_process, fetch, post
from PIL import Image

from showclear.service.codes import BADGE, FIREARM, encode


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with demo_in_process(tmp_path_factory.mktemp("scan") / "data") as site:
        yield site


def scanned(demo: DemoSite, role: str, code: str) -> tuple[int, str, str]:
    """What a keyboard-wedge scanner sends: the code typed into the field, then Enter."""
    answer = post(demo.signed_in(role), f"/p/{demo.slug}/scan/", {"code": code})
    return answer.status, answer.location, answer.text


def photo_of(code: str, kind: str = "JPEG") -> bytes:
    """A phone photo of a printed label: the QR small in a larger, greyish frame."""
    qr = io.BytesIO()
    segno.make_qr(code, error="q").save(qr, kind="png", scale=10, border=4)
    label = Image.open(io.BytesIO(qr.getvalue())).convert("RGB")
    frame = Image.new("RGB", (1600, 1200), (200, 196, 190))
    frame.paste(label, (500, 300))
    photo = io.BytesIO()
    frame.save(photo, format=kind)
    return photo.getvalue()


def test_the_scan_page_has_an_autofocused_field_a_camera_and_a_photo_fallback(
    demo: DemoSite,
) -> None:
    page = fetch(demo.signed_in("armorer"), f"/p/{demo.slug}/scan/").text
    field = re.search(r'<input id="scan-code"[^>]*>', page, re.S)
    assert field
    assert "autofocus" in field.group(0)
    assert '<video id="scan-video"' in page
    assert 'capture="environment"' in page
    assert 'type="file"' in page
    assert re.search(r'<script src="/static/showclear/scan\.js[^"]*" defer>', page)
    assert not re.search(r'(src|href)="(https?:)?//', page), "no CDN: sets are often offline"


def test_a_scanner_typing_a_firearm_code_and_enter_opens_the_firearm(demo: DemoSite) -> None:
    status, location, _ = scanned(demo, "armorer", "SC1:F:R-01\r\n")
    assert status == 302
    assert location == f"/p/{demo.slug}/firearm/R-01/"


def test_a_tag_typed_by_hand_opens_the_firearm_and_the_lot(demo: DemoSite) -> None:
    assert scanned(demo, "armorer", "r-04")[:2] == (302, f"/p/{demo.slug}/firearm/R-04/")
    assert scanned(demo, "armorer", "D-01")[:2] == (302, f"/p/{demo.slug}/lot/D-01/")
    assert scanned(demo, "assistant-armorer", "SC1:L:B-01")[:2] == (
        302,
        f"/p/{demo.slug}/lot/B-01/",
    )


def test_a_container_opens_with_its_custodian_and_what_is_inside(demo: DemoSite) -> None:
    phone = demo.signed_in("armorer")
    answer = post(phone, f"/p/{demo.slug}/scan/", {"code": "SC1:C:SAFE-1"})
    assert answer.status == 302
    assert answer.location == f"/p/{demo.slug}/scan/container/SAFE-1/"
    page = fetch(phone, answer.location).text
    assert "Armory safe SAFE-1" in page
    assert "Locked" in page
    assert "Marta Velez (armorer)" in page
    assert f'href="/p/{demo.slug}/firearm/R-02/"' in page


def test_a_badge_shows_whose_it_is_their_roles_and_their_training(demo: DemoSite) -> None:
    performer = demo.badge("cast")
    phone = demo.signed_in("first-ad")
    answer = post(phone, f"/p/{demo.slug}/scan/", {"code": encode(BADGE, performer["badge"])})
    assert answer.status == 302
    assert answer.location == f"/p/{demo.slug}/scan/person/{performer['person_id']}/"
    assert performer["badge"] not in answer.location, "a badge code is a credential"
    page = fetch(phone, answer.location).text
    assert f"<h1>{performer['name']}</h1>" in page
    assert "cast" in page
    assert "Valid:" in page or "Expired:" in page or "No training recorded." in page
    assert performer["badge"] not in page


def test_a_photo_of_a_firearm_label_opens_the_firearm(demo: DemoSite) -> None:
    answer = post(
        demo.signed_in("armorer"),
        f"/p/{demo.slug}/scan/",
        {},
        files={"photo": ("label.jpg", "image/jpeg", photo_of(encode(FIREARM, "W-06")))},
    )
    assert answer.status == 302
    assert answer.location == f"/p/{demo.slug}/firearm/W-06/"


def test_a_photo_without_a_qr_code_says_so_plainly(demo: DemoSite) -> None:
    blank = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 120, 120)).save(blank, format="PNG")
    answer = post(
        demo.signed_in("armorer"),
        f"/p/{demo.slug}/scan/",
        {},
        files={"photo": ("dark.png", "image/png", blank.getvalue())},
    )
    assert answer.status == 200
    assert "No QR code found in the photo." in answer.text


def test_a_file_that_is_no_photo_says_so_plainly(demo: DemoSite) -> None:
    answer = post(
        demo.signed_in("armorer"),
        f"/p/{demo.slug}/scan/",
        {},
        files={"photo": ("notes.txt", "text/plain", b"R-01")},
    )
    assert answer.status == 200
    assert "not a photo Showclear can read" in answer.text


@pytest.mark.parametrize("code", ["R-99", "SC1:F:D-01", "SC1:Q:R-01", "'; DROP TABLE --"])
def test_an_unknown_code_gets_a_sentence_and_the_form_again(demo: DemoSite, code: str) -> None:
    status, _, page = scanned(demo, "armorer", code)
    assert status == 200
    assert 'class="problem scan-result" role="alert"' in page
    assert 'id="scan-code"' in page
    if code in ("R-99", "SC1:F:D-01"):
        value = code.rsplit(":", 1)[-1]
        assert (
            f"No firearm, lot, container or badge has the code {value} on this production." in page
        )


def test_a_role_without_scan_is_refused(demo: DemoSite) -> None:
    producer = demo.signed_in("producer")
    assert fetch(producer, f"/p/{demo.slug}/scan/").status == 403
    assert fetch(producer, f"/p/{demo.slug}/scan/container/SAFE-1/").status == 403
    assert fetch(producer, f"/p/{demo.slug}/scan/person/person-1/").status == 403


def test_a_first_ad_scanning_a_lot_is_told_what_and_where_not_refused(demo: DemoSite) -> None:
    status, _, page = scanned(demo, "first-ad", "SC1:L:D-01")
    assert status == 200
    assert "Dummy lot D-01: in Lockbox AMMO-1 (locked)." in page
    assert "does not open its page" in page


def test_scan_needs_a_sign_in(demo: DemoSite) -> None:
    answer = fetch(demo.server.browser(), f"/p/{demo.slug}/scan/")
    assert answer.status == 302
    assert "/login/" in answer.location
