"""Webhooks: a real HTTP receiver on loopback gets STOP WORK, incidents and count differences
from a served ``showclear serve``, signed as docs/api.md says (checked with the few lines of
Python printed there), retried with growing waits while it fails, logged attempt by attempt,
and still delivered after the server was killed in between (on SQLite, and on PostgreSQL when
``SHOWCLEAR_TEST_POSTGRES_URL`` is set)."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_server import ARMORER, Site, init, make_token, serving, staff, unserved_production
from web_server import showclear
from webhook_receiver import receiving, silent, until

from served_process import free_port, start_serve, stop_serve

DOCS = Path(__file__).parents[2] / "docs" / "api.md"
BACKOFF = 0.4
SETTINGS = {
    "SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE": "0",
    "SHOWCLEAR_WEBHOOK_BACKOFF_SECONDS": str(BACKOFF),
    "SHOWCLEAR_WEBHOOK_ATTEMPTS": "4",
    "SHOWCLEAR_WEBHOOK_TIMEOUT_SECONDS": "5",
    "SHOWCLEAR_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",  # the receivers are on loopback
}


def documented_check() -> Any:
    """``genuine(secret, headers, body)``, exactly as docs/api.md prints it."""
    text = DOCS.read_text()
    section = text[text.index("### Checking the signature") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code, "docs/api.md shows the signature check in Python"
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), "docs/api.md", "exec"), namespace)  # noqa: S102  (our own docs)
    return namespace["genuine"]


genuine = documented_check()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One served data directory with quick retries; each test makes its own production."""
    data_dir = tmp_path_factory.mktemp("hooks") / "data"
    init(data_dir, "Warm Up")
    with serving(data_dir, **SETTINGS) as base:
        yield base, data_dir


_made = iter(range(1, 1000))


def fresh(server: tuple[str, Path]) -> Site:
    """A new production, served, staffed, with the armorer's token."""
    base, data_dir = server
    slug = init(data_dir, f"Hook Film {next(_made)}")
    site = Site(
        base, data_dir, slug, {"armorer": make_token(data_dir, slug, ARMORER, "armorer", "a")}
    )
    staff(site)
    return site


def add_hook(site: Site, url: str, events: list[str], role: str = "safety-supervisor") -> Any:
    answer = site.call(
        "POST", f"/productions/{site.slug}/webhooks", role, body={"url": url, "events": events}
    )
    assert answer.status == 201, answer.body
    return answer.body


def log_of(site: Site, hook_id: int) -> list[dict[str, Any]]:
    answer = site.call("GET", f"/productions/{site.slug}/webhooks/{hook_id}/deliveries")
    assert answer.status == 200, answer.body
    return list(answer.body)


