"""Logins: Django users bound to a person of a production.

Who a person *is* on a production (their roles, training, badge) lives in the ledger; a login
only says which production person a Django user speaks for.
"""

from __future__ import annotations


def create_login(production_slug: str, person_id: str, username: str, password: str) -> None:
    """Create (or reset) the login ``username`` for ``person_id`` of the production ``production_slug``."""
    from showclear.web.accounts.logins import create_login as create

    create(production_slug, person_id, username, password)
