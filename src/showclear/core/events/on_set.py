"""Events of the set: people, shoot days and scenes, incidents and the interlocks.

Listed by kind in :data:`showclear.core.events.EVENTS`, so that ``event_from`` knows every kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from showclear.core.events.base import Event


@dataclass(frozen=True)
class BlankFire:
    """A scene's plan for firing blanks: distances in centimetres and the protection on set."""

    min_distance_cm: int
    close_range_load: bool
    shields: bool
    eye_protection: bool
    ear_protection: bool


@dataclass(frozen=True)
class Assignment:
    """One firearm of a scene's plan and the one performer it goes to."""

    firearm: str
    performer: str


# -- people ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonAdded(Event):
    """A person joined the roster with roles and duties. Their badge and PIN are issued by
    their own events (:class:`CredentialIssued`): no secret is ever in the ledger.

    Ledgers of format 1 also carried ``badge`` and ``pin_hash`` here; they are not read (see
    ``docs/ledger-format.md``: ``showclear verify`` refuses such a ledger).
    """

    kind: ClassVar[str] = "person.added"

    person_id: str
    name: str
    roles: tuple[str, ...]
    duties: tuple[str, ...] = ()
    unit: str = "main"


@dataclass(frozen=True)
class BadgeIssuedInFormat1(Event):
    """A badge code and PIN hash given to a person, in ledgers of format 1 (secrets in the
    ledger). Never recorded any more, and its secrets are never read: the kind stays known only
    so that such a ledger can still be read, and refused by ``showclear verify``."""

    kind: ClassVar[str] = "person.badge-issued"

    person_id: str


@dataclass(frozen=True)
class CredentialIssued(Event):
    """A person was given a badge (``credential`` ``"badge"``, ``credential_id`` its printed
    serial) or a PIN (``"pin"``, a non-secret id). The secret itself is kept in the credential
    store beside the ledger, never here; who issued it is the entry's person."""

    kind: ClassVar[str] = "credential.issued"

    person_id: str
    credential: str
    credential_id: str


@dataclass(frozen=True)
class CredentialRevoked(Event):
    """A person's badge or PIN stopped counting: ``reason`` ``"reprinted"`` / ``"replaced"``
    (a new one was issued), or why it was revoked (lost, left the production, ...)."""

    kind: ClassVar[str] = "credential.revoked"

    person_id: str
    credential: str
    credential_id: str
    reason: str


@dataclass(frozen=True)
class DutyAssigned(Event):
    """A person was given another duty on the production."""

    kind: ClassVar[str] = "person.duty-assigned"

    person_id: str
    duty: str


@dataclass(frozen=True)
class TrainingRecorded(Event):
    """A person's training or licence was recorded (ISO dates)."""

    kind: ClassVar[str] = "training.recorded"

    person_id: str
    course: str
    completed_on: str
    expires_on: str | None


@dataclass(frozen=True)
class ArrivedOnSet(Event):
    """A person is on set, at ``unit`` (the main unit in ledgers from before units)."""

    kind: ClassVar[str] = "person.arrived-on-set"

    person_id: str
    unit: str = "main"


@dataclass(frozen=True)
class LeftSet(Event):
    """A person left the set."""

    kind: ClassVar[str] = "person.left-set"

    person_id: str


# -- shoot days and scenes ------------------------------------------------------------------------


@dataclass(frozen=True)
class ShootDayPlanned(Event):
    """A shoot day is on the schedule."""

    kind: ClassVar[str] = "shoot-day.planned"

    day: str
    date: str


@dataclass(frozen=True)
class ScenePlanned(Event):
    """A scene was planned: its firearms, performers, crew near firearms, condition, blank-fire
    plan and any pointing toward people."""

    kind: ClassVar[str] = "scene.planned"

    scene: str
    day: str
    title: str
    firearms: tuple[str, ...]
    performers: tuple[str, ...]
    crew: tuple[str, ...]
    condition: str
    rounds: int
    blank_fire: BlankFire | None
    pointing: tuple[str, ...]
    worn_rounds: int = 0
    """Counted rounds each performer may wear in gun belts and bags for the scene."""
    worn_lots: tuple[str, ...] = ()
    """The lots those worn rounds may come from."""
    unit: str = "main"
    """The unit that shoots it (old ledgers: the main unit)."""
    assigned: tuple[Assignment, ...] = ()
    """Firearms that go to one performer of the plan only."""


