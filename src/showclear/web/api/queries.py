"""The queries: the production now, one firearm, lot, container, person or scene, and history.

Any valid token of the production may read. The answers are :mod:`showclear.core.read.status`'s shapes
(the CLI's ``status --json``), read from the service's in-memory state, which costs the same at
a million entries as at a hundred; history reads the ledger itself (:mod:`.history`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from showclear.core.read.status import production_status
from showclear.core.vocabulary import ROLES
from showclear.web.api import history
from showclear.web.api.auth import Caller, DeviceAuth, caller
from showclear.web.api.errors import QUERY_ERRORS, ApiError
from showclear.web.api.schemas import (
    ContainerOut,
    FirearmOut,
    HistoryOut,
    LotOut,
    PersonOut,
    ProductionOut,
    SceneDetail,
)

router = Router(tags=["Queries"], auth=DeviceAuth(doing="read this production"))
OK: dict[int, Any] = {**QUERY_ERRORS}
ANY_ROLE = {"x-showclear-roles": sorted(ROLES)}
"""Who may read: any valid token of the production, whatever its role."""


def _status(who: Caller) -> dict[str, Any]:
    """The production's status now (read under the service's lock: commands move it on)."""
    with who.service.reading(who.production) as state:
        return production_status(state)


def _one(items: list[dict[str, Any]], key: str, value: str, what: str) -> dict[str, Any]:
    for item in items:
        if item[key] == value:
            return item
    raise ApiError(404, f"There is no {what} {value!r} on this production.")


@router.get(
    "/productions/{production}",
    response={200: ProductionOut, **OK},
    openapi_extra=ANY_ROLE,
    by_alias=True,
)
def production_now(request: HttpRequest, production: str) -> dict[str, Any]:
    """The production now: every firearm, lot, container, scene, person, and what needs attention."""
    return _status(caller(request))


@router.get(
    "/productions/{production}/firearms/{tag}",
    response={200: FirearmOut, **OK},
    openapi_extra=ANY_ROLE,
    by_alias=True,
)
def firearm(request: HttpRequest, production: str, tag: str) -> dict[str, Any]:
    """One firearm now: where, with whom, loaded with what, last inspected when."""
    return _one(_status(caller(request))["firearms"], "tag", tag, "firearm")


@router.get(
    "/productions/{production}/lots/{tag}", response={200: LotOut, **OK}, openapi_extra=ANY_ROLE
)
def lot(request: HttpRequest, production: str, tag: str) -> dict[str, Any]:
    """One ammunition lot now: provenance and where every round went."""
    return _one(_status(caller(request))["lots"], "tag", tag, "lot")


@router.get(
    "/productions/{production}/containers/{tag}",
    response={200: ContainerOut, **OK},
    openapi_extra=ANY_ROLE,
)
def container(request: HttpRequest, production: str, tag: str) -> dict[str, Any]:
    """One container now: custodian, lock and contents."""
    return _one(_status(caller(request))["containers"], "tag", tag, "container")


@router.get(
    "/productions/{production}/people/{person_id}",
    response={200: PersonOut, **OK},
    openapi_extra=ANY_ROLE,
)
def person(request: HttpRequest, production: str, person_id: str) -> dict[str, Any]:
    """One person on the roster: roles, duties, training, whether on set (never credentials)."""
    who = caller(request)
    with who.service.reading(who.production) as state:
        found = _one(production_status(state)["people"], "person_id", person_id, "person")
        on_roster = state.people[person_id]
        return {
            **found,
            "duties": list(on_roster.duties),
            "trainings": [
                {"course": t.course, "completed_on": t.completed_on, "expires_on": t.expires_on}
                for t in on_roster.trainings.values()
            ],
            "on_set": on_roster.on_set,
            "unit": on_roster.unit,
            "has_badge": bool(on_roster.badge_id),
            "badge_serial": on_roster.badge_id,
            "has_pin": bool(on_roster.pin_id),
        }


@router.get(
    "/productions/{production}/scenes/{scene}",
    response={200: SceneDetail, **OK},
    openapi_extra=ANY_ROLE,
)
def scene(request: HttpRequest, production: str, scene: str) -> dict[str, Any]:
    """One scene: its plan, status, people near firearms and safety meetings."""
    who = caller(request)
    with who.service.reading(who.production) as state:
        found = _one(production_status(state)["scenes"], "scene", scene, "scene")
        planned = state.scenes[scene]
        return {
            **found,
            "crew": list(planned.crew),
            "pointing": list(planned.pointing),
            "meetings": [
                {
                    "seq": meeting.seq,
                    "at": meeting.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "attendees": sorted(meeting.attendees),
                    "pointing_plans": list(meeting.pointing_plans),
                    "blank_fire_reviewed": meeting.blank_fire_reviewed,
                }
                for meeting in planned.meetings
            ],
        }


class HistoryQuery(Schema):
    """Which entries a page of history holds."""

    after: int = Field(-1, ge=-1, le=2**53 - 1, description="the last seq already read")
    limit: int = Field(100, ge=1, le=500)
    since: datetime | None = Field(None, description="recorded at or after (ISO 8601, UTC)")
    until: datetime | None = Field(None, description="recorded at or before (ISO 8601, UTC)")
    firearm: str | None = Field(None, max_length=200, description="entries naming this firearm")
    lot: str | None = Field(None, max_length=200, description="entries naming this lot")
    person: str | None = Field(
        None, max_length=200, description="entries this person recorded or that name them"
    )
    kind: str | None = Field(None, max_length=200, description="one event kind")

    @field_validator("since", "until")
    @classmethod
    def _in_utc(cls, moment: datetime | None) -> datetime | None:
        """The moment in UTC (none given: UTC), or a field error for one that is not a time
        in UTC at all: 0001-01-01T00:00+01:00 is in the year 0 there, past what a ledger holds."""
        if moment is None:
            return None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValueError(
                "the time is outside 0001-01-01 to 9999-12-31 in UTC: give a time in those years"
            ) from None


@router.get(
    "/productions/{production}/history", response={200: HistoryOut, **OK}, openapi_extra=ANY_ROLE
)
def ledger_history(
    request: HttpRequest, production: str, filters: Query[HistoryQuery]
) -> dict[str, Any]:
    """Ledger entries, oldest first, a page at a time; filter by time, firearm, lot, person, kind."""
    who = caller(request)
    found, next_after = history.page(
        who.production,
        history.Filters(
            since=filters.since,
            until=filters.until,
            firearm=filters.firearm,
            lot=filters.lot,
            person=filters.person,
            kind=filters.kind,
        ),
        after=filters.after,
        limit=filters.limit,
        sealed=who.service.sealed_size(who.production),
    )
    return {"entries": [history.shown(entry) for entry in found], "next_after": next_after}
