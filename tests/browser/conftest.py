"""Browser tests: Debian's Chromium, driven by Playwright, at phone size (390x844), against the
demo production served by ``showclear serve``.

The demo is built once per run; a test that changes it gets its own copy and its own server
(``demo``), a test that only looks shares one (``shared_demo``). Screenshots of the main pages go
to ``test-artifacts/screenshots/`` at the repository root; the run prints where.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from served_demo import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    OpenPhone,
    Screenshot,
    Served,
    build_demo,
    copy_demo,
    serve,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
_saved: list[Path] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots of this run are, whatever ``-s`` or ``-q`` says."""
    if _saved:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(_saved)} screenshots of the set pages in {SCREENSHOTS}")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """*Dust and Iron* built once by ``showclear demo --no-serve``; tests serve copies of it."""
    data_dir = tmp_path_factory.mktemp("demo-template") / "data"
    build_demo(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def shared_demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One served copy of the demo for tests that only look (they must record nothing)."""
    data_dir = tmp_path_factory.mktemp("shared-demo") / "data"
    copy_demo(demo_template, data_dir)
    served = serve(data_dir)
    yield served
    served.stop()


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[Served]:
    """A served copy of the demo of this test's own, to change as it likes."""
    data_dir = tmp_path / "data"
    copy_demo(demo_template, data_dir)
    served = serve(data_dir)
    yield served
    served.stop()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded one), headless."""
    assert Path(CHROMIUM).exists(), f"the browser tests need Debian's chromium at {CHROMIUM}"
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def sign_in(page: Page, served: Served, username: str) -> None:
    """Sign in through the login form, as a person on set would."""
    page.goto(served.base + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(served.passwords[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/p/{served.slug}/")


# Signed-in cookies per (server, username): a person signs in through the form once per server;
# later phones of theirs start with the session cookie (argon2 is slow on purpose).
_sessions: dict[tuple[str, str], Any] = {}


@pytest.fixture
def open_phone(chromium: Browser) -> Iterator[OpenPhone]:
    """``open_phone(served, "marta")``: a new phone (its own context) at 390x844, signed in,
    showing the production's board.

    ``dark=True`` asks for the dark theme (``prefers-color-scheme: dark``), as at night;
    ``username=None`` leaves the phone signed out.
    """
    contexts: list[BrowserContext] = []

    def open_one(served: Served, username: str | None, *, dark: bool = False) -> Page:
        known = _sessions.get((served.base, username or ""))
        context = chromium.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            color_scheme="dark" if dark else "light",
            storage_state=known,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username is not None and known is not None:
            page.goto(served.url())
        elif username is not None:
            sign_in(page, served, username)
            _sessions[(served.base, username)] = context.storage_state()
        return page

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The screenshot folder, emptied once at the start of the run (no stale pictures)."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def screenshot(screenshots: Path) -> Screenshot:
    """``screenshot(page, "firearm")`` saves the whole page as ``firearm.png``."""

    def save(page: Page, name: str) -> Path:
        path = screenshots / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _saved.append(path)
        return path

    return save
