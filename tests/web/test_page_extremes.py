"""Times and numbers past what a ledger holds, in the query of a set page, are said on the page
(or the page is not found), never a server error; through Django's test client on the
demo production."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from demo_on_set import DemoSite, demo_in_process, fetch


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with demo_in_process(tmp_path_factory.mktemp("extremes") / "data") as served:
        yield served


def _words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _a_firearm(site: DemoSite) -> str:
    """R-01, the sheriff's revolver of the demo."""
    return "R-01"


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01T00:00:00%2B01:00",
        "to=9999-12-31T23:59:59-14:00",
        "from=99999-01-01",
        "from=" + "9" * 3000,
    ],
)
def test_a_trace_window_past_what_a_ledger_holds_is_said_on_the_page(
    site: DemoSite, query: str
) -> None:
    tag = _a_firearm(site)
    answer = fetch(site.signed_in("armorer"), f"/p/{site.slug}/firearm/{tag}/trace/?{query}")
    assert answer.status == 200
    words = _words(answer.text)
    assert "The time 'from'" in words or "The time 'to'" in words


def test_a_round_trace_at_a_time_past_what_a_ledger_holds_is_said_on_the_page(
    site: DemoSite,
) -> None:
    tag = _a_firearm(site)
    answer = fetch(
        site.signed_in("armorer"),
        f"/p/{site.slug}/firearm/{tag}/trace/round/?position=1&at=0001-01-01T00:00%2B01:00",
    )
    assert answer.status == 200
    assert "is outside the years 0001 to 9999: give a time in those years" in _words(answer.text)


@pytest.mark.parametrize(
    "path",
    [
        "/reports/?day=9999-12-31",
        "/reports/page/?kind=daily-log&day=9999-12-31",
        "/reports/pdf/?kind=daily-log&day=9999-12-31",
        "/reports/page/?kind=daily-log&day=0000-01-01",
        "/today/?day=9999-12-31",
        "/today/?day=" + "9" * 3000,
    ],
)
def test_a_report_or_a_day_past_the_calendar_is_never_a_server_error(
    site: DemoSite, path: str
) -> None:
    answer = fetch(site.signed_in("safety-supervisor"), f"/p/{site.slug}{path}")
    assert answer.status in (200, 404), (path, answer.status)


@pytest.mark.parametrize("before", ["%C2%B2", "99999999999999999999999999", "-1", "1e400"])
def test_a_firearm_page_asked_for_entries_before_an_odd_number_opens(
    site: DemoSite, before: str
) -> None:
    tag = _a_firearm(site)
    answer = fetch(site.signed_in("armorer"), f"/p/{site.slug}/firearm/{tag}/?before={before}")
    assert answer.status == 200
