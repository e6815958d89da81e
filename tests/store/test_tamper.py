"""Tampering done the way an attacker with the database would do it: drop the triggers, edit.

Every attack goes straight at the database with raw SQL (``sqlite3`` on the file, ``psycopg``
on the server), never through Showclear. Each one must make ``verify`` raise a LedgerFault
that names the first entry or checkpoint that no longer holds.

The log under attack has 12 entries: the genesis entry (0), five single appends (1-5), one
append of three (6-8) and three single appends (9-11). A checkpoint was signed after every
append, so at sizes 1-6 and 9-12.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from backends import BACKENDS
from showclear.core.ledger.audit import LedgerFault
from showclear.core.ledger.checkpoint import Checkpoint
from showclear.core.ledger.entry import Entry, decode_entry
from showclear.core.ledger.merkle import Frontier, MemoryTree, leaf_hash
from showclear.core.ledger.note import NoteSigner

SIZE = 12
CHECKPOINT_SIZES = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """An attacker with the database file or server: the databases only, never ``memory``."""
    return str(request.param)


@pytest.fixture
def log(ledger):
    """The ledger under attack, sealed and intact."""
    ledger.record(5)
    ledger.record(3, per_append=3)
    ledger.record(3)
    assert ledger.size == SIZE
    assert sorted(ledger.checkpoints()) == CHECKPOINT_SIZES
    return ledger


@pytest.fixture
def attacker(database):
    """Opens a raw connection on the database with every append-only trigger dropped."""

    def attack() -> Any:
        return database.raw()

    with database.raw() as sql:
        assert len(sql.drop_triggers()) > 0
    return attack


def _fault(log, witness: str | None = None) -> LedgerFault:
    with pytest.raises(LedgerFault) as caught:
        log.verify(witness=witness)
    return caught.value


# -- what an attacker does with raw SQL -----------------------------------------------------


def _body(sql, production_id: int, seq: int) -> bytes:
    ((body,),) = sql.execute(
        "SELECT body FROM ledger_entry WHERE production_id = ? AND seq = ?", (production_id, seq)
    )
    return bytes(body)


def _set_body(sql, production_id: int, seq: int, body: bytes) -> None:
    sql.execute(
        "UPDATE ledger_entry SET body = ? WHERE production_id = ? AND seq = ?",
        (body, production_id, seq),
    )


def _renumbered(body: bytes, seq: int) -> bytes:
    """The entry's canonical bytes with another sequence number, as a careful forger writes it."""
    entry = decode_entry(body)
    return Entry(
        seq, entry.log, entry.kind, entry.recorded_at, entry.person, entry.device, entry.payload
    ).encode()


def _one_byte_changed(body: bytes, field: str) -> bytes:
    """``body`` with one byte changed inside the value of its top-level member ``field``.

    The last digit or lower-case letter of the value is moved on by one (9 -> 0, z -> a), so
    the edit is as small and as plausible as it gets: ``"pass":7`` becomes ``"pass":8``,
    ``person-2`` becomes ``person-3``, a timestamp moves by a microsecond.
    """
    text = body.decode("ascii")
    key = f'"{field}":'
    start = text.index(key) + len(key)
    _, end = json.JSONDecoder().raw_decode(text, start)
    for at in range(end - 1, start - 1, -1):
        char = text[at]
        if char.isdigit():
            replacement = str((int(char) + 1) % 10)
            break
        if "a" <= char <= "z":
            replacement = chr((ord(char) - ord("a") + 1) % 26 + ord("a"))
            break
    else:
        raise AssertionError(f"no digit or letter in the {field} of {text}")
    changed = (text[:at] + replacement + text[at + 1 :]).encode("ascii")
    assert sum(a != b for a, b in zip(body, changed, strict=True)) == 1
    return changed


def _checkpoint_note(sql, production_id: int, size: int) -> str:
    ((note,),) = sql.execute(
        "SELECT note FROM ledger_checkpoint WHERE production_id = ? AND size = ?",
        (production_id, size),
    )
    return str(note)


def _set_note(sql, production_id: int, size: int, note: str) -> None:
    sql.execute(
        "UPDATE ledger_checkpoint SET note = ? WHERE production_id = ? AND size = ?",
        (note, production_id, size),
    )


