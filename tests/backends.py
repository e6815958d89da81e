"""The backends the tests run on, by name (imported by ``conftest.py`` and the test modules).

PostgreSQL runs when ``SHOWCLEAR_TEST_POSTGRES_URL`` names a server; SQLite always; the
in-memory store (:mod:`showclear.store.memory`) where a database adds nothing.
"""

from __future__ import annotations

import os

POSTGRES_URL_VARIABLE = "SHOWCLEAR_TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()

BACKENDS = ["sqlite", *(["postgres"] if POSTGRES_URL else [])]
"""The databases. PostgreSQL parameters exist only when asked for: no silent skips either way."""

MEMORY = "memory"
"""The in-memory store: one process, no SQL, nothing kept after it."""

STORE_BACKENDS = [MEMORY, *BACKENDS]
"""Every backend of the store contract: what a test runs on when the contract is its point."""

ON_DATABASES = {"argnames": "backend", "argvalues": BACKENDS}
"""``@pytest.mark.parametrize(**ON_DATABASES)``: this test is about SQL, durability, other
processes or PostgreSQL itself, so it runs on the databases only (never on ``memory``)."""
