"""Deciding what went wrong: discharges, misfires, found rounds, complaints, STOP WORK, and the
safety supervisor's overrides.

Reports of what happened are never refused for a rule (only for naming what does not exist):
reality is recorded, and its consequences (a stop, a quarantine, an incident) recorded with it.
"""

from __future__ import annotations

from showclear.core.commands import (
    CloseIncident,
    Complain,
    OverrideRule,
    RecoverMisfire,
    ReportDischarge,
    ReportFoundRound,
    ReportHandling,
    ReportMisfire,
    ResumeWork,
    StopWork,
)
from showclear.core.decide.custody import in_hand, may_use
from showclear.core.decide.evidence import freeze, frozen_as_found, labels, said
from showclear.core.decide.readiness import NON_BLOCKING_INCIDENTS
from showclear.core.decide.separation import (
    around,
    concerned,
    incident_concerns,
    not_their_own,
    second_person,
    stop_concerns,
    what,
)
from showclear.core.decide.units import confirms_at, known_unit
from showclear.core.decide.verdict import ANYONE, Verdict, handles
from showclear.core.events import Event
from showclear.core.events.armory import LotQuarantined
from showclear.core.events.on_set import (
    ComplaintMade,
    DischargeReported,
    HandlingReported,
    IncidentClosed,
    IncidentOpened,
    MisfiredRoundRecovered,
    MisfireReported,
    RoundFound,
    RuleOverridden,
    WorkResumed,
    WorkStopped,
)
from showclear.core.rules import (
    CUSTODY,
    EVIDENCE,
    HANDOVER,
    INCIDENT,
    INSPECT,
    KNOWN,
    LIVE_ROUNDS,
    LOCKED,
    LOOSE_ROUNDS,
    MISFIRE,
    ROLE,
    RULES,
    SEPARATION,
    STOP_WORK,
    VERIFIED,
)
from showclear.core.state import ProductionState
from showclear.core.vocabulary import (
    ARMORERS,
    ARMORY_CONTAINERS,
    BLANK,
    DUD_DESTINATIONS,
    DUD_TO_CONTAINER,
    DUMMY,
    HANDLING_ACTS,
    HANDLING_INCIDENT,
    HANDLING_WORDS,
    LIVE,
    OBSERVED_KINDS,
    ROLES,
    SAFETY_SUPERVISOR,
    UNKNOWN,
)


def next_incident(state: ProductionState, already: int = 0) -> str:
    """A fresh incident id."""
    return f"incident-{len(state.incidents) + 1 + already}"


def _stop(
    v: Verdict, reason: str, lockdown: bool = False, items: tuple[str, ...] = ()
) -> list[Event]:
    """STOP WORK for ``reason``, naming who held or handled ``items`` (the firearm that fired,
    the lot a live round was found in): neither signer of the resumption (R-SEPARATION)."""
    stoppage = v.state.stoppage
    locked_down = stoppage is not None and stoppage.lockdown and not stoppage.released
    if stoppage is not None and (locked_down or not lockdown):
        return []
    start, end = around(v.context.at)
    involved: set[str] = set()
    for tag in items:
        involved |= concerned(v.state, tag, start, end)
    return [WorkStopped(reason, lockdown, tuple(sorted(involved)))]


@handles(ReportDischarge, roles=ROLES, doing="report a discharge")
def discharge(command: ReportDischarge, v: Verdict) -> list[Event]:
    """A firearm fired. Outside a planned take, or a dummy or nothing on record firing, or with
    an injury, it is an incident, and the firearm and the lots of the rounds in it are frozen as
    evidence; an injury also stops work and locks the whole production down."""
    firearm = v.firearm(command.firearm)
    if firearm is None:
        return v.refused()
    v.positions(firearm, command.positions)
    v.refuse_if_blocked()
    fired = tuple(firearm.contents.get(p, "") for p in command.positions)
    events: list[Event] = [
        DischargeReported(
            firearm.tag,
            command.positions,
            command.planned,
            command.scene,
            command.injury,
            command.description,
            fired,
        )
    ]
    not_blanks = [
        p
        for p, lot in zip(command.positions, fired, strict=True)
        if not lot or v.state.lots[lot].lot_kind != BLANK
    ]
    summary = f"{'unplanned ' if not command.planned else ''}discharge of {firearm.label}"
    if not_blanks:
        summary = f"{firearm.label} fired from {', '.join(not_blanks)}, which held no blank"
        for lot_tag in sorted(
            {lot for lot in fired if lot and v.state.lots[lot].lot_kind == DUMMY}
        ):
            events.append(
                LotQuarantined(
                    lot_tag, f"a round of it fired in {firearm.label}", live=True, reverify=True
                )
            )
        v.note(
            LIVE_ROUNDS,
            firearm.tag,
            f"{summary} at {v.now}: a round with a live primer or powder "
            "was in it. Work stops on the whole production.",
        )
    if not command.planned or not_blanks or command.injury:
        incident = next_incident(v.state)
        events.append(IncidentOpened(incident, "discharge", summary, firearm.tag))
        events += freeze(v, incident, firearms=(firearm.tag,))
        v.note(
            INCIDENT,
            incident,
            f"Incident {incident}: {summary} at {v.now}. Firearm work "
            "waits until it is investigated and a safety meeting is held.",
        )
    if not_blanks or command.injury:
        events += _stop(v, summary, lockdown=command.injury, items=(firearm.tag,))
    return events


