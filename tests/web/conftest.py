"""Fixtures: a data directory; the web app on it in this process (``app``, through Django's test
client), or ``showclear serve`` on a free loopback port (``server``) where a real server is the
point."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_server import Server

from in_process import App, app_on
from served_process import start_serve, stop_serve


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def server(data_dir: Path) -> Iterator[Server]:
    """``showclear serve`` on a free port, stopped after the test."""
    process, base = start_serve(data_dir)
    yield Server(data_dir, base)
    stop_serve(process)


@pytest.fixture
def app(data_dir: Path) -> Iterator[App]:
    """The web app on ``data_dir`` in this process, until the test ends."""
    with app_on(data_dir) as opened:
        yield opened
