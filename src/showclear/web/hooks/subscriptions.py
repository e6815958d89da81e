"""Adding, listing and removing a production's webhooks, and reading their delivery log.

Used by the API and by ``showclear webhook``; each caller says who is asking (``created_by``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from showclear.service import InputError
from showclear.store import Production
from showclear.web.hooks import destination, signing
from showclear.web.hooks.destination import Allowed
from showclear.web.hooks.models import Attempt, Delivery, Webhook
from showclear.web.hooks.outbox import EVENTS, cancel_pending, now

HOOKS_PER_PRODUCTION = 20


@dataclass(frozen=True)
class Made:
    """A webhook just made and its secret, which is never shown again."""

    webhook: Webhook
    secret: str


def check_url(url: str, allowed: Allowed | None = None) -> str:
    """``url`` if a webhook may send to it, else :class:`InputError` saying why.

    Read by :func:`~showclear.web.hooks.destination.parse`, the parser the sender uses, so a
    URL accepted here can always be sent to; a host that is plainly not public (an address
    outside the internet, ``localhost``) is refused unless ``SHOWCLEAR_WEBHOOK_ALLOW_HOSTS``
    names it. A host name is checked again, resolved, at every delivery.
    """
    url = url.strip()
    try:
        destination.check_named(
            destination.parse(url),
            allowed if allowed is not None else destination.Allowed.from_environment(),
        )
    except destination.Unusable as unusable:
        raise InputError(str(unusable)) from unusable
    return url


def check_events(events: Iterable[str]) -> list[str]:
    """The events, known and each once (every event when none is named)."""
    chosen = list(dict.fromkeys(events)) or list(EVENTS)
    unknown = [event for event in chosen if event not in EVENTS]
    if unknown:
        raise InputError(f"there is no webhook event {unknown[0]!r}: use {', '.join(EVENTS)}")
    return chosen


def add(
    production: Production,
    size: int,
    *,
    url: str,
    events: Iterable[str] = (),
    description: str = "",
    created_by: str,
) -> Made:
    """A new webhook of ``production`` for what is recorded from now on (entry ``size`` on).

    Raises :class:`InputError` for a URL that is not http(s), an unknown event, or when the
    production already has :data:`HOOKS_PER_PRODUCTION` live hooks.
    """
    url = check_url(url)
    chosen = check_events(events)
    description = " ".join(description.split())
    if len(description) > 200:
        raise InputError("a webhook's description is at most 200 characters")
    live = Webhook.objects.filter(production_slug=production.slug, removed_at__isnull=True)
    if live.count() >= HOOKS_PER_PRODUCTION:
        raise InputError(
            f"{production.name!r} already has {HOOKS_PER_PRODUCTION} webhooks: remove one first"
        )
    secret = signing.new_secret()
    hook = Webhook.objects.create(
        production_slug=production.slug,
        url=url,
        events=chosen,
        description=description,
        secret=signing.seal(secret),
        created_at=now(),
        created_by=created_by[:120],
        next_seq=size,
    )
    return Made(hook, secret)


def listed(production: Production, *, removed: bool = False) -> list[Webhook]:
    """The production's webhooks, newest first (removed ones too when ``removed``)."""
    found = Webhook.objects.filter(production_slug=production.slug)
    if not removed:
        found = found.filter(removed_at__isnull=True)
    return list(found.order_by("-created_at", "-pk"))


def find(production: Production, hook_id: int) -> Webhook:
    """The production's webhook ``hook_id`` (removed or not), or :class:`InputError`."""
    hook = Webhook.objects.filter(production_slug=production.slug, pk=hook_id).first()
    if hook is None:
        raise InputError(f"{production.name!r} has no webhook {hook_id}")
    return hook


def remove(production: Production, hook_id: int) -> Webhook:
    """Remove a webhook: nothing more is sent to it; its log stays. Removing it again is a no-op."""
    hook = find(production, hook_id)
    if hook.removed_at is None:
        with transaction.atomic():  # a delivery gathered meanwhile is cancelled with the rest
            hook.removed_at = now()
            hook.save(update_fields=["removed_at"])
            cancel_pending(hook)
    return hook


def deliveries(production: Production, hook_id: int, limit: int = 50) -> list[Delivery]:
    """A webhook's latest deliveries, newest first, each with its attempts in order."""
    hook = find(production, hook_id)
    attempts = Prefetch("tries", queryset=Attempt.objects.order_by("number"))
    return list(
        Delivery.objects.filter(webhook=hook)
        .order_by("-seq", "-pk")
        .prefetch_related(attempts)[:limit]
    )
