"""Fixtures: a data directory and ``showclear serve`` on a free loopback port."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_server import Server, environment, free_port


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def server(data_dir: Path) -> Iterator[Server]:
    """``showclear serve`` on a free port, stopped after the test."""
    port = free_port()
    # The server's output goes to a file: a pipe nobody reads fills up and stalls the server.
    log = (data_dir.parent / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "showclear", "serve", "--port", str(port)],
        env=environment(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = (data_dir.parent / "serve.log").read_text()
                raise AssertionError(f"showclear serve did not start:\n{output}") from None
            time.sleep(0.2)
    yield Server(data_dir, base)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
