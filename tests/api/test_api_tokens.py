"""Device tokens: made by the CLI for a person in a role they hold, shown once, kept hashed,
revocable at once, with their last use; failed token attempts throttled per address."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from api_server import ARMORER, Site, call, init, make_token, serving
from web_server import showclear


def _rows(data_dir: Path) -> list[tuple[str, str, str, str | None]]:
    database = sqlite3.connect(data_dir / "showclear.sqlite3")
    try:
        return database.execute(
            "SELECT name, role, digest, revoked_at FROM showclear_api_devicetoken"
        ).fetchall()
    finally:
        database.close()


def test_a_token_is_shown_once_and_kept_only_as_its_digest(site: Site) -> None:
    secret = make_token(site.data_dir, site.slug, "dana", "first-ad", "call sheet app")
    assert secret.startswith("sc_")
    assert len(secret) >= 40
    rows = {name: digest for name, _, digest, _ in _rows(site.data_dir)}
    assert rows["call sheet app"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.encode() not in (site.data_dir / "showclear.sqlite3").read_bytes()
    listed = showclear(site.data_dir, "token", "list", "--production", site.slug)
    assert listed.returncode == 0
    assert "call sheet app  dana  first-ad  live  last used never" in listed.stdout
    assert secret not in listed.stdout


def test_the_last_use_is_kept(site: Site) -> None:
    secret = make_token(site.data_dir, site.slug, "pat", "safety-supervisor", "safety office")
    assert site.call("GET", f"/productions/{site.slug}", None, token=secret).status == 200
    listed = showclear(site.data_dir, "token", "list", "--production", site.slug)
    line = next(x for x in listed.stdout.splitlines() if x.startswith("safety office"))
    assert "last used never" not in line


def test_a_person_gets_a_token_only_for_a_role_they_hold(site: Site) -> None:
    refused = showclear(
        site.data_dir, "token", "create", "--production", site.slug, "--person", "jo",
        "--role", "armorer", "--name", "jo phone",
    )  # fmt: skip
    assert refused.returncode == 2
    assert "Jo Carver (cast) does not hold the role armorer" in refused.stderr
    stranger = showclear(
        site.data_dir, "token", "create", "--production", site.slug, "--person", "nobody",
        "--role", "cast", "--name", "x",
    )  # fmt: skip
    assert stranger.returncode == 2
    assert "has no person 'nobody'" in stranger.stderr


def test_a_revoked_token_stops_working_at_once(site: Site) -> None:
    secret = make_token(site.data_dir, site.slug, ARMORER, "armorer", "lost scanner")
    path = f"/productions/{site.slug}"
    assert site.call("GET", path, None, token=secret).status == 200
    revoked = showclear(
        site.data_dir, "token", "revoke", "--production", site.slug, "--name", "lost scanner"
    )
    assert revoked.returncode == 0, revoked.stderr
    answer = site.call("GET", path, None, token=secret)
    assert answer.status == 401
    assert "was revoked" in answer.body["detail"]
    # The name is free again for the device's new token.
    make_token(site.data_dir, site.slug, ARMORER, "armorer", "lost scanner")


def test_failed_token_attempts_are_throttled_per_address_but_never_a_valid_token(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    slug = init(data_dir, "Dust Road")
    good = make_token(data_dir, slug, ARMORER, "armorer", "armorer device")
    with serving(data_dir, SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE="3") as base:
        path = f"/productions/{slug}"
        statuses = [call(base, "GET", path, token=f"sc_guess{n}").status for n in range(5)]
        assert statuses[:3] == [401, 401, 401]
        assert statuses[3:] == [429, 429]
        throttled = call(base, "GET", path, token="sc_guess9")
        assert throttled.body["status"] == 429
        assert int(throttled.headers["Retry-After"]) >= 1
        assert call(base, "GET", path, token=good).status == 200
