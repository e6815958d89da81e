"""``showclear serve`` as a real process for the web, API and browser tests: started on a free
loopback port, awaited on ``/health``, stopped. One copy for every suite.

The server's output goes to a file beside the data directory: a pipe nobody reads fills up and
stalls the server after a few hundred logged requests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(data_dir: Path) -> dict[str, str]:
    """This environment without SHOWCLEAR_* settings, pointed at ``data_dir``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOWCLEAR_")}
    env["SHOWCLEAR_DATA_DIR"] = str(data_dir)
    return env


def start_serve(
    data_dir: Path, env: dict[str, str] | None = None, *options: str
) -> tuple[subprocess.Popen[str], str]:
    """Start ``showclear serve [options]`` on ``data_dir``; return the process and its base URL
    once up."""
    port = free_port()
    log_path = data_dir.parent / f"serve-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "showclear", "serve", "--port", str(port), *options],
            env=env if env is not None else environment(data_dir),
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
                    return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(timeout=10)
                raise AssertionError(
                    f"showclear serve did not start:\n{log_path.read_text()}"
                ) from None
            time.sleep(0.1)


def stop_serve(process: subprocess.Popen[str]) -> None:
    """Stop a server started by :func:`start_serve`."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
