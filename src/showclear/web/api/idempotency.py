"""Idempotency keys: a command sent again with the same ``Idempotency-Key`` records nothing more.

The first request with a key claims it by inserting a pending row; the unique (token, key)
constraint makes that claim atomic across threads and processes. It then executes the command
and stores its answer (a success or a safety refusal). The service commits the key's name
(:func:`ledger_name`) with the entries, in the ledger append's own transaction, so the ledger
itself says whether the key's command was recorded, and a second execution for the same name
reads the first one back instead of recording (:meth:`showclear.service.Service.execute`).
A request that finds the key claimed:

- with a different request hash: 422, the key is refused, nothing is recorded;
- answered: gets the stored answer again (``Idempotent-Replayed: true``);
- still pending, but the ledger holds what was recorded for it (the first request died, or
  failed to store its answer, after the commit): gets that answer, read back from the ledger,
  and stores it for the retries after it;
- still pending, nothing in the ledger: waits up to :data:`WAIT` seconds for the answer, then
  409 "still being recorded" (retry later with the same key); once the claim is older than
  :data:`ABANDONED`, its request died before recording anything, and the retry takes the key
  over and runs the command (if the first one still committed after all, the ledger's name
  makes the retry read it back rather than record it again).

An answer that says nothing was recorded for a passing reason (503, the ledger could not make
the entry durable; or an unexpected failure) releases the key so that a retry runs again.

The request hash is an HMAC of the operation and the validated body under the site's secret
key: a body may hold a performer's PIN, and a plain hash of a six-digit PIN is no secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction

from showclear.web.api.errors import ApiError
from showclear.web.api.models import DeviceToken, IdempotentRequest

logger = logging.getLogger(__name__)

WAIT = 10.0
"""Seconds a request waits for the first request with its key to be answered."""

POLL = 0.05
ABANDONED = timedelta(minutes=5)
"""A key pending this long, with nothing recorded for it, belongs to a request that died before
recording: a retry takes it over."""

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


def ledger_name(token: DeviceToken, key: str) -> str:
    """The name the ledger keeps a key's request under: the token's id and the key (unique in
    the token's production; a key holds no space)."""
    return f"{token.pk} {key}"


def claim(
    token: DeviceToken, key: str, digest: str, recorded: Callable[[], Replay | None]
) -> IdempotentRequest | Replay:
    """Claim ``key`` for this request (the row to finish), or the first request's answer.

    ``recorded`` reads the ledger's word on the key: the answer to what was recorded for it
    (:func:`ledger_name`), or None when nothing was.
    """
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
        answer = recorded()
        if answer is not None:  # committed, but its answer was never stored: store it now
            try:
                finish(row, answer.status, answer.body)
            except DatabaseError:
                logger.error("the answer read back for an Idempotency-Key could not be kept")
            return answer
        if datetime.now(UTC) - row.created_at > ABANDONED:
            # Its request died before recording anything: take the key over and run again.
            IdempotentRequest.objects.filter(pk=row.pk, status__isnull=True).delete()
            continue
        if time.monotonic() > deadline:
            raise ApiError(
                409,
                f"A request with Idempotency-Key {key!r} is still being recorded: send it again "
                "in a moment with the same key.",
            )
        time.sleep(POLL)


def finish(row: IdempotentRequest, status: int, body: dict[str, Any]) -> None:
    """Store the answer of the request that claimed the key (unless it is stored already)."""
    IdempotentRequest.objects.filter(pk=row.pk, status__isnull=True).update(
        status=status, response=body, completed_at=datetime.now(UTC)
    )


def release(row: IdempotentRequest) -> None:
    """Give the key up: nothing was recorded, and a retry should run again."""
    IdempotentRequest.objects.filter(pk=row.pk).delete()
