"""Security tests drive a real ``showclear serve`` with the fault tests' helpers."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
# The API and set-page helpers (a served production, a signed-in phone) for the read paths.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
