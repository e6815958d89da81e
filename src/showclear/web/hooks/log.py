"""The delivery log as the API and ``showclear webhook deliveries --json`` show it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from showclear.web.hooks.models import Delivery, Webhook


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def shown(delivery: Delivery) -> dict[str, Any]:
    """One delivery: its entry and event, where it stands, and every attempt in order."""
    return {
        "id": str(delivery.uid),
        "seq": delivery.seq,
        "event": delivery.event,
        "state": delivery.state,
        "created_at": _at(delivery.created_at),
        "next_attempt_at": _at(delivery.next_attempt_at) if delivery.state == "pending" else None,
        "finished_at": _at(delivery.finished_at),
        "attempts": [
            {
                "number": attempt.number,
                "at": _at(attempt.at),
                "status_code": attempt.status_code,
                "error": attempt.error,
                "duration_ms": attempt.duration_ms,
            }
            for attempt in delivery.tries.all()
        ],
    }


def hook_shown(hook: Webhook) -> dict[str, Any]:
    """One webhook, never its secret."""
    return {
        "id": hook.pk,
        "url": hook.url,
        "events": list(hook.events),
        "description": hook.description,
        "created_at": _at(hook.created_at),
        "created_by": hook.created_by,
        "removed_at": _at(hook.removed_at),
        "live": hook.removed_at is None,
    }
