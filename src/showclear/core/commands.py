"""Commands: what someone on a production asks Showclear to record, in the imperative.

A command names things by their tags and person ids; who gives it, on what device and when is
the :class:`~showclear.core.decide.Context` around it. Witnesses and performers who confirm a
show-clear prove their presence with a :class:`Confirmation`, because they are not the person at
the keyboard: the application service checks what they presented against the credential store
and tells the core, in the context, who confirmed in person and how. The core never sees a
secret and never takes a command's word for a confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Command:
    """Base of every command."""


@dataclass(frozen=True)
class Confirmation:
    """A person confirming in person, with what they presented: the PIN they typed, their badge
    code as scanned (``SC1:B:...``) or typed, or a presence token from an earlier check.

    ``presented`` is for the application service only: it checks it (throttled) before
    ``decide`` and passes the outcome in :attr:`~showclear.core.decide.verdict.Context.present`. The
    core reads only ``person_id``, and whether the context says that person confirmed.
    """

    person_id: str
    presented: str = field(default="", repr=False)


@dataclass(frozen=True)
class BlankFirePlan:
    """How blanks will be fired in a scene: distances in centimetres, protection on set."""

    min_distance_cm: int
    close_range_load: bool = False
    shields: bool = False
    eye_protection: bool = False
    ear_protection: bool = False


@dataclass(frozen=True)
class FirearmFor:
    """One firearm of a scene's plan and the one performer of the plan it goes to."""

    firearm: str
    performer: str


@dataclass(frozen=True)
class LotCount:
    """Rounds of one lot counted by hand at a reconciliation: everywhere the lot is, or, with
    ``container``, the counted rounds of it in that one container (a belt, a bag)."""

    lot: str
    counted: int
    container: str = ""


# -- the production and its people ---------------------------------------------------------------


@dataclass(frozen=True)
class CreateProduction(Command):
    """Open a production's ledger, naming its key armorer (the first entry)."""

    name: str
    origin: str
    armorer_id: str
    armorer_name: str
    verifier_key: str


@dataclass(frozen=True)
class SetTimeZone(Command):
    """Say where the production works: its time zone, by its IANA name (``America/Denver``).
    Every time Showclear shows is said in it; a production that never set one works in UTC."""

    zone: str


@dataclass(frozen=True)
class AddPerson(Command):
    """Put a person on the production's roster with their roles (their badge and PIN are issued
    after, through the application service: no secret goes into a command or the ledger)."""

    name: str
    roles: tuple[str, ...]
    person_id: str = ""
    duties: tuple[str, ...] = ()
    unit: str = "main"
    """The unit they work with (``"main"`` unless said): where they are until they arrive
    somewhere else."""


@dataclass(frozen=True)
class IssueBadge(Command):
    """Record that a person was given a new badge, by its printed ``serial``; any badge they had
    is revoked with it (a reprint makes the old one, and every copy of it, worthless). Given by
    the application service, which keeps the badge's secret in the credential store."""

    person_id: str
    serial: str


@dataclass(frozen=True)
class IssuePin(Command):
    """Record that a person was given a new PIN, by its non-secret ``pin_id``; any PIN they had
    is revoked with it. Given by the application service, which keeps the PIN's hash."""

    person_id: str
    pin_id: str


@dataclass(frozen=True)
class RevokeCredential(Command):
    """Stop a person's badge or PIN (``credential``: ``"badge"`` or ``"pin"``) from counting:
    lost, stolen, or they left the production."""

    person_id: str
    credential: str
    reason: str


@dataclass(frozen=True)
class AssignDuty(Command):
    """Give a person another duty on the production (props, set dressing, ...)."""

    person_id: str
    duty: str


@dataclass(frozen=True)
class RecordTraining(Command):
    """Record a person's training or licence: course, completion date, expiry (ISO dates)."""

    person_id: str
    course: str
    completed_on: str
    expires_on: str | None = None


@dataclass(frozen=True)
class ArriveOnSet(Command):
    """Record that a person (usually an armorer) is on set, at ``unit``'s location (the main
    unit unless said): arriving at one unit is leaving any other.

    Presence is one's own (R-PRESENCE): the person records it on their own signed-in session or
    device, or confirms it in person with their badge or PIN in ``in_person`` (at a shared
    tablet by the set's door); an armorer may record it for the armory crew (armorers and
    assistant armorers). Nobody else records it on someone's behalf.
    """

    person_id: str
    in_person: Confirmation | None = None
    unit: str = "main"


