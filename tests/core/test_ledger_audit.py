"""The whole-ledger audit, on logs held in memory (the stores are tested in tests/store)."""

from __future__ import annotations

import pytest

from showclear.core.events import ProductionCreated
from showclear.core.ledger import audit as audit_module
from showclear.core.ledger.audit import LedgerFault, audit_bodies
from showclear.core.ledger.checkpoint import Checkpoint
from showclear.core.ledger.entry import Entry
from showclear.core.ledger.merkle import MemoryTree, leaf_hash
from showclear.core.ledger.note import NoteSigner

ORIGIN = "showclear/dead-mans-gulch/0a1b2c3d"


def build_log(
    signer: NoteSigner, size: int, *, every: int = 1
) -> tuple[list[bytes], list[tuple[int, str]]]:
    """A log of ``size`` entries with a signed checkpoint every ``every`` entries (and at the end)."""
    genesis = ProductionCreated(
        "Dead Man's Gulch", ORIGIN, "person-1", "Hannah Reed", signer.verifier.verifier_key()
    )
    bodies = [
        Entry(
            0,
            ORIGIN,
            genesis.kind,
            "2026-11-23T07:00:00.000000Z",
            "person-1",
            "cli",
            genesis.to_payload(),
        ).encode()
    ]
    for seq in range(1, size):
        bodies.append(
            Entry(
                seq,
                ORIGIN,
                "test.noted",
                "2026-11-23T07:00:01.000000Z",
                "person-1",
                "cli",
                {"n": seq},
            ).encode()
        )
    tree = MemoryTree(leaf_hash(body) for body in bodies)
    checkpoints = [
        (n, Checkpoint(ORIGIN, n, tree.root(n)).sign(signer))
        for n in range(1, size + 1)
        if n % every == 0 or n == size
    ]
    return bodies, checkpoints


def run(signer: NoteSigner, bodies: list[bytes], checkpoints: list[tuple[int, str]], **kwargs: str):
    return audit_bodies(
        origin=ORIGIN, verifier=signer.verifier, bodies=bodies, checkpoints=checkpoints, **kwargs
    )


@pytest.fixture
def signer() -> NoteSigner:
    return NoteSigner.generate(ORIGIN)


def test_an_untouched_log_is_intact_and_every_checkpoint_is_counted(signer: NoteSigner) -> None:
    bodies, checkpoints = build_log(signer, 40)
    report = run(signer, bodies, checkpoints)
    assert (report.entries, report.checkpoints) == (40, 40)


def test_batches_smaller_than_the_log_give_the_same_verdict(
    signer: NoteSigner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_module, "BATCH", 8)
    bodies, checkpoints = build_log(signer, 61, every=3)
    report = run(signer, bodies, checkpoints)
    assert report.entries == 61
    bodies[37] = bodies[37].replace(b'"n":37', b'"n":38')
    with pytest.raises(LedgerFault) as fault:
        run(signer, bodies, checkpoints)
    assert fault.value.where == "entries 36 to 38"


def test_a_changed_entry_is_named(signer: NoteSigner) -> None:
    bodies, checkpoints = build_log(signer, 10)
    bodies[6] = bodies[6].replace(b'"n":6', b'"n":7')
    with pytest.raises(LedgerFault) as fault:
        run(signer, bodies, checkpoints)
    assert fault.value.where == "entry 6"


def test_a_moved_entry_is_named_as_moved(signer: NoteSigner) -> None:
    bodies, checkpoints = build_log(signer, 10)
    bodies[3], bodies[4] = bodies[4], bodies[3]
    with pytest.raises(LedgerFault) as fault:
        run(signer, bodies, checkpoints)
    assert fault.value.where == "entry 3"
    assert "moved" in fault.value.reason


def test_a_checkpoint_beyond_the_end_shows_the_tail_was_cut(signer: NoteSigner) -> None:
    bodies, checkpoints = build_log(signer, 10)
    with pytest.raises(LedgerFault) as fault:
        run(signer, bodies[:8], checkpoints)
    assert fault.value.where == "checkpoint at size 9"
    assert "removed" in fault.value.reason


def test_an_entry_no_checkpoint_seals_was_added_outside_showclear(signer: NoteSigner) -> None:
    bodies, checkpoints = build_log(signer, 10)
    forged = Entry(
        10, ORIGIN, "test.noted", "2026-11-23T07:00:01.000000Z", "person-1", "cli", {"n": 10}
    ).encode()
    with pytest.raises(LedgerFault) as fault:
        run(signer, [*bodies, forged], checkpoints)
    assert fault.value.where == "entry 10"
    assert "not sealed" in fault.value.reason


def test_an_altered_checkpoint_signature_is_named(signer: NoteSigner) -> None:
    bodies, checkpoints = build_log(signer, 10)
    size, note = checkpoints[4]
    checkpoints[4] = (
        size,
        note.replace(
            note.splitlines()[2], Checkpoint(ORIGIN, 5, b"\0" * 32).body().splitlines()[2]
        ),
    )
    with pytest.raises(LedgerFault) as fault:
        run(signer, bodies, checkpoints)
    assert fault.value.where == "checkpoint at size 5"


def test_a_witness_that_saw_more_entries_than_remain_catches_a_restored_backup(
    signer: NoteSigner,
) -> None:
    bodies, checkpoints = build_log(signer, 12)
    witness = checkpoints[-1][1]
    with pytest.raises(LedgerFault) as fault:
        run(signer, bodies[:9], checkpoints[:9], witness=witness)
    assert fault.value.where == "witness checkpoint"
    assert "12 entries" in fault.value.reason


def test_a_witness_from_before_a_rewrite_catches_the_rewrite(signer: NoteSigner) -> None:
    bodies, checkpoints = build_log(signer, 12)
    witness = checkpoints[7][1]
    rewritten = list(bodies)
    rewritten[2] = rewritten[2].replace(b'"n":2', b'"n":99')
    tree = MemoryTree(leaf_hash(body) for body in rewritten)
    resigned = [(n, Checkpoint(ORIGIN, n, tree.root(n)).sign(signer)) for n in range(1, 13)]
    assert run(signer, rewritten, resigned).entries == 12  # the rewrite is self-consistent...
    with pytest.raises(LedgerFault) as fault:
        run(signer, rewritten, resigned, witness=witness)  # ...but not with what the witness kept
    assert fault.value.where == "witness checkpoint"


def test_a_genesis_naming_another_key_shows_the_key_was_replaced(signer: NoteSigner) -> None:
    bodies, _ = build_log(signer, 3)
    other = NoteSigner.generate(ORIGIN)
    tree = MemoryTree(leaf_hash(body) for body in bodies)
    resigned = [(n, Checkpoint(ORIGIN, n, tree.root(n)).sign(other)) for n in range(1, 4)]
    with pytest.raises(LedgerFault) as fault:
        audit_bodies(origin=ORIGIN, verifier=other.verifier, bodies=bodies, checkpoints=resigned)
    assert fault.value.where == "entry 0"
    assert "replaced" in fault.value.reason
