"""Fixtures for the import tests: a production made through the service, on SQLite and, when
asked for, PostgreSQL (see ``paperwork_set.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from paperwork_set import Paperwork, open_paperwork


@pytest.fixture
def paperwork(database: Any) -> Iterator[Paperwork]:
    """A new production with only its key armorer (``person-1``), on the backend under test."""
    made = open_paperwork(database)
    yield made
    made.service.store.close()