def _forge_nodes(sql, production_id: int, size: int, leaf: bytes) -> bytes:
    """Write the node rows a new leaf at ``size`` completes; return the forged root."""

    def read(wanted):
        found = {}
        for level, index in wanted:
            rows = sql.execute(
                "SELECT hash FROM ledger_node WHERE production_id = ? AND level = ? AND idx = ?",
                (production_id, level, index),
            )
            found[(level, index)] = bytes(rows[0][0])
        return found

    frontier = Frontier.resume(size, read)
    for level, index, value in frontier.append(leaf):
        sql.execute(
            "INSERT INTO ledger_node (production_id, level, idx, hash) VALUES (?, ?, ?, ?)",
            (production_id, level, index, value),
        )
    return frontier.root()


def _change_base64_char(line: str, at: int) -> str:
    """``line`` with the base64 character at ``at`` swapped for another base64 character."""
    replacement = "B" if line[at] != "B" else "C"
    return line[:at] + replacement + line[at + 1 :]


# -- the untouched log ------------------------------------------------------------------------


def test_the_untouched_log_verifies_even_with_its_triggers_dropped(log, attacker) -> None:
    report = log.verify()

    assert report.entries == SIZE
    assert report.checkpoints == len(CHECKPOINT_SIZES)
    assert report.root == log.opened(log.checkpoints()[SIZE]).root


def test_the_untouched_log_is_consistent_with_every_checkpoint_a_witness_kept(log) -> None:
    for size, note in log.checkpoints().items():
        report = log.verify(witness=note)
        assert report.witness is not None
        assert report.witness.size == size


# -- entries ----------------------------------------------------------------------------------

FIELDS = ["seq", "kind", "payload", "recorded_at", "person", "device", "log"]
POSITIONS = {
    0: "the-genesis-entry",
    4: "a-single-append",
    7: "inside-an-append-of-three",
    11: "the-newest-entry",
}


@pytest.mark.parametrize("seq", list(POSITIONS), ids=list(POSITIONS.values()))
@pytest.mark.parametrize("field", FIELDS)
def test_a_changed_byte_in_any_field_of_any_entry_is_named_by_verify(
    log, attacker, field: str, seq: int
) -> None:
    pid = log.production.id
    with attacker() as sql:
        _set_body(sql, pid, seq, _one_byte_changed(_body(sql, pid, seq), field))

    fault = _fault(log)

    assert fault.where == f"entry {seq}"


def test_an_entry_edited_with_the_databases_own_text_functions_is_named_by_verify(
    log, attacker, database
) -> None:
    # In the sqlite3 shell replace() turns the BLOB into TEXT; on PostgreSQL the attacker
    # converts to text and back. Either way verify must name the entry, not crash.
    if database.backend == "sqlite":
        edit = "UPDATE ledger_entry SET body = replace(body, ?, ?) WHERE seq = 6"
    else:
        edit = (
            "UPDATE ledger_entry SET body = "
            "convert_to(replace(convert_from(body, 'UTF8'), ?, ?), 'UTF8') WHERE seq = 6"
        )
    with attacker() as sql:
        sql.execute(edit, ('"person":"person-2"', '"person":"person-3"'))

    fault = _fault(log)

    assert fault.where == "entry 6"


def test_an_entry_deleted_from_the_middle_is_named_by_verify(log, attacker) -> None:
    with attacker() as sql:
        sql.execute(
            "DELETE FROM ledger_entry WHERE production_id = ? AND seq = 5", (log.production.id,)
        )

    fault = _fault(log)

    assert fault.where == "entry 5"
    assert "missing" in fault.reason


@pytest.mark.parametrize("rewrite_bodies", [False, True], ids=["rows-moved", "bodies-rewritten"])
def test_an_entry_deleted_and_the_gap_closed_is_named_by_verify(
    log, attacker, rewrite_bodies: bool
) -> None:
    pid = log.production.id
    with attacker() as sql:
        later = [_body(sql, pid, seq) for seq in range(6, SIZE)]
        sql.execute("DELETE FROM ledger_entry WHERE production_id = ? AND seq >= 5", (pid,))
        for seq, body in enumerate(later, start=5):
            new_body = _renumbered(body, seq) if rewrite_bodies else body
            sql.execute(
                "INSERT INTO ledger_entry (production_id, seq, body) VALUES (?, ?, ?)",
                (pid, seq, new_body),
            )

    fault = _fault(log)

    assert fault.where == "entry 5"


