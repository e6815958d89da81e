"""The demo production, with an incident on its second day, built once for the report tests;
and where the rendered pages are saved for a person to look at."""

from __future__ import annotations

import pytest
from demo_with_incident import ARTIFACTS, DemoWithIncident, build_demo_with_incident


@pytest.fixture(scope="session")
def western(tmp_path_factory: pytest.TempPathFactory) -> DemoWithIncident:
    """*Dust and Iron* built by ``showclear demo --no-serve``, then R-04 goes off on day two."""
    return build_demo_with_incident(tmp_path_factory.mktemp("western") / "data")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the rendered report pages are, for review."""
    pages = sorted(ARTIFACTS.glob("*.png")) if ARTIFACTS.is_dir() else []
    if pages:
        terminalreporter.write_line(f"Rendered report pages for review ({len(pages)}): {ARTIFACTS}")
