"""Fixtures: a served production with a token per role (see :mod:`api_server`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The real-server helpers of the web tests (``showclear serve`` on a free port).
sys.path.insert(0, str(Path(__file__).parent.parent / "web"))

from api_server import ARMORER, Site, init, make_token, serving, staff


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Dust Road, served, staffed, with a token for the armorer and one per crew role."""
    data_dir = tmp_path_factory.mktemp("api") / "data"
    slug = init(data_dir, "Dust Road")
    armorer = make_token(data_dir, slug, ARMORER, "armorer", "armorer device")
    with serving(data_dir, SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE="0") as base:
        served = Site(base, data_dir, slug, {"armorer": armorer})
        staff(served)
        yield served
