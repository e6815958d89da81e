"""Verify on a long log digests batches in worker processes and reaches the same verdicts.

Batches are shrunk to 8 entries so that a log of a few hundred entries takes the parallel
path (worker processes reading through their own connections) on both backends.
"""

from __future__ import annotations

from typing import Any

import pytest

from backends import ON_DATABASES
from showclear.core.ledger import audit
from showclear.core.ledger.audit import LedgerFault
from showclear.store import audit as verifying


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "BATCH", 8)
    monkeypatch.setattr(verifying, "BATCH", 8)
    monkeypatch.setattr(verifying, "PARALLEL_FROM", 16)


def parallel_verify(ledger: Any, witness: str | None = None) -> audit.AuditReport:
    return verifying.verify_store(
        ledger.store, ledger.production, ledger.signer.verifier, witness=witness, workers=2
    )


@pytest.mark.usefixtures("small_batches")
def test_a_long_log_verifies_in_worker_processes_like_in_one(ledger) -> None:
    ledger.record(120, per_append=3)
    ledger.record(9)
    in_workers = parallel_verify(ledger)
    in_one = verifying.verify_store(
        ledger.store, ledger.production, ledger.signer.verifier, workers=1
    )
    assert in_workers == in_one
    assert (in_workers.entries, in_workers.checkpoints) == (130, 50)


@pytest.mark.parametrize(**ON_DATABASES)
@pytest.mark.usefixtures("small_batches")
def test_a_changed_entry_is_named_when_batches_are_digested_in_workers(ledger, database) -> None:
    ledger.record(100)
    with database.raw() as attacker:
        attacker.drop_triggers()
        (body,) = attacker.execute("SELECT body FROM ledger_entry WHERE seq = ?", (61,))[0]
        attacker.execute(
            "UPDATE ledger_entry SET body = ? WHERE seq = ?",
            (bytes(body).replace(b"pass 60", b"pass 06"), 61),
        )
    with pytest.raises(LedgerFault) as fault:
        parallel_verify(ledger)
    assert fault.value.where == "entry 61"


@pytest.mark.parametrize(**ON_DATABASES)
@pytest.mark.usefixtures("small_batches")
def test_a_deleted_entry_is_named_when_batches_are_digested_in_workers(ledger, database) -> None:
    ledger.record(100)
    with database.raw() as attacker:
        attacker.drop_triggers()
        attacker.execute("DELETE FROM ledger_entry WHERE seq = ?", (42,))
    with pytest.raises(LedgerFault) as fault:
        parallel_verify(ledger)
    assert fault.value.where == "entry 42"


@pytest.mark.usefixtures("small_batches")
def test_a_witness_is_checked_when_batches_are_digested_in_workers(ledger) -> None:
    ledger.record(50)
    witness = ledger.store.latest_checkpoint(ledger.production)
    ledger.record(50)
    assert parallel_verify(ledger, witness=witness).witness is not None