@handles(ReportMisfire, roles=ROLES, doing="report a misfire")
def misfire(command: ReportMisfire, v: Verdict) -> list[Event]:
    """A round did not fire: that firearm stops until cleared and its barrel inspected."""
    firearm = v.firearm(command.firearm)
    if firearm is None:
        return v.refused()
    v.positions(firearm, (command.position,))
    v.refuse_if_blocked()
    v.note(
        MISFIRE,
        firearm.tag,
        f"{firearm.label} misfired at {v.now} ({command.position}). "
        "Wait, clear it, recover the round, and inspect the barrel before it is used again.",
    )
    return [MisfireReported(firearm.tag, command.position, command.scene)]


@handles(
    RecoverMisfire,
    roles=ARMORERS,
    doing="recover a misfired round (only an armorer does)",
    rule=HANDOVER,
)
def recover_misfire(command: RecoverMisfire, v: Verdict) -> list[Event]:
    """The round that misfired comes out of the firearm in the armorer's hands, and where it
    went is recorded: it never goes back into its lot's box (R-MISFIRE)."""
    firearm = v.firearm(command.firearm)
    if firearm is None:
        return v.refused()
    in_hand(v, firearm, "recover the round")
    position = command.position or (firearm.duds[0] if len(firearm.duds) == 1 else "")
    if command.position:
        v.positions(firearm, (command.position,))
    if not firearm.duds:
        v.breaks(
            KNOWN, firearm.tag, f"No misfire of {firearm.label} waits for its round to come out."
        )
    elif position not in firearm.duds:
        v.breaks(
            KNOWN,
            firearm.tag,
            f"{firearm.label} misfired in {', '.join(firearm.duds)}"
            f"{f', not {position}' if position else ''}: name the position the round comes "
            "out of.",
        )
    if command.went_to not in DUD_DESTINATIONS:
        v.breaks(
            KNOWN,
            firearm.tag,
            "Say where the misfired round went: into a container, kept as evidence, or sent "
            f"for disposal, not {command.went_to!r}.",
        )
    elif command.went_to == DUD_TO_CONTAINER:
        container = v.container(command.container) if command.container else None
        if not command.container:
            v.breaks(KNOWN, firearm.tag, "Name the container the misfired round went into.")
        elif container is not None:
            may_use(v, container, "put a round in")
            if container.container_kind not in ARMORY_CONTAINERS or container.firearms:
                v.breaks(
                    LOCKED,
                    container.tag,
                    f"A misfired round goes into an armory container kept apart from firearms, "
                    f"not {container.label}.",
                )
    elif command.container:
        v.breaks(
            KNOWN,
            command.container,
            f"A round {command.went_to.replace('-', ' ')} went into no container: name none.",
        )
    v.refuse_if_blocked()
    lot = firearm.contents.get(position, "")
    if not lot:
        v.note(
            CUSTODY,
            firearm.tag,
            f"The round that misfired in {firearm.label}'s {position} was on no record: no lot "
            f"accounts for it (recovered at {v.now}). Tell the safety supervisor.",
        )
    return [
        MisfiredRoundRecovered(
            firearm.tag, position, lot, command.went_to, command.container, command.note
        )
    ]


