"""schemathesis against the API's OpenAPI document, over every operation: no server error, and
no answer that breaks what the document says (status code, content type, headers, body schema).

Each operation is sent with a token of a role it accepts (``x-showclear-roles``), so the
generated requests reach the views and the safety rules, not only the token check; every path
names the production. schemathesis' examples, coverage and fuzzing phases, with valid and
invalid data. Bounded and repeatable: deterministic generation (the same requests every run), a
fixed number of examples per operation, one request at a time. Nothing leaves this machine: a
webhook URL that could be added is pointed at a closed loopback port (``schemathesis_hooks.py``),
and the run never revokes the tokens it sends (``token_id`` is fixed to one that does not exist).

The app runs in this process: schemathesis' own engine (what ``schemathesis run`` drives) calls
Django's WSGI application through its WSGI transport (``schemathesis.openapi.from_wsgi``), with
the configuration and hooks the command took. Same cases as the served run had (3,071 over 61
operations when this moved); a request line longer than gunicorn reads is still never generated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import schemathesis_hooks  # noqa: F401  (the run's hooks: registered when imported)
from api_server import PERSON_OF_ROLE, Site, call, staffed_in_process
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

EXAMPLES = 15
"""Examples per operation and phase."""

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)

#: The role each operation is sent in, the first of these it accepts.
PREFERRED = ("armorer", "safety-supervisor", "first-ad", "investigator", "assistant-armorer")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A staffed production in this process with a token for every role of the crew."""
    with staffed_in_process(tmp_path_factory.mktemp("schemathesis") / "data", "Fuzz Road") as site:
        for role in PERSON_OF_ROLE:
            site.token(role)
        yield site


def _toml(value: object) -> str:
    return json.dumps(value)  # a JSON string or list of strings is valid TOML


def configuration(site: Site, document: dict[str, object]) -> str:
    """schemathesis.toml for the run: checks, bounds, and each operation's token."""
    by_role: dict[str, list[str]] = {}
    for methods in document["paths"].values():  # type: ignore[attr-defined]
        for operation in methods.values():
            accepted = operation["x-showclear-roles"]
            role = next(r for r in (*PREFERRED, *accepted) if r in accepted)
            by_role.setdefault(role, []).append(operation["operationId"])
    lines = [
        "workers = 1",
        "request-timeout = 60",
        'suppress-health-check = ["all"]',
        "",
        "[generation]",
        f"max-examples = {EXAMPLES}",
        "deterministic = true",
        "",
        *(f"[phases.{phase}]\nenabled = true" for phase in ("examples", "coverage", "fuzzing")),
        "[phases.stateful]",
        "enabled = false",
        "",
        "[checks]",
        "enabled = false",
        *(f"{check}.enabled = true" for check in CHECKS),
        "",
        "[parameters]",
        f"production = {_toml(site.slug)}",
        "token_id = 987654",
    ]
    for role, operation_ids in sorted(by_role.items()):
        lines += [
            "",
            "[[operations]]",
            f"include-operation-id = {_toml(sorted(operation_ids))}",
            f"headers = {{ Authorization = {_toml('Bearer ' + site.token(role))} }}",
        ]
    return "\n".join(lines) + "\n"


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(
    fuzzed: Site, tmp_path: Path
) -> None:
    from django.core.wsgi import get_wsgi_application

    document = call(fuzzed.base, "GET", "/openapi.json").body
    before = fuzzed.size()
    config = tmp_path / "schemathesis.toml"
    config.write_text(configuration(fuzzed, document))
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json",
        get_wsgi_application(),
        config=SchemathesisConfig.from_path(str(config)),
    )
    operations = sum(len(methods) for methods in document["paths"].values())
    assert len(list(schema.get_all_operations())) == operations, "every operation selected"
    problems: list[str] = []
    tested: set[str] = set()
    cases = 0
    finished = None
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            tested.add(event.recorder.label)
            cases += len(event.recorder.cases)
            if event.status not in (Status.SUCCESS, Status.SKIP):
                problems.append(f"{event.recorder.label}: {event.status.name}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            problems.append(repr(event))
        elif isinstance(event, events.EngineFinished):
            finished = event
    assert finished is not None
    assert finished.stop_reason.name == "COMPLETED", finished.stop_reason
    assert not problems, "\n".join(problems)
    assert fuzzed.size() > before, "the generated commands reached the rules, and some recorded"
    assert len(tested) == operations, sorted(tested)
    assert cases > 0, "cases were generated, and every one passed"
