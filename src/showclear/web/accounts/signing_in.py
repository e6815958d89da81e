"""Signing in, throttled: a password cannot be guessed by trying many.

After :data:`PER_USERNAME` failed sign-ins for one username within :data:`WINDOW`, or
:data:`PER_ADDRESS` from one client address, that username (or address) may not try again until
the window has passed: the answer is 429 with the time to wait, and the password is not even
checked. A successful sign-in clears its username's count. The counts live in Django's cache,
which is the database shared by every server process (settings ``CACHES``), so they hold across
workers; usernames are kept only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

PER_USERNAME = 5
"""Failed sign-ins allowed for one username within :data:`WINDOW`."""
PER_ADDRESS = 50
"""Failed sign-ins allowed from one client address within :data:`WINDOW`."""
WINDOW = 15 * 60
"""Seconds a failure counts for."""


def _key(kind: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"showclear:sign-in:{kind}:{digest[:32]}"


def _keys(request: HttpRequest) -> list[tuple[str, int]]:
    username = str(request.POST.get("username", "")).strip().casefold()
    address = str(request.META.get("REMOTE_ADDR", ""))
    return [(_key("username", username), PER_USERNAME), (_key("address", address), PER_ADDRESS)]


def _wait(request: HttpRequest) -> int:
    """Seconds before this username and address may try again (0: they may now)."""
    now = time.time()
    waits = [0]
    for key, allowed in _keys(request):
        failures = [t for t in cache.get(key, []) if now - t < WINDOW]
        if len(failures) >= allowed:
            waits.append(max(1, math.ceil(failures[-allowed] + WINDOW - now)))
    return max(waits)


def _failed(request: HttpRequest) -> None:
    now = time.time()
    for key, _ in _keys(request):
        failures = [t for t in cache.get(key, []) if now - t < WINDOW]
        cache.set(key, [*failures, now], WINDOW)


class SignIn(auth_views.LoginView):
    """Django's sign-in, refusing further tries after too many failures."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = _wait(request)
        if wait:
            form = self.get_form()
            minutes = (wait + 59) // 60
            context = self.get_context_data(
                form=form,
                throttled=f"Too many failed sign-ins: wait {minutes} minute"
                f"{'s' if minutes != 1 else ''}, then try again. Ask the key armorer if you "
                "have lost your password.",
            )
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(wait)  # the seconds until a sign-in is checked again
            return response
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            cache.delete(_keys(request)[0][0])
        else:
            _failed(request)
        return response
