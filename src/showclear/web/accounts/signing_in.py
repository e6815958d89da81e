"""Signing in, throttled: a password cannot be guessed by trying many.

After :data:`PER_USERNAME` failed sign-ins for one username within :data:`WINDOW`, or
:data:`PER_ADDRESS` from one client address, that username (or address) may not try again until
the window has passed: the answer is 429 with the time to wait, and the password is not even
checked. A successful sign-in clears its username's count (and takes its one try back from the
address's). Each try is counted *before* its password is checked, in one transaction holding
the count's row in the database every server process shares
(:meth:`~showclear.store.credentials.CredentialStore.attempt`), so sixteen wrong passwords sent
at once are checked five times at most, whatever threads or workers they reach. Usernames and
addresses are kept only as keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from showclear.store.credentials import CredentialStore
from showclear.web import runtime

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


def _counts() -> CredentialStore:
    return runtime.service().credentials.store


def _try(request: HttpRequest) -> int:
    """Count this try against its username and address: 0 when its password may be checked,
    else the seconds to wait (and nothing more is counted)."""
    now = time.time()
    counted: list[str] = []
    for key, allowed in _keys(request):
        wait = _counts().attempt(key, allowed, WINDOW, WINDOW, now)
        if wait:
            for earlier in counted:  # not checked: the username's try does not count
                _counts().forgive(earlier)
            return max(1, math.ceil(wait))  # never under: the seconds until it is checked
        counted.append(key)
    return 0


class SignIn(auth_views.LoginView):
    """Django's sign-in, refusing further tries after too many failures."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = _try(request)
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
            (username, _), (address, _) = _keys(request)
            _counts().passed(username)
            _counts().forgive(address)
        return response
