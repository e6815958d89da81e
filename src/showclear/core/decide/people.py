"""Deciding the roster: the production itself, people, duties, training, presence on set."""

from __future__ import annotations

from datetime import date

from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    AssignDuty,
    CreateProduction,
    IssueBadge,
    IssuePin,
    LeaveSet,
    RecordTraining,
    RevokeCredential,
    SetTimeZone,
)
from showclear.core.decide.separation import own_presence
from showclear.core.decide.units import known_unit, there, where
from showclear.core.decide.verdict import ANYONE, Verdict, handles
from showclear.core.events import Event, ProductionCreated, TimeZoneSet
from showclear.core.events.on_set import (
    ArrivedOnSet,
    CredentialIssued,
    CredentialRevoked,
    DutyAssigned,
    LeftSet,
    PersonAdded,
    TrainingRecorded,
)
from showclear.core.rules import ARMORER_PRESENT, KNOWN, LOCKED, ONE_DUTY, ROLE, UNIT
from showclear.core.state import Person
from showclear.core.vocabulary import (
    ARMORER,
    ARMORERS,
    ASSISTANT_ARMORER,
    FIRST_AD,
    INVESTIGATOR,
    PRODUCER,
    ROLE_NAMES,
    ROLES,
    SAFETY_SUPERVISOR,
    WORN_CONTAINERS,
)

BADGE, PIN = "badge", "pin"

ROSTER_KEEPERS = ARMORERS | {FIRST_AD, PRODUCER, SAFETY_SUPERVISOR}

#: Who may vouch for a role: put someone on the roster holding it, or issue them the badge or PIN
#: that lets them act in it. Whoever does could act as them, so a role is vouched for only by a
#: role at least as trusted with firearms: a first AD cannot make an armorer, an assistant armorer
#: cannot make a key armorer. Roles not named here any roster keeper vouches for.
VOUCHED_BY: dict[str, frozenset[str]] = {
    ARMORER: frozenset({ARMORER}),
    ASSISTANT_ARMORER: ARMORERS,
    SAFETY_SUPERVISOR: frozenset({ARMORER, PRODUCER, SAFETY_SUPERVISOR}),
    PRODUCER: frozenset({ARMORER, PRODUCER, SAFETY_SUPERVISOR}),
    INVESTIGATOR: frozenset({ARMORER, PRODUCER, SAFETY_SUPERVISOR}),
}


def may_vouch(person: Person, role: str) -> bool:
    """Whether ``person`` (with the roles they act in) may vouch for ``role``."""
    return any(vouches_for(own, role) for own in person.roles)


def vouches_for(voucher: str, role: str) -> bool:
    """Whether someone acting as ``voucher`` may vouch for ``role``: add someone holding it,
    issue them a badge or PIN, or make a device token acting as it."""
    return voucher in VOUCHED_BY.get(role, ROSTER_KEEPERS)


def vouchers(role: str) -> str:
    """Who may vouch for ``role``, in words: ``"an armorer or an assistant armorer"``."""
    allowed = VOUCHED_BY.get(role, ROSTER_KEEPERS)
    return " or ".join(_a(ROLE_NAMES[r]) for r in sorted(allowed, key=_named))


def vouch(v: Verdict, roles: tuple[str, ...] | frozenset[str], subject: str, doing: str) -> None:
    """An R-ROLE violation for each of ``roles`` the acting person may not vouch for; ``doing``
    says the act with ``{role}`` where the role goes ("put {role} on the roster")."""
    acting = v.acting
    if acting is None:
        return  # already refused: not on the roster, or not a roster keeper
    for role in sorted(set(roles) & VOUCHED_BY.keys()):
        if not may_vouch(acting, role):
            what = doing.format(role=_a(ROLE_NAMES[role]))
            v.breaks(
                ROLE,
                subject,
                f"{acting.label} cannot {what}: only {vouchers(role)} can, "
                "because whoever does could act as them.",
            )


def _named(role: str) -> str:
    return ROLE_NAMES[role]


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def iso_date(verdict: Verdict, text: str, subject: str, what: str) -> date | None:
    """``text`` as a date, or an R-KNOWN violation."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        verdict.breaks(KNOWN, subject, f"The {what} {text!r} is not a date (YYYY-MM-DD).")
        return None


@handles(CreateProduction, roles=ANYONE)  # nobody is on the roster yet
def create_production(command: CreateProduction, v: Verdict) -> list[Event]:
    """The first entry: the production and its key armorer."""
    if v.state.created:
        v.breaks(KNOWN, v.state.name, f"The production {v.state.name!r} already exists.")
    if not command.name.strip() or not command.armorer_name.strip():
        v.breaks(KNOWN, "", "A production needs a name and its key armorer's name.")
    return [
        ProductionCreated(
            command.name,
            command.origin,
            command.armorer_id,
            command.armorer_name,
            command.verifier_key,
        )
    ]


@handles(SetTimeZone, roles=ARMORERS, doing="set the production's time zone")
def set_time_zone(command: SetTimeZone, v: Verdict) -> list[Event]:
    """The production's time zone, by a name the service knows (``America/Denver``)."""
    if command.zone not in v.context.zones:
        v.breaks(
            KNOWN,
            command.zone,
            f"There is no time zone called {command.zone!r}: give its IANA name, like "
            "America/Denver, Europe/London or UTC.",
        )
    return [TimeZoneSet(command.zone)]


