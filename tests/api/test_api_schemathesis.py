"""``schemathesis run`` against the served OpenAPI document, over every operation: no server
error, and no answer that breaks what the document says (status code, content type, headers,
body schema).

Each operation is sent with a token of a role it accepts (``x-showclear-roles``), so the
generated requests reach the views and the safety rules, not only the token check; every path
names the served production. schemathesis' examples, coverage and fuzzing phases, with valid and
invalid data. Bounded and repeatable: deterministic generation (the same requests every run), a
fixed number of examples per operation, one request at a time. Nothing leaves this machine: a webhook URL that
could be added is pointed at a closed loopback port (``schemathesis_hooks.py``), and the run
never revokes the tokens it sends (``token_id`` is fixed to one that does not exist).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_server import PERSON_OF_ROLE, Site, staffed

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
    """A served, staffed production with a token for every role of the crew."""
    with staffed(tmp_path_factory.mktemp("schemathesis") / "data", "Fuzz Road") as site:
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
    url = f"{fuzzed.base}/api/v1/openapi.json"
    with urllib.request.urlopen(url, timeout=30) as answer:
        document = json.load(answer)
    before = fuzzed.size()
    config = tmp_path / "schemathesis.toml"
    config.write_text(configuration(fuzzed, document))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
        ),
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(config),
            "run", url, "--phases", "examples,coverage,fuzzing",
        ],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert fuzzed.size() > before, "the generated commands reached the rules, and some recorded"
    operations = sum(len(methods) for methods in document["paths"].values())
    assert f"Selected: {operations}/{operations}" in report, report
    assert f"Tested: {operations}" in report, report
    assert " passed" in report
