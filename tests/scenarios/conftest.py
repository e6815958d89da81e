"""The scenarios run the service over the in-memory store: a database adds nothing to a day
on set. A scenario that runs ``showclear`` as a process asks for the databases
(``ON_DATABASES``)."""

from __future__ import annotations

import pytest

from backends import MEMORY


@pytest.fixture(params=[MEMORY])
def backend(request: pytest.FixtureRequest) -> str:
    """The scenarios' store: in memory."""
    return str(request.param)