@handles(AddPerson, roles=ROSTER_KEEPERS, doing="put people on the roster")
def add_person(command: AddPerson, v: Verdict) -> list[Event]:
    """Put someone on the roster, with a fresh id unless one is given."""
    if not command.name.strip():
        v.breaks(KNOWN, "", "A person needs a name.")
    unknown = [role for role in command.roles if role not in ROLES]
    if unknown or not command.roles:
        v.breaks(
            KNOWN,
            command.name,
            f"{command.name} needs a role among {', '.join(sorted(ROLES))}"
            + (f"; {', '.join(unknown)} is not one." if unknown else "."),
        )
    person_id = command.person_id or _next_person_id(v)
    if person_id in v.state.people:
        v.breaks(KNOWN, person_id, f"The id {person_id!r} already belongs to {v.who(person_id)}.")
    known_unit(v, command.unit, person_id)
    vouch(v, command.roles, person_id, "put {role} on the roster")
    return [
        PersonAdded(
            person_id,
            " ".join(command.name.split()),
            tuple(dict.fromkeys(command.roles)),
            command.duties,
            command.unit,
        )
    ]


def _next_person_id(v: Verdict) -> str:
    number = len(v.state.people) + 1
    while f"person-{number}" in v.state.people:
        number += 1
    return f"person-{number}"


@handles(IssueBadge, roles=ROSTER_KEEPERS, doing="issue badges")
def issue_badge(command: IssueBadge, v: Verdict) -> list[Event]:
    """A new badge for someone, by its serial; their old badge (and every copy) is revoked."""
    return _issue(v, command.person_id, BADGE, command.serial, "reprinted")


@handles(IssuePin, roles=ROSTER_KEEPERS, doing="issue PINs")
def issue_pin(command: IssuePin, v: Verdict) -> list[Event]:
    """A new PIN for someone, by its id; their old PIN is revoked."""
    return _issue(v, command.person_id, PIN, command.pin_id, "replaced")


def _issue(
    v: Verdict, person_id: str, credential: str, credential_id: str, reason: str
) -> list[Event]:
    person = v.person(person_id)
    if person is not None:
        vouch(v, person.roles, person_id, f"issue a {credential} to {{role}}")
    if not credential_id.strip():
        v.breaks(KNOWN, person_id, f"A {credential} needs its id.")
    elif credential_id in v.state.credential_ids:
        v.breaks(
            KNOWN, credential_id, f"The id {credential_id} was issued before: ids are never reused."
        )
    events: list[Event] = []
    held = "" if person is None else (person.badge_id if credential == BADGE else person.pin_id)
    if held:
        events.append(CredentialRevoked(person_id, credential, held, reason))
    return [*events, CredentialIssued(person_id, credential, credential_id)]


@handles(RevokeCredential, roles=ROSTER_KEEPERS, doing="revoke badges and PINs")
def revoke_credential(command: RevokeCredential, v: Verdict) -> list[Event]:
    """Someone's badge or PIN stops counting (lost, stolen, left the production)."""
    person = v.person(command.person_id)
    if command.credential not in (BADGE, PIN):
        v.breaks(KNOWN, command.person_id, f"{command.credential!r} is neither badge nor pin.")
        return v.refused()
    if not command.reason.strip():
        v.breaks(KNOWN, command.person_id, f"Say why the {command.credential} is revoked.")
    if person is None:
        return v.refused()
    held = person.badge_id if command.credential == BADGE else person.pin_id
    if not held:
        v.breaks(KNOWN, person.person_id, f"{person.label} has no {command.credential} to revoke.")
        return v.refused()
    return [
        CredentialRevoked(
            person.person_id, command.credential, held, " ".join(command.reason.split())
        )
    ]


@handles(AssignDuty, roles=ROSTER_KEEPERS, doing="assign duties")
def assign_duty(command: AssignDuty, v: Verdict) -> list[Event]:
    """Give someone another duty; an armorer given one is a warning to the producers (F9)."""
    person = v.person(command.person_id)
    if person is not None and person.is_armorer:
        v.breaks(
            ONE_DUTY,
            person.person_id,
            f"{person.label} was given {command.duty} duty at {v.now}: an armorer has no other "
            "duty while firearms are out. Producers: find another hand or another armorer.",
        )
    return [DutyAssigned(command.person_id, command.duty)]


