"""Accessibility of the set pages on a phone: axe-core finds nothing serious or critical (text
contrast AA included), every target is at least 44x44 px, in the light and the dark theme."""

from __future__ import annotations

import pytest
from page_checks import serious_axe_violations, sideways_overflow, small_targets
from playwright.sync_api import Page
from served_demo import PHONE, OpenPhone, Screenshot, Served

# Each main page as the person who uses it opens it: (name, username, path under /p/<slug>/).
PAGES = [
    ("board", "marta", ""),
    ("ledger", "dana", "ledger/"),
]


def open_page(page: Page, served: Served, path: str) -> None:
    response = page.goto(served.url(path))
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_axe_finds_nothing_serious_on_the_page(
    shared_demo: Served,
    open_phone: OpenPhone,
    screenshot: Screenshot,
    name: str,
    username: str,
    path: str,
    theme: str,
) -> None:
    page = open_phone(shared_demo, username, dark=theme == "dark")
    open_page(page, shared_demo, path)
    if theme == "dark":
        screenshot(page, f"{name}-dark")
    assert serious_axe_violations(page) == []


@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_every_target_is_at_least_44_px(
    shared_demo: Served, open_phone: OpenPhone, name: str, username: str, path: str
) -> None:
    page = open_phone(shared_demo, username)
    open_page(page, shared_demo, path)
    assert small_targets(page) == []


@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_scrolls_sideways_on_a_phone(
    shared_demo: Served, open_phone: OpenPhone, name: str, username: str, path: str
) -> None:
    page = open_phone(shared_demo, username)
    open_page(page, shared_demo, path)
    assert sideways_overflow(page, PHONE["width"]) == 0
