"""URL routes. The set pages arrive with the web app; for now, a health check."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer or a watchdog."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("health", health, name="health")]
