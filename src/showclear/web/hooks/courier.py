"""The courier: a thread in each server process that gathers and sends webhook deliveries.

It wakes when a command records something a webhook may listen to (a listener on the
application service, which does nothing else: a command never waits for a delivery), when a
retry falls due, when a delivery is done, and at least every :data:`POLL` seconds for entries
recorded by other processes. Each round it gathers new entries into the outbox and hands what
is due to a pool of :data:`SENDERS` threads, one delivery per hook at a time, each attempt
within one deadline (:mod:`showclear.web.hooks.sender`). See :mod:`showclear.web.hooks.outbox`.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from django.db import close_old_connections, connection

from showclear import config
from showclear.service import Executed, Service
from showclear.store import LedgerStore, Production, open_store
from showclear.web.hooks import sender, signing
from showclear.web.hooks.destination import Allowed
from showclear.web.hooks.models import Delivery
from showclear.web.hooks.outbox import (
    WATCHED_KINDS,
    Policy,
    gather,
    next_due,
    note,
    now,
    queue_tampered,
    take,
)
from showclear.web.hooks.sender import Outcome

logger = logging.getLogger(__name__)

POLL = 5.0
"""Seconds between rounds when nothing wakes the courier sooner."""


SENDERS = 8
"""Deliveries sent at once by one server process, each to a different hook: a receiver that
is slow or never answers holds up its own deliveries only, never another hook's STOP WORK."""


def send(delivery: Delivery, secret: str, timeout: float, allowed: Allowed) -> Outcome:
    """POST one delivery, signed now; what came back (never raises for the receiver's sake)."""
    body = delivery.body.encode()
    headers = signing.headers(secret, str(delivery.uid), delivery.event, int(time.time()), body)
    return sender.post(delivery.webhook.url, body, headers, timeout=timeout, allowed=allowed)


class Courier(threading.Thread):
    """One server process's webhook sender."""

    def __init__(
        self, service: Service, policy: Policy | None = None, allowed: Allowed | None = None
    ) -> None:
        super().__init__(name="showclear-webhooks", daemon=True)
        self.service = service
        self.policy = policy or Policy.from_environment()
        self.allowed = allowed if allowed is not None else Allowed.from_environment()
        self._wake = threading.Event()
        self._store: LedgerStore | None = None
        self._senders = ThreadPoolExecutor(SENDERS, thread_name_prefix="showclear-webhook-send")
        self._busy: set[int] = set()  # the hooks an attempt is being sent to
        self._busy_lock = threading.Lock()

    def wake(self, production: Production, executed: Executed) -> None:
        """A service listener: wake up if a webhook may listen to what was just recorded."""
        if any(entry.kind in WATCHED_KINDS for entry in executed.entries):
            self._wake.set()

    def run(self) -> None:
        """Round after round, for as long as the server process lives (a daemon thread)."""
        while True:
            self._wake.clear()  # a wake during the round makes the wait below return at once
            wait = POLL
            try:
                close_old_connections()
                self.round()
                wait = self._until_due()
            except Exception:  # the courier outlives any one failure: log it and go on
                logger.exception("webhook round failed; trying again in %s s", POLL)
                self._reset()
            self._wake.wait(wait)

    def round(self) -> None:
        """Gather new entries, then hand every due delivery to a sender (not waiting for them:
        each wakes the courier when it is done)."""
        store = self._ledger()
        productions = {production.slug: production for production in store.productions()}
        for production in productions.values():
            self.service.state(production)  # catch up, and find any intrusion
            fault = self.service.tampered(production)
            if fault is not None:
                queue_tampered(production, fault.where, fault.reason, fault.seq)
        gather(store, productions, self._person_name, self.service.sealed_size)
        with self._busy_lock:
            busy = frozenset(self._busy)
        free = SENDERS - len(busy)
        if free <= 0:
            return
        for delivery in take(self.policy, at_most=free, busy=busy):
            with self._busy_lock:
                self._busy.add(delivery.webhook_id)
            self._senders.submit(self._deliver, delivery)

    def _deliver(self, delivery: Delivery) -> None:
        """Send one claimed attempt and settle it, on a sender thread."""
        try:
            close_old_connections()
            try:
                secret = signing.unseal(delivery.webhook.secret)
            except signing.SecretUnreadable as unreadable:
                outcome = Outcome(now(), 0, None, str(unreadable))
            else:
                outcome = send(delivery, secret, self.policy.timeout, self.allowed)
            if not note(delivery, outcome, self.policy):
                logger.warning(
                    "webhook delivery %s: attempt %s ended after its lease ran out",
                    delivery.uid,
                    delivery.attempts,
                )
        except Exception:  # a sender thread outlives any one delivery
            logger.exception("webhook delivery %s could not be settled", delivery.uid)
        finally:
            connection.close()  # this thread's own database connection
            with self._busy_lock:
                self._busy.discard(delivery.webhook_id)
            self._wake.set()

    def _until_due(self) -> float:
        with self._busy_lock:
            busy = frozenset(self._busy)
        soonest: datetime | None = next_due(busy)
        if soonest is None:
            return POLL
        return min(POLL, max(0.05, (soonest - now()).total_seconds()))

    def tampered(self, production: Production, fault: object) -> None:
        """A tamper listener: send the alarm now."""
        self._wake.set()

    def _person_name(self, production: Production, person_id: str) -> str:
        with self.service.reading(production) as state:
            person = state.people.get(person_id)
            return person.name if person is not None else ""

    def _ledger(self) -> LedgerStore:
        if self._store is None:
            self._store = open_store(config.database_url())
        return self._store

    def _reset(self) -> None:
        if self._store is not None:
            try:
                self._store.close()
            finally:
                self._store = None
        connection.close()


_started: Courier | None = None
_starting = threading.Lock()


def start(service: Service) -> Courier:
    """Start this process's courier (once) and let ``service`` wake it."""
    global _started
    with _starting:
        if _started is None or not _started.is_alive():
            _started = Courier(service)
            service.listeners.append(_started.wake)
            service.tamper_listeners.append(_started.tampered)
            _started.start()
        return _started
