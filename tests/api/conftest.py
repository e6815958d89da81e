"""Fixtures: a served production with a token per role (see :mod:`api_server`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The real-server helpers of the web tests (``showclear serve`` on a free port).
sys.path.insert(0, str(Path(__file__).parent.parent / "web"))

from api_server import Site, staffed


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Dust Road, served, staffed, with a token for the armorer and one per crew role."""
    with staffed(tmp_path_factory.mktemp("api") / "data", "Dust Road") as served:
        yield served
