"""One declaration of who may give each command, read by every shell.

Each command's handler declares its roles (``@handles(DrawFirearm, roles=ARMORERS)``, listed in
:data:`showclear.core.decide.HANDLERS`). The API gate (the 403 a token of another role gets),
the OpenAPI document's ``x-showclear-roles`` and the set pages' acting areas must all say the
same: this test compares them, command by command. The OpenAPI document is built in a separate
process (Django is never configured inside the test process), by the ninja API object itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from served_process import environment
from showclear.core.commands import CreateProduction, DrawFirearm, IssueBadge, IssuePin
from showclear.core.decide import HANDLERS
from showclear.core.vocabulary import ARMORERS, ROLES
from showclear.web.api.bodies import commands
from showclear.web.api.roles import gate
from showclear.web.floor.roles import ACTING, AREAS

DOCUMENT = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings")
import django
django.setup()
from showclear.web.api.auth import DeviceAuth
from showclear.web.api.v1 import api

document = api.get_openapi_schema(path_prefix="/api/v1/")
documented = {
    operation["operationId"]: sorted(operation.get("x-showclear-roles", []))
    for methods in document["paths"].values()
    for operation in methods.values()
}
gated = {}
for _, router in api._routers:
    for view in router.path_operations.values():
        for operation in view.operations:
            for auth in operation.auth_callbacks:
                if isinstance(auth, DeviceAuth):
                    gated[operation.operation_id] = sorted(auth.roles)
print(json.dumps({"documented": documented, "gated": gated}))
"""


def _api() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as data_dir:
        done = subprocess.run(
            [sys.executable, "-c", DOCUMENT],
            env=environment(Path(data_dir)),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def operation_id(command_type: type[Any]) -> str:
    """``HandOver`` -> ``hand_over``, as the API names its operations."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", command_type.__name__).lower()


def declared(command_type: type[Any]) -> list[str]:
    """The roles the command's handler declares (every role when it is open to anyone)."""
    roles = HANDLERS[command_type].roles
    return sorted(ROLES if roles is None else roles)


def test_every_command_has_one_handler_declared_for_it() -> None:
    assert all(handler.command is command for command, handler in HANDLERS.items())
    # Every command is an operation of the API but CreateProduction (the CLI's): most as a
    # command, the badge and PIN issuers beside the confirmations.
    assert set(commands()) | {IssueBadge, IssuePin, CreateProduction} == set(HANDLERS)


def test_the_api_gate_and_the_openapi_document_say_what_each_handler_declares() -> None:
    api = _api()
    differences = []
    for command_type in (*commands(), IssueBadge, IssuePin):
        name = operation_id(command_type)
        said = {
            "declared": declared(command_type),
            "gate": sorted(gate(command_type)),
            "the 403 gate": api["gated"].get(name),
            "x-showclear-roles": api["documented"].get(name),
        }
        if len({json.dumps(value) for value in said.values()}) != 1:
            differences.append(f"{command_type.__name__}: {said}")
    assert not differences, "\n".join(differences)
    assert api["documented"]["draw_firearm"] == sorted(ARMORERS)


def test_each_acting_area_of_the_set_pages_opens_to_who_may_give_its_commands() -> None:
    for area, sent in ACTING.items():
        allowed = set(ROLES)
        for command_type in sent:
            handler = HANDLERS[command_type]
            allowed &= set(handler.signers) if handler.together else set(declared(command_type))
        assert set(AREAS[area]) == allowed, area
    assert set(AREAS["handle-firearms"]) == ARMORERS  # DrawFirearm among them
    assert DrawFirearm in ACTING["handle-firearms"]
