"""Webhooks, their deliveries (the outbox) and every attempt to send one.

None holds a safety fact: a delivery is a copy of a ledger entry on its way to a production's
other software, and the ledger stays the record.
"""

from __future__ import annotations

import uuid

from django.db import models

PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"


class Webhook(models.Model):
    """A URL that hears of some events of one production, signed with its own secret.

    ``secret`` is kept sealed with a key derived from the site's secret key (see
    :mod:`showclear.web.hooks.signing`): it has to be kept, to sign, but a copy of the database
    alone does not give it away. ``next_seq`` is the first ledger entry the outbox has not yet
    looked at for this hook.
    """

    production_slug = models.CharField(max_length=80)
    url = models.CharField(max_length=500)
    events = models.JSONField()
    description = models.CharField(max_length=200, blank=True)
    secret = models.TextField()
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=120)
    removed_at = models.DateTimeField(null=True, blank=True)
    next_seq = models.BigIntegerField()

    def __str__(self) -> str:
        return f"webhook {self.pk} of {self.production_slug} to {self.url}"


class Delivery(models.Model):
    """One event on its way to one webhook: the exact body, and where its sending stands.

    Made in the same transaction that moves the hook's ``next_seq`` past the entry, so an entry
    is queued once and never lost. ``leased_until`` marks a delivery a sender has taken, so two
    server processes never send it at the same time.
    """

    STATES = ((PENDING, PENDING), (DELIVERED, DELIVERED), (FAILED, FAILED), (CANCELLED, CANCELLED))

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    seq = models.BigIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=STATES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["webhook", "seq", "event"], name="one_delivery_per_hook_entry_and_event"
            ),
        )
        indexes = (models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),)

    def __str__(self) -> str:
        return f"{self.event} #{self.seq} to webhook {self.webhook_id} ({self.state})"


class Attempt(models.Model):
    """One try at sending a delivery: when, how long, and the answer or the error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status_code or self.error}"
