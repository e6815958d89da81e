"""A person confirming in person with their PIN, over the API: checked and throttled exactly as
on the armorer's phone in the set pages (:mod:`showclear.web.floor.firearm_confirm`, the same
counts in the same shared cache), so a dedicated device can run the show-clear → hand-over
flow: the performer and the first AD type their PINs on it.

Two ways in: a command body's confirmation takes ``pin`` instead of ``credential`` (checked
here before the core sees the stored credential), and ``POST .../confirmations`` checks one
person's PIN or badge and records nothing, so a device can confirm each person as they type,
the way the set pages do, before it sends the command.

Answers: a wrong PIN 422 naming the field (``performer.pin``), nothing recorded; PIN entry
locked for that person 429 with ``Retry-After`` (their badge still works).
"""

from __future__ import annotations

import copy
import hmac
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from showclear.api.auth import Caller, DeviceAuth, caller
from showclear.api.bodies import Confirmation, PinCheck
from showclear.api.errors import AUTH_ERRORS, ApiError, Problem
from showclear.api.roles import gate
from showclear.core.commands import ShowClear
from showclear.core.state import Person
from showclear.web.floor.firearm_confirm import check, locked_for


def _minutes(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _person(who: Caller, person_id: str) -> Person | None:
    """A copy of the person as the roster has them now (read under the service's lock)."""
    with who.service.reading(who.production) as state:
        found = state.people.get(person_id)
        return copy.copy(found) if found is not None else None


def _is_badge(person: Person, code: str) -> bool:
    """Whether ``code`` is the person's badge (compared as bytes: any text, in constant time)."""
    return bool(person.badge) and hmac.compare_digest(code.encode(), person.badge.encode())


def _checked(who: Caller, person: Person, code: str, field: str) -> tuple[str, str]:
    """(credential, via) for ``person`` who typed ``code``, or the API's error."""
    slug = who.production.slug
    left = locked_for(slug, person.person_id)
    if left and not _is_badge(person, code):
        raise ApiError(
            429,
            f"Too many wrong PINs for {person.name}: PIN entry is locked for {_minutes(left)} "
            "more. Confirm with their badge instead. Nothing was recorded.",
            errors=[(field, "PIN entry is locked")],
            headers={"Retry-After": str(left)},
        )
    checked = check(slug, person, code)
    if not checked.confirmed:
        raise ApiError(422, checked.problem, errors=[(field, checked.problem)])
    return checked.credential, checked.via


def pin_check(who: Caller) -> PinCheck:
    """Checks a PIN typed in a command body for the request's production.

    An unknown person gets no credential: the core refuses the command and says who is unknown,
    exactly as for a badge.
    """

    def credential(person_id: str, pin: str, field: str) -> str:
        person = _person(who, person_id)
        if person is None:
            return ""
        return _checked(who, person, pin, f"{field}.pin")[0]

    return credential


router = Router(tags=["Confirmations"])

CONFIRMERS = gate(ShowClear)
"""Who may ask: the roles that show a firearm clear (the device in the armorer's hands)."""


class Confirmed(Schema):
    """The person confirmed in person; nothing was recorded."""

    person_id: str
    name: str
    via: str  # "PIN" or "badge"


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
    """A person confirms in person on this device, as on the armorer's phone: their PIN (checked
    and throttled like the set pages) or their badge code. Records nothing: send the command
    (show-clear, ...) with the same confirmation afterwards."""
    who = caller(request)
    person = _person(who, payload.person_id)
    if person is None:
        raise ApiError(
            422,
            f"There is no person {payload.person_id!r} on the roster.",
            errors=[("person_id", "not on the roster")],
        )
    if payload.pin:
        via = _checked(who, person, payload.pin, "pin")[1]
    elif _is_badge(person, payload.credential):
        via = "badge"
    else:
        raise ApiError(
            422,
            f"That badge is not {person.name}'s.",
            errors=[("credential", "not their badge")],
        )
    return {"person_id": person.person_id, "name": person.name, "via": via}
