"""The Reports and Import pages, and a report drawn as a page, on a phone in real Chromium:
axe-core finds nothing serious or critical, every target is at least 44x44 px, nothing is wider
than the phone (a wide table scrolls inside its own box), in the light and the dark theme. And
the armorer imports a manifest through the page: choose the file, check it, record it."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_checks import NO_PROBLEMS, open_page, phone_problems
from served_demo import PHONE, OpenPhone, Screenshot, Served

from showclear.store import open_store

PAGES = [
    ("reports", "pat", "reports/?day=2026-10-13"),
    ("report-compliance", "pat", "reports/page/?kind=compliance&day=2026-10-13"),
    ("report-daily-log", "marta", "reports/page/?kind=daily-log&day=2026-10-13"),
    ("report-wrap", "marta", "reports/page/?kind=wrap&day=2026-10-13"),
    ("report-meeting-sheet", "dana", "reports/page/?kind=meeting-sheet&day=2026-10-13"),
    ("report-firearm", "marta", "reports/page/?kind=firearm&tag=R-01"),
    ("import", "marta", "import/"),
]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_the_paperwork_pages_pass_axe_have_44_px_targets_and_fit_the_phone(
    shared_demo: Served,
    open_phone: OpenPhone,
    screenshot: Screenshot,
    name: str,
    username: str,
    path: str,
    dark: bool,
) -> None:
    page = open_phone(shared_demo, username, dark=dark)
    open_page(page, shared_demo, path)
    screenshot(page, f"{name}-dark" if dark else name)
    assert phone_problems(page, PHONE["width"]) == NO_PROBLEMS


def test_a_report_table_is_a_list_of_cards_at_phone_width(
    shared_demo: Served, open_phone: OpenPhone
) -> None:
    page = open_phone(shared_demo, "marta")
    open_page(page, shared_demo, "reports/page/?kind=daily-log&day=2026-10-13")
    row = page.locator(".report-table tbody tr").first
    cell = row.locator("td").first
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.report-table tr')).display"
    ) == ("block"), "each row is a card, not a table row squeezed to the phone"
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.strip('"') == cell.get_attribute("data-label")
    assert label.strip('"'), "each cell says its column"
    head = page.locator(".report-table thead").first.bounding_box()  # hidden, but read out
    assert head is not None
    assert head["width"] <= 1


def _size(served: Served) -> int:
    store = open_store(f"sqlite:///{served.data_dir / 'showclear.sqlite3'}")
    try:
        return store.size(store.productions()[0])
    finally:
        store.close()


def test_the_armorer_checks_a_manifest_on_the_phone_and_records_it(
    demo: Served, open_phone: OpenPhone, screenshot: Screenshot, tmp_path: Path
) -> None:
    manifest = tmp_path / "rentals.csv"
    manifest.write_text(
        "Tag,Type,Make,Model,Calibre,Serial #,Class,Chambers,Rental house\n"
        "R-31,Revolver,Colt,Single Action Army,.45 LC,SA-99031,blank firing,6,Western\n",
        encoding="utf-8",
    )
    page = open_phone(demo, "marta")
    open_page(page, demo, "import/")
    before = _size(demo)

    page.get_by_label("Rental manifest (firearms and lots)").check()
    page.set_input_files("#file", str(manifest))
    page.get_by_role("button", name="Check it (records nothing)").click()
    page.wait_for_load_state("load")

    assert "rentals.csv would record 1 entry" in page.inner_text("main")
    assert _size(demo) == before
    screenshot(page, "import-checked")
    page.get_by_role("button", name="Record this entry").click()
    page.wait_for_load_state("load")

    assert "Imported rentals.csv: 1 entry recorded" in page.inner_text("main")
    assert _size(demo) == before + 1
