"""One refused command."""

from __future__ import annotations

from django.db import models


class Refusal(models.Model):
    """A command the safety rules refused: nothing of it is in the ledger."""

    production_slug = models.CharField(max_length=80)
    at = models.DateTimeField()
    person_id = models.CharField(max_length=80)
    device = models.CharField(max_length=200)
    command = models.CharField(max_length=80)
    rule_ids = models.CharField(max_length=400)
    """The rule ids, comma-separated, in the order found."""
    message = models.TextField()

    class Meta:
        indexes = (models.Index(fields=["production_slug", "at"], name="refusal_by_time"),)

    def __str__(self) -> str:
        return f"{self.command} by {self.person_id} refused ({self.rule_ids})"
