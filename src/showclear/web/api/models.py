"""Device tokens and idempotency records: what the API keeps besides the ledger.

Neither holds a safety fact. A token says which production person a device speaks for and in
which role; an idempotency record keeps the first answer to a command so a retry gets it again.
"""

from __future__ import annotations

from django.db import models


class DeviceToken(models.Model):
    """A named device's bearer token: one production, one person, one role.

    Only the SHA-256 digest of the secret is kept (see :mod:`showclear.web.api.tokens`); the secret
    itself is shown once, when the token is made.
    """

    production_slug = models.CharField(max_length=80)
    person_id = models.CharField(max_length=80)
    role = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=120)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["production_slug", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_token_per_device_name",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.role} {self.person_id} on {self.production_slug})"

    @property
    def device(self) -> str:
        """The device name every entry this token records carries."""
        return f"api:{self.name}"


class IdempotentRequest(models.Model):
    """One command sent with an ``Idempotency-Key``: pending until its answer is stored.

    The unique (token, key) pair is what makes two racing requests record once: the second
    insert fails, and that request waits for the first one's answer instead of executing.
    """

    token = models.ForeignKey(DeviceToken, on_delete=models.CASCADE, related_name="requests")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["token", "key"], name="one_request_per_token_and_key"),
        )

    def __str__(self) -> str:
        return f"{self.key} ({'pending' if self.status is None else self.status})"
