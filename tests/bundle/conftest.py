"""The offline verifier's tests hold it against the core's own test vectors and strategies
(``tests/core/test_ledger_entry.py``, ``tests/core/test_ledger_merkle.py``): one copy of each,
importable from here as it is from ``tests/core``."""

from __future__ import annotations

import sys
from pathlib import Path

CORE_TESTS = str(Path(__file__).parents[1] / "core")
if CORE_TESTS not in sys.path:
    sys.path.append(CORE_TESTS)
