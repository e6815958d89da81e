"""Who may open which area of the set pages, by their roles on the production.

This decides only what a person *sees* and which forms they are offered. What they may *do*
is decided by the core's safety rules when the command is attempted (an outsider's form post is
refused there too), so the two never disagree about safety: a page can only be more careful.

An acting area's roles are not written here: they are read from the roles the core's handlers
declare for the commands the area sends (:data:`ACTING`), the very declaration the core checks.
An area opens to whoever may give every one of its commands. Only the reading areas, which send
no command, are a table of this page's own.
"""

from __future__ import annotations

from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    AssignDuty,
    CallBreak,
    CloseIncident,
    Command,
    ConfirmReceipt,
    CountAndReconcile,
    DispatchFirearm,
    DrawFirearm,
    EndBreak,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    IssueBadge,
    IssuePin,
    LeaveSet,
    Load,
    LockAway,
    OpenUnit,
    OverrideRule,
    PlanScene,
    PlanShootDay,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RecoverMisfire,
    ReleaseEvidence,
    ReportDischarge,
    ReportFoundRound,
    ReportHandling,
    ReportMisfire,
    ResumeWork,
    Return,
    ReturnEvidence,
    RevokeCredential,
    SetTimeZone,
    ShowClear,
    StartScene,
    StopWork,
    Unload,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide import HANDLERS
from showclear.core.vocabulary import (
    ARMORERS,
    CAST,
    CREW,
    FIRST_AD,
    INVESTIGATOR,
    PRODUCER,
    ROLES,
    SAFETY_SUPERVISOR,
    STUNT,
)


def _roles(*groups: str | frozenset[str]) -> tuple[str, ...]:
    """The roles named, each once, in a stable order."""
    return tuple(sorted(frozenset().union(*({g} if isinstance(g, str) else g for g in groups))))


EVERYONE = _roles(ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR, CREW)
"""Everyone who works the production's pages."""
ANYONE_ON_SET = _roles(*EVERYONE, CAST, STUNT)
"""Everyone, performers too: anyone on set may call STOP WORK (R-STOP-WORK) and must see it."""

READING: dict[str, tuple[str, ...]] = {
    "board": EVERYONE,
    "today": EVERYONE,
    "ledger": EVERYONE,
    "firearm": _roles(ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),
    "lot": _roles(ARMORERS, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),
    "wrap": _roles(ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),
    "scan": _roles(ARMORERS, FIRST_AD, SAFETY_SUPERVISOR),
    "labels": _roles(ARMORERS),
    "reports": _roles(ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),  # paperwork
    "production": EVERYONE,  # its name and time zone (changing the zone is "time-zone")
    "trace": _roles(ARMORERS, SAFETY_SUPERVISOR, INVESTIGATOR),  # provenance, for investigation
    # the whole ledger as a bundle to verify offline (showclear export)
    "export": _roles(ARMORERS, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),
}
"""Reading area -> the roles that may open it: no command backs these."""

ACTING: dict[str, tuple[type[Command], ...]] = {
    # inspect, load, unload, show, hand over, take back, draw, lock away
    "handle-firearms": (
        InspectFirearm,
        Load,
        Unload,
        ShowClear,
        HandOver,
        Return,
        DrawFirearm,
        LockAway,
        RecoverMisfire,
    ),
    "verify-rounds": (VerifyRounds,),
    "safety-meeting": (HoldSafetyMeeting,),
    "count-at-wrap": (CountAndReconcile,),
    # manifests, schedules and people, as CSV
    "import": (ReceiveFirearm, ReceiveLot, PlanShootDay, PlanScene, AddPerson, RecordTraining),
    # anyone on set can report and stop work (R-STOP-WORK)
    "report-incident": (
        ReportFoundRound,
        ReportMisfire,
        ReportDischarge,
        ReportHandling,
        StopWork,
    ),
    "alarm": (StopWork,),  # the STOP WORK banner, on every page anyone may open
    "resume-work": (ResumeWork,),
    # signing on and off set, oneself, in person at a shared device, or the armory crew
    "on-set": (ArriveOnSet, LeaveSet),
    "form-unit": (OpenUnit,),
    # a firearm to another unit: dispatched by its armorer, its receipt confirmed there
    "move-between-units": (DispatchFirearm, ConfirmReceipt),
    # the first AD's calls on the Today board: each scene's start and wrap, and the breaks
    "start-scene": (StartScene,),
    "wrap-scene": (WrapScene,),
    "breaks": (CallBreak, EndBreak),
    # the People page: the roster, roles and duties, training and licences, badges and PINs
    "people": (AddPerson, AssignDuty, RecordTraining, IssueBadge, IssuePin, RevokeCredential),
    # the Incidents page: the safety supervisor closes, releases evidence, overrides a rule
    "incidents": (CloseIncident, ReleaseEvidence, OverrideRule),
    # ... and an incident's investigators hand its evidence back to an armorer
    "return-evidence": (ReturnEvidence,),
    # receiving firearms and lots by hand (the import page takes them as CSV)
    "receive": (ReceiveFirearm, ReceiveLot),
    # the production's time zone, on its page (every time is said in it)
    "time-zone": (SetTimeZone,),
}
"""Acting area -> the commands it sends."""


def declared(commands: tuple[type[Command], ...]) -> tuple[str, ...]:
    """The roles that may give every one of ``commands``, as their handlers declare (for two
    signing together, the roles that take part; for a command open to anyone, every role)."""
    roles = ROLES
    for command in commands:
        signers = HANDLERS[command].signers
        roles &= ROLES if signers is None else signers
    return tuple(sorted(roles))


def may_give(roles: frozenset[str], command: type[Command]) -> bool:
    """Whether someone holding ``roles`` is among those ``command``'s handler declares (a
    button to offer; the core still decides the command itself)."""
    return bool(roles & set(declared((command,))))


AREAS: dict[str, tuple[str, ...]] = {
    **READING,
    **{area: declared(commands) for area, commands in ACTING.items()},
}
"""Area -> the roles that may open it. Every view names its area; tests walk this table."""