@dataclass(frozen=True)
class LeaveSet(Command):
    """Record that a person leaves the set: by themselves (on their own session or device, or
    confirming in person in ``in_person``), or by an armorer for the armory crew (R-PRESENCE)."""

    person_id: str
    in_person: Confirmation | None = None


# -- firearms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiveFirearm(Command):
    """Take a firearm into the production from its owner (usually a rental house)."""

    tag: str
    serial: str
    make: str
    model: str
    firearm_type: str
    calibre: str
    firearm_class: str
    positions: tuple[str, ...]
    owner: str
    notes: str = ""
    container: str = ""


@dataclass(frozen=True)
class InspectFirearm(Command):
    """An armorer inspects a firearm in hand: every named position and the barrel.

    ``firearm_class`` is the class the armorer finds it to be (``firing``, ``blank-adapted``,
    ``non-firing-replica``, ``inert``): required at its first inspection, whatever the manifest
    said (R-CLASS); ``""`` at a later one keeps the class found before.
    """

    firearm: str
    positions_checked: tuple[str, ...]
    barrel_clear: bool
    firearm_class: str = ""


@dataclass(frozen=True)
class Load(Command):
    """Load rounds from a lot into named positions of a firearm, one round per position."""

    firearm: str
    lot: str
    positions: tuple[str, ...]
    scene: str


@dataclass(frozen=True)
class Unload(Command):
    """Take the rounds out of named positions (all loaded positions when none are named)."""

    firearm: str
    positions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShowClear(Command):
    """Open the firearm and show every position and the barrel to the performer and first AD.

    ``announced`` is what the armorer says it holds (``cold``, ``dummies``, ``hot``) and
    ``rounds`` how many; both witnesses confirm in person.
    """

    firearm: str
    scene: str
    positions_shown: tuple[str, ...]
    announced: str
    rounds: int
    performer: Confirmation
    first_ad: Confirmation


@dataclass(frozen=True)
class HandOver(Command):
    """An armorer hands a firearm (or a gun belt or bag of counted rounds) to a person."""

    item: str
    to: str
    scene: str = ""


@dataclass(frozen=True)
class Return(Command):
    """An armorer takes a firearm (or a belt or bag) back from whoever holds it."""

    item: str


@dataclass(frozen=True)
class ReturnToOwner(Command):
    """At wrap, return a firearm to its owner or what is left of a lot to its supplier."""

    item: str


# -- ammunition -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiveLot(Command):
    """Receive a lot of dummies or blanks with its provenance; it is quarantined until verified."""

    tag: str
    lot_kind: str
    calibre: str
    count: int
    supplier: str
    document: str
    delivered_on: str
    load: str = ""
    for_firearms: tuple[str, ...] = ()
    container: str = ""
    maker: str = "unknown"
    """Who made the rounds: ``ammunition-maker`` (a recognised ammunition maker),
    ``production`` (made or remade on the production), ``other`` or ``unknown``. Dummies not
    made by an ammunition maker are verified by their primers, round by round (R-INERT-PRIMER)."""


@dataclass(frozen=True)
class VerifyRounds(Command):
    """Verify ``count`` more rounds of a lot one by one, by a method, before a witness."""

    lot: str
    count: int
    method: str
    witness: Confirmation


@dataclass(frozen=True)
class QuarantineLot(Command):
    """Hold a lot back from use, with a reason."""

    lot: str
    reason: str


@dataclass(frozen=True)
class ReleaseLot(Command):
    """Lift a hold from a lot whose every round is verified."""

    lot: str


# -- containers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterContainer(Command):
    """Put a container (armory safe, lockbox, gun belt, bag, vehicle) on record, locked."""

    tag: str
    container_kind: str
    description: str = ""
    unit: str = ""
    """The unit it is kept at; ``""``: the unit of the person registering it."""


@dataclass(frozen=True)
class PutIn(Command):
    """Put a firearm, a lot's box, or ``rounds`` counted rounds of a lot into a container."""

    container: str
    item: str
    rounds: int | None = None


@dataclass(frozen=True)
class TakeOut(Command):
    """Take a firearm, a lot's box, or ``rounds`` counted rounds of a lot out of a container."""

    container: str
    item: str
    rounds: int | None = None


@dataclass(frozen=True)
class LockAway(Command):
    """Put a firearm into a container and lock it, unlocking it first if it is locked: one
    record, so a refusal leaves the container as it was."""

    firearm: str
    container: str


