"""A served Showclear against an insider: an entry slipped into the database through SQL.

The API refuses every command in its one error shape, saying why; every live webhook gets one
``ledger.tampered`` alarm, however many server processes find the intrusion; the history the
API serves holds nothing the attacker wrote; ``showclear verify`` names the entry (on SQLite,
and on PostgreSQL when ``SHOWCLEAR_TEST_POSTGRES_URL`` is set).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from api_server import unserved_production
from test_api_webhooks import SETTINGS, add_hook
from webhook_receiver import receiving

from served_process import start_serve, stop_serve
from showclear.core.ledger.entry import Entry, decode_entry
from showclear.core.ledger.merkle import leaf_hash


def forge(database: Any, production_id: int = 1) -> int:
    """Insert a ``work.resumed`` entry and its Merkle leaf, as someone with the database."""
    with database.raw() as sql:
        ((size,),) = sql.execute("SELECT MAX(seq) + 1 FROM ledger_entry")
        ((first,),) = sql.execute("SELECT body FROM ledger_entry WHERE seq = 0")
        body = Entry(
            seq=int(size),
            log=decode_entry(bytes(first)).log,
            kind="work.resumed",
            recorded_at="2026-11-30T12:00:00.000000Z",
            person="person-1",
            device="api:truck scanner",
            payload={"by": "person-1"},
        ).encode()
        sql.execute(
            "INSERT INTO ledger_entry (production_id, seq, body) VALUES (?, ?, ?)",
            (production_id, size, body),
        )
        sql.execute(
            "INSERT INTO ledger_node (production_id, level, idx, hash) VALUES (?, 0, ?, ?)",
            (production_id, size, leaf_hash(body)),
        )
    return int(size)


def test_a_forged_entry_stops_the_api_raises_one_webhook_alarm_and_verify_names_it(
    database: Any,
) -> None:
    site, env = unserved_production(database, **SETTINGS)
    process, site.base = start_serve(database.data_dir, env, "--workers", "2")
    try:
        with receiving() as receiver:
            add_hook(site, receiver.url, ["work.stopped"], "armorer")
            before = site.size()
            seq = forge(database)

            refused = site.command("armorer", "stop-work", {"reason": "smoke"})
            assert refused.status == 503, refused.body
            assert set(refused.body) >= {"status", "title", "detail", "violations", "errors"}
            assert "tampered" in refused.body["detail"]
            assert f"entry {seq}" in refused.body["detail"]
            assert "Try again" not in refused.body["detail"]

            (alarm,) = receiver.wait_for(1)
            time.sleep(2)  # time for any second copy from another server process
            assert len(receiver.received) == 1
            assert alarm.headers["Showclear-Webhook-Event"] == "ledger.tampered"
            sent = json.loads(alarm.body)
            assert sent["tampered"]["seq"] == seq
            assert f"entry {seq}" == sent["tampered"]["where"]

            assert site.size() == before
            history = site.call("GET", f"/productions/{site.slug}/history")
            assert history.status == 200, history.body
            assert "work.resumed" not in json.dumps(history.body)
    finally:
        stop_serve(process)

    verified = subprocess.run(
        [sys.executable, "-m", "showclear", "verify"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert verified.returncode == 1, verified.stdout + verified.stderr
    assert f"entry {seq}: entries {seq} to {seq} are not sealed" in verified.stderr
