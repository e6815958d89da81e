"""One error shape for every refusal: rule ids for the safety rules, the field for bad input;
and an OpenAPI document that says so for every operation."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from api_server import ARMORER, Site, call, init, make_token, opened

from in_process import BASE

PROBLEM_KEYS = {"status", "title", "detail", "rule_ids", "violations", "errors"}


def test_a_safety_refusal_is_409_with_every_rule_broken_and_nothing_recorded(site: Site) -> None:
    site.do("armorer", "register-container", {"tag": "BOX-9", "container_kind": "lockbox"})
    size = site.size()
    answer = site.command("armorer", "hand-over", {"item": "R-404", "to": "nobody-7"})
    assert answer.status == 409
    assert set(answer.body) == PROBLEM_KEYS
    assert answer.body["title"] == "Refused by the safety rules"
    assert answer.body["rule_ids"] == ["R-KNOWN"]
    messages = {v["message"] for v in answer.body["violations"]}
    assert messages == {
        "There is no person 'nobody-7' on the roster.",
        "No firearm is tagged 'R-404' on this production.",
    }
    for violation in answer.body["violations"]:
        assert set(violation) == {
            "rule_id", "title", "severity", "message", "subject", "overridable"
        }  # fmt: skip
        assert violation["severity"] == "block"
    assert answer.body["detail"].startswith("Nothing was recorded.")
    assert site.size() == size


def test_the_core_still_decides_what_the_api_lets_through(site: Site) -> None:
    # Any role may try a container (its custodian decides); the core refuses the performer.
    site.do("armorer", "register-container", {"tag": "BOX-8", "container_kind": "lockbox"})
    answer = site.command("cast", "unlock", {"container": "BOX-8"})
    assert answer.status == 409
    assert answer.body["rule_ids"] == ["R-CUSTODY"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"to": "jo"}, ["item"]),
        ({"item": "R-01", "to": 7}, ["to"]),
        ({"item": "R-01", "to": "jo", "scene": "12", "sceen": "12"}, ["sceen"]),
    ],
)
def test_a_validation_error_names_the_field(
    site: Site, body: dict[str, Any], fields: list[str]
) -> None:
    size = site.size()
    answer = site.command("armorer", "hand-over", body)
    assert answer.status == 422
    assert set(answer.body) == PROBLEM_KEYS
    assert [e["field"] for e in answer.body["errors"]] == fields
    assert answer.body["detail"] == f"Nothing was recorded: check {', '.join(fields)}."
    assert answer.body["rule_ids"] == []
    assert site.size() == size


def test_a_nested_field_is_named_by_its_path(site: Site) -> None:
    answer = site.command(
        "armorer",
        "verify-rounds",
        {"lot": "D-01", "count": 1, "method": "rattle", "witness": {"person_id": "sam"}},
    )
    assert answer.status == 422
    assert [e["field"] for e in answer.body["errors"]] == ["witness.credential"]


def test_numbers_past_what_the_ledger_holds_and_broken_text_are_422_not_500(site: Site) -> None:
    huge = site.command(
        "armorer",
        "verify-rounds",
        {
            "lot": "D-01", "count": 2**60, "method": "rattle",
            "witness": site.confirm("sam"),
        },
    )  # fmt: skip
    assert huge.status == 422
    assert [e["field"] for e in huge.body["errors"]] == ["count"]
    surrogate = site.command("armorer", "complain", {}, raw=b'{"text": "\\ud800"}')
    assert surrogate.status == 422
    assert [e["field"] for e in surrogate.body["errors"]] == ["text"]


def test_a_body_that_is_not_json_is_422(site: Site) -> None:
    answer = site.command("armorer", "complain", {}, raw=b"{not json")
    assert answer.status == 422
    assert [e["field"] for e in answer.body["errors"]] == ["body"]


def test_an_unknown_production_is_404_and_a_missing_token_401(site: Site) -> None:
    unknown = site.call("GET", "/productions/no-such-film", "armorer")
    assert unknown.status == 404
    assert unknown.body["detail"] == "There is no production 'no-such-film'."
    anonymous = site.call("GET", f"/productions/{site.slug}", None)
    assert anonymous.status == 401
    assert set(anonymous.body) == PROBLEM_KEYS
    wrong = site.call("GET", f"/productions/{site.slug}", None, token="sc_not-a-real-token")
    assert wrong.status == 401
    assert wrong.body["detail"] == "That device token is not known."
    bad_query = site.call("GET", f"/productions/{site.slug}/history?limit=0", "armorer")
    assert bad_query.status == 422
    assert [e["field"] for e in bad_query.body["errors"]] == ["limit"]


def test_the_openapi_document_gives_the_error_shape_for_every_error_of_every_operation(
    site: Site,
) -> None:
    document = call(site.base, "GET", "/openapi.json")
    assert document.status == 200
    assert document.body["openapi"].startswith("3.")
    schemas = document.body["components"]["schemas"]
    assert set(schemas["Problem"]["required"]) == PROBLEM_KEYS
    problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, methods in document.body["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            expected = {"401", "403", "404", "422", "429"}
            if "Commands" in operation["tags"]:
                expected |= {"409", "503"}
                assert "201" in responses, path
            else:
                assert {"200", "201"} & set(responses), path
            if method == "post" and operation["operationId"] != "issue_badge":  # it takes none
                assert operation["requestBody"]["required"] is True
            assert expected <= set(responses), f"{method} {path}"
            for status in expected:
                assert responses[status]["content"] == problem, f"{method} {path} {status}"
            assert operation["security"] == [{"DeviceAuth": []}], path
    assert document.body["components"]["securitySchemes"]["DeviceAuth"]["scheme"] == "bearer"
    # Every command body is documented from its dataclass, nested values too.
    assert schemas["HandOver"]["required"] == ["item", "to"]
    assert schemas["ShowClear"]["properties"]["performer"] == {
        "$ref": "#/components/schemas/Confirmation"
    }
    # No body carries a badge code, a PIN or a hash into a command: they have their own
    # operations, and a confirmation gives one of what the person presented.
    assert not {"badge", "pin", "pin_hash"} & set(schemas["AddPerson"]["properties"])
    assert {"person_id", "credential", "pin", "presence"} == set(
        schemas["Confirmation"]["properties"]
    )


def test_the_browsable_docs_are_served_by_showclear_itself(site: Site) -> None:
    docs = call(site.base, "GET", "/docs")
    assert docs.status == 200
    page = str(docs.body)
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_a_ledger_that_cannot_be_written_is_503_in_the_one_shape_and_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ledger waits BUSY_SECONDS (30 s) for another program's write lock; 3 s here, so the
    # test proves the wait without sitting through half a minute.
    monkeypatch.setattr("showclear.store.sqlite.BUSY_SECONDS", 3)
    data_dir = tmp_path / "data"
    with opened(data_dir):
        slug = init(data_dir, "Locked Out")
        token = make_token(data_dir, slug, ARMORER, "armorer", "truck scanner")
        site = Site(BASE, data_dir, slug, {"armorer": token})
        size = site.size()  # the token's use is noted now, so the request below writes nothing else
        # Another program holds the database's write lock past the ledger's busy timeout.
        database = sqlite3.connect(data_dir / "showclear.sqlite3", isolation_level=None)
        database.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            answer = site.command("armorer", "complain", {"text": "the door sticks"})
            waited = time.monotonic() - started
        finally:
            database.execute("ROLLBACK")
            database.close()
        assert answer.status == 503, answer.body
        assert set(answer.body) == PROBLEM_KEYS
        assert answer.body["title"] == "Not recorded"
        assert answer.body["detail"].startswith("Not recorded: the ledger is busy or unwritable")
        assert answer.body["detail"].endswith("Try again; nothing was recorded.")
        assert "Retry-After" not in answer.headers  # no one knows when the lock is let go
        assert waited >= 2.5  # it waited its turn before giving up
        assert site.size() == size
        # Once the database is free again the same command records, once.
        recorded = site.command("armorer", "complain", {"text": "the door sticks"})
        assert recorded.status == 201
        assert site.size() == size + len(recorded.body["entries"])