@dataclass(frozen=True)
class DrawFirearm(Command):
    """Take a firearm out of the container it is in; a locked container is unlocked for it
    and locked again, in one record."""

    firearm: str


@dataclass(frozen=True)
class Lock(Command):
    """Lock a container."""

    container: str


@dataclass(frozen=True)
class Unlock(Command):
    """Unlock a container."""

    container: str


# -- shoot days, scenes, meetings -----------------------------------------------------------------


@dataclass(frozen=True)
class PlanShootDay(Command):
    """Put a shoot day (ISO date) on the schedule."""

    day: str
    date: str


@dataclass(frozen=True)
class PlanScene(Command):
    """Plan a scene: firearms, performers, crew near firearms, condition, blanks, pointing.

    The plan binds (R-PLAN): only the firearms it names go to performers, only to the performers
    it names, on its shoot day, in its ``condition`` (``rounds`` per firearm); a firearm listed
    in ``assigned`` goes only to the performer it is assigned to there. ``worn_rounds``
    is how many counted rounds each performer may wear in gun belts and bags for the scene,
    from the lots named in ``worn_lots`` (blanks only in a hot scene); none when ``0``.
    """

    scene: str
    day: str
    title: str
    firearms: tuple[str, ...]
    performers: tuple[str, ...]
    condition: str
    rounds: int = 0
    crew: tuple[str, ...] = ()
    blank_fire: BlankFirePlan | None = None
    pointing: tuple[str, ...] = ()
    worn_rounds: int = 0
    worn_lots: tuple[str, ...] = ()
    unit: str = "main"
    """The unit that shoots it (``"main"`` unless said)."""
    assigned: tuple[FirearmFor, ...] = ()


@dataclass(frozen=True)
class ReplanScene(Command):
    """Change a planned scene's plan (another firearm, performer, condition, ...), saying why.

    The new plan replaces the old one whole, with the same fields as :class:`PlanScene`; any
    safety meeting held for the old plan no longer counts (R-PLAN, R-MEETING): hold it again
    before anything is issued. Refused while anything is out with a performer for the scene.
    """

    scene: str
    day: str
    title: str
    firearms: tuple[str, ...]
    performers: tuple[str, ...]
    condition: str
    reason: str
    rounds: int = 0
    crew: tuple[str, ...] = ()
    blank_fire: BlankFirePlan | None = None
    pointing: tuple[str, ...] = ()
    worn_rounds: int = 0
    worn_lots: tuple[str, ...] = ()
    unit: str = "main"
    """The unit that shoots it (``"main"`` unless said)."""
    assigned: tuple[FirearmFor, ...] = ()


@dataclass(frozen=True)
class JoinScene(Command):
    """Add a person (a replacement, a new operator) to a scene's crew near firearms."""

    scene: str
    person_id: str


@dataclass(frozen=True)
class HoldSafetyMeeting(Command):
    """Hold the safety meeting for a scene: who attended, topics, pointing and blank plans."""

    scene: str
    attendees: tuple[str, ...]
    topics: tuple[str, ...] = ()
    pointing_plans: tuple[str, ...] = ()
    blank_fire_reviewed: bool = False


@dataclass(frozen=True)
class StartScene(Command):
    """The shot is ready: firearm work for the scene may begin."""

    scene: str


@dataclass(frozen=True)
class WrapScene(Command):
    """The scene is over: every firearm is back, unloaded, and checked."""

    scene: str


@dataclass(frozen=True)
class CallBreak(Command):
    """Call a meal (or other) break: everything must be locked away."""

    reason: str = "meal"


@dataclass(frozen=True)
class EndBreak(Command):
    """The break is over."""


# -- incidents and interlocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDischarge(Command):
    """A firearm fired from named positions: in a planned take or not."""

    firearm: str
    positions: tuple[str, ...]
    planned: bool
    scene: str = ""
    injury: bool = False
    description: str = ""


@dataclass(frozen=True)
class ReportMisfire(Command):
    """A round in a named position did not fire."""

    firearm: str
    position: str
    scene: str = ""


@dataclass(frozen=True)
class RecoverMisfire(Command):
    """An armorer takes the round that misfired out of the firearm in hand and says where it
    went (``went_to``): into a named armory ``container`` (``container``), kept as ``evidence``,
    or sent for ``disposal``. ``position`` may be left empty when one position misfired. It never
    goes back into its lot's box (R-MISFIRE)."""

    firearm: str
    went_to: str
    position: str = ""
    container: str = ""
    note: str = ""


