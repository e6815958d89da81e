"""Fixtures: a staffed production with a token per role (see :mod:`api_server`), in this
process through Django's test client (``site``), or served by ``showclear serve`` on a free port
(``served_site``) where a real server is the point."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The real-server helpers of the web tests (``showclear serve`` on a free port).
sys.path.insert(0, str(Path(__file__).parent.parent / "web"))

from api_server import Site, staffed, staffed_in_process


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Dust Road, staffed, with a token for the armorer and one per crew role, in this process."""
    with staffed_in_process(tmp_path_factory.mktemp("api") / "data", "Dust Road") as opened:
        yield opened


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Dust Road, served by ``showclear serve``, staffed, with a token per role."""
    with staffed(tmp_path_factory.mktemp("api") / "data", "Dust Road") as served:
        yield served
