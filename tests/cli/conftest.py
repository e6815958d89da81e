"""The ``showclear`` command run as a real process, on the database under test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_SCRIPT = Path(sys.executable).with_name("showclear")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "showclear"]
"""The installed console script, as a user runs it (``python -m showclear`` if not installed)."""


@dataclass(frozen=True)
class Run:
    """What one ``showclear`` process did."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        """Everything it printed, on both streams."""
        return self.out + self.err


@pytest.fixture
def showclear(database: Any, tmp_path: Path) -> Callable[..., Run]:
    """Runs ``showclear ARGS`` on the test's database (or on ``on=`` another one)."""

    def run(*args: str, on: Any = None) -> Run:
        target = on if on is not None else database
        done = subprocess.run(
            [*COMMAND, *args],
            env=target.environment(),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run