@pytest.mark.parametrize("rewrite_bodies", [False, True], ids=["rows-swapped", "bodies-rewritten"])
def test_two_swapped_entries_are_named_by_verify(log, attacker, rewrite_bodies: bool) -> None:
    pid = log.production.id
    with attacker() as sql:
        third, ninth = _body(sql, pid, 3), _body(sql, pid, 9)
        if rewrite_bodies:
            third, ninth = _renumbered(third, 9), _renumbered(ninth, 3)
        _set_body(sql, pid, 3, ninth)
        _set_body(sql, pid, 9, third)

    fault = _fault(log)

    assert fault.where == "entry 3"


def test_a_truncated_tail_is_caught_by_the_checkpoints_left_behind(log, attacker) -> None:
    with attacker() as sql:
        sql.execute(
            "DELETE FROM ledger_entry WHERE production_id = ? AND seq >= 9", (log.production.id,)
        )

    fault = _fault(log)

    assert fault.where == "checkpoint at size 10"
    assert "entries 9 to 9 were removed" in fault.reason


def test_a_tail_truncated_with_its_checkpoints_is_caught_by_a_witness_checkpoint(
    log, attacker
) -> None:
    kept_by_witness = log.checkpoints()
    pid = log.production.id
    with attacker() as sql:
        sql.execute("DELETE FROM ledger_entry WHERE production_id = ? AND seq >= 9", (pid,))
        sql.execute("DELETE FROM ledger_checkpoint WHERE production_id = ? AND size > 9", (pid,))
        for level, index in sql.execute(
            "SELECT level, idx FROM ledger_node WHERE production_id = ?", (pid,)
        ):
            if (index + 1) << level > 9:
                sql.execute(
                    "DELETE FROM ledger_node WHERE production_id = ? AND level = ? AND idx = ?",
                    (pid, level, index),
                )

    # The limit: a log cut back to an earlier signed state is self-consistent. Only a
    # checkpoint kept outside the database, beyond the new end, shows what was lost.
    assert log.verify().entries == 9
    assert log.verify(witness=kept_by_witness[9]).entries == 9
    for size in (10, 12):
        fault = _fault(log, witness=kept_by_witness[size])
        assert fault.where == "witness checkpoint"
        assert f"the witness saw {size} entries but the log holds only 9" in fault.reason


FORGERIES = ["entry-only", "entry-and-nodes", "entry-nodes-and-a-checkpoint-by-another-key"]


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_entry_appended_at_the_end_is_named_by_verify(log, attacker, forgery: str) -> None:
    pid = log.production.id
    forged = Entry(
        seq=SIZE,
        log=log.production.origin,
        kind="test.noted",
        recorded_at="2025-03-14T09:00:00.000000Z",
        person="person-2",
        device="armory-tablet",
        payload={"note": "all rounds accounted for", "pass": 99},
    ).encode()
    with attacker() as sql:
        sql.execute(
            "INSERT INTO ledger_entry (production_id, seq, body) VALUES (?, ?, ?)",
            (pid, SIZE, forged),
        )
        if forgery != "entry-only":
            root = _forge_nodes(sql, pid, SIZE, leaf_hash(forged))
        if forgery == "entry-nodes-and-a-checkpoint-by-another-key":
            impostor = NoteSigner.generate(log.production.origin)
            sql.execute(
                "INSERT INTO ledger_checkpoint (production_id, size, note) VALUES (?, ?, ?)",
                (pid, SIZE + 1, Checkpoint(log.production.origin, SIZE + 1, root).sign(impostor)),
            )

    fault = _fault(log)

    if forgery == "entry-nodes-and-a-checkpoint-by-another-key":
        assert fault.where == f"checkpoint at size {SIZE + 1}"
        assert "signature" in fault.reason
    else:
        assert fault.where == f"entry {SIZE}"
        assert "not sealed" in fault.reason