@handles(ReportHandling, roles=ROLES, doing="report rounds handled by someone not an armorer")
def handling(command: ReportHandling, v: Verdict) -> list[Event]:
    """Someone not an armorer loaded, reloaded or unloaded a firearm, or took rounds out of (or
    put them into) a belt or bag: an incident, and what they handled is held until an armorer
    clears and inspects the firearm, or counts the belt or bag (R-LOOSE-ROUNDS)."""
    person = v.person(command.person_id)
    if command.act not in HANDLING_ACTS:
        v.breaks(
            KNOWN,
            command.person_id,
            f"Say what was done ({', '.join(sorted(HANDLING_ACTS))}), not {command.act!r}.",
        )
    if not command.firearm and not command.container:
        v.breaks(
            KNOWN, command.person_id, "Name the firearm, or the belt or bag, that was handled."
        )
    firearm = v.firearm(command.firearm) if command.firearm else None
    container = v.container(command.container) if command.container else None
    if person is not None and person.is_armorer:
        v.breaks(
            KNOWN,
            person.person_id,
            f"{person.label} is an armorer: handling rounds is theirs to do, not an incident.",
        )
    v.refuse_if_blocked()
    assert person is not None
    handled = [item.label for item in (firearm, container) if item is not None]
    summary = (
        f"{person.label} {HANDLING_WORDS.get(command.act, command.act)} {' and '.join(handled)}"
    )
    incident = next_incident(v.state)
    v.note(
        LOOSE_ROUNDS,
        firearm.tag if firearm is not None else command.container,
        f"Incident {incident}: {summary} at {v.now}. Only an armorer handles rounds: "
        f"{' and '.join(handled)} {'are' if len(handled) > 1 else 'is'} held until an armorer "
        f"{'unloads and inspects' if firearm is not None else 'counts'} "
        f"{'them' if len(handled) > 1 else 'it'}.",
    )
    return [
        IncidentOpened(incident, HANDLING_INCIDENT, summary, command.firearm),
        HandlingReported(
            incident,
            person.person_id,
            command.act,
            command.firearm,
            command.container,
            command.scene,
            command.description,
        ),
    ]


@handles(ReportFoundRound, roles=ROLES, doing="report a found round")
def found_round(command: ReportFoundRound, v: Verdict) -> list[Event]:
    """A round was found. Live (or unknown): stop work, quarantine its lot, open an incident, and
    freeze the lot and the firearm or container it was found in as evidence."""
    if command.observed not in OBSERVED_KINDS:
        v.breaks(
            KNOWN,
            command.where,
            f"Say whether the round looked live, blank, dummy or "
            f"unknown, not {command.observed!r}.",
        )
    lot = _locate(command, v)
    v.refuse_if_blocked()
    events: list[Event] = [
        RoundFound(
            command.observed,
            command.where,
            command.firearm,
            command.position,
            command.container,
            lot,
        )
    ]
    label = v.state.lots[lot].label if lot else "no lot on record"
    if command.observed in (LIVE, UNKNOWN):
        what = "A live round" if command.observed == LIVE else "A round nobody can identify"
        summary = f"{what.lower()} found {command.where} ({label})"
        if lot:
            events.append(LotQuarantined(lot, summary, live=True, reverify=True))
        incident = next_incident(v.state)
        events.append(IncidentOpened(incident, "live-round", summary, command.firearm))
        events += freeze(
            v,
            incident,
            firearms=(command.firearm,) if command.firearm else (),
            lots=(lot,) if lot else (),
            containers=(command.container,) if command.container else (),
        )
        events += _stop(
            v, summary, items=tuple(t for t in (command.firearm, lot, command.container) if t)
        )
        v.note(
            LIVE_ROUNDS,
            lot or command.where,
            f"{what} was found {command.where} at {v.now} "
            f"({label}). Work stops on the whole production"
            f"{f' and {label} is quarantined' if lot else ''}.",
        )
    elif lot and command.observed != v.state.lots[lot].lot_kind:
        events.append(
            LotQuarantined(
                lot, f"a {command.observed} round was found in it", live=False, reverify=True
            )
        )
        v.note(
            VERIFIED,
            lot,
            f"A {command.observed} round was found in {label} at {v.now}: "
            "the lot is quarantined until every round is verified again.",
        )
    elif not lot:
        v.note(
            CUSTODY,
            command.where,
            f"A loose {command.observed} round was found "
            f"{command.where} at {v.now}. No loose rounds: every round belongs in a counted "
            "lot, firearm, belt or bag.",
        )
    return events


def _locate(command: ReportFoundRound, v: Verdict) -> str:
    """The lot the found round is counted in, or ``""``."""
    if command.firearm and command.container:
        v.breaks(
            KNOWN,
            command.where,
            "A round is found in one place: a firearm's position or a container, not both.",
        )
        return ""
    if command.firearm:
        firearm = v.firearm(command.firearm)
        if firearm is None or not v.positions(firearm, (command.position,)):
            return ""
        return firearm.contents.get(command.position, "")
    if command.container:
        container = v.container(command.container)
        if container is None:
            return ""
        if command.lot and container.rounds.get(command.lot, 0) > 0:
            return command.lot
        if not command.lot and len(container.rounds) == 1:
            return next(iter(container.rounds))
        return ""
    if command.lot:
        lot = v.lot(command.lot)
        return command.lot if lot is not None and lot.stock > 0 else ""
    return ""


