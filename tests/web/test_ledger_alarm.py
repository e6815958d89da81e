"""The ledger-integrity alarm on the set pages: an entry slipped into the database file.

The demo's web app (in the test process) has folded its ledger; then someone with the file
inserts an entry (and its Merkle leaf) that Showclear never wrote. Every open page shows the alarm, like STOP WORK, a
report from a phone is not recorded (and says why), and ``showclear verify`` names the entry.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, text

from showclear.core.ledger.entry import Entry, decode_entry
from showclear.core.ledger.merkle import leaf_hash


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def forge_safety_supervisor(demo: Demo) -> int:
    """Insert a ``person.added`` naming a fake safety supervisor, as an insider would."""
    database = sqlite3.connect(demo.data_dir / "showclear.sqlite3", isolation_level=None)
    try:
        ((size,),) = database.execute("SELECT MAX(seq) + 1 FROM ledger_entry").fetchall()
        ((first,),) = database.execute("SELECT body FROM ledger_entry WHERE seq = 0").fetchall()
        genesis = decode_entry(bytes(first))
        body = Entry(
            seq=size,
            log=genesis.log,
            kind="person.added",
            recorded_at="2026-11-30T12:00:00.000000Z",
            person="person-1",
            device="web:marta",
            payload={
                "person_id": "person-fake",
                "name": "Nobody Real",
                "roles": ["safety_supervisor"],
            },
        ).encode()
        database.execute(
            "INSERT INTO ledger_entry (production_id, seq, body) VALUES (1, ?, ?)", (size, body)
        )
        database.execute(
            "INSERT INTO ledger_node (production_id, level, idx, hash) VALUES (1, 0, ?, ?)",
            (size, leaf_hash(body)),
        )
    finally:
        database.close()
    return int(size)


def signed(demo: Demo) -> list[int]:
    """The sizes of every stored checkpoint."""
    database = sqlite3.connect(demo.data_dir / "showclear.sqlite3")
    try:
        return [
            row[0] for row in database.execute("SELECT size FROM ledger_checkpoint ORDER BY size")
        ]
    finally:
        database.close()


def test_an_entry_slipped_into_the_database_raises_the_alarm_on_every_page_and_records_nothing(
    demo: Demo,
) -> None:
    armorer = demo.phone("marta")
    status_code, quiet = armorer.fragment(demo.page("alarm/"))
    assert (status_code, quiet) == (200, ""), "no alarm while the ledger is whole"
    checkpoints = signed(demo)

    seq = forge_safety_supervisor(demo)

    _, banner = armorer.fragment(demo.page("alarm/"))
    words = text(banner)
    assert "LEDGER TAMPERED" in words
    assert f"entry {seq}" in words
    assert "nothing more is recorded" in words
    _, _, board = armorer.get(demo.page())
    assert "LEDGER TAMPERED" in text(board)
    assert "Nobody Real" not in text(board)

    first_ad = demo.phone("dana")
    first_ad.get(demo.page("stop/"))
    status_code, _, page = first_ad.post(
        demo.page("stop/"), {"action": "stop", "reason": "someone is in the ledger"}
    )
    assert status_code == 503
    assert "Not recorded" in text(page)
    assert "tampered" in text(page)

    assert signed(demo) == checkpoints, "a checkpoint was signed over the forged entry"
    refused = demo.showclear("checkpoint")
    assert refused.returncode == 1
    assert f"entry {seq}" in refused.stderr
    verified = demo.showclear("verify")
    assert verified.returncode == 1
    assert f"entry {seq}" in verified.stderr
    assert "not sealed" in verified.stderr
    status = json.loads(demo.showclear("status", "--json").stdout)
    assert "Nobody Real" not in json.dumps(status)