@dataclass(frozen=True)
class ReportHandling(Command):
    """Report that someone who is not an armorer handled rounds: ``act`` is ``loaded``,
    ``reloaded``, ``unloaded``, ``took-rounds-out`` (of a belt or bag) or ``put-rounds-in``.
    Name the firearm, the belt or bag, or both. Anyone may report it; an incident is opened and
    what is named is held until an armorer clears and inspects it (R-LOOSE-ROUNDS)."""

    person_id: str
    act: str
    firearm: str = ""
    container: str = ""
    scene: str = ""
    description: str = ""


@dataclass(frozen=True)
class ReportFoundRound(Command):
    """A round was found: what it looked like and where (a firearm position, container, lot or
    loose)."""

    observed: str
    where: str
    firearm: str = ""
    position: str = ""
    container: str = ""
    lot: str = ""


@dataclass(frozen=True)
class Complain(Command):
    """Someone raises a safety complaint; it is escalated to the safety supervisors.

    ``about`` names the people on the roster the complaint is about, if any: none of them
    closes it (R-SEPARATION)."""

    text: str
    scene: str = ""
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class CloseIncident(Command):
    """The safety supervisor closes an investigated incident with findings, with a second
    person (a producer or another safety supervisor) confirming in person in ``second``.

    Nobody closes an incident that concerns their own count, custody or act, nor is the second
    person for one (R-SEPARATION).
    """

    incident: str
    findings: str
    second: Confirmation


@dataclass(frozen=True)
class ReleaseEvidence(Command):
    """The safety supervisor releases everything an incident froze, untouched, to named
    investigators, before a witness who confirms in person."""

    incident: str
    investigators: tuple[str, ...]
    witness: Confirmation


@dataclass(frozen=True)
class ReturnEvidence(Command):
    """Once the incident is closed, one of its investigators hands its evidence back to an
    armorer, who confirms in person."""

    incident: str
    armorer: Confirmation


@dataclass(frozen=True)
class StopWork(Command):
    """Stop all firearm work on the production. Anyone may call it. ``lockdown`` also freezes
    the whole production as evidence (an incident is opened for it) until the evidence is
    released to the investigators or every incident is closed."""

    reason: str
    lockdown: bool = False
    unit: str = ""
    """Stop only this unit (``"second"``); ``""``: the whole production. A lockdown, or a unit
    not on record, always stops the whole production."""


@dataclass(frozen=True)
class ResumeWork(Command):
    """Resume firearm work: a safety supervisor and an armorer, one acting and one confirming,
    two different people (one person holding both roles counts once), neither of them one whose
    custody or act the stop came from (R-SEPARATION). ``unit`` resumes one unit's STOP WORK;
    ``""`` the production-wide one."""

    co_signer: Confirmation
    unit: str = ""


@dataclass(frozen=True)
class OverrideRule(Command):
    """A safety supervisor waives one overridable rule, once, for one subject, with a reason,
    with a second person (a producer or another safety supervisor) confirming in person in
    ``second``.

    Neither may override for what they hold or for themselves, and the override is not used on
    a command either of them gives (R-SEPARATION).
    """

    rule_id: str
    subject: str
    reason: str
    second: Confirmation


@dataclass(frozen=True)
class CountAndReconcile(Command):
    """Count every firearm and round by hand and compare with the record."""

    firearms_present: tuple[str, ...]
    lots: tuple[LotCount, ...] = field(default=())


# -- units ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenUnit(Command):
    """Form a unit (a second unit, a splinter unit) shooting at its own location at the same
    time as the others: ``unit`` its short id (``"second"``), ``name`` what people call it,
    ``location`` where it is. The main unit ``"main"`` always exists."""

    unit: str
    name: str
    location: str


@dataclass(frozen=True)
class DispatchFirearm(Command):
    """The armorer holding a firearm sends it to another unit, to a named armorer there. It
    stays in the sender's custody until that armorer confirms its receipt (ConfirmReceipt)."""

    firearm: str
    unit: str
    to: str


@dataclass(frozen=True)
class ConfirmReceipt(Command):
    """The receiving armorer, at the unit a firearm was dispatched to, confirms they hold it:
    from then on it is in their custody, at their unit."""

    firearm: str
