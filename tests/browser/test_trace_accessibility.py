"""The trace pages on a phone: axe-core finds nothing serious or critical (text contrast AA
included), every target is at least 44x44 px, nothing spills sideways, light and dark theme."""

from __future__ import annotations

import pytest
from page_checks import NO_PROBLEMS, open_page, phone_problems
from served_demo import PHONE, OpenPhone, Screenshot, Served

# (name, username, path under /p/<slug>/): as the safety supervisor and the armorer open them.
TRACE_PAGES = [
    ("trace-firearm", "pat", "firearm/R-02/trace/?from=2026-10-12T00:00&to=2026-10-14T23:59"),
    ("trace-round", "pat", "firearm/R-02/trace/round/?position=chamber+1"),
    ("trace-round-form", "marta", "firearm/R-01/trace/round/"),
    ("trace-lot", "marta", "lot/B-01/trace/?from=2026-10-09T00:00&to=2026-10-14T23:59"),
    ("trace-person", "pat", "person/person-1/trace/"),
]


@pytest.mark.parametrize(("name", "username", "path"), TRACE_PAGES, ids=[p[0] for p in TRACE_PAGES])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_trace_page_passes_axe_has_44_px_targets_and_fits_the_phone(
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
    assert page.locator("text=/entry #\\d+/").count() > 0 or name == "trace-round-form"
    assert phone_problems(page, PHONE["width"]) == NO_PROBLEMS
