"""A production's ledger, recorded through the real application service and store."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backends import STORE_BACKENDS
from showclear.core.ledger.audit import AuditReport
from showclear.core.ledger.checkpoint import Checkpoint, open_checkpoint
from showclear.core.ledger.entry import Entry, decode_entry
from showclear.core.ledger.note import NoteSigner
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import LedgerStore, Production

NOTED = "test.noted"
"""The kind of the filler entries the store tests record."""

SHOOT_DAY = datetime(2025, 3, 14, 7, 30, tzinfo=UTC)


@dataclass
class Ledger:
    """One production's ledger under test, written the way Showclear writes it."""

    store: LedgerStore
    service: Service
    production: Production
    signer: NoteSigner
    notes: Iterator[int] = field(default_factory=itertools.count)

    def record(self, count: int, *, per_append: int = 1) -> list[Entry]:
        """Append ``count`` entries, ``per_append`` to a committed (and checkpointed) append."""
        recorded: list[Entry] = []
        while len(recorded) < count:
            with self.store.writing(self.production, self.signer) as log:
                for _ in range(min(per_append, count - len(recorded))):
                    recorded.append(self.append(log))
        return recorded

    def append(self, log: Any) -> Entry:
        """Append one filler entry through an open writer."""
        n = next(self.notes)
        return log.append(
            NOTED,
            {"note": f"prop table checked, pass {n}", "pass": n},
            person="person-2",
            device="armory-tablet",
            recorded_at=SHOOT_DAY + timedelta(minutes=n),
        )

    @property
    def size(self) -> int:
        """The log's size as the store reports it now."""
        return self.store.size(self.production)

    def entries(self) -> list[Entry]:
        """Every entry of the log as the store reads it back, in order."""
        return [
            decode_entry(body)
            for batch in self.store.entry_batches(self.production)
            for body in batch
        ]

    def checkpoints(self) -> dict[int, str]:
        """Every stored checkpoint note, by size."""
        return dict(self.store.checkpoints(self.production))

    def opened(self, note: str) -> Checkpoint:
        """A stored note opened with the production's verifier key."""
        return open_checkpoint(note, self.signer.verifier)

    def verify(self, witness: str | None = None) -> AuditReport:
        """``showclear verify`` as the service runs it."""
        return self.service.verify(self.production, witness=witness)


def open_ledger(store: LedgerStore, keyring: Keyring, name: str) -> Ledger:
    """Create a production (its genesis entry naming its armorer) and return its ledger."""
    service = Service(store=store, keyring=keyring, device="test-laptop")
    production, _ = service.create_production(name, "Sarah Zachry")
    return Ledger(store, service, production, service.signer(production))


@pytest.fixture(params=STORE_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store tests are the contract's: every backend, the in-memory one too. A test about
    SQL, triggers or other processes says so with ``@pytest.mark.parametrize(**ON_DATABASES)``."""
    return str(request.param)


@pytest.fixture
def store(database: Any) -> Iterator[LedgerStore]:
    """A store on a fresh database of the backend under test."""
    store = database.open_store()
    yield store
    store.close()


@pytest.fixture
def new_ledger(database: Any, store: LedgerStore) -> Callable[[str], Ledger]:
    """Creates another production, with its own ledger, in the same store."""
    return lambda name: open_ledger(store, Keyring(database.data_dir), name)


@pytest.fixture
def ledger(new_ledger: Callable[[str], Ledger]) -> Ledger:
    """A new production's ledger holding only its genesis entry."""
    return new_ledger("Dead Man's Gulch")
