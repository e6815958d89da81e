"""The API app."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Device tokens and the idempotency keys of the commands they send."""

    name = "showclear.web.api"
    label = "showclear_api"
    default_auto_field = "django.db.models.BigAutoField"
