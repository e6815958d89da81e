"""How events of the set change the state: people, scenes, incidents, interlocks."""

from __future__ import annotations

from showclear.core.events import Event, on_set
from showclear.core.state.model import (
    Apply,
    Gap,
    Incident,
    Meeting,
    Person,
    PlanChange,
    ProductionState,
    Recorded,
    Scene,
    Stoppage,
    Training,
    Warning,
)
from showclear.core.vocabulary import HANDLED_WORDS, HANDLING_INCIDENT


def _person(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.PersonAdded)
    state.people[event.person_id] = Person(
        event.person_id,
        event.name,
        frozenset(event.roles),
        duties=event.duties,
        unit=event.unit,
    )


def _badge_in_format_1(state: ProductionState, recorded: Recorded, event: Event) -> None:
    """A format-1 badge and PIN hash: never read, so never a way to confirm (see the event)."""


def _credential_issued(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.CredentialIssued)
    person = state.people[event.person_id]
    if event.credential == "badge":
        person.badge_id = event.credential_id
    else:
        person.pin_id = event.credential_id
    state.credential_ids.add(event.credential_id)


def _credential_revoked(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.CredentialRevoked)
    person = state.people[event.person_id]
    if event.credential == "badge" and person.badge_id == event.credential_id:
        person.badge_id = ""
    elif event.credential == "pin" and person.pin_id == event.credential_id:
        person.pin_id = ""


def _duty(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.DutyAssigned)
    person = state.people[event.person_id]
    person.duties = (*person.duties, event.duty)


def _training(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.TrainingRecorded)
    state.people[event.person_id].trainings[event.course] = Training(
        event.course, event.completed_on, event.expires_on
    )


def _arrived(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.ArrivedOnSet)
    person = state.people[event.person_id]
    person.on_set, person.unit = True, event.unit


def _left(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.LeftSet)
    person = state.people[event.person_id]
    person.on_set = False
    person.left_at = recorded.at


def _day(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.ShootDayPlanned)
    state.days[event.day] = event.date


def _scene(state: ProductionState, recorded: Recorded, event: Event) -> None:
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
        worn_rounds=event.worn_rounds,
        worn_lots=event.worn_lots,
        unit=event.unit,
        assigned={a.firearm: a.performer for a in event.assigned},
    )


def _plan_changed(state: ProductionState, recorded: Recorded, event: Event) -> None:
    """The new plan replaces the old one whole; the meetings stay on record, but none held
    before the change counts any more (``changed``)."""
    assert isinstance(event, on_set.ScenePlanChanged)
    scene = state.scenes[event.scene]
    scene.day = event.day
    scene.title = event.title
    scene.firearms = event.firearms
    scene.performers = event.performers
    scene.crew = event.crew
    scene.condition = event.condition
    scene.rounds = event.rounds
    scene.blank_fire = event.blank_fire
    scene.pointing = event.pointing
    scene.worn_rounds = event.worn_rounds
    scene.worn_lots = event.worn_lots
    scene.unit = event.unit
    scene.assigned = {a.firearm: a.performer for a in event.assigned}
    scene.changed = PlanChange(recorded.seq, recorded.at, event.reason)


def _joined(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SceneJoined)
    scene = state.scenes[event.scene]
    scene.crew = (*scene.crew, event.person_id)


def _meeting(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SafetyMeetingHeld)
    armorers = [state.people.get(person_id) for person_id in event.attendees]
    state.scenes[event.scene].meetings.append(
        Meeting(
            recorded.seq,
            recorded.at,
            frozenset(event.attendees),
            event.pointing_plans,
            event.blank_fire_reviewed,
            frozenset(p.unit for p in armorers if p is not None and p.is_armorer),
        )
    )


def _started(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SceneStarted)
    state.scenes[event.scene].status = "started"
    state.scenes[event.scene].started_at = recorded.at


def _wrapped(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.SceneWrapped)
    state.scenes[event.scene].status = "wrapped"


def _break(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.BreakCalled)
    state.on_break = event.reason
    for tag in event.unsecured_firearms:
        firearm = state.firearms[tag]
        firearm.gap = Gap(recorded.at, f"was not locked away over the {event.reason} break")
        firearm.shown = None
    for tag in event.unsecured_lots:
        lot = state.lots[tag]
        lot.unverified = lot.stock


def _break_over(state: ProductionState, recorded: Recorded, event: Event) -> None:
    state.on_break = None


def _discharge(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.DischargeReported)
    firearm = state.firearms[event.firearm]
    for position in event.positions:
        lot = firearm.contents.pop(position, None)
        if lot is not None:
            state.lots[lot].fired += 1
    firearm.duds = tuple(p for p in firearm.duds if p not in event.positions)
    firearm.gap = Gap(recorded.at, "was fired")
    firearm.shown = None