@handles(RecordTraining, roles=ROSTER_KEEPERS, doing="record training")
def record_training(command: RecordTraining, v: Verdict) -> list[Event]:
    """Record a course or licence."""
    v.person(command.person_id)
    iso_date(v, command.completed_on, command.person_id, "completion date")
    if command.expires_on is not None:
        iso_date(v, command.expires_on, command.person_id, "expiry date")
    if not command.course.strip():
        v.breaks(KNOWN, command.person_id, "A training record needs the course's name.")
    return [
        TrainingRecorded(
            command.person_id, command.course, command.completed_on, command.expires_on
        )
    ]


@handles(ArriveOnSet, roles=ANYONE)
def arrive(command: ArriveOnSet, v: Verdict) -> list[Event]:
    """Someone is on set, at a unit, recorded by themselves or by an armorer for the armory crew
    (R-PRESENCE); arriving at another unit is leaving the one they were at, and what they hold
    does not go with them (a firearm moves by dispatch and receipt)."""
    person = v.person(command.person_id)
    if person is not None:
        own_presence(v, person, command.in_person, "arriving on set")
    if not known_unit(v, command.unit, command.person_id) or person is None:
        return [ArrivedOnSet(command.person_id, command.unit)]
    if person.unit != command.unit:
        # A firearm changes unit only when an armorer at the other unit confirms its receipt:
        # whoever holds one (even one already dispatched) does not carry it there by arriving.
        held = [f for f in v.state.firearms.values() if f.active and f.holder == person.person_id]
        if held:
            them = "them" if len(held) > 1 else "it"
            v.breaks(
                UNIT,
                person.person_id,
                f"{person.label} holds {', '.join(f.label for f in held)} "
                f"{where(v, person.unit)} at {v.now}: hand {them} back or lock {them} away "
                f"there, or dispatch {them} to an armorer {where(v, command.unit)} who confirms "
                "the receipt, before going there.",
            )
        worn = [
            c
            for c in v.state.containers.values()
            if c.custodian == person.person_id
            and c.container_kind in WORN_CONTAINERS
            and c.unit != command.unit
            and c.holds_ammunition
        ]
        if worn:
            v.breaks(
                UNIT,
                person.person_id,
                f"{person.label} has {', '.join(c.label for c in worn)} with rounds in it "
                f"{where(v, worn[0].unit)} at {v.now}: give it back to an armorer there before "
                f"going to {v.state.unit_label(command.unit)}.",
            )
        if person.is_armorer and person.on_set:
            _last_armorer(v, person, f"going to {v.state.unit_label(command.unit)}")
    return [ArrivedOnSet(command.person_id, command.unit)]


def _last_armorer(v: Verdict, person: Person, going: str) -> None:
    """R-ARMORER-PRESENT, per unit: the last armorer on set at a unit stays while firearms are
    out with performers there (F8)."""
    unit = person.unit
    others = [p for p in v.state.on_set_at(unit) if p.person_id != person.person_id]
    out = [
        f
        for f in v.state.firearms.values()
        if f.active
        and f.evidence is None
        and f.holder is not None
        and f.holder in v.state.people
        and not v.state.people[f.holder].is_armorer
        and v.state.people[f.holder].unit == unit
    ]
    if out and not others:
        listed = "; ".join(f"{f.label} with {v.who(f.holder)}" for f in out)
        v.breaks(
            ARMORER_PRESENT,
            person.person_id,
            f"{person.label} is the only armorer on set{there(v, unit)} and firearms are out "
            f"({listed}). Take them back and lock them away before {going}.",
        )


@handles(LeaveSet, roles=ANYONE)
def leave(command: LeaveSet, v: Verdict) -> list[Event]:
    """Someone leaves the set, recorded by themselves or by an armorer for the armory crew
    (R-PRESENCE); the last armorer at a unit may not while firearms are out there (F8)."""
    person = v.person(command.person_id)
    if person is not None:
        own_presence(v, person, command.in_person, "leaving the set")
    if person is None or not person.is_armorer:
        return [LeftSet(command.person_id)]
    _last_armorer(v, person, "leaving")
    for container in v.state.containers.values():
        if (
            container.custodian == person.person_id
            and container.evidence is None
            and not container.locked
            and (container.firearms or container.holds_ammunition)
        ):
            v.breaks(
                LOCKED,
                container.tag,
                f"{container.label} is open with firearms or rounds inside. Lock it before "
                f"{person.name} leaves the set.",
            )
    return [LeftSet(command.person_id)]
