"""What every ``showclear`` subcommand shares: failing with a message, counting in words, and
opening the service and the production a command names."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from showclear.service import InputError, Service
from showclear.store import Production, StoreError


def fail(message: str, code: int = 2) -> NoReturn:
    """Say ``message`` on stderr and exit with ``code`` (2: bad input or usage, nothing changed)."""
    click.echo(f"showclear: {message}", err=True)
    sys.exit(code)


def count(number: int, one: str, many: str) -> str:
    """``"1 entry"``, ``"1,204 entries"``."""
    return f"{number:,} {one if number == 1 else many}"


def open_service() -> Service:
    """The service over the configured store, or exit 2."""
    try:
        return Service.from_environment()
    except StoreError as error:
        # Exit 2, not click's 1: for verify, 1 means "NOT intact", and a database that cannot
        # be opened says nothing about the ledger's integrity.
        fail(str(error))


def open_production(name: str | None, *, migrated: bool = False) -> tuple[Service, Production]:
    """The service and the production called ``name`` (the only one when ``None``), or exit 2.
    ``migrated``: also bring the web app's tables up to date (tokens, webhooks live there)."""
    service = open_service()
    try:
        production = service.production(name)
    except (InputError, StoreError) as error:
        fail(str(error))
    if migrated:
        from showclear.web.setup import migrate

        migrate()
    return service, production


def acting_person(service: Service, production: Production, by: str | None) -> str:
    """The person id ``--by`` names (an id or a full name), or the key armorer's when absent."""
    state = service.state(production)
    if by is None:
        return state.armorer_id
    if by in state.people:
        return by
    wanted = " ".join(by.casefold().split())
    found = [p for p in state.people.values() if " ".join(p.name.casefold().split()) == wanted]
    if len(found) != 1:
        fail(f"{production.name!r} has no one (or several people) called {by!r}")
    return found[0].person_id
