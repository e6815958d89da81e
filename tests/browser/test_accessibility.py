"""Accessibility of the set pages on a phone: axe-core finds nothing serious or critical (text
contrast AA included), every target is at least 44x44 px, in the light and the dark theme."""

from __future__ import annotations

import pytest
from page_checks import NO_PROBLEMS, open_page, phone_problems, serious_axe_violations
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
    ("firearm-show", "marta", "firearm/R-02/show/"),
    ("people", "marta", "people/"),
    ("incidents", "pat", "incidents/"),
    ("receive", "marta", "receive/"),
    ("scan-container", "marta", "scan/container/BELT-1/"),
    ("scan-person", "marta", "scan/person/person-2/"),
    ("incidents-evidence", "theo", "incidents/evidence/"),
    ("production", "marta", "production/"),
]

# Pages a role may not open: each explains itself, laid out like the rest (a 403).
FORBIDDEN = [
    ("forbidden-receive", "dana", "receive/"),
    ("forbidden-evidence", "marta", "incidents/evidence/"),
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
    assert phone_problems(page, PHONE["width"]) == NO_PROBLEMS


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


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize(("name", "username", "path"), FORBIDDEN, ids=[p[0] for p in FORBIDDEN])
def test_a_page_a_role_may_not_open_explains_itself_laid_out_like_the_rest(
    shared_demo: Served,
    open_phone: OpenPhone,
    screenshot: Screenshot,
    name: str,
    username: str,
    path: str,
    dark: bool,
) -> None:
    page = open_phone(shared_demo, username, dark=dark)
    open_page(page, shared_demo, path, status=403)
    screenshot(page, f"{name}-dark" if dark else name)
    assert page.locator("header").first.is_visible(), "the header and its Menu, like every page"
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert page.get_by_role("button", name="STOP WORK").first.is_visible()
    assert phone_problems(page, PHONE["width"]) == NO_PROBLEMS


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_wrap_result_is_cards_that_pass_axe_and_fit_the_phone(
    demo: Served, open_phone: OpenPhone, screenshot: Screenshot, dark: bool
) -> None:
    page = open_phone(demo, "marta", dark=dark)
    open_page(page, demo, "wrap/")
    for field in page.locator("form.count input[type=number]").all():
        field.fill("0")  # a count that misses everything: every line a difference, in red
    page.get_by_role("button", name="Record the count").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("The count does not match the record").is_visible()
    assert page.locator("table").count() == 0, "cards, not a table"
    screenshot(page, "wrap-result-dark" if dark else "wrap-result")
    assert phone_problems(page, PHONE["width"]) == NO_PROBLEMS