# -- checkpoints ------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [0, 1, 2, 4], ids=["origin", "size", "root", "signature"])
def test_a_changed_byte_in_a_stored_checkpoint_is_named_by_verify(log, attacker, line: int) -> None:
    pid = log.production.id
    with attacker() as sql:
        lines = _checkpoint_note(sql, pid, 5).split("\n")
        if line == 1:
            lines[1] = "6"
        else:
            lines[line] = _change_base64_char(lines[line], len(lines[line]) // 2)
        _set_note(sql, pid, 5, "\n".join(lines))

    fault = _fault(log)

    assert fault.where == "checkpoint at size 5"


def test_two_swapped_checkpoint_notes_are_named_by_verify(log, attacker) -> None:
    pid = log.production.id
    with attacker() as sql:
        third, tenth = _checkpoint_note(sql, pid, 3), _checkpoint_note(sql, pid, 10)
        _set_note(sql, pid, 3, tenth)
        _set_note(sql, pid, 10, third)

    fault = _fault(log)

    assert fault.where == "checkpoint at size 3"
    assert "filed at size 3 but says 10" in fault.reason


def test_a_checkpoint_refiled_under_another_size_is_named_by_verify(log, attacker) -> None:
    with attacker() as sql:
        sql.execute(
            "UPDATE ledger_checkpoint SET size = 7 WHERE production_id = ? AND size = 5",
            (log.production.id,),
        )

    fault = _fault(log)

    assert fault.where == "checkpoint at size 7"
    assert "filed at size 7 but says 5" in fault.reason


# SQLite only: its columns keep any type they are given; PostgreSQL's BIGINT cannot hold text.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_checkpoint_size_rewritten_as_text_is_named_by_verify(log, attacker) -> None:
    with attacker() as sql:
        sql.execute(
            "UPDATE ledger_checkpoint SET size = 'five' WHERE production_id = ? AND size = 5",
            (log.production.id,),
        )

    fault = _fault(log)

    assert fault.where.startswith("checkpoint at size ")
    assert "says 5" in fault.reason


# -- the signing key --------------------------------------------------------------------------


def test_history_rewritten_and_re_signed_with_a_new_key_is_caught_only_by_a_witness(
    log, attacker, database
) -> None:
    kept_by_witness = log.checkpoints()
    pid, origin = log.production.id, log.production.origin
    impostor = NoteSigner.generate(origin)
    with attacker() as sql:
        bodies = [_body(sql, pid, seq) for seq in range(SIZE)]
        genesis = decode_entry(bodies[0])
        payload = {**genesis.payload, "verifier_key": impostor.verifier.verifier_key()}
        bodies[0] = Entry(
            0, origin, genesis.kind, genesis.recorded_at, genesis.person, genesis.device, payload
        ).encode()
        bodies[7] = _one_byte_changed(bodies[7], "payload")  # the edit it was all for
        tree = MemoryTree(leaf_hash(body) for body in bodies)
        for table in ("ledger_checkpoint", "ledger_node", "ledger_entry"):
            sql.execute(f"DELETE FROM {table} WHERE production_id = ?", (pid,))  # noqa: S608
        for seq, body in enumerate(bodies):
            sql.execute(
                "INSERT INTO ledger_entry (production_id, seq, body) VALUES (?, ?, ?)",
                (pid, seq, body),
            )
        for (level, index), value in tree.nodes.items():
            sql.execute(
                "INSERT INTO ledger_node (production_id, level, idx, hash) VALUES (?, ?, ?, ?)",
                (pid, level, index, value),
            )
        for size in CHECKPOINT_SIZES:
            sql.execute(
                "INSERT INTO ledger_checkpoint (production_id, size, note) VALUES (?, ?, ?)",
                (pid, size, Checkpoint(origin, size, tree.root(size)).sign(impostor)),
            )
    key_file = log.service.keyring.path(log.production.slug)
    key_file.write_text(impostor.signer_key() + "\n")

    # The limit: with the key replaced too, the database agrees with itself.
    report = log.verify()
    assert report.entries == SIZE
    assert report.root == tree.root()
    # A checkpoint kept before the attack was signed by the real key: it gives it away.
    for size in (5, 9, SIZE):
        fault = _fault(log, witness=kept_by_witness[size])
        assert fault.where == "witness checkpoint"
        assert "signing key was replaced" in fault.reason
