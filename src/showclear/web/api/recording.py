"""One POST operation per command: ``/productions/{production}/commands/{command-name}``.

The routes are generated from the core's command dataclasses (:mod:`showclear.web.api.bodies`), so a
new command is on the API, in the OpenAPI document and in the authorization matrix test the day
it is added to the core. Each executes through :meth:`Service.execute` for the token's person
with the device ``api:<device name>``, acting in the token's one role: the core decides (taking
the person to hold that role alone), the ledger names the device and person.
"""

from __future__ import annotations

import inspect
import logging
import re
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Header
from pydantic import BaseModel

from showclear.core.commands import Command
from showclear.core.decide import Refused
from showclear.core.vocabulary import ROLES
from showclear.service import Executed
from showclear.service.credential_desk import NotPresent
from showclear.web.api import bodies, idempotency
from showclear.web.api.auth import DeviceAuth, caller, roles_said
from showclear.web.api.confirmations import not_present
from showclear.web.api.errors import COMMAND_ERRORS, refusal
from showclear.web.api.history import shown
from showclear.web.api.roles import gate
from showclear.web.api.schemas import RecordedOut

router = Router(tags=["Commands"])
logger = logging.getLogger(__name__)


def slug_of(command_type: type[Command]) -> str:
    """``HandOver`` -> ``hand-over``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", command_type.__name__).lower()


def operation_id(command_type: type[Command]) -> str:
    """``HandOver`` -> ``hand_over``."""
    return slug_of(command_type).replace("-", "_")


def recorded(executed: Executed) -> dict[str, Any]:
    """The 201 body of a recorded command."""
    return {
        "entries": [
            shown(
                {
                    "seq": entry.seq,
                    "kind": entry.kind,
                    "recorded_at": entry.recorded_at,
                    "person": entry.person,
                    "device": entry.device,
                    "payload": dict(entry.payload),
                }
            )
            for entry in executed.entries
        ],
        "checkpoint": executed.checkpoint,
        "warnings": [
            {"rule_id": w.rule_id, "subject": w.subject, "message": w.message}
            for w in executed.warnings
        ],
    }


def _execute(
    request: HttpRequest, command: Command, named: str | None = None
) -> tuple[int, dict[str, Any], bool]:
    """Record ``command`` for the token's person, for the request ``named`` in the ledger (see
    :func:`idempotency.ledger_name`); (201, recorded) or (409, refusal), and whether the
    answer was read back from what was recorded earlier for ``named``."""
    who = caller(request)
    try:
        executed = who.service.execute(
            who.production,
            command,
            person_id=who.token.person_id,
            device=who.token.device,
            request=named,
            role=who.token.role,  # the token acts in its one role, never the person's others
        )
    except NotPresent as refused:  # a wrong or locked PIN or badge: 422 or 429, as before
        raise not_present(command, refused) from refused
    except Refused as refused:
        return 409, refusal(refused), False
    return 201, recorded(executed), executed.replayed


def _read_back(request: HttpRequest, named: str) -> idempotency.Replay | None:
    """The answer to what the ledger holds recorded for the request ``named``, if anything."""
    who = caller(request)
    executed = who.service.recorded_for(who.production, named)
    return None if executed is None else idempotency.Replay(201, recorded(executed))


def _description(command_type: type[Command], roles: frozenset[str]) -> str:
    doc = inspect.cleandoc(command_type.__doc__ or "")
    who = (
        "any role of the production" if roles == ROLES else f"a token acting as {roles_said(roles)}"
    )
    return (
        f"{doc}\n\nSent by {who}; the safety rules decide it for the token's person (409 with "
        "every rule broken when they refuse; nothing is recorded). Send an `Idempotency-Key` "
        "so that a retry records nothing more."
    )


def _route(command_type: type[Command]) -> None:
    body_model = bodies.model(command_type)
    roles = gate(command_type)
    name = operation_id(command_type)

    def view(
        request: HttpRequest,
        production: str,
        payload: BaseModel,
        response: HttpResponse,
        idempotency_key: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        if idempotency_key is None:
            status, body, _ = _execute(request, bodies.build(command_type, payload))
            return status, body
        token = caller(request).token
        digest = idempotency.request_hash(name, payload.model_dump(mode="json"))
        named = idempotency.ledger_name(token, idempotency_key)
        claimed = idempotency.claim(
            token, idempotency_key, digest, lambda: _read_back(request, named)
        )
        if isinstance(claimed, idempotency.Replay):  # the first answer, PINs and all
            response["Idempotent-Replayed"] = "true"
            return claimed.status, claimed.body
        try:
            status, body, replayed = _execute(request, bodies.build(command_type, payload), named)
        except BaseException:
            idempotency.release(claimed)
            raise
        try:
            idempotency.finish(claimed, status, body)
        except DatabaseError:
            # The ledger has committed, and with it the key's name: the answer stands even if
            # it cannot be kept here (a full disk), and a retry reads it back from the ledger.
            logger.error("the answer to Idempotency-Key of %s could not be kept", name)
        if replayed:  # recorded by an earlier request with this key, read back
            response["Idempotent-Replayed"] = "true"
        return status, body

    parameter = inspect.Parameter
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            parameter("request", parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
            parameter("production", parameter.POSITIONAL_OR_KEYWORD, annotation=str),
            parameter("payload", parameter.POSITIONAL_OR_KEYWORD, annotation=body_model),
            parameter("response", parameter.POSITIONAL_OR_KEYWORD, annotation=HttpResponse),
            parameter(
                "idempotency_key",
                parameter.POSITIONAL_OR_KEYWORD,
                annotation=str | None,
                default=Header(
                    None,
                    alias=idempotency.HEADER,
                    pattern=idempotency.PATTERN,
                    description="Any new unique value per command (a UUID): a retry with the "
                    "same key and body gets the first answer and records nothing more.",
                ),
            ),
        ]
    )
    view.__name__ = name
    router.add_api_operation(
        f"/productions/{{production}}/commands/{slug_of(command_type)}",
        ["POST"],
        view,
        auth=DeviceAuth(roles, f"send {command_type.__name__}"),
        response={201: RecordedOut, **COMMAND_ERRORS},
        operation_id=name,
        summary=(inspect.cleandoc(command_type.__doc__ or "").split("\n\n")[0]).replace("\n", " "),
        description=_description(command_type, roles),
        openapi_extra={"x-showclear-roles": sorted(roles)},
    )


for _command_type in bodies.commands():
    _route(_command_type)
