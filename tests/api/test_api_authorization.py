"""The authorization matrix: every operation of the API's OpenAPI document, for a token of every
role, no token, a revoked token and another production's token.

Generated, so a new operation is covered the day it is routed: the operations are read from
``/api/v1/openapi.json``, each with the roles it names (``x-showclear-roles``); for a command
those must be the core's own (the roles its handler declares,
:func:`showclear.web.api.roles.gate`); every query is open to any valid token of the production;
tokens and webhooks are managed by the armorer and the safety supervisor. Allowed: a query
answers 200, a command reaches the safety rules (201 recorded, or 409 refused for a reason other
than the sender's role), any other operation answers without 401 or 403. Refused: 401 or 403 in
the one error shape, and nothing was recorded: the ledger, the device tokens and the webhooks
are exactly as before.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from api_server import (
    ARMORER,
    PERSON_OF_ROLE,
    Answer,
    Site,
    call,
    init,
    make_token,
    showclear,
    stock,
)

from showclear.core.commands import CreateProduction, HandOver, OverrideRule, StartScene, StopWork
from showclear.core.vocabulary import ARMORERS, ROLES
from showclear.web.api.bodies import commands
from showclear.web.api.roles import MANAGERS, gate

ROLES_WITH_TOKENS = (
    "armorer",
    "assistant-armorer",
    "first-ad",
    "safety-supervisor",
    "producer",
    "investigator",
    "cast",
)
NO_TOKEN, REVOKED, OTHER_PRODUCTION = "no token", "a revoked token", "another production's token"
OUTSIDERS = {NO_TOKEN: 401, REVOKED: 401, OTHER_PRODUCTION: 403}

# The things the queries ask about: made by stock() before the matrix runs (and a token and a
# webhook made for the matrix to revoke and remove).
PATH_VALUES = {
    "firearms": "R-01",
    "lots": "D-01",
    "containers": "SAFE-1",
    "people": ARMORER,
    "scenes": "12",
}

# Bodies that can succeed, for the operations that are not commands.
BODIES: dict[str, Any] = {
    "create_token": {"person_id": "dana", "role": "first-ad", "name": "matrix device"},
    "add_webhook": {"url": "http://127.0.0.1:9/matrix", "events": ["work.stopped"]},
    "issue_pin": {"pin": "4321"},
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


COMMAND_OF_OPERATION = {_snake(kind.__name__): kind for kind in commands()}


@pytest.fixture(scope="module")
def matrix_site(site: Site) -> tuple[Site, dict[str, str]]:
    """The module's production, stocked, with a token for every role and the outsiders."""
    stock(site, datetime.now(UTC).date().isoformat())
    BODIES["confirm_in_person"] = site.confirm("jo")
    make_token(site.data_dir, site.slug, "sam", "assistant-armorer", "matrix spare")
    tokens = site.call("GET", f"/productions/{site.slug}/tokens").body
    PATH_VALUES["tokens"] = str(next(t["id"] for t in tokens if t["name"] == "matrix spare"))
    hook = site.call("POST", f"/productions/{site.slug}/webhooks", body=BODIES["add_webhook"])
    assert hook.status == 201, hook.body
    PATH_VALUES["webhooks"] = str(hook.body["webhook"]["id"])
    for role in ROLES_WITH_TOKENS:
        site.token(role)
    revoked = make_token(site.data_dir, site.slug, ARMORER, "armorer", "old scanner")
    dropped = showclear(
        site.data_dir, "token", "revoke", "--production", site.slug, "--name", "old scanner"
    )
    assert dropped.returncode == 0, dropped.stderr
    other_slug = init(site.data_dir, "Red River", "Riley Cole")
    other = make_token(site.data_dir, other_slug, ARMORER, "armorer", "armorer device")
    return site, {REVOKED: revoked, OTHER_PRODUCTION: other}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            found.append((method.upper(), path.removeprefix("/api/v1"), operation))
    return found


