"""People confirming in person over the API, and their badges and PINs issued.

A dedicated device runs the show-clear → hand-over flow: the performer and the first AD type
their PINs on it, or their badges are scanned into it. The API passes what they presented, as
it came, to the application service, which checks it against the credential store and
throttles it exactly as on the set pages (:mod:`showclear.service.credential_desk`: the same counts in
the same database).

Two ways in: a command body's confirmation carries ``pin``, ``credential`` (a badge code) or
``presence``, and ``POST .../confirmations`` checks one person and records nothing, answering a
one-time ``presence`` token this device's next command may carry for them instead (within 15
minutes), so a device can confirm each person as they type, the way the set pages do.

Answers: a wrong PIN or badge 422 naming the field (``performer.pin``), nothing recorded; PIN
or badge entry locked for that person 429 with ``Retry-After`` (their badge still works).

Badges and PINs are issued here, by the roles that keep the roster: ``POST
.../people/{person_id}/badge`` answers the new badge's code once (print it; it is never shown
again, and the person's old badge stops working), ``POST .../people/{person_id}/pin`` sets the
PIN the person chose.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from showclear.core.commands import Command, IssueBadge, IssuePin, ShowClear
from showclear.core.commands import Confirmation as CoreConfirmation
from showclear.core.decide import Refused
from showclear.service.credential_desk import Failed, NotPresent
from showclear.service.credentials import PIN, CredentialError, read
from showclear.web.api.auth import DeviceAuth, caller
from showclear.web.api.bodies import Body, Confirmation, Text, TypedPin
from showclear.web.api.errors import AUTH_ERRORS, COMMAND_ERRORS, ApiError, Problem, refusal
from showclear.web.api.roles import gate

router = Router(tags=["Confirmations"])

CONFIRMERS = gate(ShowClear)
"""Who may ask: the roles that show a firearm clear (the device in the armorer's hands)."""
BADGE_ISSUERS = gate(IssueBadge)
PIN_ISSUERS = gate(IssuePin)


def not_present(command: Command, refused: NotPresent) -> ApiError:
    """The API's answer to a command whose PINs or badges did not check out: 429 with
    ``Retry-After`` when entry is locked, else 422 naming each field (``performer.pin``)."""
    fields: dict[str, str] = {}
    for found in dataclasses.fields(command):  # type: ignore[arg-type]
        value = getattr(command, found.name)
        if isinstance(value, CoreConfirmation):
            presented = read(value.presented)
            kind = "credential" if presented is None else presented.kind
            what = {PIN: "pin", "presence": "presence"}.get(kind, "credential")
            fields.setdefault(value.person_id, f"{found.name}.{what}")
    errors = [(fields.get(f.person_id, "body"), f.problem) for f in refused.failures]
    detail = " ".join(f.problem for f in refused.failures)
    if refused.retry_after:
        return ApiError(
            429, detail, errors=errors, headers={"Retry-After": str(refused.retry_after)}
        )
    return ApiError(422, detail, errors=errors)


class Confirmed(Schema):
    """The person confirmed in person; nothing was recorded."""

    person_id: str
    name: str
    via: str  # "pin-typed", "badge-scanned" or "badge-typed"
    presence: str  # one-time, for this device's next command, within 15 minutes


@router.post(
    "/productions/{production}/confirmations",
    response={200: Confirmed, **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(CONFIRMERS, "check a person's PIN"),
    operation_id="confirm_in_person",
    summary="Check that a person is here: their PIN or badge, throttled; records nothing",
    openapi_extra={"x-showclear-roles": sorted(CONFIRMERS)},
)
def confirm_in_person(
    request: HttpRequest, production: str, payload: Confirmation
) -> dict[str, Any]:
    """A person confirms in person on this device, as on the armorer's phone: their PIN or
    their badge code, checked and throttled like the set pages. Records nothing: the answer's
    ``presence`` token stands for this confirmation in this device's next command (as the
    person's ``presence``), once, within 15 minutes."""
    who = caller(request)
    found = who.service.credentials.confirm_in_person(
        who.production, payload.person_id, payload.presented, actor=who.token.person_id
    )
    if isinstance(found, Failed):
        field = "pin" if payload.pin else "presence" if payload.presence else "credential"
        if found.person_id and found.person_id not in _roster(request):
            field = "person_id"
        if found.retry_after:
            raise ApiError(
                429,
                found.problem,
                errors=[(field, "entry is locked")],
                headers={"Retry-After": str(found.retry_after)},
            )
        raise ApiError(422, found.problem, errors=[(field, found.problem)])
    with who.service.reading(who.production) as state:
        name = state.people[found.person_id].name
    return {
        "person_id": found.person_id,
        "name": name,
        "via": found.method,
        "presence": found.token,
    }


def _roster(request: HttpRequest) -> set[str]:
    who = caller(request)
    with who.service.reading(who.production) as state:
        return set(state.people)


class NewBadge(Schema):
    """A badge just issued: print ``code`` (as a QR of ``qr``) now; it is never shown again."""

    person_id: str
    serial: str
    code: str
    qr: str
    checkpoint: str


class NewPin(Body):
    """The PIN the person chose (4 to 12 digits). It replaces any PIN they had."""

    pin: TypedPin = Field(..., min_length=4)


class PinSet(Schema):
    """A PIN was issued (its id only: the PIN itself is kept hashed, beside the ledger)."""

    person_id: str
    pin_id: str
    checkpoint: str


@router.post(
    "/productions/{production}/people/{person_id}/badge",
    response={201: NewBadge, **COMMAND_ERRORS},
    auth=DeviceAuth(BADGE_ISSUERS, "issue badges"),
    operation_id="issue_badge",
    summary="Issue (or reprint) a person's badge: its code is answered once; the old one stops",
    openapi_extra={"x-showclear-roles": sorted(BADGE_ISSUERS)},
)
def issue_badge(request: HttpRequest, production: str, person_id: Text) -> tuple[int, Any]:
    """A new badge for the person. The answer holds its code, once: print it on the badge. Any
    badge the person had is revoked in the same entry, so an old or photocopied badge is
    refused from now on. The ledger records the badge's serial only."""
    who = caller(request)
    try:
        issued = who.service.credentials.issue_badge(
            who.production,
            person_id,
            by=who.token.person_id,
            device=who.token.device,
            role=who.token.role,  # the token acts in its one role
        )
    except Refused as refused:
        return 409, refusal(refused)
    return 201, {
        "person_id": person_id,
        "serial": issued.serial,
        "code": issued.code,
        "qr": f"SC1:B:{issued.code}",
        "checkpoint": issued.executed.checkpoint,
    }


@router.post(
    "/productions/{production}/people/{person_id}/pin",
    response={201: PinSet, **COMMAND_ERRORS},
    auth=DeviceAuth(PIN_ISSUERS, "issue PINs"),
    operation_id="issue_pin",
    summary="Set the PIN a person chose (replacing any before)",
    openapi_extra={"x-showclear-roles": sorted(PIN_ISSUERS)},
)
def issue_pin(
    request: HttpRequest, production: str, person_id: Text, payload: NewPin
) -> tuple[int, Any]:
    """The person's new PIN, typed by them. Kept only as a keyed slow hash beside the ledger;
    the ledger records that a PIN was issued, by whom, and its id."""
    who = caller(request)
    try:
        executed = who.service.credentials.issue_pin(
            who.production,
            person_id,
            payload.pin,
            by=who.token.person_id,
            device=who.token.device,
            role=who.token.role,
        )
    except CredentialError as error:
        raise ApiError(422, str(error), errors=[("pin", str(error))]) from error
    except Refused as refused:
        return 409, refusal(refused)
    issued = next(e for e in executed.events if e.kind == "credential.issued")
    return 201, {
        "person_id": person_id,
        "pin_id": getattr(issued, "credential_id", ""),
        "checkpoint": executed.checkpoint,
    }
