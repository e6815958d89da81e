"""The refusal log app."""

from __future__ import annotations

from django.apps import AppConfig


class RefusalsConfig(AppConfig):
    """Refused commands, kept beside the ledger for the compliance summary."""

    name = "showclear.web.refusals"
    label = "refusals"
    default_auto_field = "django.db.models.BigAutoField"
