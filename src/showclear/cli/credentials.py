"""``showclear credential revoke``: stop a lost badge or a disclosed PIN from counting, at once.

Recorded through the application service like any command (``credential.revoked``, by whom,
with the reason and the credential's non-secret id): from that entry on, every confirmation
with that badge, any copy of it, or that PIN is refused. A new badge is printed on the labels
page, a new PIN set there or over the API.
"""

from __future__ import annotations

import click

from showclear.cli.common import acting_person, fail, open_production
from showclear.core.commands import RevokeCredential
from showclear.core.decide import Refused
from showclear.store import StoreError


@click.group("credential")
def credential() -> None:
    """People's badges and PINs (issued on the labels page or over the API)."""


@credential.command("revoke")
@click.option("--production", "name", help="The production's name (default: the only one).")
@click.option("--person", "who", required=True, help="Whose: a person id or full name.")
@click.option(
    "--credential", "kind", required=True, type=click.Choice(["badge", "pin"]), help="Which."
)
@click.option("--reason", required=True, help='Why, for the record ("badge lost at lunch").')
@click.option("--by", help="Who revokes it: a person id or full name (default: key armorer).")
def revoke(name: str | None, who: str, kind: str, reason: str, by: str | None) -> None:
    """Revoke a person's badge or PIN: it stops working at once, every copy with it."""
    service, production = open_production(name)
    person_id = acting_person(service, production, who)
    actor = acting_person(service, production, by)
    try:
        executed = service.execute(
            production, RevokeCredential(person_id, kind, reason), person_id=actor, device="cli"
        )
    except Refused as refused:
        fail(f"not revoked: {refused}")
    except StoreError as error:
        fail(f"not revoked: {error}")
    person = service.state(production).people[person_id]
    (entry,) = executed.entries
    revoked = executed.events[0]
    click.echo(
        f"Revoked {person.name}'s {kind} {getattr(revoked, 'credential_id', '')} on "
        f"{production.name!r} (entry {entry.seq}): it is refused from now on. "
        + (
            "Print a new badge on the labels page."
            if kind == "badge"
            else "They set a new PIN on the labels page."
        )
    )
