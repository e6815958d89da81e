"""The outbox: which ledger entries become deliveries, and where each delivery stands.

**Queued from the ledger itself.** Each hook keeps ``next_seq``, the first entry it has not yet
looked at. :func:`gather` reads the entries from there, and in one database transaction makes a
delivery for each one the hook listens to and moves ``next_seq`` past them. The ledger is
therefore the outbox's source: an entry committed a moment before the server crashed is
gathered when it starts again, and one recorded by any process (another server process, the
CLI) is gathered too. A command only wakes the sender (``Service.listeners``); it never
waits for a delivery nor fails because of one.

**Claimed before it is sent.** Several server processes (gunicorn workers, app servers)
share the outbox. A sender claims a due delivery's next attempt in the database before sending
it (:func:`take`): one conditional update that leases the delivery *and* counts the attempt,
which only one process can win, and which no process wins once the delivery has had its
``attempts``. So an attempt is sent by one sender only, and a delivery is never tried more
often than its limit, even when senders die mid-attempt. Only the sender that claimed an
attempt settles it (:func:`note`). A sender that dies while sending leaves the lease to run
out and the next attempt to another sender: a receiver may, rarely, see a delivery twice and
should drop repeats by ``Showclear-Webhook-Id``.

**Retried with backoff.** A delivery is delivered when the receiver answers 2xx. Anything else
(another status, a refused connection, a timeout) is noted as an attempt and tried again after
``backoff * 2**(attempt - 1)`` seconds, at most an hour, until ``attempts`` tries were made;
then it is *failed*, and stays in the delivery log with every attempt.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Min, Q

from showclear.store import LedgerStore, Production
from showclear.web.hooks.models import (
    CANCELLED,
    DELIVERED,
    FAILED,
    PENDING,
    Attempt,
    Delivery,
    Webhook,
)
from showclear.web.hooks.sender import Outcome

TAMPERED = "ledger.tampered"
"""The alarm a server process raises when it finds the stored ledger tampered with."""

EVENTS = {
    "work.stopped": "STOP WORK was called (work.stopped; lockdown true when evidence is frozen)",
    "incident.opened": "an incident was opened (incident.opened)",
    "misfire.reported": "a round did not fire (misfire.reported)",
    "count.differed": "a hand count did not match the record (count.reconciled, not balanced)",
    TAMPERED: "the ledger holds what Showclear did not write: nothing more is recorded (sent to "
    "every live hook, whatever it listens to)",
}
"""The events a webhook can listen to, and what each means."""

WATCHED_KINDS = frozenset(
    {"work.stopped", "incident.opened", "misfire.reported", "count.reconciled"}
)
"""The ledger kinds any event comes from: a command recording none of them wakes nobody."""

GATHER_AT_MOST = 500
"""Entries read for one hook per round: a long backlog is gathered over several rounds."""

LONGEST_WAIT = timedelta(hours=1)


def event_of(kind: str, payload: dict[str, Any]) -> str | None:
    """The webhook event a ledger entry is, if any."""
    if kind == "count.reconciled":
        return "count.differed" if payload.get("balanced") is False else None
    return kind if kind in EVENTS else None


def _number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Policy:
    """How deliveries are retried and sent."""

    attempts: int = 10
    backoff: float = 15.0
    timeout: float = 10.0

    @classmethod
    def from_environment(cls) -> Policy:
        """``SHOWCLEAR_WEBHOOK_ATTEMPTS`` (10), ``SHOWCLEAR_WEBHOOK_BACKOFF_SECONDS`` (15),
        ``SHOWCLEAR_WEBHOOK_TIMEOUT_SECONDS`` (10)."""
        return cls(
            attempts=max(1, int(_number("SHOWCLEAR_WEBHOOK_ATTEMPTS", cls.attempts))),
            backoff=max(0.0, _number("SHOWCLEAR_WEBHOOK_BACKOFF_SECONDS", cls.backoff)),
            timeout=max(0.5, _number("SHOWCLEAR_WEBHOOK_TIMEOUT_SECONDS", cls.timeout)),
        )

    def wait_after(self, attempt: int) -> timedelta:
        """How long to wait after failed attempt number ``attempt`` (1, 2, ...)."""
        return min(timedelta(seconds=self.backoff * 2 ** (attempt - 1)), LONGEST_WAIT)

    @property
    def lease(self) -> timedelta:
        """How long a sender holds a delivery it took: past its timeout, with room to spare."""
        return timedelta(seconds=self.timeout * 3 + 30)


def now() -> datetime:
    """The time, in UTC."""
    return datetime.now(UTC)


def body_of(
    delivery_id: str, event: str, production: Production, entry: dict[str, Any], person_name: str
) -> str:
    """The JSON a delivery sends (signed exactly as sent)."""
    return json.dumps(
        {
            "id": delivery_id,
            "event": event,
            "production": {"slug": production.slug, "name": production.name},
            "entry": {
                "seq": entry["seq"],
                "kind": entry["kind"],
                "recorded_at": entry["recorded_at"],
                "person": entry["person"],
                "person_name": person_name,
                "device": entry["device"],
                "payload": entry["payload"],
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def gather(
    store: LedgerStore,
    productions: dict[str, Production],
    person_name: Callable[[Production, str], str] = lambda production, person: "",
    sealed: Callable[[Production], int] | None = None,
) -> int:
    """Queue a delivery for every new entry a live hook listens to; how many were queued.

    ``store`` is a ledger connection of the caller's own; ``productions`` by slug; ``sealed``
    how many entries of a production Showclear sealed (the service's proved size): nothing
    beyond it is announced, for an entry there was not written by Showclear.
    """
    queued = 0
    for hook in Webhook.objects.filter(removed_at__isnull=True).order_by("pk"):
        production = productions.get(hook.production_slug)
        if production is None:
            continue
        size = store.size(production) if sealed is None else sealed(production)
        end = min(size, hook.next_seq + GATHER_AT_MOST)
        if end <= hook.next_seq:
            continue
        listening = set(hook.events)
        made = []
        for body in store.entry_range(production, hook.next_seq, end):
            entry = json.loads(body)
            event = event_of(entry["kind"], entry["payload"])
            if event is None or event not in listening:
                continue
            delivery_id = str(uuid.uuid4())
            made.append(
                Delivery(
                    uid=delivery_id,
                    webhook=hook,
                    event=event,
                    seq=entry["seq"],
                    body=body_of(
                        delivery_id,
                        event,
                        production,
                        entry,
                        person_name(production, entry["person"]),
                    ),
                    created_at=now(),
                    next_attempt_at=now(),
                )
            )
        with transaction.atomic():
            moved = Webhook.objects.filter(
                pk=hook.pk, next_seq=hook.next_seq, removed_at__isnull=True
            ).update(next_seq=end)
            if moved:  # else another process gathered these first, or the hook was just removed
                Delivery.objects.bulk_create(made)
                queued += len(made)
    return queued


def queue_tampered(production: Production, where: str, reason: str, seq: int) -> int:
    """Queue the ``ledger.tampered`` alarm for every live hook of ``production``, once per
    hook and intrusion however many server processes find it; how many were queued."""
    made = []
    for hook in Webhook.objects.filter(production_slug=production.slug, removed_at__isnull=True):
        delivery_id = str(uuid.uuid4())
        body = json.dumps(
            {
                "id": delivery_id,
                "event": TAMPERED,
                "production": {"slug": production.slug, "name": production.name},
                "tampered": {"where": where, "reason": reason, "seq": seq},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        made.append(
            Delivery(
                uid=delivery_id,
                webhook=hook,
                event=TAMPERED,
                seq=seq,
                body=body,
                created_at=now(),
                next_attempt_at=now(),
            )
        )
    # The unique (hook, seq, event) makes a second process's copy a no-op.
    return len(Delivery.objects.bulk_create(made, ignore_conflicts=True))


def _free(at: datetime) -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lt=at)


def take(policy: Policy, at_most: int = 20, busy: frozenset[int] = frozenset()) -> list[Delivery]:
    """Due deliveries of live hooks, at most one per hook and none of the ``busy`` hooks (those
    the caller is sending to already), each with its next attempt claimed by the caller alone.

    A taken delivery's ``attempts`` is the number of the attempt the caller now sends.
    """
    moment = now()
    # A delivery whose last attempt was claimed by a sender that never settled it (it died):
    # failed, since it has had every attempt it may have.
    Delivery.objects.filter(_free(moment), state=PENDING, attempts__gte=policy.attempts).update(
        state=FAILED, finished_at=moment, leased_until=None
    )
    due = (
        Delivery.objects.filter(
            _free(moment),
            state=PENDING,
            next_attempt_at__lte=moment,
            attempts__lt=policy.attempts,
            webhook__removed_at__isnull=True,
        )
        .exclude(webhook_id__in=busy)
        .select_related("webhook")
        .order_by("next_attempt_at", "pk")[: max(at_most * 10, 50)]
    )
    taken: list[Delivery] = []
    hooks: set[int] = set()
    for delivery in due:
        if len(taken) >= at_most:
            break
        if delivery.webhook_id in hooks:
            continue  # one attempt at a time per hook: a slow one holds up only itself
        won = Delivery.objects.filter(
            _free(moment),
            pk=delivery.pk,
            state=PENDING,
            attempts=delivery.attempts,
            attempts__lt=policy.attempts,
        ).update(leased_until=moment + policy.lease, attempts=F("attempts") + 1)
        if won:
            delivery.attempts += 1
            hooks.add(delivery.webhook_id)
            taken.append(delivery)
    return taken


def note(delivery: Delivery, outcome: Outcome, policy: Policy) -> bool:
    """Log the attempt :func:`take` claimed (``delivery.attempts``) and move the delivery on:
    delivered, due again later, or failed. Whether it was still the caller's to settle (not
    when its lease ran out and another sender claimed the next attempt)."""
    number = delivery.attempts
    with transaction.atomic():
        mine = Delivery.objects.filter(pk=delivery.pk, attempts=number)
        changes: dict[str, Any] = {"leased_until": None}
        if outcome.delivered:
            changes.update(state=DELIVERED, finished_at=now())
        elif number >= policy.attempts:
            changes.update(state=FAILED, finished_at=now())
        else:
            changes["next_attempt_at"] = now() + policy.wait_after(number)
        # A hook removed while this was being sent has cancelled it: that stays.
        mine.filter(state=PENDING).update(**changes)
        if not mine.exists():
            return False
        Attempt.objects.create(
            delivery=delivery,
            number=number,
            at=outcome.at,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            error=outcome.error[:500],
        )
    return True


def next_due(busy: frozenset[int] = frozenset()) -> datetime | None:
    """When the soonest pending delivery of a live hook is due, among those nobody is sending
    (not leased) to hooks the caller is not ``busy`` with: an attempt in flight wakes its
    courier when it is settled."""
    found = (
        Delivery.objects.filter(_free(now()), state=PENDING, webhook__removed_at__isnull=True)
        .exclude(webhook_id__in=busy)
        .aggregate(soonest=Min("next_attempt_at"))
    )
    soonest: datetime | None = found["soonest"]
    return soonest


def cancel_pending(hook: Webhook) -> int:
    """A removed hook's deliveries not yet sent are cancelled (kept in the log)."""
    return Delivery.objects.filter(webhook=hook, state=PENDING).update(
        state=CANCELLED, finished_at=now(), leased_until=None
    )
