"""Bringing Django up from the CLI."""

from __future__ import annotations

import os


def django_setup() -> None:
    """Configure Django with Showclear's settings (once per process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create or upgrade the web app's tables."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
