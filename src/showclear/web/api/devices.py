"""Device tokens managed over the API by a token acting as armorer or safety supervisor: make
one (its secret is in the answer, once), list them (never a secret), revoke one.

The same rules as ``showclear token``: a token speaks for a person of this production in a role
that person holds. One more, because a token records in its person's name: an armorer's token
cannot make a token acting as safety supervisor (the role that may override the rules an
armorer is bound by); only a safety supervisor's token can.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params.functions import Path
from pydantic import Field

from showclear.core.decide.people import vouchers, vouches_for
from showclear.core.vocabulary import ROLE_NAMES, SAFETY_SUPERVISOR
from showclear.service import InputError
from showclear.web.api import tokens
from showclear.web.api.auth import DeviceAuth, caller
from showclear.web.api.bodies import MAX_INTEGER, Body, Text
from showclear.web.api.errors import AUTH_ERRORS, ApiError, Problem
from showclear.web.api.models import DeviceToken
from showclear.web.api.roles import MANAGERS

router = Router(tags=["Device tokens"])
MANAGING = {"x-showclear-roles": sorted(MANAGERS)}

RoleName = Literal[
    "armorer", "assistant-armorer", "first-ad", "cast", "stunt", "safety-supervisor",
    "producer", "investigator", "crew",
]  # fmt: skip


class TokenIn(Body):
    """A token to make: for which person, acting in which of their roles, on which device."""

    person_id: Text = Field(max_length=80)
    role: RoleName
    name: Text = Field(
        max_length=80,
        pattern=tokens.NAME_PATTERN,
        description="the device's name, recorded with its entries (letters, digits, spaces, "
        "dots, dashes, underscores)",
    )


class TokenOut(Schema):
    """A device token (never its secret)."""

    id: int
    name: str
    person_id: str
    role: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None
    live: bool


class MadeToken(Schema):
    """A token just made, with its secret: shown in this answer and never again."""

    token: TokenOut
    secret: str


def shown(token: DeviceToken) -> dict[str, Any]:
    """A token as the API shows it."""
    return {
        "id": token.pk,
        "name": token.name,
        "person_id": token.person_id,
        "role": token.role,
        "created_at": token.created_at,
        "created_by": token.created_by,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "live": token.revoked_at is None,
    }


TokenId = Path(..., ge=1, le=MAX_INTEGER, description="the token's id, from the list")


@router.post(
    "/productions/{production}/tokens",
    response={201: MadeToken, **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(MANAGERS, "make device tokens"),
    operation_id="create_token",
    summary="Make a device token (its secret is in this answer, once)",
    openapi_extra=MANAGING,
)
def create_token(request: HttpRequest, production: str, payload: TokenIn) -> tuple[int, Any]:
    """Make a token for a person of this production acting in one role they hold, for a named
    device. The answer holds its secret: copy it into the device now, it is never shown again.
    Only a safety supervisor's token may make a token acting as safety supervisor, and a token
    acts in a role only if its maker's role may vouch for it (R-ROLE: a safety supervisor's
    token makes no armorer's)."""
    who = caller(request)
    if payload.role == SAFETY_SUPERVISOR and who.token.role != SAFETY_SUPERVISOR:
        raise ApiError(
            403,
            f"A token acting as {ROLE_NAMES[who.token.role]} cannot make a token acting as "
            "safety supervisor: only a safety supervisor's token can. Nothing was made.",
        )
    if not vouches_for(who.token.role, payload.role):
        raise ApiError(
            403,
            f"A token acting as {ROLE_NAMES[who.token.role]} cannot make a token acting as "
            f"{ROLE_NAMES[payload.role]}: only {vouchers(payload.role)} can, because whoever "
            "makes it could act as them (R-ROLE). Nothing was made.",
        )
    maker = f"api:{who.token.name} ({who.token.person_id})"
    try:
        with who.service.reading(who.production) as state:
            made = tokens.make(
                state,
                who.production.slug,
                person_id=payload.person_id,
                role=payload.role,
                name=payload.name,
                created_by=maker,
            )
    except tokens.TokenRefused as refused:
        raise ApiError(
            422, f"No token was made: {refused}.", errors=[(refused.field, str(refused))]
        ) from refused
    return 201, {"token": shown(made.token), "secret": made.secret}


@router.get(
    "/productions/{production}/tokens",
    response={200: list[TokenOut], **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(MANAGERS, "list device tokens"),
    operation_id="list_tokens",
    summary="The production's device tokens, live first (never their secrets)",
    openapi_extra=MANAGING,
)
def list_tokens(request: HttpRequest, production: str) -> list[dict[str, Any]]:
    """Every device token of this production, live ones first, then newest first: who it speaks
    for, in which role, who made it, when it was last used, whether it was revoked."""
    return [shown(token) for token in tokens.listed(caller(request).production.slug)]


@router.delete(
    "/productions/{production}/tokens/{token_id}",
    response={200: TokenOut, **AUTH_ERRORS, 422: Problem},
    auth=DeviceAuth(MANAGERS, "revoke device tokens"),
    operation_id="revoke_token",
    summary="Revoke a device token: it stops working at once",
    openapi_extra=MANAGING,
)
def revoke_token(request: HttpRequest, production: str, token_id: int = TokenId) -> Any:
    """Revoke one of this production's device tokens; it stops working at once. Revoking a
    revoked token changes nothing and answers the same."""
    who = caller(request)
    try:
        return shown(tokens.revoke_one(who.production.slug, token_id))
    except InputError as error:
        raise ApiError(404, f"There is no device token {token_id} on this production.") from error
