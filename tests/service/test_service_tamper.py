"""An insider with write access to the database, against a running Showclear.

Each attack is made with raw SQL on the database (``sqlite3`` on the file, ``psycopg`` on the
server), never through Showclear, while a service that has already folded the ledger keeps
running, and a second service opens the database afresh (a restarted process). In every case
nothing more is recorded, no new checkpoint is signed over what the attacker wrote, the state
does not move, and ``verify`` names what was changed.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from staging import ARMORER, OnSet, open_service

from backends import BACKENDS
from showclear.core.commands import AssignDuty
from showclear.core.ledger.audit import LedgerFault
from showclear.core.ledger.checkpoint import Checkpoint
from showclear.core.ledger.entry import Entry, decode_entry
from showclear.core.ledger.merkle import frontier_nodes, leaf_hash, tree_root
from showclear.core.ledger.note import NoteSigner
from showclear.core.ledger.seal import LedgerTampered
from showclear.service import Intrusion


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """An attacker with the database file or server: the databases only, never ``memory``."""
    return str(request.param)


FAKE = "person-fake"
HARMLESS = AssignDuty("first_ad", "props")
"""A command the rules allow the key armorer at any moment of the staged day."""


def _forged_person(on_set: OnSet) -> bytes:
    """A ``person.added`` entry naming a fake safety supervisor, as the next entry."""
    added = next(
        decode_entry(body)
        for body in reversed(on_set.store.entry_range(on_set.production, 0, on_set.size))
        if json.loads(body)["kind"] == "person.added"
    )
    payload = {**added.payload, "person_id": FAKE, "name": "Nobody Real"}
    payload["roles"] = ["safety_supervisor"]
    return Entry(
        seq=on_set.size,
        log=on_set.production.origin,
        kind="person.added",
        recorded_at=added.recorded_at,
        person=added.person,
        device=added.device,
        payload=payload,
    ).encode()


def _insert_entry(sql: Any, on_set: OnSet, body: bytes) -> int:
    seq = json.loads(body)["seq"]
    pid = on_set.production.id
    sql.execute(
        "INSERT INTO ledger_entry (production_id, seq, body) VALUES (?, ?, ?)", (pid, seq, body)
    )
    sql.execute(
        "INSERT INTO ledger_node (production_id, level, idx, hash) VALUES (?, 0, ?, ?)",
        (pid, seq, leaf_hash(body)),
    )
    return int(seq)


def _checkpoints(on_set: OnSet) -> list[int]:
    return on_set.store.checkpoint_sizes(on_set.production)


def _held_still(on_set: OnSet, attack: Any) -> LedgerTampered:
    """Play ``attack(sql)`` on the database under a running service, and with a restarted
    one; prove nothing moves in either. Returns what the running service found."""
    before = copy.deepcopy(on_set.state)
    with on_set.database.raw() as sql:
        attack(sql)
    sealed_sizes = _checkpoints(on_set)  # with whatever the attacker added

    state = on_set.service.state(on_set.production)
    fault = on_set.service.tampered(on_set.production)
    assert fault is not None, "the running service did not see the intrusion"
    assert state == before, "the running service folded what the attacker wrote"
    assert FAKE not in state.people
    with pytest.raises(Intrusion) as refused:
        on_set.service.execute(on_set.production, HARMLESS, person_id=ARMORER)
    assert refused.value.fault is fault
    assert _checkpoints(on_set) == sealed_sizes, "a checkpoint was signed over the intrusion"

    restarted = open_service(on_set.database, device="restarted")
    try:
        production = restarted.production(on_set.production.name)
        assert FAKE not in restarted.state(production).people
        assert restarted.tampered(production) is not None
        with pytest.raises(Intrusion):
            restarted.execute(production, AssignDuty(ARMORER, "props"), person_id=ARMORER)
        assert _checkpoints(on_set) == sealed_sizes
        with pytest.raises(LedgerFault):
            on_set.service.verify(on_set.production)
    finally:
        restarted.store.close()
    return fault


def test_a_forged_person_inserted_with_its_merkle_leaf_is_never_folded_nor_sealed(
    on_set: OnSet,
) -> None:
    forged = _forged_person(on_set)
    seq = on_set.size

    fault = _held_still(on_set, lambda sql: _insert_entry(sql, on_set, forged))
    assert fault.where == f"entry {seq}"
    assert "added outside Showclear" in fault.reason
    with pytest.raises(LedgerFault, match=f"entry {seq}.*not sealed"):
        on_set.service.verify(on_set.production)


def test_a_forged_checkpoint_over_a_forged_entry_is_refused_by_its_signature(
    on_set: OnSet,
) -> None:
    forged = _forged_person(on_set)
    seq = on_set.size
    # The attacker signs with a key of their own under the production's name.
    intruder = NoteSigner.generate(on_set.production.origin)

    def attack(sql: Any) -> None:
        _insert_entry(sql, on_set, forged)
        tree = [leaf_hash(b) for b in on_set.store.entry_range(on_set.production, 0, seq)]
        root = tree_root([*tree, leaf_hash(forged)])
        note = Checkpoint(on_set.production.origin, seq + 1, root).sign(intruder)
        sql.execute(
            "INSERT INTO ledger_checkpoint (production_id, size, note) VALUES (?, ?, ?)",
            (on_set.production.id, seq + 1, note),
        )

    fault = _held_still(on_set, attack)
    assert fault.where == f"checkpoint at size {seq + 1}"
    assert "signature does not hold" in fault.reason


def test_a_changed_merkle_node_on_the_tree_s_edge_stops_recording(on_set: OnSet) -> None:
    size = on_set.size
    level, index = frontier_nodes(size)[0]

    def attack(sql: Any) -> None:
        sql.drop_triggers()
        sql.execute(
            "UPDATE ledger_node SET hash = ? WHERE production_id = ? AND level = ? AND idx = ?",
            (bytes(32), on_set.production.id, level, index),
        )

    fault = _held_still(on_set, attack)
    assert fault.where == f"the tree at size {size}"


def test_a_merkle_node_planted_for_the_next_entry_refuses_the_next_command(
    on_set: OnSet,
) -> None:
    """A node stored ahead of its entry (no trigger is needed to insert one) would let the
    attacker choose the next tree: the writer refuses rather than sign beside it."""
    size, sealed = on_set.size, _checkpoints(on_set)
    before = copy.deepcopy(on_set.state)
    with on_set.database.raw() as sql:
        sql.execute(
            "INSERT INTO ledger_node (production_id, level, idx, hash) VALUES (?, 0, ?, ?)",
            (on_set.production.id, size, bytes(32)),
        )

    with pytest.raises(Intrusion, match="added outside Showclear"):
        on_set.service.execute(on_set.production, HARMLESS, person_id=ARMORER)
    assert on_set.size == size
    assert _checkpoints(on_set) == sealed
    assert on_set.service.state(on_set.production) == before
    assert on_set.service.tampered(on_set.production) is not None


def test_a_deleted_tail_with_its_checkpoints_is_caught_by_the_server_that_saw_it(
    on_set: OnSet,
) -> None:
    size = on_set.size

    def attack(sql: Any) -> None:
        sql.drop_triggers()
        pid = on_set.production.id
        sql.execute(
            "DELETE FROM ledger_entry WHERE production_id = ? AND seq >= ?", (pid, size - 2)
        )
        sql.execute(
            "DELETE FROM ledger_checkpoint WHERE production_id = ? AND size > ?", (pid, size - 2)
        )
        sql.execute(
            "DELETE FROM ledger_node WHERE production_id = ? AND level = 0 AND idx >= ?",
            (pid, size - 2),
        )

    before = copy.deepcopy(on_set.state)
    with on_set.database.raw() as sql:
        attack(sql)
    on_set.service.state(on_set.production)
    fault = on_set.service.tampered(on_set.production)
    assert fault is not None
    assert "deleted" in fault.reason
    assert on_set.service.state(on_set.production) == before
    with pytest.raises(Intrusion):
        on_set.service.execute(on_set.production, HARMLESS, person_id=ARMORER)
    assert max(_checkpoints(on_set)) == size - 2


def test_a_deleted_tail_whose_checkpoints_remain_is_refused_everywhere(on_set: OnSet) -> None:
    size = on_set.size

    def attack(sql: Any) -> None:
        sql.drop_triggers()
        sql.execute(
            "DELETE FROM ledger_entry WHERE production_id = ? AND seq >= ?",
            (on_set.production.id, size - 2),
        )

    fault = _held_still(on_set, attack)
    assert fault.where == f"entry {size - 2}"
    assert "deleted" in fault.reason


def test_an_untouched_ledger_written_by_two_processes_raises_no_alarm(on_set: OnSet) -> None:
    other = on_set.another_process("second-tablet")
    on_set.do("armorer", HARMLESS, service=other)
    on_set.do("armorer", AssignDuty("stunt", "rigging"))
    on_set.do("armorer", AssignDuty("performer", "riding"), service=other)

    for service in (on_set.service, other):
        assert service.state(on_set.production).seq == on_set.size - 1
        assert service.tampered(on_set.production) is None
    assert on_set.service.verify(on_set.production).entries == on_set.size
