"""The courier: a thread in each server process that gathers and sends webhook deliveries.

It wakes when a command records something a webhook may listen to (a listener on the
application service, which does nothing else: a command never waits for a delivery), when a
retry falls due, and at least every :data:`POLL` seconds for entries recorded by other
processes. Each round it gathers new entries into the outbox and sends what is due, one
delivery at a time, each with a bounded timeout. See :mod:`showclear.web.hooks.outbox`.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

from django.db import close_old_connections, connection

from showclear import config
from showclear.service import Executed, Showclear
from showclear.store import LedgerStore, Production, open_store
from showclear.web.hooks import signing
from showclear.web.hooks.models import Delivery
from showclear.web.hooks.outbox import (
    WATCHED_KINDS,
    Outcome,
    Policy,
    gather,
    next_due,
    note,
    now,
    queue_tampered,
    take,
)

logger = logging.getLogger(__name__)

POLL = 5.0
"""Seconds between rounds when nothing wakes the courier sooner."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: noted, and tried again later."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def send(delivery: Delivery, secret: str, timeout: float) -> Outcome:
    """POST one delivery, signed now; what came back (never raises for the receiver's sake)."""
    body = delivery.body.encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310  (http(s) only: checked when the hook was added)
        delivery.webhook.url,
        data=body,
        method="POST",
        headers=signing.headers(secret, str(delivery.uid), delivery.event, timestamp, body),
    )
    started, at = time.monotonic(), now()
    status: int | None = None
    error = ""
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            response.read(65536)
    except urllib.error.HTTPError as refused:
        status = refused.code
    except (OSError, ValueError) as failed:  # refused, unreachable, timed out, bad URL
        error = str(getattr(failed, "reason", None) or failed) or type(failed).__name__
    return Outcome(at, round((time.monotonic() - started) * 1000), status, error)


class Courier(threading.Thread):
    """One server process's webhook sender."""

    def __init__(self, service: Showclear, policy: Policy | None = None) -> None:
        super().__init__(name="showclear-webhooks", daemon=True)
        self.service = service
        self.policy = policy or Policy.from_environment()
        self._wake = threading.Event()
        self._store: LedgerStore | None = None

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
        """Gather new entries, then send every delivery that is due."""
        store = self._ledger()
        productions = {production.slug: production for production in store.productions()}
        for production in productions.values():
            self.service.state(production)  # catch up, and find any intrusion
            fault = self.service.tampered(production)
            if fault is not None:
                queue_tampered(production, fault.where, fault.reason, fault.seq)
        gather(store, productions, self._person_name, self.service.sealed_size)
        while True:
            taken = take(self.policy)
            if not taken:
                return
            for delivery in taken:
                try:
                    secret = signing.unseal(delivery.webhook.secret)
                except signing.SecretUnreadable as unreadable:
                    note(delivery, Outcome(now(), 0, None, str(unreadable)), self.policy)
                    continue
                note(delivery, send(delivery, secret, self.policy.timeout), self.policy)

    def _until_due(self) -> float:
        soonest: datetime | None = next_due()
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


def start(service: Showclear) -> Courier:
    """Start this process's courier (once) and let ``service`` wake it."""
    global _started
    with _starting:
        if _started is None or not _started.is_alive():
            _started = Courier(service)
            service.listeners.append(_started.wake)
            service.tamper_listeners.append(_started.tampered)
            _started.start()
        return _started