def test_stop_work_reaches_the_receiver_signed_and_a_failing_receiver_gets_it_again_later(
    server: tuple[str, Path],
) -> None:
    site = fresh(server)
    with receiving(answers=[500, 500]) as receiver:
        made = add_hook(site, receiver.url, ["work.stopped"])
        secret, hook = made["secret"], made["webhook"]
        assert secret.startswith("whsec_")
        assert hook["events"] == ["work.stopped"]
        assert hook["created_by"] == "api:safety-supervisor device (pat)"

        started = time.monotonic()
        stopped = site.do("cast", "stop-work", {"reason": "smoke near the prop truck"})
        assert time.monotonic() - started < 5  # the command never waits for the receiver
        seq = stopped.body["entries"][0]["seq"]

        first, second, third = receiver.wait_for(3)

    # Signed as documented, each attempt signed anew; one delivery id for all three.
    for got in (first, second, third):
        assert got.path == "/showclear"
        assert genuine(secret, got.headers, got.body)
        assert not genuine(secret, got.headers, got.body + b" ")
        assert not genuine("whsec_another", got.headers, got.body)
        assert got.headers["Showclear-Webhook-Event"] == "work.stopped"
        assert got.headers["Content-Type"] == "application/json"
    assert len({got.headers["Showclear-Webhook-Id"] for got in (first, second, third)}) == 1
    sent = json.loads(third.body)
    assert sent["id"] == third.headers["Showclear-Webhook-Id"]
    assert sent["event"] == "work.stopped"
    assert sent["production"]["slug"] == site.slug
    assert sent["entry"]["seq"] == seq
    assert sent["entry"]["payload"] == {
        "reason": "smoke near the prop truck",
        "lockdown": False,
        "involved": [],  # a STOP WORK called by hand comes from nobody's act (R-SEPARATION)
        "unit": "",  # the whole production (a unit's STOP WORK names its unit)
    }
    assert (sent["entry"]["person"], sent["entry"]["person_name"]) == ("jo", "Jo Carver")
    assert sent["entry"]["device"] == "api:cast device"

    # Waits that double: at least BACKOFF, then at least twice that.
    assert second.at - first.at >= BACKOFF
    assert third.at - second.at >= 2 * BACKOFF

    # The delivery log, through the API and the CLI, has every attempt.
    until(lambda: log_of(site, hook["id"])[0]["state"] == "delivered", 10, "the log")
    (delivery,) = log_of(site, hook["id"])
    assert (delivery["id"], delivery["seq"], delivery["event"]) == (sent["id"], seq, "work.stopped")
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 200]
    assert [a["number"] for a in delivery["attempts"]] == [1, 2, 3]
    assert all(a["error"] == "" and a["duration_ms"] >= 0 for a in delivery["attempts"])
    times = [a["at"] for a in delivery["attempts"]]
    assert times == sorted(times)
    assert delivery["next_attempt_at"] is None
    cli = showclear(
        site.data_dir, "webhook", "deliveries", "--production", site.slug,
        "--id", str(hook["id"]), "--json",
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == [delivery]


def test_a_hook_hears_only_its_events_and_a_count_difference_is_one(
    server: tuple[str, Path],
) -> None:
    site = fresh(server)
    with receiving() as counts, receiving() as stops:
        count_hook = add_hook(site, counts.url, ["count.differed", "incident.opened"], "armorer")
        add_hook(site, stops.url, ["work.stopped"])
        site.do(
            "armorer",
            "receive-lot",
            {
                "tag": "D-07", "lot_kind": "dummy", "calibre": ".45 Colt", "count": 12,
                "supplier": "Acme Dummy Co.", "document": "invoice 7", "delivered_on": "2026-01-05",
            },
        )  # fmt: skip
        counted = site.do(
            "armorer",
            "count-and-reconcile",
            {"firearms_present": [], "lots": [{"lot": "D-07", "counted": 11}]},
        )
        got = counts.wait_for(2)
        time.sleep(1)  # long enough for anything else to have been sent
        assert len(counts.received) == 2
        assert stops.received == []
    events = sorted(json.loads(one.body)["event"] for one in got)
    assert events == ["count.differed", "incident.opened"]
    for one in got:
        assert genuine(count_hook["secret"], one.headers, one.body)
    kinds = {json.loads(one.body)["entry"]["kind"] for one in got}
    assert kinds == {entry["kind"] for entry in counted.body["entries"]} - {"rule.warned"}


def test_a_delivery_survives_the_server_being_killed_before_it_was_taken(
    database: Any,  # tests/conftest.py: SQLite, and PostgreSQL when asked for
) -> None:
    site, env = unserved_production(database, **SETTINGS)
    port = free_port()  # nothing listens there yet: the receiver is down
    process, site.base = start_serve(database.data_dir, env)
    try:
        made = add_hook(site, f"http://127.0.0.1:{port}/showclear", ["work.stopped"], "armorer")
        site.do("armorer", "stop-work", {"reason": "generator fire"})
        until(
            lambda: any(d["attempts"] for d in log_of(site, made["webhook"]["id"])),
            30,
            "a first attempt at the receiver that is down",
        )
    finally:
        process.kill()  # a crash, not a shutdown
        process.wait(timeout=10)
    with receiving(port=port) as receiver:
        process, site.base = start_serve(database.data_dir, env)
        try:
            (got,) = receiver.wait_for(1)
            until(
                lambda: log_of(site, made["webhook"]["id"])[0]["state"] == "delivered",
                10,
                "the delivery to be logged",
            )
            (delivery,) = log_of(site, made["webhook"]["id"])
        finally:
            stop_serve(process)
    assert genuine(made["secret"], got.headers, got.body)
    assert json.loads(got.body)["entry"]["payload"]["reason"] == "generator fire"
    first, *_, last = delivery["attempts"]
    assert first["status_code"] is None
    assert "refused" in first["error"].lower()
    assert last["status_code"] == 200


def test_hooks_are_managed_through_the_api_by_the_armorer_and_the_safety_supervisor(
    server: tuple[str, Path],
) -> None:
    site = fresh(server)
    base = f"/productions/{site.slug}/webhooks"
    bad_url = site.call("POST", base, body={"url": "ftp://example.com/x"})
    assert bad_url.status == 422
    assert [e["field"] for e in bad_url.body["errors"]] == ["url"]
    bad_event = site.call("POST", base, body={"url": "http://127.0.0.1:9/", "events": ["x"]})
    assert bad_event.status == 422
    assert [e["field"] for e in bad_event.body["errors"]] == ["events.0"]
    assert site.call("GET", base).body == []

    with silent() as nowhere:
        made = add_hook(site, nowhere.url, [], "armorer")
        hook = made["webhook"]
        assert hook["events"] == [
            "work.stopped", "incident.opened", "misfire.reported", "count.differed",
            "ledger.tampered",
        ]  # fmt: skip
        listed = site.call("GET", base, "safety-supervisor")
        assert listed.body == [hook]
        assert made["secret"] not in json.dumps(listed.body)
        assert site.call("GET", base, "producer").status == 403

        # Removed while its delivery is being sent (the receiver never answers): the delivery
        # is cancelled, the attempt in flight ends in the log, and nothing more is sent.
        site.do("first-ad", "stop-work", {"reason": "rain"})
        nowhere.wait_reached()  # the attempt is in flight
        removed = site.call("DELETE", f"{base}/{hook['id']}")
        assert removed.status == 200
        assert removed.body["live"] is False
        assert site.call("DELETE", f"{base}/{hook['id']}").body == removed.body
        assert site.call("GET", base).body == []
        until(lambda: log_of(site, hook["id"])[0]["attempts"], 30, "the attempt to time out")
    (delivery,) = log_of(site, hook["id"])
    assert delivery["state"] == "cancelled"
    assert [a["status_code"] for a in delivery["attempts"]] == [None]
    assert "timed out" in delivery["attempts"][0]["error"]
    assert site.call("DELETE", f"{base}/999999").status == 404


def test_the_cli_adds_lists_and_removes_hooks_and_the_secret_is_kept_only_sealed(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    slug = init(data_dir, "Quiet Day")
    added = showclear(
        data_dir, "webhook", "add", "--production", slug, "--url", "https://safety.example.com/in",
        "--event", "work.stopped", "--description", "safety office",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    secret = added.stdout.strip()
    assert secret.startswith("whsec_")
    assert "shown this once" in added.stderr
    listed = showclear(data_dir, "webhook", "list", "--production", slug)
    assert "https://safety.example.com/in  work.stopped  live" in listed.stdout
    assert secret not in listed.stdout
    database = data_dir / "showclear.sqlite3"
    assert secret.encode() not in database.read_bytes()
    with sqlite3.connect(database) as db:
        (stored,) = db.execute("SELECT secret FROM showclear_hooks_webhook").fetchone()
    assert stored.startswith("gAAAA")  # a Fernet token
    assert secret not in stored

    refused = showclear(
        data_dir, "webhook", "add", "--production", slug, "--url", "file:///etc/passwd"
    )
    assert refused.returncode == 2
    assert "is not an http:// or https:// URL" in refused.stderr
    unknown = showclear(
        data_dir, "webhook", "add", "--production", slug, "--url", "https://x.example.com/",
        "--event", "firearm.handed-over",
    )  # fmt: skip
    assert unknown.returncode == 2
    assert "there is no webhook event 'firearm.handed-over'" in unknown.stderr

    removed = showclear(data_dir, "webhook", "remove", "--production", slug, "--id", "1")
    assert removed.returncode == 0, removed.stderr
    assert "has no webhooks" in showclear(data_dir, "webhook", "list", "--production", slug).stdout
    everything = showclear(data_dir, "webhook", "list", "--production", slug, "--all")
    assert "removed" in everything.stdout
    nothing = showclear(data_dir, "webhook", "deliveries", "--production", slug, "--id", "1")
    assert nothing.stdout.strip() == "Webhook 1 has sent nothing yet."
    missing = showclear(data_dir, "webhook", "remove", "--production", slug, "--id", "7")
    assert missing.returncode == 2
    assert "has no webhook 7" in missing.stderr
