"""The shapes the queries answer with: :func:`showclear.core.read.status.production_status`, typed.

The status module builds plain dicts (the CLI prints them as ``--json``); these schemas only
describe them for the OpenAPI document and check every answer against its description.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class PersonRef(Schema):
    """A person as other records name them."""

    person_id: str
    name: str
    roles: list[str]
    label: str


class ContainerRef(Schema):
    """A container as other records name it."""

    tag: str
    label: str
    locked: bool


class InspectionOut(Schema):
    """A firearm's latest inspection."""

    at: str | None
    by: str
    name: str
    barrel_clear: bool


class FirearmOut(Schema):
    """A firearm now: where, with whom, in what condition."""

    tag: str
    label: str
    type: str
    make: str
    model: str
    serial: str
    calibre: str
    firearm_class: str = Field(alias="class")
    owner: str
    status: str = Field(description="active | returned | impounded")
    where: str
    unit: str = Field(default="main", description="the unit it is at (its holder's or container's)")
    holder: PersonRef | None
    container: ContainerRef | None
    scene: str
    out_for_scene: bool = Field(
        default=False, description="a performer holds it for a running scene: not counted now"
    )
    condition: str = Field(description="cold | dummies | hot | mixed")
    rounds: int
    capacity: int
    described: str
    positions: dict[str, str] = Field(description="loaded position -> lot tag")
    needs_inspection: str | None
    last_inspection: InspectionOut | None


class LotOut(Schema):
    """An ammunition lot now: provenance and where every round went."""

    tag: str
    label: str
    kind: str
    calibre: str
    load: str
    supplier: str
    document: str
    delivered_on: str
    where: str
    holder: PersonRef | None
    container: ContainerRef | None
    received: int
    in_box: int
    in_firearms: int
    in_containers: dict[str, int]
    fired: int
    removed: int
    returned: int
    unaccounted: int
    unverified: int
    usable: bool
    hold: str | None
    live_found: bool


class ContainerOut(Schema):
    """A container now: custodian, lock, contents."""

    tag: str
    label: str
    kind: str
    description: str
    locked: bool
    custodian: PersonRef | None
    firearms: list[str]
    lots: list[str]
    rounds: dict[str, int]
    out_for_scene: bool = Field(
        default=False, description="its custodian wears it for a running scene: not counted now"
    )


class SceneOut(Schema):
    """A scene on the schedule."""

    scene: str
    day: str
    date: str
    title: str
    status: str = Field(description="planned | started | wrapped")
    condition: str
    rounds: int
    firearms: list[str]
    performers: list[str]
    unit: str = Field(default="main", description="the unit that shoots it")


class UnitOut(Schema):
    """A unit of the production, shooting at its own location ("main" always exists)."""

    unit: str
    name: str
    location: str
    label: str
    stopped: bool = Field(description="whether a STOP WORK for this unit alone is in force")
    armorers_on_set: list[str]


class SceneDetail(SceneOut):
    """A scene with its crew near firearms and its safety meetings."""

    crew: list[str]
    pointing: list[str]
    meetings: list[MeetingOut]


class MeetingOut(Schema):
    """A safety meeting held for a scene."""

    seq: int
    at: str
    attendees: list[str]
    pointing_plans: list[str]
    blank_fire_reviewed: bool


class TrainingOut(Schema):
    """A course or licence a person holds."""

    course: str
    completed_on: str
    expires_on: str | None


class PersonOut(PersonRef):
    """A person on the roster: never a badge code or PIN, which are kept out of the ledger and
    out of every answer (only the badge's printed serial is shown)."""

    duties: list[str]
    trainings: list[TrainingOut]
    on_set: bool
    unit: str = Field(default="main", description="the unit they are at (or were at last)")
    has_badge: bool
    badge_serial: str
    has_pin: bool


class StopWorkOut(Schema):
    """STOP WORK in force."""

    reason: str
    at: str | None
    by: str
    lockdown: bool


class ProductionOut(Schema):
    """The production now (the shape of ``showclear status --json``)."""

    production: str
    entries: int
    as_of: str | None
    stop_work: StopWorkOut | None
    on_break: str | None
    firearms: list[FirearmOut]
    lots: list[LotOut]
    containers: list[ContainerOut]
    scenes: list[SceneOut]
    people: list[PersonRef]
    units: list[UnitOut]
    alerts: list[str]


class EntryOut(Schema):
    """One ledger entry: its position, kind, time, who recorded it, on what device, and what."""

    seq: int
    kind: str
    recorded_at: str
    person: str
    device: str
    payload: dict[str, Any]


class HistoryOut(Schema):
    """A page of ledger entries, oldest first; pass ``next_after`` as ``after`` for the next."""

    entries: list[EntryOut]
    next_after: int | None = Field(description="null when there is nothing more to read")


class WarningOut(Schema):
    """A warning recorded with a command (it was not refused)."""

    rule_id: str
    subject: str
    message: str


class RecordedOut(Schema):
    """What a command recorded: its sealed entries, the signed checkpoint, any warnings."""

    entries: list[EntryOut]
    checkpoint: str
    warnings: list[WarningOut]


SceneDetail.model_rebuild()
