"""The accounts app."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Logins and what production person each one speaks for."""

    name = "showclear.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
