"""Webhooks that cannot hurt: through a served ``showclear serve`` with several worker
processes sharing one outbox.

- a URL with ``user:password@`` (which once crashed every delivery round) is refused when the
  hook is added, by the API and the CLI, with the parser the sender uses;
- a receiver that never answers holds up its own deliveries only: another hook's STOP WORK
  arrives at once, and each attempt at the silent one ends at its timeout;
- loopback and private addresses are refused unless ``SHOWCLEAR_WEBHOOK_ALLOW_HOSTS`` names
  them (these tests' receivers are on loopback, so their server allows ``127.0.0.1``);
- three workers send each delivery once, and a failing receiver gets exactly its attempts.

(``tests/security/test_webhook_sending.py`` checks the sender itself: DNS rebinding, a
receiver answering a byte at a time, the log never holding the receiver's words.)
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_server import ARMORER, Site, init, make_token, staff
from web_server import showclear
from webhook_receiver import receiving, silent, until

from served_process import environment, start_serve, stop_serve
from showclear.web.hooks.sender import REASONS

ATTEMPTS = 4
TIMEOUT = 2.0
SETTINGS = {
    "SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE": "0",
    "SHOWCLEAR_WEBHOOK_BACKOFF_SECONDS": "0.2",
    "SHOWCLEAR_WEBHOOK_ATTEMPTS": str(ATTEMPTS),
    "SHOWCLEAR_WEBHOOK_TIMEOUT_SECONDS": str(TIMEOUT),
    "SHOWCLEAR_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One data directory served by three worker processes (one courier each)."""
    data_dir = tmp_path_factory.mktemp("hook-safety") / "data"
    init(data_dir, "Warm Up")
    process, base = start_serve(data_dir, {**environment(data_dir), **SETTINGS}, "--workers", "3")
    try:
        yield base, data_dir
    finally:
        stop_serve(process)


_made = iter(range(1, 1000))


def fresh(server: tuple[str, Path]) -> Site:
    base, data_dir = server
    slug = init(data_dir, f"Safe Hook Film {next(_made)}")
    site = Site(
        base, data_dir, slug, {"armorer": make_token(data_dir, slug, ARMORER, "armorer", "a")}
    )
    staff(site)
    return site


def add_hook(site: Site, url: str, events: list[str]) -> Any:
    answer = site.call(
        "POST", f"/productions/{site.slug}/webhooks", body={"url": url, "events": events}
    )
    assert answer.status == 201, answer.body
    return answer.body["webhook"]


def log_of(site: Site, hook_id: int) -> list[dict[str, Any]]:
    answer = site.call("GET", f"/productions/{site.slug}/webhooks/{hook_id}/deliveries")
    assert answer.status == 200, answer.body
    return list(answer.body)


def test_a_url_with_a_password_is_refused_when_the_hook_is_added_not_at_every_delivery(
    server: tuple[str, Path],
) -> None:
    site = fresh(server)
    base = f"/productions/{site.slug}/webhooks"
    for url in ("http://office:hunter2@safety.example.com/in", "https://user@127.0.0.1/in"):
        refused = site.call("POST", base, body={"url": url})
        assert refused.status == 422, refused.body
        assert [e["field"] for e in refused.body["errors"]] == ["url"]
        assert "no user name or password" in refused.body["detail"]
        assert "hunter2" not in json.dumps(refused.body)
    assert site.call("GET", base).body == []
    cli = showclear(
        site.data_dir, "webhook", "add", "--production", site.slug,
        "--url", "http://office:hunter2@safety.example.com/in",
    )  # fmt: skip
    assert cli.returncode == 2
    assert "no user name or password (user:password@)" in cli.stderr

    # And the hooks that are added go on being served: a round never fails on a URL.
    with receiving() as receiver:
        add_hook(site, receiver.url, ["work.stopped"])
        site.do("cast", "stop-work", {"reason": "smoke"})
        receiver.wait_for(1, timeout=20)


