"""A production's webhooks over the API, for a token acting as armorer or safety supervisor:
add one (its signing secret is in the answer, once), list them, remove one, and read a hook's
delivery log. How deliveries are queued, signed and retried: :mod:`showclear.web.hooks`.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.params.functions import Path
from pydantic import Field

from showclear.service import InputError
from showclear.web.api.auth import DeviceAuth, caller
from showclear.web.api.bodies import MAX_INTEGER, Body, Text
from showclear.web.api.errors import AUTH_ERRORS, ApiError, Problem
from showclear.web.api.roles import MANAGERS
from showclear.web.hooks import subscriptions
from showclear.web.hooks.log import hook_shown, shown

router = Router(tags=["Webhooks"])
MANAGING = {"x-showclear-roles": sorted(MANAGERS)}

EventName = Literal[
    "work.stopped", "incident.opened", "misfire.reported", "count.differed", "ledger.tampered"
]
"""The events a hook may name: exactly ``outbox.EVENTS`` (a test holds them equal)."""


class WebhookIn(Body):
    """A webhook to add: where to POST, and which events (every event when none are named)."""

    url: Text = Field(
        max_length=500, pattern=r"^[hH][tT][tT][pP][sS]?://", description="http:// or https://"
    )
    events: list[EventName] = Field(default_factory=list, max_length=5)
    description: Text = Field("", max_length=200, description="whose system this is")


class WebhookOut(Schema):
    """A webhook (never its secret)."""

    id: int
    url: str
    events: list[str]
    description: str
    created_at: str
    created_by: str
    removed_at: str | None
    live: bool


class MadeWebhook(Schema):
    """A webhook just added, with its signing secret: shown in this answer and never again."""

    webhook: WebhookOut
    secret: str


class AttemptOut(Schema):
    """One try at sending a delivery: when, the status code or the error, how long it took."""

    number: int
    at: str
    status_code: int | None
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    """One event sent (or being sent) to a webhook, with every attempt in order."""

    id: str = Field(description="the Showclear-Webhook-Id header: the same on every retry")
    seq: int
    event: str
    state: str = Field(description="pending | delivered | failed | cancelled")
    created_at: str
    next_attempt_at: str | None
    finished_at: str | None
    attempts: list[AttemptOut]


class DeliveriesQuery(Schema):
    """How many of the latest deliveries to list."""

    limit: int = Field(50, ge=1, le=500)


WebhookId = Path(..., ge=1, le=MAX_INTEGER, description="the webhook's id, from the list")


def _no_hook(webhook_id: int) -> ApiError:
    return ApiError(404, f"There is no webhook {webhook_id} on this production.")


@router.post(
    "/productions/{production}/webhooks",
    response={201: MadeWebhook, **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(MANAGERS, "add webhooks"),
    operation_id="add_webhook",
    summary="Add a webhook (its signing secret is in this answer, once)",
    openapi_extra=MANAGING,
)
def add_webhook(request: HttpRequest, production: str, payload: WebhookIn) -> tuple[int, Any]:
    """Add a webhook: from now on, every event it listens to is POSTed to its URL, signed with
    its secret (see docs/api.md, "Webhooks"). The answer holds the secret: keep it in the
    receiving system now, it is never shown again."""
    who = caller(request)
    try:
        url = subscriptions.check_url(payload.url)
    except InputError as error:
        raise ApiError(
            422, f"No webhook was added: {error}.", errors=[("url", str(error))]
        ) from error
    try:
        made = subscriptions.add(
            who.production,
            who.service.store.size(who.production),
            url=url,
            events=payload.events,
            description=payload.description,
            created_by=f"api:{who.token.name} ({who.token.person_id})",
        )
    except InputError as error:  # the production has as many webhooks as it may
        raise ApiError(422, f"No webhook was added: {error}.") from error
    return 201, {"webhook": hook_shown(made.webhook), "secret": made.secret}


@router.get(
    "/productions/{production}/webhooks",
    response={200: list[WebhookOut], **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(MANAGERS, "list webhooks"),
    operation_id="list_webhooks",
    summary="The production's live webhooks (never their secrets)",
    openapi_extra=MANAGING,
)
def list_webhooks(request: HttpRequest, production: str) -> list[dict[str, Any]]:
    """This production's live webhooks, newest first."""
    return [hook_shown(hook) for hook in subscriptions.listed(caller(request).production)]


@router.delete(
    "/productions/{production}/webhooks/{webhook_id}",
    response={200: WebhookOut, **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(MANAGERS, "remove webhooks"),
    operation_id="remove_webhook",
    summary="Remove a webhook: nothing more is sent to it",
    openapi_extra=MANAGING,
)
def remove_webhook(request: HttpRequest, production: str, webhook_id: int = WebhookId) -> Any:
    """Remove a webhook: nothing more is sent to it, deliveries not yet sent are cancelled, and
    its delivery log stays readable. Removing it again changes nothing."""
    try:
        return hook_shown(subscriptions.remove(caller(request).production, webhook_id))
    except InputError as error:
        raise _no_hook(webhook_id) from error


@router.get(
    "/productions/{production}/webhooks/{webhook_id}/deliveries",
    response={200: list[DeliveryOut], **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(MANAGERS, "read webhook deliveries"),
    operation_id="webhook_deliveries",
    summary="A webhook's delivery log: every delivery and every attempt",
    openapi_extra=MANAGING,
)
def webhook_deliveries(
    request: HttpRequest,
    production: str,
    filters: Query[DeliveriesQuery],
    webhook_id: int = WebhookId,
) -> Any:
    """A webhook's latest deliveries, newest first, each with every attempt: when, the status
    code or the error, and how long it took."""
    try:
        found = subscriptions.deliveries(caller(request).production, webhook_id, filters.limit)
    except InputError as error:
        raise _no_hook(webhook_id) from error
    return [shown(delivery) for delivery in found]
