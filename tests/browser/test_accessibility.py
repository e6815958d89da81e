"""Accessibility of the set pages on a phone: axe-core finds nothing serious or critical (text
contrast AA included), every target is at least 44x44 px, in the light and the dark theme."""

from __future__ import annotations

import pytest
from page_checks import open_page, serious_axe_violations, sideways_overflow, small_targets
from served_demo import PHONE, OpenPhone, Screenshot, Served

# Each main page as the person who uses it opens it: (name, username, path under /p/<slug>/).
PAGES = [
    ("today", "dana", "today/"),
    ("firearm-with-performer", "marta", "firearm/R-01/"),
    ("scan", "marta", "scan/"),
    ("board", "marta", ""),
    ("lot", "marta", "lot/D-04/"),
    ("meeting", "dana", "meeting/"),
    ("stop", "pat", "stop/"),
    ("on-set", "marta", "on-set/"),
    ("wrap", "marta", "wrap/"),
    ("ledger", "dana", "ledger/"),
]


@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_passes_axe_has_44_px_targets_and_fits_the_phone(
    shared_demo: Served,
    open_phone: OpenPhone,
    screenshot: Screenshot,
    name: str,
    username: str,
    path: str,
) -> None:
    page = open_phone(shared_demo, username)
    open_page(page, shared_demo, path)
    screenshot(page, name)
    problems = {
        "axe-core serious or critical violations": serious_axe_violations(page),
        "targets smaller than 44x44 px": small_targets(page),
        "pixels wider than the phone": sideways_overflow(page, PHONE["width"]),
    }
    assert problems == {
        "axe-core serious or critical violations": [],
        "targets smaller than 44x44 px": [],
        "pixels wider than the phone": 0,
    }


@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_the_dark_theme_passes_axe_too(
    shared_demo: Served,
    open_phone: OpenPhone,
    screenshot: Screenshot,
    name: str,
    username: str,
    path: str,
) -> None:
    page = open_phone(shared_demo, username, dark=True)
    open_page(page, shared_demo, path)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)", "the night theme is dark"
    screenshot(page, f"{name}-dark")
    assert serious_axe_violations(page) == []
