"""Scanning on a phone: a hardware scanner is a keyboard (a "wedge"): it types the code into the
focused field and presses Enter. The scan page's field has the focus when it opens, so the
code and Enter alone open what the label names; nobody taps anything."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from served_demo import OpenPhone, Screenshot, Served

from showclear.service.codes import BADGE, CONTAINER, FIREARM, LOT, encode


def wedge(page: Page, code: str) -> None:
    """What a keyboard-wedge scanner does: keystrokes into whatever has the focus, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def open_scan(page: Page, served: Served) -> None:
    page.goto(served.url("scan/"))
    expect(page.get_by_label("Scan a label or badge, or type its tag")).to_be_focused()


def test_a_scanned_firearm_label_opens_the_firearm(
    shared_demo: Served, open_phone: OpenPhone, screenshot: Screenshot
) -> None:
    page = open_phone(shared_demo, "marta")
    open_scan(page, shared_demo)
    screenshot(page, "scan")
    wedge(page, encode(FIREARM, "R-04"))
    expect(page).to_have_url(shared_demo.url("firearm/R-04/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("R-04")


def test_a_scanned_lot_label_opens_the_lot(shared_demo: Served, open_phone: OpenPhone) -> None:
    page = open_phone(shared_demo, "sam")
    open_scan(page, shared_demo)
    wedge(page, encode(LOT, "D-04"))
    expect(page).to_have_url(shared_demo.url("lot/D-04/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("D-04")


def test_a_scanned_container_and_badge_open_what_they_name(
    shared_demo: Served, open_phone: OpenPhone
) -> None:
    page = open_phone(shared_demo, "dana")
    open_scan(page, shared_demo)
    wedge(page, encode(CONTAINER, "SAFE-1"))
    expect(page).to_have_url(shared_demo.url("scan/container/SAFE-1/"))
    jo = shared_demo.badge_of("Jo Carver")
    open_scan(page, shared_demo)
    wedge(page, encode(BADGE, jo.badge))
    expect(page).to_have_url(shared_demo.url(f"scan/person/{jo.person_id}/"))
    expect(page.locator("main")).to_contain_text("Jo Carver")


def test_a_tag_typed_by_hand_opens_the_firearm(shared_demo: Served, open_phone: OpenPhone) -> None:
    page = open_phone(shared_demo, "pat")
    open_scan(page, shared_demo)
    page.keyboard.type("r-01")
    page.get_by_role("button", name="Open").click()
    expect(page).to_have_url(shared_demo.url("firearm/R-01/"))


def test_an_unknown_code_says_so_and_keeps_the_field_ready(
    shared_demo: Served, open_phone: OpenPhone
) -> None:
    page = open_phone(shared_demo, "marta")
    open_scan(page, shared_demo)
    wedge(page, encode(FIREARM, "R-99"))
    expect(page.get_by_role("alert")).to_contain_text("R-99")
    expect(page.get_by_label("Scan a label or badge, or type its tag")).to_be_focused()
    wedge(page, encode(FIREARM, "R-02"))
    expect(page).to_have_url(shared_demo.url("firearm/R-02/"))
