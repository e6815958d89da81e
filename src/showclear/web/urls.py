"""URL routes."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from showclear.web.accounts.signing_in import SignIn
from showclear.web.api import v1
from showclear.web.floor import (
    firearm_show,
    firearms,
    incidents,
    labels,
    lots,
    meetings,
    people,
    presence,
    production,
    receiving,
    scan,
    scenes,
    stop,
    today,
    trace,
    wrap,
)
from showclear.web.floor import views as floor
from showclear.web.floor.paperwork import urlpatterns as paperwork  # reports and exports
from showclear.web.floor.uploads import urlpatterns as uploads  # imports

# Each area of the set pages lists its own routes; all live under /p/<production slug>/.
PAGES = (today, firearms, firearm_show, lots, meetings, stop, wrap, scan, labels, trace, presence)
DESK = (
    scenes,
    incidents,
    people,
    receiving,
    production,
)  # the jobs of the first AD, the roster, incidents, receiving by hand and the production's time zone


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer or a watchdog."""
    return JsonResponse({"status": "ok"})


ON_SET = [
    *floor.urlpatterns,  # the board and the ledger
    *(route for area in PAGES for route in area.urlpatterns),
    *(route for area in DESK for route in area.urlpatterns),
    *paperwork,
    *uploads,
]

urlpatterns = [
    path("health", health, name="health"),
    path("favicon.ico", RedirectView.as_view(url=static("showclear/favicon.svg"), permanent=True)),
    path("api/v1/", v1.urls()),
    path("login/", SignIn.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", floor.home, name="home"),
    # One include for every set page: Django then matches the prefix once, instead of trying
    # (and failing) one include per area, which cost a phone's every request about 0.4 ms.
    path("p/<slug:slug>/", include(ON_SET)),
]

handler403 = "showclear.web.floor.forbidden.forbidden"
