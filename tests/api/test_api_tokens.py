"""Device tokens: made by the CLI for a person in a role they hold, shown once, kept hashed,
revocable at once, with their last use; failed token attempts throttled per address."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from api_server import ARMORER, Site, call, init, make_token, opened, showclear

from in_process import BASE


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
    with opened(data_dir, SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE="3"):
        slug = init(data_dir, "Dust Road")
        good = make_token(data_dir, slug, ARMORER, "armorer", "armorer device")
        base = BASE
        path = f"/productions/{slug}"
        statuses = [call(base, "GET", path, token=f"sc_guess{n}").status for n in range(5)]
        assert statuses[:3] == [401, 401, 401]
        assert statuses[3:] == [429, 429]
        throttled = call(base, "GET", path, token="sc_guess9")
        assert throttled.body["status"] == 429
        assert int(throttled.headers["Retry-After"]) >= 1
        assert call(base, "GET", path, token=good).status == 200


def test_a_safety_supervisor_makes_lists_and_revokes_tokens_through_the_api(site: Site) -> None:
    base = f"/productions/{site.slug}/tokens"
    made = site.call(
        "POST",
        base,
        "safety-supervisor",
        body={"person_id": "dana", "role": "first-ad", "name": "call sheet tablet"},
    )
    assert made.status == 201, made.body
    secret, token = made.body["secret"], made.body["token"]
    assert secret.startswith("sc_")
    assert (token["person_id"], token["role"], token["live"]) == ("dana", "first-ad", True)
    assert token["created_by"] == "api:safety-supervisor device (pat)"
    assert site.call("GET", f"/productions/{site.slug}", None, token=secret).status == 200

    listed = site.call("GET", base, "armorer")
    assert listed.status == 200
    assert next(t for t in listed.body if t["id"] == token["id"])["name"] == "call sheet tablet"
    assert secret not in str(listed.body)
    assert all("digest" not in t and "secret" not in t for t in listed.body)

    revoked = site.call("DELETE", f"{base}/{token['id']}", "armorer")
    assert revoked.status == 200
    assert revoked.body["live"] is False
    assert site.call("GET", f"/productions/{site.slug}", None, token=secret).status == 401
    again = site.call("DELETE", f"{base}/{token['id']}", "armorer")
    assert again.body == revoked.body  # revoking a revoked token changes nothing
    assert site.call("DELETE", f"{base}/987654", "armorer").status == 404


def test_a_token_made_through_the_api_keeps_to_the_same_rules_and_names_the_field(
    site: Site,
) -> None:
    base = f"/productions/{site.slug}/tokens"
    before = [t["id"] for t in site.call("GET", base).body]
    cases = [
        ({"person_id": "nobody", "role": "cast", "name": "x"}, "person_id"),
        ({"person_id": "jo", "role": "armorer", "name": "jo phone"}, "role"),
        ({"person_id": "jo", "role": "cast", "name": "armorer device"}, "name"),  # in use
        ({"person_id": "jo", "role": "cast", "name": "<script>"}, "name"),
        ({"person_id": "jo", "role": "wizard", "name": "x"}, "role"),
    ]
    for body, field in cases:
        answer = site.call("POST", base, "armorer", body=body)
        assert answer.status == 422, (body, answer.body)
        assert [e["field"] for e in answer.body["errors"]] == [field], answer.body
    # An armorer's token cannot make one that acts as safety supervisor; the supervisor's can.
    escalate = {"person_id": "pat", "role": "safety-supervisor", "name": "pat tablet"}
    refused = site.call("POST", base, "armorer", body=escalate)
    assert refused.status == 403
    assert "only a safety supervisor's token can" in refused.body["detail"]
    assert [t["id"] for t in site.call("GET", base).body] == before
    assert site.call("POST", base, "safety-supervisor", body=escalate).status == 201
    assert site.call("GET", base, "first-ad").status == 403


def test_a_safety_supervisors_token_cannot_make_one_acting_as_an_armorer(site: Site) -> None:
    """Whoever makes a token acting as someone could act as them (R-ROLE's vouching): the safety
    supervisor, who may not handle firearms, cannot mint a token that does."""
    base = f"/productions/{site.slug}/tokens"
    before = [t["id"] for t in site.call("GET", base).body]
    body = {"person_id": ARMORER, "role": "armorer", "name": "spare armory"}
    refused = site.call("POST", base, "safety-supervisor", body=body)
    assert refused.status == 403
    assert refused.body["detail"] == (
        "A token acting as safety supervisor cannot make a token acting as armorer: only an "
        "armorer can, because whoever makes it could act as them (R-ROLE). Nothing was made."
    )
    assert [t["id"] for t in site.call("GET", base).body] == before
    assert site.call("POST", base, "armorer", body=body).status == 201
