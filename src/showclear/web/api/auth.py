"""Bearer device tokens: who is asking, for which production, in which role.

Every operation names the roles it accepts (queries: any role of the production; commands:
the roles the core itself asks for, :func:`showclear.web.api.roles.gate`). The order of the checks
is the order of the answers: no or unknown token 401, revoked token 401, unknown production
404, another production's token 403, a role the operation does not accept 403.

Failed token attempts are counted per client address; past
``SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE`` (default 10) in a minute, that address's unknown
tokens get 429 until the minute is over. A *valid* token is never throttled: on set, one
scanner with a revoked token must not lock out every other scanner behind the same router, and
a 256-bit secret cannot be guessed anyway; the limit stops hammering, not luck.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from showclear.core.vocabulary import ROLE_NAMES, ROLES
from showclear.service import InputError, Service
from showclear.store import Production
from showclear.web.api import tokens
from showclear.web.api.errors import ApiError
from showclear.web.api.models import DeviceToken
from showclear.web.runtime import service

WINDOW = 60
"""Seconds over which failed token attempts are counted."""


@dataclass(frozen=True)
class Caller:
    """A request's valid token and the production it speaks on."""

    token: DeviceToken
    production: Production
    service: Service


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def _limit() -> int:
    return int(getattr(settings, "SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE", 10))


def _refuse(request: HttpRequest, detail: str) -> ApiError:
    """A 401 for a token that does not work, counted; 429 once the address is over the limit.

    The minute starts at the address's first failure, so a burst is never split in two by a
    clock minute, and ends exactly a minute later: the count and its start are kept as one
    record that expires then, and ``Retry-After`` is the seconds left of it, rounded up. (Django's
    ``cache.incr`` sets anew with the cache's default timeout, five minutes, so a count kept
    apart from its start outlived the minute, and a retry after ``Retry-After`` was refused.)
    """
    limit = _limit()
    if limit <= 0:
        return ApiError(401, detail)
    address = _address(request)
    key = f"showclear-api-auth:{address}"
    now = time.time()
    kept = cache.get(key)
    started, failures = (float(kept[0]), int(kept[1])) if kept else (now, 0)
    if now - started >= WINDOW:  # that minute is over: this failure starts the next
        started, failures = now, 0
    failures += 1
    left = started + WINDOW - now
    cache.set(key, (started, failures), max(1, math.ceil(left)))
    if failures > limit:
        wait = max(1, math.ceil(left))  # a retry after it is counted in a new minute
        return ApiError(
            429,
            f"Too many failed token attempts from {address}: wait {wait} s.",
            headers={"Retry-After": str(wait)},
        )
    return ApiError(401, detail)


def production_of(showclear: Service, slug: str) -> Production:
    """The production with this slug, or 404."""
    try:
        production = showclear.production(slug)
    except InputError:
        production = None
    if production is None or production.slug != slug:
        raise ApiError(404, f"There is no production {slug!r}.")
    return production


def roles_said(roles: frozenset[str]) -> str:
    """``"armorer or assistant armorer"``."""
    names = [ROLE_NAMES[role] for role in ROLE_NAMES if role in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


class DeviceAuth(HttpBearer):
    """``Authorization: Bearer sc_...`` for operations open to ``roles``."""

    def __init__(self, roles: frozenset[str] = ROLES, doing: str = "do this") -> None:
        super().__init__()
        self.roles = roles
        self.doing = doing

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header:
            raise ApiError(401, "Send a device token: 'Authorization: Bearer sc_...'.")
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise _refuse(request, "Send the device token as 'Authorization: Bearer sc_...'.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = tokens.find(token)
        if found is None:
            raise _refuse(request, "That device token is not known.")
        if found.revoked_at is not None:
            raise _refuse(
                request,
                f"The token of device {found.name!r} was revoked at "
                f"{found.revoked_at:%Y-%m-%d %H:%M} UTC.",
            )
        showclear = service()
        match = request.resolver_match
        slug = str(match.kwargs.get("production", "")) if match is not None else ""
        production = production_of(showclear, slug)
        if found.production_slug != production.slug:
            raise ApiError(403, f"The token of device {found.name!r} is for another production.")
        if found.role not in self.roles:
            raise ApiError(
                403,
                f"A token acting as {ROLE_NAMES.get(found.role, found.role)} cannot {self.doing}: "
                f"only a token acting as {roles_said(self.roles)} can. Nothing was recorded.",
            )
        tokens.used(found)
        return Caller(found, production, showclear)


def caller(request: HttpRequest) -> Caller:
    """The request's :class:`Caller` (set by :class:`DeviceAuth`)."""
    found = getattr(request, "auth", None)
    assert isinstance(found, Caller)
    return found
