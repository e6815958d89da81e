"""How events of the set change the state: people, scenes, incidents, interlocks."""

from __future__ import annotations

from showclear.core import events_set as on_set
from showclear.core.events import Event
from showclear.core.state import (
    Gap,
    Incident,
    Meeting,
    Person,
    Production,
    Recorded,
    Scene,
    Stoppage,
    Training,
    Warning,
    applies,
)


@applies(on_set.PersonAdded)
def _person(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.PersonAdded)
    state.people[event.person_id] = Person(
        event.person_id,
        event.name,
        frozenset(event.roles),
        duties=event.duties,
    )


@applies(on_set.BadgeIssuedInFormat1)
def _badge_in_format_1(state: Production, recorded: Recorded, event: Event) -> None:
    """A format-1 badge and PIN hash: never read, so never a way to confirm (see the event)."""


@applies(on_set.CredentialIssued)
def _credential_issued(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.CredentialIssued)
    person = state.people[event.person_id]
    if event.credential == "badge":
        person.badge_id = event.credential_id
    else:
        person.pin_id = event.credential_id
    state.credential_ids.add(event.credential_id)


@applies(on_set.CredentialRevoked)
def _credential_revoked(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.CredentialRevoked)
    person = state.people[event.person_id]
    if event.credential == "badge" and person.badge_id == event.credential_id:
        person.badge_id = ""
    elif event.credential == "pin" and person.pin_id == event.credential_id:
        person.pin_id = ""


@applies(on_set.DutyAssigned)
def _duty(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.DutyAssigned)
    person = state.people[event.person_id]
    person.duties = (*person.duties, event.duty)


@applies(on_set.TrainingRecorded)
def _training(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.TrainingRecorded)
    state.people[event.person_id].trainings[event.course] = Training(
        event.course, event.completed_on, event.expires_on
    )


@applies(on_set.ArrivedOnSet)
def _arrived(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.ArrivedOnSet)
    state.people[event.person_id].on_set = True


@applies(on_set.LeftSet)
def _left(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.LeftSet)
    state.people[event.person_id].on_set = False


@applies(on_set.ShootDayPlanned)
def _day(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.ShootDayPlanned)
    state.days[event.day] = event.date


@applies(on_set.ScenePlanned)
def _scene(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.ScenePlanned)
    state.scenes[event.scene] = Scene(
        scene=event.scene,
        day=event.day,
        title=event.title,
        firearms=event.firearms,
        performers=event.performers,
        crew=event.crew,
        condition=event.condition,
        rounds=event.rounds,
        blank_fire=event.blank_fire,
        pointing=event.pointing,
    )


@applies(on_set.SceneJoined)
def _joined(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SceneJoined)
    scene = state.scenes[event.scene]
    scene.crew = (*scene.crew, event.person_id)


@applies(on_set.SafetyMeetingHeld)
def _meeting(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SafetyMeetingHeld)
    state.scenes[event.scene].meetings.append(
        Meeting(
            recorded.seq,
            recorded.at,
            frozenset(event.attendees),
            event.pointing_plans,
            event.blank_fire_reviewed,
        )
    )


@applies(on_set.SceneStarted)
def _started(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SceneStarted)
    state.scenes[event.scene].status = "started"


@applies(on_set.SceneWrapped)
def _wrapped(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SceneWrapped)
    state.scenes[event.scene].status = "wrapped"


@applies(on_set.BreakCalled)
def _break(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.BreakCalled)
    state.on_break = event.reason
    for tag in event.unsecured_firearms:
        firearm = state.firearms[tag]
        firearm.gap = Gap(recorded.at, f"was not locked away over the {event.reason} break")
        firearm.shown = None
    for tag in event.unsecured_lots:
        lot = state.lots[tag]
        lot.unverified = lot.stock


@applies(on_set.BreakEnded)
def _break_over(state: Production, recorded: Recorded, event: Event) -> None:
    state.on_break = None


@applies(on_set.DischargeReported)
def _discharge(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.DischargeReported)
    firearm = state.firearms[event.firearm]
    for position in event.positions:
        lot = firearm.contents.pop(position, None)
        if lot is not None:
            state.lots[lot].fired += 1
    firearm.gap = Gap(recorded.at, "was fired")
    firearm.shown = None


@applies(on_set.MisfireReported)
def _misfire(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.MisfireReported)
    firearm = state.firearms[event.firearm]
    firearm.misfire_at = recorded.at
    firearm.gap = Gap(recorded.at, "misfired", f" ({event.position})")
    firearm.shown = None


@applies(on_set.RoundFound)
def _found(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.RoundFound)
    if event.firearm:
        firearm = state.firearms[event.firearm]
        firearm.contents.pop(event.position, None)
        firearm.gap = Gap(recorded.at, f"held a {event.observed} round in {event.position}")
        firearm.shown = None
    if not event.lot:
        return  # a round no lot on record accounts for: it never entered the count
    lot = state.lots[event.lot]
    lot.removed += 1
    if event.container:
        rounds = state.containers[event.container].rounds
        rounds[event.lot] -= 1
        if not rounds[event.lot]:
            del rounds[event.lot]
    elif not event.firearm:
        lot.stock -= 1
        lot.unverified = max(0, min(lot.unverified - 1, lot.stock))


@applies(on_set.ComplaintMade)
def _complaint(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.ComplaintMade)
    state.incidents[event.incident] = Incident(
        event.incident, "complaint", event.text, "", recorded.at, recorded.seq
    )


@applies(on_set.IncidentOpened)
def _incident(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.IncidentOpened)
    state.incidents[event.incident] = Incident(
        event.incident, event.category, event.summary, event.firearm, recorded.at, recorded.seq
    )
    state.last_incident_seq = recorded.seq


@applies(on_set.IncidentClosed)
def _closed(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.IncidentClosed)
    state.incidents[event.incident].open = False


@applies(on_set.WorkStopped)
def _stopped(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.WorkStopped)
    state.stoppage = Stoppage(event.reason, recorded.at, recorded.person_id, event.lockdown)
    for firearm in state.firearms.values():
        if firearm.active:
            firearm.gap = Gap(recorded.at, "was on the production when work stopped")
            firearm.shown = None


@applies(on_set.WorkResumed)
def _resumed(state: Production, recorded: Recorded, event: Event) -> None:
    state.stoppage = None


@applies(on_set.RuleOverridden)
def _overridden(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.RuleOverridden)
    state.overrides[(event.rule_id, event.subject)] = event.reason


@applies(on_set.OverrideApplied)
def _override_used(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.OverrideApplied)
    state.overrides.pop((event.rule_id, event.subject), None)


@applies(on_set.RuleWarned)
def _warned(state: Production, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.RuleWarned)
    state.warnings.append(Warning(recorded.seq, event.rule_id, event.subject, event.message))
