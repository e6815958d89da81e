"""Fixtures: a data directory and ``showclear serve`` on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_server import Server

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
