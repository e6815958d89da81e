"""Every set page a phone opens is checked in real Chromium (axe-core in light and dark, 44 px
targets, nothing wider than the phone, no word broken over lines), or is named here with the
reason it is not a page to check. A page routed tomorrow fails this test until it is one or the
other: the browser tests' page lists are read from their source, the routes from Django's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from test_roles import VIEWS

BROWSER_TESTS = Path(__file__).parents[1] / "browser"
PREFIX = "p/<slug:slug>/"

#: Routes under /p/<slug>/ that answer a GET with something other than a page to read on a
#: phone, each with why.
NOT_PAGES = {
    "labels": "a PDF sheet of labels (checked as a PDF in tests/labels)",
    "labels-badges": "a PDF sheet of badges (tests/labels)",
    "people-badge": "one badge label as a PDF (tests/web/test_people.py)",
    "report-pdf": "a report as a PDF (tests/reports)",
    "report-csv": "a report as CSV (tests/reports)",
    "ledger-checkpoint": "the signed checkpoint as a text file",
    "ledger-verifier-key": "the verifier key as a text file",
    "ledger-export": "the export bundle as a zip (tests/bundle)",
    "alarm": "the STOP WORK banner, a fragment every page polls: checked inside each page",
}


def checked_paths() -> list[str]:
    """The paths (under /p/<slug>/) of every page list in the browser tests: module-level lists
    of ``(name, username, path)`` tuples."""
    paths: list[str] = []
    for module in sorted(BROWSER_TESTS.glob("test_*.py")):
        for node in ast.parse(module.read_text()).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if not isinstance(value, ast.List):
                continue
            for item in value.elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 3:
                    path = item.elts[2]
                    if isinstance(path, ast.Constant) and isinstance(path.value, str):
                        paths.append(path.value)
    return paths


def pattern(route: str) -> re.Pattern[str]:
    """A Django route as a regular expression for a concrete path."""
    converters = {"path": ".+", "int": "[0-9]+"}
    parts = re.split(r"<(?:(\w+):)?\w+>", route[len(PREFIX) :])
    regex = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex += re.escape(part)
        else:
            regex += converters.get(part or "str", "[^/]+")
    return re.compile(regex + r"\Z")


def pages() -> dict[str, str]:
    """Route name -> route, for every route a phone opens with a GET."""
    return {
        view["name"]: view["route"]
        for view in VIEWS
        if "GET" in view["methods"] and view["name"] not in NOT_PAGES
    }


def test_every_page_a_phone_opens_is_checked_in_the_browser() -> None:
    checked = [path.split("?")[0] for path in checked_paths()]
    unchecked = {
        name: route
        for name, route in pages().items()
        if not any(pattern(route).match(path) for path in checked)
    }
    assert unchecked == {}, "add each to a page list in tests/browser, or to NOT_PAGES with why"


def test_every_page_the_browser_tests_open_is_routed() -> None:
    routes = [pattern(view["route"]) for view in VIEWS if view["route"].startswith(PREFIX)]
    stale = [p for p in checked_paths() if not any(r.match(p.split("?")[0]) for r in routes)]
    assert stale == []


def test_what_is_not_a_page_is_routed_and_not_also_claimed_as_one() -> None:
    names = {view["name"] for view in VIEWS}
    assert set(NOT_PAGES) <= names
    assert not set(NOT_PAGES) & set(pages())
