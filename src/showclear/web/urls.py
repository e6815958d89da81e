"""URL routes."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, JsonResponse
from django.urls import path

from showclear.web.floor import views as floor


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer or a watchdog."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("health", health, name="health"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", floor.home, name="home"),
    path("p/<slug:slug>/", floor.board, name="board"),
    path("p/<slug:slug>/ledger/", floor.ledger, name="ledger"),
]
