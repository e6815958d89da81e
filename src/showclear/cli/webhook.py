"""``showclear webhook``: a production's webhooks, added, listed, removed, and their delivery log.

A webhook hears of what is recorded from the moment it is added (see docs/api.md, "Webhooks");
its secret is printed once, when it is added. Exit codes: 0 done; 2 bad input, with a clear
message and nothing changed.
"""

from __future__ import annotations

import json
from typing import Any

import click

from showclear.cli.common import fail, open_production
from showclear.service import InputError


def _when(moment: Any) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S}"


@click.group("webhook")
def webhook() -> None:
    """Webhooks: signed POSTs to a production's other software on STOP WORK, incidents,
    misfires and count differences."""


@webhook.command("add")
@click.option("--production", "name", required=True, help="The production's name or slug.")
@click.option("--url", required=True, help="Where to POST (http:// or https://).")
@click.option(
    "--event",
    "events",
    multiple=True,
    help="An event to send (repeat for several; default: every event).",
)
@click.option("--description", default="", help="Whose system this is, in a few words.")
def add(name: str, url: str, events: tuple[str, ...], description: str) -> None:
    """Add a webhook; its signing secret is printed once and never again."""
    service, production = open_production(name, migrated=True)
    from showclear.web.hooks import subscriptions  # after Django is set up

    try:
        made = subscriptions.add(
            production,
            service.store.size(production),
            url=url,
            events=events,
            description=description,
            created_by="cli",
        )
    except InputError as error:
        fail(str(error))
    click.echo(
        f"Webhook {made.webhook.pk} of {production.name!r} to {made.webhook.url} for "
        f"{', '.join(made.webhook.events)}. Its signing secret is shown this once:",
        err=True,
    )
    click.echo(made.secret)


@webhook.command("list")
@click.option("--production", "name", required=True, help="The production's name or slug.")
@click.option("--all", "everything", is_flag=True, help="Removed webhooks too.")
def listed(name: str, everything: bool) -> None:
    """List a production's webhooks (never their secrets)."""
    _, production = open_production(name, migrated=True)
    from showclear.web.hooks import subscriptions  # after Django is set up

    found = subscriptions.listed(production, removed=everything)
    if not found:
        click.echo(f"{production.name!r} has no webhooks.")
    for hook in found:
        state = f"removed {_when(hook.removed_at)}" if hook.removed_at else "live"
        click.echo(
            f"{hook.pk}  {hook.url}  {','.join(hook.events)}  {state}  "
            f"made {_when(hook.created_at)} by {hook.created_by}"
            + (f"  ({hook.description})" if hook.description else "")
        )


@webhook.command("remove")
@click.option("--production", "name", required=True, help="The production's name or slug.")
@click.option("--id", "hook_id", required=True, type=int, help="The webhook's number.")
def remove(name: str, hook_id: int) -> None:
    """Remove a webhook: nothing more is sent to it (deliveries not yet sent are cancelled)."""
    _, production = open_production(name, migrated=True)
    from showclear.web.hooks import subscriptions  # after Django is set up

    try:
        hook = subscriptions.remove(production, hook_id)
    except InputError as error:
        fail(str(error))
    click.echo(f"Removed webhook {hook.pk} of {production.name!r} ({hook.url}).")


@webhook.command("deliveries")
@click.option("--production", "name", required=True, help="The production's name or slug.")
@click.option("--id", "hook_id", required=True, type=int, help="The webhook's number.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def deliveries(name: str, hook_id: int, limit: int, as_json: bool) -> None:
    """A webhook's latest deliveries, newest first, with every attempt: when, the answer or
    the error, and how long it took."""
    _, production = open_production(name, migrated=True)
    from showclear.web.hooks import subscriptions  # after Django is set up
    from showclear.web.hooks.log import shown

    try:
        found = [
            shown(delivery) for delivery in subscriptions.deliveries(production, hook_id, limit)
        ]
    except InputError as error:
        fail(str(error))
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    if not found:
        click.echo(f"Webhook {hook_id} has sent nothing yet.")
    for delivery in found:
        click.echo(
            f"entry {delivery['seq']}  {delivery['event']}  {delivery['state']}  "
            f"{len(delivery['attempts'])} attempt(s)  id {delivery['id']}"
        )
        for attempt in delivery["attempts"]:
            answer = attempt["status_code"] or f"error: {attempt['error']}"
            click.echo(
                f"    {attempt['number']}  {attempt['at']}  {answer}  {attempt['duration_ms']} ms"
            )
