"""The Reports and Import pages, through Django's test client on the demo production.

Every link of the Reports page opens (a page, a PDF or a CSV); the armorer checks a manifest,
sees what it would record, and records it with one tap; a refused file lists each problem by
line and column and records nothing; a command the set pages refuse is kept in the refusal log
and counted in the day's compliance summary.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_on_set import Answer, DemoSite, demo_in_process, fetch, post

from in_process import Client
from showclear.store import open_store

MANIFEST = (
    b"Tag,Type,Make,Model,Calibre,Serial #,Class,Chambers,Rental house\r\n"
    b"R-21,Revolver,Colt,Single Action Army,.45 LC,SA-99001,blank firing,6,Western Prop Rentals\r\n"
    b"R-22,Revolver,Colt,Single Action Army,.45 LC,SA-99002,blank firing,6,Western Prop Rentals\r\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with demo_in_process(tmp_path_factory.mktemp("paperwork") / "data") as served:
        yield served


def _size(data_dir: Path) -> int:
    store = open_store(f"sqlite:///{data_dir / 'showclear.sqlite3'}")
    try:
        return store.size(store.productions()[0])
    finally:
        store.close()


def _act(phone: Client, path: str, fields: dict[str, str]) -> Answer:
    """POST a firearm action as its page's form does (the CSRF token from the cookie), and
    follow its redirect."""
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": phone.csrf()}).encode()
    status, _, page = phone.follow("POST", path, data, headers={"Referer": phone.base + path})
    assert status == 200, page
    return Answer(status, "", page.encode(), "text/html")


def _words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_every_link_of_the_reports_page_opens_its_report(site: DemoSite) -> None:
    pat = site.signed_in("safety-supervisor")
    index = fetch(pat, f"/p/{site.slug}/reports/?day=2026-10-13")
    assert index.status == 200
    links = sorted(
        {html.unescape(href) for href in re.findall(r'href="(/p/[^"]+/reports/[^"]+)"', index.text)}
    )

    opened = {link: fetch(pat, link) for link in links}

    assert len([link for link in links if "/reports/page/" in link]) >= 4 + 8  # days, firearms
    for link, answer in opened.items():
        assert answer.status == 200, link
        if "/reports/pdf/" in link:
            assert answer.content_type == "application/pdf", link
            assert answer.body.startswith(b"%PDF-"), link
        elif "/reports/csv/" in link:
            assert answer.content_type.startswith("text/csv"), link
            assert answer.body.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
        else:
            assert 'class="report report-' in answer.text, link
    log = opened[f"/p/{site.slug}/reports/page/?kind=daily-log&day=2026-10-13"]
    assert "Armorer's log" in _words(log.text)
    assert "Tuesday 13 October 2026" in _words(log.text)


def test_the_armorer_checks_a_manifest_then_records_it_with_one_tap(site: DemoSite) -> None:
    marta = site.signed_in("armorer")
    before = _size(site.server.data_dir)

    checked = post(
        marta,
        f"/p/{site.slug}/import/",
        {"kind": "manifest", "action": "check"},
        files={"file": ("rentals.csv", "text/csv", MANIFEST)},
    )

    assert checked.status == 200
    words = _words(checked.text)
    assert "rentals.csv would record 2 entries (nothing recorded yet)" in words
    assert "receive revolver R-21: Colt Single Action Army, .45 Colt, serial SA-99001" in words
    assert _size(site.server.data_dir) == before
    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', checked.text))
    assert carried["kind"] == "manifest"

    recorded = post(
        marta,
        f"/p/{site.slug}/import/",
        {**{k: carried[k] for k in ("kind", "name", "data", "sha256")}, "action": "record"},
    )

    assert recorded.status == 200
    assert f"Imported rentals.csv: 2 entries recorded Entries {before} to {before + 1}" in (
        _words(recorded.text)
    )
    assert _size(site.server.data_dir) == before + 2


def test_a_refused_file_lists_each_problem_by_line_and_column_and_records_nothing(
    site: DemoSite,
) -> None:
    marta = site.signed_in("armorer")
    before = _size(site.server.data_dir)
    bad = MANIFEST.replace(b"SA-99002", b"SA-41872").replace(b".45 LC,SA-99001", b".46 LC,SA-99001")

    answer = post(
        marta,
        f"/p/{site.slug}/import/",
        {"kind": "manifest", "action": "import"},
        files={"file": ("bad.csv", "text/csv", bad)},
    )

    words = _words(answer.text)
    assert answer.status == 200
    assert "bad.csv was not imported: nothing was recorded" in words
    assert "line 2, column 5 (Calibre): unknown calibre '.46 LC'" in words
    assert (
        "line 3, column 6 (Serial #): serial SA-41872 is already a firearm's on the production"
        in words
    )
    assert _size(site.server.data_dir) == before


def test_a_carried_file_that_changed_on_the_way_is_not_recorded(site: DemoSite) -> None:
    marta = site.signed_in("armorer")
    before = _size(site.server.data_dir)

    answer = post(
        marta,
        f"/p/{site.slug}/import/",
        {
            "kind": "manifest",
            "name": "x.csv",
            "data": "VGFnCg==",
            "sha256": "0" * 64,
            "action": "record",
        },
    )

    assert "The checked file did not come back whole: upload it again." in _words(answer.text)
    assert _size(site.server.data_dir) == before


def test_a_refusal_on_the_set_pages_is_kept_and_counted_in_the_compliance_summary(
    site: DemoSite,
) -> None:
    marta = site.signed_in("armorer")
    firearm = f"/p/{site.slug}/firearm/R-04/"
    fetch(marta, firearm)  # the firearm page, as the armorer opens it before acting
    taken = _act(marta, firearm + "act/", {"action": "take-back"})
    assert "Recorded: Revolver R-04 taken back" in _words(taken.text)
    # Eli Stone, whom the plan gives R-04 in scene 34 (to anyone else it is also an R-PLAN swap)
    eli = next(b for b in site.credentials["badges"] if b["name"] == "Eli Stone")
    refused = _act(marta, firearm + "act/", {"action": "hand-over", "to": f"{eli['person_id']}@34"})
    assert "Not recorded" in _words(refused.text)

    summary = fetch(marta, f"/p/{site.slug}/reports/page/?kind=compliance")

    words = _words(summary.text)
    assert summary.status == 200
    assert "Refusals 1 " in words
    assert (
        "HandOver R-INSPECT, R-SHOW-CLEAR" in words or "HandOver R-SHOW-CLEAR, R-INSPECT" in words
    )
    assert "refusals are counted from the refusal log kept beside it" in words
