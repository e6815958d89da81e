"""The webhooks app."""

from __future__ import annotations

from django.apps import AppConfig


class HooksConfig(AppConfig):
    """Webhooks of each production, their outbox of deliveries and every attempt."""

    name = "showclear.web.hooks"
    label = "showclear_hooks"
    default_auto_field = "django.db.models.BigAutoField"
