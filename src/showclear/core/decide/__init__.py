"""``decide``: the safety protocol at the moment of action.

``decide(state, command, context)`` reads the production's state (never changes it) and returns
the events to record, or raises :class:`Refused` listing every rule the command breaks, each
with a sentence a tired person on set understands. Warnings do not refuse: they are returned as
``rule.warned`` events after the command's own events, so they are sealed in the ledger too.

:data:`HANDLERS` lists every command with its handler, each declaring the roles that may give
it (``@handles(DrawFirearm, roles=ARMORERS)``); the verdict checks that declaration before the
handler runs, and the API and the set pages read the same declaration.
"""

from __future__ import annotations

from typing import Any

from showclear.core import limits
from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    AssignDuty,
    CallBreak,
    CloseIncident,
    Command,
    Complain,
    ConfirmReceipt,
    CountAndReconcile,
    CreateProduction,
    DispatchFirearm,
    DrawFirearm,
    EndBreak,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    IssueBadge,
    IssuePin,
    JoinScene,
    LeaveSet,
    Load,
    Lock,
    LockAway,
    OpenUnit,
    OverrideRule,
    PlanScene,
    PlanShootDay,
    PutIn,
    QuarantineLot,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RecoverMisfire,
    RegisterContainer,
    ReleaseEvidence,
    ReleaseLot,
    ReplanScene,
    ReportDischarge,
    ReportFoundRound,
    ReportHandling,
    ReportMisfire,
    ResumeWork,
    Return,
    ReturnEvidence,
    ReturnToOwner,
    RevokeCredential,
    SetTimeZone,
    ShowClear,
    StartScene,
    StopWork,
    TakeOut,
    Unload,
    Unlock,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide import (
    ammunition,
    custody,
    evidence,
    firearms,
    incidents,
    people,
    scenes,
    units,
)
from showclear.core.decide.verdict import Context, Handler, InPerson, Refused, Verdict
from showclear.core.events import Event
from showclear.core.rules import INPUT, KNOWN
from showclear.core.state import ProductionState

HANDLERS: dict[type[Command], Handler[Any]] = {
    ReceiveLot: ammunition.receive_lot,
    VerifyRounds: ammunition.verify,
    QuarantineLot: ammunition.quarantine,
    ReleaseLot: ammunition.release,
    CountAndReconcile: ammunition.count,
    HandOver: custody.hand_over,
    Return: custody.take_back,
    RegisterContainer: custody.register,
    Lock: custody.lock,
    Unlock: custody.unlock,
    PutIn: custody.put_in,
    LockAway: custody.lock_away,
    DrawFirearm: custody.draw,
    TakeOut: custody.take_out,
    ReleaseEvidence: evidence.release,
    ReturnEvidence: evidence.hand_back,
    ReceiveFirearm: firearms.receive,
    InspectFirearm: firearms.inspect,
    Load: firearms.load,
    Unload: firearms.unload,
    ShowClear: firearms.show_clear,
    ReturnToOwner: firearms.return_to_owner,
    ReportDischarge: incidents.discharge,
    ReportMisfire: incidents.misfire,
    ReportFoundRound: incidents.found_round,
    Complain: incidents.complain,
    CloseIncident: incidents.close_incident,
    StopWork: incidents.stop_work,
    ResumeWork: incidents.resume_work,
    OverrideRule: incidents.override,
    RecoverMisfire: incidents.recover_misfire,
    ReportHandling: incidents.handling,
    CreateProduction: people.create_production,
    SetTimeZone: people.set_time_zone,
    AddPerson: people.add_person,
    IssueBadge: people.issue_badge,
    IssuePin: people.issue_pin,
    RevokeCredential: people.revoke_credential,
    AssignDuty: people.assign_duty,
    RecordTraining: people.record_training,
    ArriveOnSet: people.arrive,
    LeaveSet: people.leave,
    PlanShootDay: scenes.plan_day,
    PlanScene: scenes.plan_scene,
    ReplanScene: scenes.replan_scene,
    JoinScene: scenes.join_scene,
    HoldSafetyMeeting: scenes.hold_meeting,
    StartScene: scenes.start_scene,
    WrapScene: scenes.wrap_scene,
    CallBreak: scenes.call_break,
    EndBreak: scenes.end_break,
    OpenUnit: units.open_unit,
    DispatchFirearm: units.dispatch,
    ConfirmReceipt: units.confirm_receipt,
}
"""Every command, and its handler: the one table of what the core decides and who may ask."""


def decide(state: ProductionState, command: Command, context: Context) -> list[Event]:
    """The events recording ``command`` given by ``context`` on ``state``, or :class:`Refused`."""
    verdict = Verdict(state, context)
    # R-INPUT before any rule: an over-long text or a tag outside the safe characters is refused
    # on its own, before any handler reads (or repeats in a sentence) what it carries. A STOP
    # WORK's reason (and a report's account of what happened) is shortened instead: never refused.
    command = limits.shorten(command)
    for breach in limits.check(command):
        verdict.breaks(INPUT, breach.field, breach.message)
    verdict.refuse_if_blocked()
    if not state.created and not isinstance(command, CreateProduction):
        verdict.breaks(KNOWN, "", "This production has no ledger yet: create it first.")
        verdict.refuse_if_blocked()
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"no decider for {type(command).__name__}")
    # R-EVIDENCE before anything else, for every command: what an incident froze is named first
    # among the reasons, whatever the command is and whatever else it breaks.
    evidence.untouched(verdict, command)
    # R-ROLE (or the rule the handler names) next: the roles the handler declares, before it runs.
    verdict.clear(handler, command)
    return verdict.settle(handler(command, verdict))


__all__ = ["HANDLERS", "Context", "InPerson", "Refused", "decide"]
