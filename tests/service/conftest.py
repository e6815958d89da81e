"""Fixtures for the application service tests: a service, and a production staged through it
(see ``staging.py``), on the in-memory store: a database adds nothing to what the service
decides and records. A module about durability, other processes or tampering with the database
asks for the databases instead (SQLite and, when asked for, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from staging import KEY_ARMORER_NAME, PRODUCTION, OnSet, open_service

from backends import MEMORY
from showclear.service import Service


@pytest.fixture(params=[MEMORY])
def backend(request: pytest.FixtureRequest) -> str:
    """The service tests' store: in memory (see the module's description)."""
    return str(request.param)


@pytest.fixture
def service(database: Any) -> Iterator[Service]:
    """The application service on a fresh database of the backend under test."""
    service = open_service(database)
    yield service
    service.store.close()


@pytest.fixture
def new_set(database: Any, service: Service) -> Iterator[Callable[[], OnSet]]:
    """Creates the production (its genesis entry naming the key armorer), nothing else yet."""
    made: list[OnSet] = []

    def make() -> OnSet:
        production, _ = service.create_production(PRODUCTION, KEY_ARMORER_NAME)
        on_set = OnSet(database, service, production)
        made.append(on_set)
        return on_set

    yield make
    for on_set in made:
        for other in on_set.services:
            other.store.close()


@pytest.fixture
def on_set(new_set: Callable[[], OnSet]) -> OnSet:
    """A staffed, stocked production with scene 12 started; R-01 and R-02 in the safe."""
    production = new_set()
    production.staff()
    production.stock()
    production.schedule()
    return production
