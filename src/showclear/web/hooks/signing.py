"""A webhook's secret, and the signature every delivery carries.

Each delivery is sent with these headers::

    Showclear-Webhook-Id: 6f1c...        the delivery (the same on every retry of it)
    Showclear-Webhook-Event: work.stopped
    Showclear-Webhook-Timestamp: 1760438400   Unix seconds when this attempt was signed
    Showclear-Webhook-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">

keyed with the hook's secret (its text, UTF-8). Signing the timestamp with the body lets a
receiver refuse an old delivery replayed later: check the signature, then that the timestamp
is recent.

The secret must be kept to sign with, so unlike a device token it cannot be stored as a
digest. It is stored sealed (Fernet: AES-128-CBC with HMAC-SHA256) under a key derived from the
site's secret key, which lives in the data directory or the environment and never in the
database: a copy of the database alone gives no secret away.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "whsec_"
"""Every webhook secret starts with this, so a leaked one is easy to recognise."""

ID_HEADER = "Showclear-Webhook-Id"
EVENT_HEADER = "Showclear-Webhook-Event"
TIMESTAMP_HEADER = "Showclear-Webhook-Timestamp"
SIGNATURE_HEADER = "Showclear-Webhook-Signature"


class SecretUnreadable(Exception):
    """The sealed secret cannot be opened: the site's secret key changed since it was made."""


def new_secret() -> str:
    """A new webhook secret: 32 random bytes."""
    return PREFIX + secrets.token_urlsafe(32)


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"showclear webhook secrets"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    """The stored form of ``secret``."""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    """The secret itself, from its stored form."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable(
            "this webhook's secret cannot be read: the site's secret key changed since the hook "
            "was made; remove the hook and add it again"
        ) from error


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def headers(
    secret: str, delivery_id: str, event: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Every header a delivery is sent with."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "Showclear-Webhook/1",
        ID_HEADER: delivery_id,
        EVENT_HEADER: event,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
