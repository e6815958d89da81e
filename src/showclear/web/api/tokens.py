"""Device tokens: made for a named device, shown once, kept only as a SHA-256 digest.

Why SHA-256 and not argon2 (which the logins use): a token's secret is 32 random bytes, not a
password a person chose. Nobody can guess 256 bits, so a slow hash would buy nothing against a
stolen table; it would only cost every API request tens of milliseconds. A plain digest also
lets the token be found by an indexed lookup (``digest`` is unique) instead of hashing against
every stored token, and comparing digests leaks nothing useful about the secret.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from showclear.core.state import ProductionState
from showclear.core.vocabulary import ROLE_NAMES, ROLES
from showclear.service import InputError
from showclear.web.api.models import DeviceToken

PREFIX = "sc_"
"""Every token starts with this, so a leaked one is easy to recognise in logs and scanners."""

NAME_PATTERN = r"^[\w .-]*[\w.-][\w .-]*$"
"""A device's name: letters, digits, underscores, spaces, dots and dashes, not only spaces."""

LAST_USED_EVERY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token: a scanner's every read is no write."""


class TokenRefused(InputError):
    """A token that cannot be made, naming the request ``field`` at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def digest(secret: str) -> str:
    """The stored form of a token's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Made:
    """A token just made: its record and the secret, which is never shown again."""

    token: DeviceToken
    secret: str


def make(
    state: ProductionState,
    production_slug: str,
    *,
    person_id: str,
    role: str,
    name: str,
    created_by: str,
    now: datetime | None = None,
) -> Made:
    """Make a token for ``person_id`` acting as ``role`` on one production, for device ``name``.

    Raises :class:`TokenRefused` (an :class:`~showclear.service.InputError`) when the person is
    not on the roster, does not hold the role, or a live token already has that device name.
    """
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise TokenRefused("name", "a device token needs a device name of 1 to 80 characters")
    if not re.fullmatch(NAME_PATTERN, name):
        raise TokenRefused(
            "name", "a device name uses letters, digits, spaces, dots, dashes, underscores"
        )
    if role not in ROLES:
        raise TokenRefused(
            "role", f"there is no role {role!r}: use one of {', '.join(sorted(ROLES))}"
        )
    person = state.people.get(person_id)
    if person is None:
        raise TokenRefused("person_id", f"{state.name!r} has no person {person_id!r}")
    if role not in person.roles:
        raise TokenRefused("role", f"{person.label} does not hold the role {ROLE_NAMES[role]}")
    secret = PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = DeviceToken.objects.create(
                production_slug=production_slug,
                person_id=person_id,
                role=role,
                name=name,
                digest=digest(secret),
                created_at=now or datetime.now(UTC),
                created_by=created_by,
            )
    except IntegrityError as error:
        raise TokenRefused(
            "name",
            f"a token for the device {name!r} is already in use on this production: revoke it "
            "first or choose another name",
        ) from error
    return Made(token, secret)


def find(secret: str) -> DeviceToken | None:
    """The token whose secret this is (revoked or not), or ``None``."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    return DeviceToken.objects.filter(digest=digest(secret)).first()


def used(token: DeviceToken, now: datetime | None = None) -> None:
    """Note that ``token`` was just used (at most once a minute, see :data:`LAST_USED_EVERY`)."""
    now = now or datetime.now(UTC)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def listed(production_slug: str) -> list[DeviceToken]:
    """Every token of a production, live ones first, then newest first."""
    live_first = F("revoked_at").desc(nulls_first=True)
    return list(
        DeviceToken.objects.filter(production_slug=production_slug).order_by(
            live_first, "-created_at"
        )
    )


def revoke_one(production_slug: str, token_id: int, now: datetime | None = None) -> DeviceToken:
    """Revoke the production's token ``token_id`` (revoking a revoked one changes nothing)."""
    token = DeviceToken.objects.filter(production_slug=production_slug, pk=token_id).first()
    if token is None:
        raise InputError(f"there is no device token {token_id} on this production")
    if token.revoked_at is None:
        token.revoked_at = now or datetime.now(UTC)
        token.save(update_fields=["revoked_at"])
    return token


def revoke(production_slug: str, name: str, now: datetime | None = None) -> DeviceToken:
    """Revoke the live token of device ``name``; it stops working at once."""
    token = DeviceToken.objects.filter(
        production_slug=production_slug, name=" ".join(name.split()), revoked_at__isnull=True
    ).first()
    if token is None:
        raise InputError(f"no live token for the device {name!r} on this production")
    token.revoked_at = now or datetime.now(UTC)
    token.save(update_fields=["revoked_at"])
    return token