@dataclass(frozen=True)
class ScenePlanChanged(Event):
    """A planned scene's plan was changed, whole, for a reason: any safety meeting held before
    it no longer counts for the scene."""

    kind: ClassVar[str] = "scene.plan-changed"

    scene: str
    day: str
    title: str
    firearms: tuple[str, ...]
    performers: tuple[str, ...]
    crew: tuple[str, ...]
    condition: str
    rounds: int
    blank_fire: BlankFire | None
    pointing: tuple[str, ...]
    worn_rounds: int
    worn_lots: tuple[str, ...]
    reason: str
    unit: str = "main"
    """The unit that shoots it, after the change."""
    assigned: tuple[Assignment, ...] = ()


@dataclass(frozen=True)
class SceneJoined(Event):
    """A person was added to a scene's crew near firearms."""

    kind: ClassVar[str] = "scene.joined"

    scene: str
    person_id: str


@dataclass(frozen=True)
class SafetyMeetingHeld(Event):
    """The safety meeting for a scene was held: attendees, topics, pointing and blank plans."""

    kind: ClassVar[str] = "safety-meeting.held"

    scene: str
    attendees: tuple[str, ...]
    topics: tuple[str, ...]
    pointing_plans: tuple[str, ...]
    blank_fire_reviewed: bool


@dataclass(frozen=True)
class SceneStarted(Event):
    """The shot was ready and firearm work for the scene began."""

    kind: ClassVar[str] = "scene.started"

    scene: str


@dataclass(frozen=True)
class SceneWrapped(Event):
    """The scene ended with its firearms back, unloaded and checked."""

    kind: ClassVar[str] = "scene.wrapped"

    scene: str


@dataclass(frozen=True)
class BreakCalled(Event):
    """A break was called; anything not locked away now needs inspection or re-verification."""

    kind: ClassVar[str] = "break.called"

    reason: str
    unsecured_firearms: tuple[str, ...]
    unsecured_lots: tuple[str, ...]


@dataclass(frozen=True)
class BreakEnded(Event):
    """The break is over."""

    kind: ClassVar[str] = "break.ended"


# -- incidents ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DischargeReported(Event):
    """A firearm fired from named positions, in a planned take or not."""

    kind: ClassVar[str] = "discharge.reported"

    firearm: str
    positions: tuple[str, ...]
    planned: bool
    scene: str
    injury: bool
    description: str
    fired_lots: tuple[str, ...]


@dataclass(frozen=True)
class MisfireReported(Event):
    """A round did not fire; that firearm is held until cleared and its barrel inspected."""

    kind: ClassVar[str] = "misfire.reported"

    firearm: str
    position: str
    scene: str


@dataclass(frozen=True)
class MisfiredRoundRecovered(Event):
    """The round that misfired came out of ``position`` and went ``went_to`` (a ``container``,
    ``evidence`` or ``disposal``); ``lot`` is the lot it was counted in (``""``: no lot on record
    accounts for it). It left the lot's count of usable rounds for good."""

    kind: ClassVar[str] = "misfire.round-recovered"

    firearm: str
    position: str
    lot: str
    went_to: str
    container: str
    note: str


@dataclass(frozen=True)
class HandlingReported(Event):
    """Someone not an armorer was reported to have handled rounds (``act``: loaded, reloaded,
    unloaded, took rounds out of or put rounds into); the firearm and the belt or bag named are
    held for ``incident`` until an armorer clears and inspects, or counts, them."""

    kind: ClassVar[str] = "handling.reported"

    incident: str
    person_id: str
    act: str
    firearm: str
    container: str
    scene: str
    description: str