def _misfire(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.MisfireReported)
    firearm = state.firearms[event.firearm]
    firearm.misfire_at = recorded.at
    if event.position not in firearm.duds:
        firearm.duds = (*firearm.duds, event.position)
    firearm.gap = Gap(recorded.at, "misfired", f" ({event.position})")
    firearm.shown = None


def _recovered(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.MisfiredRoundRecovered)
    firearm = state.firearms[event.firearm]
    firearm.contents.pop(event.position, None)
    firearm.duds = tuple(p for p in firearm.duds if p != event.position)
    firearm.shown = None
    if event.lot:
        state.lots[event.lot].removed += 1


def _handling(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.HandlingReported)
    said = f"was reported {HANDLED_WORDS.get(event.act, event.act)} by "
    said += state.person_label(event.person_id)
    if event.firearm:
        firearm = state.firearms[event.firearm]
        firearm.handled = firearm.gap = Gap(recorded.at, said)
        firearm.shown = None
    if event.container:
        state.containers[event.container].handled = Gap(recorded.at, said)


def _found(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.RoundFound)
    if event.firearm:
        firearm = state.firearms[event.firearm]
        firearm.contents.pop(event.position, None)
        firearm.duds = tuple(p for p in firearm.duds if p != event.position)
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


def _complaint(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.ComplaintMade)
    state.incidents[event.incident] = Incident(
        event.incident, "complaint", event.text, "", recorded.at, recorded.seq, involved=event.about
    )


def _incident(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.IncidentOpened)
    state.incidents[event.incident] = Incident(
        event.incident,
        event.category,
        event.summary,
        event.firearm,
        recorded.at,
        recorded.seq,
        involved=event.involved,
    )
    if event.category != HANDLING_INCIDENT:  # (it holds what it names, not every scene)
        state.last_incident_seq = recorded.seq


def _closed(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.IncidentClosed)
    state.incidents[event.incident].open = False


def _stopped(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.WorkStopped)
    previous = state.unit_stoppages.get(event.unit) if event.unit else state.stoppage
    before = previous.involved if previous is not None else ()
    involved = tuple(dict.fromkeys((*before, *event.involved)))
    stoppage = Stoppage(
        event.reason,
        recorded.at,
        recorded.person_id,
        event.lockdown,
        involved=involved,
        unit=event.unit,
    )
    if event.unit:
        state.unit_stoppages[event.unit] = stoppage
    else:
        state.stoppage = stoppage
    for firearm in state.firearms.values():
        if firearm.active and (not event.unit or state.unit_of(firearm) == event.unit):
            firearm.gap = Gap(recorded.at, "was on the production when work stopped")
            firearm.shown = None


def _resumed(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.WorkResumed)
    if event.unit:
        state.unit_stoppages.pop(event.unit, None)
    else:
        state.stoppage = None


def _overridden(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.RuleOverridden)
    state.overrides[(event.rule_id, event.subject)] = event.reason
    signers = (recorded.person_id, event.second_id) if event.second_id else (recorded.person_id,)
    state.override_signers[(event.rule_id, event.subject)] = signers


def _override_used(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.OverrideApplied)
    state.overrides.pop((event.rule_id, event.subject), None)
    state.override_signers.pop((event.rule_id, event.subject), None)


def _warned(state: ProductionState, recorded: Recorded, event: Event) -> None:
    assert isinstance(event, on_set.RuleWarned)
    state.warnings.append(Warning(recorded.seq, event.rule_id, event.subject, event.message))


APPLIERS: dict[type[Event], Apply] = {
    on_set.PersonAdded: _person,
    on_set.BadgeIssuedInFormat1: _badge_in_format_1,
    on_set.CredentialIssued: _credential_issued,
    on_set.CredentialRevoked: _credential_revoked,
    on_set.DutyAssigned: _duty,
    on_set.TrainingRecorded: _training,
    on_set.ArrivedOnSet: _arrived,
    on_set.LeftSet: _left,
    on_set.ShootDayPlanned: _day,
    on_set.ScenePlanned: _scene,
    on_set.ScenePlanChanged: _plan_changed,
    on_set.SceneJoined: _joined,
    on_set.SafetyMeetingHeld: _meeting,
    on_set.SceneStarted: _started,
    on_set.SceneWrapped: _wrapped,
    on_set.BreakCalled: _break,
    on_set.BreakEnded: _break_over,
    on_set.DischargeReported: _discharge,
    on_set.MisfireReported: _misfire,
    on_set.RoundFound: _found,
    on_set.ComplaintMade: _complaint,
    on_set.IncidentOpened: _incident,
    on_set.IncidentClosed: _closed,
    on_set.WorkStopped: _stopped,
    on_set.WorkResumed: _resumed,
    on_set.RuleOverridden: _overridden,
    on_set.OverrideApplied: _override_used,
    on_set.RuleWarned: _warned,
    on_set.MisfiredRoundRecovered: _recovered,
    on_set.HandlingReported: _handling,
}
"""How each event of this area changes the state."""