def test_a_silent_receiver_never_delays_another_hooks_stop_work(
    server: tuple[str, Path],
) -> None:
    site = fresh(server)
    with silent() as nowhere, receiving() as office:
        stuck = add_hook(site, nowhere.url, ["work.stopped", "incident.opened"])
        add_hook(site, office.url, ["work.stopped"])
        # Something for the silent hook to be stuck on first.
        site.do(
            "armorer",
            "receive-lot",
            {
                "tag": "D-07", "lot_kind": "dummy", "calibre": ".45 Colt", "count": 12,
                "supplier": "Acme Dummy Co.", "document": "invoice 7", "delivered_on": "2026-01-05",
            },
        )  # fmt: skip
        site.do(
            "armorer",
            "count-and-reconcile",
            {"firearms_present": [], "lots": [{"lot": "D-07", "counted": 11}]},
        )
        until(lambda: log_of(site, stuck["id"]), 20, "the silent hook's first delivery")
        time.sleep(0.5)  # its attempt is now in flight, waiting for an answer that never comes

        site.do("first-ad", "stop-work", {"reason": "live round in the cart"})
        recorded = time.monotonic()  # (the delivery may even come before the answer)
        (got,) = office.wait_for(1, timeout=20)
        assert got.at - recorded < TIMEOUT, "the STOP WORK waited for the silent receiver"
        assert json.loads(got.body)["entry"]["payload"]["reason"] == "live round in the cart"

        until(
            lambda: any(d["attempts"] for d in log_of(site, stuck["id"])),
            20,
            "an attempt at the silent receiver to end",
        )
    attempts = [a for d in log_of(site, stuck["id"]) for a in d["attempts"]]
    assert attempts
    for attempt in attempts:
        assert attempt["status_code"] is None
        # In our words only (timed out; refused or cut once the silent receiver closed).
        assert attempt["error"] in set(REASONS.values())
        assert attempt["duration_ms"] < (TIMEOUT + 1.5) * 1000, "one deadline per attempt"


def test_a_hook_to_loopback_is_refused_unless_the_server_allows_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    slug = init(data_dir, "Locked Down")
    for url in ("http://127.0.0.1:9/in", "http://localhost:9/in", "http://169.254.169.254/latest",
                "http://10.0.0.7/in", "http://[::1]:9/in"):  # fmt: skip
        refused = showclear(data_dir, "webhook", "add", "--production", slug, "--url", url)
        assert refused.returncode == 2, url
        assert "cannot receive webhooks: its address is not public" in refused.stderr
        assert "SHOWCLEAR_WEBHOOK_ALLOW_HOSTS" in refused.stderr
    env = {**environment(data_dir), "SHOWCLEAR_WEBHOOK_ALLOW_HOSTS": "127.0.0.1"}
    import subprocess
    import sys

    allowed = subprocess.run(
        [sys.executable, "-m", "showclear", "webhook", "add", "--production", slug,
         "--url", "http://127.0.0.1:9/in"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr


def test_three_workers_send_each_delivery_once_and_a_failing_receiver_gets_its_attempts(
    server: tuple[str, Path],
) -> None:
    site = fresh(server)
    with receiving() as counts, receiving(answers=[503] * 100) as failing:
        good = add_hook(site, counts.url, ["count.differed"])
        bad = add_hook(site, failing.url, ["count.differed"])
        site.do(
            "armorer",
            "receive-lot",
            {
                "tag": "D-08", "lot_kind": "dummy", "calibre": ".45 Colt", "count": 50,
                "supplier": "Acme Dummy Co.", "document": "invoice 8", "delivered_on": "2026-01-05",
            },
        )  # fmt: skip
        differences = 6
        for counted in range(differences):
            site.do(
                "armorer",
                "count-and-reconcile",
                {"firearms_present": [], "lots": [{"lot": "D-08", "counted": 40 + counted}]},
            )
        counts.wait_for(differences, timeout=60)
        until(
            lambda: (
                all(d["state"] == "failed" for d in log_of(site, bad["id"]))
                and len(log_of(site, bad["id"])) == differences
            ),
            90,
            "every delivery to the failing receiver to have had its attempts",
        )
        time.sleep(2 * 0.2 * 2**ATTEMPTS)  # long past any further retry: there is none
        received = list(counts.received)
        failed = list(failing.received)

    ids = Counter(one.headers["Showclear-Webhook-Id"] for one in received)
    assert len(ids) == differences
    assert set(ids.values()) == {1}, "each delivery sent once, by one of the three workers"
    assert all(d["state"] == "delivered" for d in log_of(site, good["id"]))

    tries = Counter(one.headers["Showclear-Webhook-Id"] for one in failed)
    assert len(tries) == differences
    assert set(tries.values()) == {ATTEMPTS}, "never past the attempt limit, never short of it"
    for delivery in log_of(site, bad["id"]):
        assert [a["number"] for a in delivery["attempts"]] == list(range(1, ATTEMPTS + 1))
        assert {a["status_code"] for a in delivery["attempts"]} == {503}