@dataclass(frozen=True)
class RoundFound(Event):
    """A round was found and removed: what it looked like, where, and the lot it was counted in
    (``""`` when it belongs to no lot on record)."""

    kind: ClassVar[str] = "round.found"

    observed: str
    where: str
    firearm: str
    position: str
    container: str
    lot: str


@dataclass(frozen=True)
class ComplaintMade(Event):
    """A safety complaint was made and escalated to the safety supervisors."""

    kind: ClassVar[str] = "complaint.made"

    incident: str
    text: str
    scene: str
    escalated_to: tuple[str, ...]
    about: tuple[str, ...] = ()
    """The people the complaint is about (none of them closes it)."""


@dataclass(frozen=True)
class IncidentOpened(Event):
    """An incident was opened; firearm work waits until it is closed and a meeting is held."""

    kind: ClassVar[str] = "incident.opened"

    incident: str
    category: str
    summary: str
    firearm: str
    involved: tuple[str, ...] = ()
    """Who it concerns beyond what its firearm and evidence say (the counter of a count that
    did not match, the people a complaint is about): none of them closes it (R-SEPARATION)."""


@dataclass(frozen=True)
class IncidentClosed(Event):
    """An incident was investigated and closed with findings."""

    kind: ClassVar[str] = "incident.closed"

    incident: str
    findings: str
    second_id: str = ""
    """The second person who confirmed the closing in person (R-SEPARATION); "" in old ledgers."""
    second_via: str = ""


@dataclass(frozen=True)
class WorkStopped(Event):
    """STOP WORK: no firearm goes to anyone until work resumes. ``lockdown`` freezes the whole
    production as evidence until the evidence is released to the investigators."""

    kind: ClassVar[str] = "work.stopped"

    reason: str
    lockdown: bool
    involved: tuple[str, ...] = ()
    """The people whose custody or act the stop came from (who held or handed over the firearm
    that fired, who had the lot a live round was found in): neither signer of the resumption."""
    unit: str = ""
    """The one unit stopped; ``""``: the whole production."""


@dataclass(frozen=True)
class WorkResumed(Event):
    """Work resumed, signed by a safety supervisor and an armorer, every firearm inspected and
    secured."""

    kind: ClassVar[str] = "work.resumed"

    co_signer_id: str
    co_signer_via: str = ""
    unit: str = ""
    """The one unit resumed; ``""``: the whole production."""


@dataclass(frozen=True)
class RuleOverridden(Event):
    """A safety supervisor waived one overridable rule, once, for one subject, with a reason."""

    kind: ClassVar[str] = "rule.overridden"

    rule_id: str
    subject: str
    reason: str
    second_id: str = ""
    """The second person who confirmed the override in person (R-SEPARATION); "" in old
    ledgers. Neither they nor the safety supervisor who gave it may use it on their own act."""
    second_via: str = ""


@dataclass(frozen=True)
class OverrideApplied(Event):
    """A recorded override was used up by the command recorded with it."""

    kind: ClassVar[str] = "rule.override-applied"

    rule_id: str
    subject: str
    message: str


@dataclass(frozen=True)
class RuleWarned(Event):
    """A warning rule was broken; the command was recorded and the warning with it."""

    kind: ClassVar[str] = "rule.warned"

    rule_id: str
    subject: str
    message: str


__all__ = [
    "ArrivedOnSet",
    "Assignment",
    "BadgeIssuedInFormat1",
    "BlankFire",
    "BreakCalled",
    "BreakEnded",
    "ComplaintMade",
    "CredentialIssued",
    "CredentialRevoked",
    "DischargeReported",
    "DutyAssigned",
    "HandlingReported",
    "IncidentClosed",
    "IncidentOpened",
    "LeftSet",
    "MisfireReported",
    "MisfiredRoundRecovered",
    "OverrideApplied",
    "PersonAdded",
    "RoundFound",
    "RuleOverridden",
    "RuleWarned",
    "SafetyMeetingHeld",
    "SceneJoined",
    "ScenePlanChanged",
    "ScenePlanned",
    "SceneStarted",
    "SceneWrapped",
    "ShootDayPlanned",
    "TrainingRecorded",
    "WorkResumed",
    "WorkStopped",
]
