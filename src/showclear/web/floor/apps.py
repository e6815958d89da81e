"""The set pages."""

from __future__ import annotations

from django.apps import AppConfig


class FloorConfig(AppConfig):
    """Pages for the armorer, the first AD and the safety supervisor on set."""

    name = "showclear.web.floor"
    label = "floor"

    def ready(self) -> None:
        """Each request starts in UTC, until its page finds its production's zone."""
        from django.core.signals import request_started

        from showclear.web.floor.local_time import forget

        request_started.connect(forget, dispatch_uid="showclear-local-time")