def _sample(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value of ``schema`` that passes validation: required fields only, plain values."""
    if "$ref" in schema:
        return _sample(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "anyOf" in schema:
        return _sample(next(s for s in schema["anyOf"] if s.get("type") != "null"), components)
    if schema.get("title") == "Confirmation":  # one of credential or pin: a badge code
        return {"person_id": "MATRIX-1", "credential": "MATRIX-1"}
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: _sample(schema["properties"][name], components)
            for name in schema.get("required", [])
        }
    return {"string": "MATRIX-1", "integer": 1, "boolean": False, "array": []}[kind]


def _body(document: dict[str, Any], operation: dict[str, Any]) -> Any:
    if operation["operationId"] in BODIES:
        return BODIES[operation["operationId"]]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    return _sample(content["schema"], document["components"]["schemas"])


def _path(site: Site, template: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "production":
            return site.slug
        collection = template[: match.start()].rstrip("/").rsplit("/", 1)[1]
        return PATH_VALUES[collection]

    return re.sub(r"\{(\w+)\}", value, template)


def _allowed(operation: dict[str, Any]) -> frozenset[str]:
    """The roles the document says may call the operation (for a command: the core's)."""
    named = frozenset(operation["x-showclear-roles"])
    if "Commands" in operation["tags"]:
        assert named == gate(COMMAND_OF_OPERATION[operation["operationId"]]), operation
    elif "Queries" in operation["tags"]:
        assert named == ROLES, operation
    elif {"Device tokens", "Webhooks"} & set(operation["tags"]):
        assert named == MANAGERS, operation
    return named


def _recorded(site: Site) -> tuple[int, Any, Any]:
    """Everything a refused caller must leave alone: the ledger, the tokens, the webhooks."""
    base = f"/productions/{site.slug}"
    tokens = site.call("GET", f"{base}/tokens").body
    return (
        site.size(),
        [(t["id"], t["revoked_at"]) for t in tokens],  # not last_used_at: using is no change
        site.call("GET", f"{base}/webhooks").body,
    )


PROBLEM_KEYS = {"status", "title", "detail", "rule_ids", "violations", "errors"}


def _is_problem(answer: Answer, status: int) -> bool:
    body = answer.body
    return isinstance(body, dict) and body.get("status") == status and set(body) == PROBLEM_KEYS


def test_every_operation_for_every_role_and_every_outsider(
    matrix_site: tuple[Site, dict[str, str]],
) -> None:
    site, outsiders = matrix_site
    document = call(site.base, "GET", "/openapi.json").body
    operations = _operations(document)
    commands_routed = {op["operationId"] for _, _, op in operations if "Commands" in op["tags"]}
    assert commands_routed == set(COMMAND_OF_OPERATION), "every core command is an operation"
    # state, 5 things, history; a confirmation, a badge, a PIN; 3 for tokens; 4 for webhooks
    assert len(operations) == len(COMMAND_OF_OPERATION) + 7 + 3 + 3 + 4
    problems: list[str] = []
    for method, template, operation in operations:
        path, body = _path(site, template), _body(document, operation)
        allowed = _allowed(operation)
        before = _recorded(site)
        for who, status in OUTSIDERS.items():
            answer = call(site.base, method, path, token=outsiders.get(who), body=body)
            if not _is_problem(answer, status):
                problems.append(f"{method} {template} with {who}: {answer.status} {answer.body}")
        for role in ROLES_WITH_TOKENS:
            if role in allowed:
                continue
            answer = site.call(method, path, role, body=body)
            if not _is_problem(answer, 403):
                problems.append(f"{method} {template} as {role}: {answer.status} {answer.body}")
        if _recorded(site) != before:
            problems.append(f"{method} {template}: a refused caller recorded something")
        for role in ROLES_WITH_TOKENS:
            if role not in allowed:
                continue
            answer = site.call(method, path, role, body=body)
            if method == "GET":
                ok = answer.status == 200
            elif "Commands" not in operation["tags"]:
                ok = answer.status in (200, 201) or (
                    isinstance(answer.body, dict)
                    and set(answer.body) == PROBLEM_KEYS
                    and answer.status not in (401, 403, 500)
                )
            else:
                person = PERSON_OF_ROLE[role]
                ok = answer.status == 201 or (
                    _is_problem(answer, 409)
                    and not any(
                        v["rule_id"] in ("R-ROLE", "R-HANDOVER") and v["subject"] == person
                        for v in answer.body["violations"]
                    )
                )
            if not ok:
                problems.append(f"{method} {template} as {role}: {answer.status} {answer.body}")
    assert not problems, "\n".join(problems)


def test_the_command_gates_are_the_cores_roles() -> None:
    assert gate(HandOver) == ARMORERS
    assert gate(StartScene) == {"first-ad"}
    assert gate(OverrideRule) == {"safety-supervisor"}
    assert gate(StopWork) == ROLES  # anyone may call STOP WORK
    assert CreateProduction not in commands()  # the CLI's job
