"""The stop pages (issue 4). Routes are listed in ``urlpatterns`` and mounted under /p/<slug>/."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