@handles(Complain, roles=ANYONE)
def complain(command: Complain, v: Verdict) -> list[Event]:
    """A complaint is recorded and escalated to every safety supervisor (F11)."""
    if not command.text.strip():
        v.breaks(KNOWN, "complaint", "Say what the complaint is.")
    supervisors = tuple(
        sorted(p.person_id for p in v.state.people.values() if SAFETY_SUPERVISOR in p.roles)
    )
    about = tuple(dict.fromkeys(command.about))
    for person_id in about:
        v.person(person_id)
    incident = next_incident(v.state)
    if not supervisors:
        v.note(
            INCIDENT,
            incident,
            f"Complaint {incident} has nobody to go to: put a safety supervisor on the roster.",
        )
    return [ComplaintMade(incident, command.text, command.scene, supervisors, about)]


@handles(
    CloseIncident,
    roles=frozenset({SAFETY_SUPERVISOR}),
    doing="close an incident: the safety supervisor does",
)
def close_incident(command: CloseIncident, v: Verdict) -> list[Event]:
    """The safety supervisor closes an investigated incident, with a second person (a producer
    or another safety supervisor) confirming in person; neither may be someone whose count,
    custody or act the incident concerns (R-SEPARATION)."""
    acting = v.acting
    second = second_person(v, command.second, acting, f"close {command.incident}")
    incident = v.state.incidents.get(command.incident)
    if incident is None or not incident.open:
        v.breaks(KNOWN, command.incident, f"There is no open incident {command.incident!r}.")
    else:
        not_their_own(
            v,
            (acting, second),
            incident_concerns(v.state, incident),
            f"close {incident.incident} ({incident.summary})",
            f"it concerns their own count, custody or act (opened at {v.time(incident.at)}).",
        )
    if incident is not None and incident.open and (still := frozen_as_found(v.state, incident)):
        v.breaks(
            EVIDENCE,
            incident.incident,
            f"{labels(v.state, still)} {'are' if len(still) > 1 else 'is'} still frozen as "
            f"evidence of {incident.incident}: release the evidence to the investigators before "
            "the incident is closed.",
        )
    if not command.findings.strip():
        v.breaks(KNOWN, command.incident, "Record what the investigation found.")
    return [
        IncidentClosed(
            command.incident, command.findings, command.second.person_id, v.via(command.second)
        )
    ]


@handles(StopWork, roles=ANYONE)  # anyone, at any time (R-STOP-WORK)
def stop_work(command: StopWork, v: Verdict) -> list[Event]:
    """STOP WORK: anyone may call it, at any time, and it is always recorded. A lockdown is an
    incident to investigate: one is opened for it unless one is open already."""
    reason = command.reason or "stop called"
    opened: list[Event] = []
    if command.lockdown and not any(
        incident.open and incident.category not in NON_BLOCKING_INCIDENTS
        for incident in v.state.incidents.values()
    ):
        opened.append(IncidentOpened(next_incident(v.state), "lockdown", reason, ""))
    # One unit stops alone; a lockdown, or a unit not on record, stops the whole production
    # (a STOP WORK is never refused, and never stops less than was asked).
    unit = command.unit if command.unit in v.state.units and not command.lockdown else ""
    return [WorkStopped(reason, command.lockdown, unit=unit), *opened]


