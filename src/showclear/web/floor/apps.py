"""The set pages."""

from __future__ import annotations

from django.apps import AppConfig


class FloorConfig(AppConfig):
    """Pages for the armorer, the first AD and the safety supervisor on set."""

    name = "showclear.web.floor"
    label = "floor"
