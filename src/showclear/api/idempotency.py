"""Idempotency keys: a command sent again with the same ``Idempotency-Key`` records nothing more.

The first request with a key claims it by inserting a pending row; the unique (token, key)
constraint makes that claim atomic across threads and processes. It then executes the command
and stores its answer (a success or a safety refusal). A request that finds the key claimed:

- with a different request hash: 422, the key is refused, nothing is recorded;
- answered: gets the stored answer again (``Idempotent-Replayed: true``);
- still pending: waits up to :data:`WAIT` seconds for the answer, then 409 "still being
  recorded" (retry later with the same key).

An answer that says nothing was recorded for a passing reason (503, the ledger could not make
the entry durable; or an unexpected failure) releases the key so that a retry runs again.

The request hash is an HMAC of the operation and the validated body under the site's secret
key: a body may hold a performer's PIN, and a plain hash of a six-digit PIN is no secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from showclear.api.errors import ApiError
from showclear.api.models import DeviceToken, IdempotentRequest

WAIT = 10.0
"""Seconds a request waits for the first request with its key to be answered."""

POLL = 0.05
ABANDONED = timedelta(minutes=5)
"""A key pending this long belongs to a request that died: say so rather than wait."""

HEADER = "Idempotency-Key"
PATTERN = r"^[\x21-\x7e]{1,255}$"
"""1 to 255 visible ASCII characters (a UUID is the usual choice)."""


def request_hash(operation: str, body: dict[str, Any]) -> str:
    """The keyed hash of one request: its operation and its validated body."""
    text = operation + "\n" + json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Replay:
    """The stored answer to the first request with this key."""

    status: int
    body: dict[str, Any]


def claim(token: DeviceToken, key: str, digest: str) -> IdempotentRequest | Replay:
    """Claim ``key`` for this request (the row to finish), or the first request's answer."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(
                    token=token, key=key, request_hash=digest, created_at=datetime.now(UTC)
                )
        except IntegrityError:
            pass
        row = IdempotentRequest.objects.filter(token=token, key=key).first()
        if row is None:
            continue  # the first request released the key just now: claim it again
        if not hmac.compare_digest(row.request_hash, digest):
            raise ApiError(
                422,
                f"The Idempotency-Key {key!r} was already used for a different request by this "
                "device. Nothing was recorded: use a new key for a new command.",
                errors=[(HEADER, "already used for a different request")],
            )
        if row.status is not None:
            return Replay(row.status, dict(row.response or {}))
        if datetime.now(UTC) - row.created_at > ABANDONED:
            raise ApiError(
                409,
                f"The request first sent with Idempotency-Key {key!r} never finished. Read the "
                f"history of device {token.device!r} to see whether it was recorded before "
                "sending it again with a new key.",
            )
        if time.monotonic() > deadline:
            raise ApiError(
                409,
                f"A request with Idempotency-Key {key!r} is still being recorded: send it again "
                "in a moment with the same key.",
            )
        time.sleep(POLL)


def finish(row: IdempotentRequest, status: int, body: dict[str, Any]) -> None:
    """Store the answer of the request that claimed the key."""
    IdempotentRequest.objects.filter(pk=row.pk).update(
        status=status, response=body, completed_at=datetime.now(UTC)
    )


def release(row: IdempotentRequest) -> None:
    """Give the key up: nothing was recorded, and a retry should run again."""
    IdempotentRequest.objects.filter(pk=row.pk).delete()