@handles(ResumeWork, roles=ANYONE, together=(frozenset({SAFETY_SUPERVISOR}), ARMORERS))
def resume_work(command: ResumeWork, v: Verdict) -> list[Event]:
    """Work resumes only when a safety supervisor and an armorer sign together, every firearm
    inspected and locked away: at the unit resumed, or everywhere for the production-wide
    STOP WORK."""
    stoppage = v.state.unit_stoppages.get(command.unit) if command.unit else v.state.stoppage
    if stoppage is None:
        stopped = ", ".join(v.state.unit_label(u) for u in sorted(v.state.unit_stoppages))
        if command.unit:
            known_unit(v, command.unit, command.unit)
            v.breaks(
                KNOWN, command.unit, f"Work is not stopped at {v.state.unit_label(command.unit)}."
            )
        elif stopped:
            v.breaks(
                KNOWN,
                "production",
                f"Work is not stopped on the whole production; it is stopped at {stopped}: "
                "resume that unit by name.",
            )
        else:
            v.breaks(KNOWN, "production", "Work is not stopped.")
        return v.refused()
    co_signer = v.confirmed(command.co_signer, ROLE, "co-signer")
    actor = v.actor
    if command.unit:
        # A unit's STOP WORK is lifted by the two who sign at that unit, where it stopped.
        confirms_at(v, actor, command.unit, "a signer of the resumption", command.unit)
        confirms_at(v, co_signer, command.unit, "the co-signer", command.unit)
    if actor is not None and co_signer is not None and actor.person_id == co_signer.person_id:
        v.breaks(
            SEPARATION,
            actor.person_id,
            f"{actor.label} cannot co-sign their own resumption at {v.now}: a second person "
            "confirms in person.",
        )
    elif resume_work.covers(actor, co_signer) and not resume_work.pairs(actor, co_signer):
        both = next(p for p in (actor, co_signer) if p is not None and resume_work.covers(p, None))
        v.breaks(
            SEPARATION,
            both.person_id,
            f"{both.label} holds both roles but counts once at {v.now}: work resumes when a "
            "safety supervisor and an armorer, two different people, sign together.",
        )
    elif not resume_work.pairs(actor, co_signer):
        v.breaks(
            STOP_WORK,
            "production",
            "Work resumes only when a safety supervisor and an "
            "armorer resume it together, one acting and one confirming in person.",
        )
    not_their_own(
        v,
        (actor, co_signer),
        stop_concerns(v.state, command.unit),
        "sign the resumption of work",
        f"the stop at {v.time(stoppage.at)} ({stoppage.reason}) came from their own custody or "
        "act.",
        "a safety supervisor and an armorer who were not involved sign",
    )
    for tag in (*v.state.firearms, *v.state.lots):
        held = v.state.evidence_of(tag)
        if held is not None and not held.released:
            v.breaks(
                EVIDENCE,
                tag,
                f"{said(v.state, tag, held)} Work resumes after the handover.",
            )
    for firearm in v.state.firearms.values():
        if not firearm.active or firearm.evidence is not None:
            continue
        if command.unit and v.state.unit_of(firearm) != command.unit:
            continue  # another unit's firearms: not this unit's STOP WORK
        if firearm.gap is not None:
            v.breaks(
                INSPECT,
                firearm.tag,
                f"{firearm.gap.told(firearm.label, v.time(firearm.gap.at))} and has not "
                "been inspected since.",
            )
        container = v.state.containers.get(firearm.container or "")
        if container is None or not container.locked:
            where = (
                f"with {v.who(firearm.holder)}"
                if container is None
                else (f"in open {container.label}")
            )
            v.breaks(
                STOP_WORK,
                firearm.tag,
                f"{firearm.label} is {where}: lock every firearm away before work resumes.",
            )
    if stoppage.lockdown:
        for incident in v.state.incidents.values():
            if incident.open and incident.category != "complaint":
                v.breaks(
                    INCIDENT,
                    incident.incident,
                    f"Incident {incident.incident} "
                    f"({incident.summary}) is still open: the lockdown lasts until it is "
                    "closed.",
                )
    return [WorkResumed(command.co_signer.person_id, v.via(command.co_signer), command.unit)]


@handles(
    OverrideRule,
    roles=frozenset({SAFETY_SUPERVISOR}),
    doing="override a rule: only a safety supervisor does",
)
def override(command: OverrideRule, v: Verdict) -> list[Event]:
    """A safety supervisor waives an overridable rule once, for one subject, with a reason and a
    second person (a producer or another safety supervisor) confirming in person; neither may
    override for what they hold or for themselves, and the override is never used on a command
    either of them gives (R-SEPARATION, in :meth:`Verdict.settle`)."""
    acting = v.acting
    second = second_person(v, command.second, acting, f"override {command.rule_id}")
    start, end = around(v.context.at)
    not_their_own(
        v,
        (acting, second),
        concerned(v.state, command.subject, start, end),
        f"override {command.rule_id} for {what(v.state, command.subject)}",
        "it concerns what is in their own custody or hands, or themselves.",
    )
    rule = RULES.get(command.rule_id)
    if rule is None:
        v.breaks(KNOWN, command.rule_id, f"There is no rule {command.rule_id!r}.")
    elif not rule.overridable:
        v.breaks(rule, command.subject, f"{rule.rule_id} ({rule.title}) is never overridden.")
    if not command.reason.strip():
        v.breaks(KNOWN, command.subject, "An override needs its reason, in words.")
    return [
        RuleOverridden(
            command.rule_id,
            command.subject,
            command.reason,
            command.second.person_id,
            v.via(command.second),
        )
    ]
