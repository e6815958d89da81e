"""Events: what happened on a production, in the past tense (see :mod:`.base`).

The kinds a ledger may hold are listed once, in :data:`EVENTS`, and nowhere else: a class that
is not in the table cannot be read back from a ledger, and two classes sharing a kind are
refused when this module is imported. The area modules only define classes.

- :mod:`.base`: :class:`Event`, how a payload is read back, and the first entry of every ledger;
- :mod:`.armory`: firearms, ammunition lots and containers;
- :mod:`.on_set`: people, scenes, meetings, incidents and rule overrides on set;
- :mod:`.evidence`: what an incident froze as evidence;
- :mod:`.units`: units formed at their locations, and firearms moved between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from showclear.core.events.armory import (
    ContainerHandedOver,
    ContainerLocked,
    ContainerRegistered,
    ContainerReturned,
    ContainerUnlocked,
    CountReconciled,
    FirearmHandedOver,
    FirearmImpounded,
    FirearmInspected,
    FirearmLoaded,
    FirearmReceived,
    FirearmReturned,
    FirearmReturnedToOwner,
    FirearmStored,
    FirearmTakenOut,
    FirearmUnloaded,
    LotQuarantined,
    LotReceived,
    LotReleased,
    LotReturnedToSupplier,
    LotStored,
    LotTakenOut,
    LotTally,
    Placement,
    RoundsPacked,
    RoundsUnpacked,
    RoundsVerified,
    ShownClear,
)
from showclear.core.events.base import Event, ProductionCreated, TimeZoneSet, UnknownEventError
from showclear.core.events.evidence import (
    ContainerExhibit,
    Counted,
    EvidenceFrozen,
    EvidenceReleased,
    EvidenceReturned,
    FirearmExhibit,
    LooseRounds,
    LotExhibit,
)
from showclear.core.events.on_set import (
    ArrivedOnSet,
    BadgeIssuedInFormat1,
    BlankFire,
    BreakCalled,
    BreakEnded,
    ComplaintMade,
    CredentialIssued,
    CredentialRevoked,
    DischargeReported,
    DutyAssigned,
    HandlingReported,
    IncidentClosed,
    IncidentOpened,
    LeftSet,
    MisfiredRoundRecovered,
    MisfireReported,
    OverrideApplied,
    PersonAdded,
    RoundFound,
    RuleOverridden,
    RuleWarned,
    SafetyMeetingHeld,
    SceneJoined,
    ScenePlanChanged,
    ScenePlanned,
    SceneStarted,
    SceneWrapped,
    ShootDayPlanned,
    TrainingRecorded,
    WorkResumed,
    WorkStopped,
)
from showclear.core.events.units import FirearmDispatched, FirearmReceiptConfirmed, UnitOpened

EVENTS: tuple[type[Event], ...] = (
    ProductionCreated,
    TimeZoneSet,
    # armory.py
    FirearmReceived,
    FirearmInspected,
    FirearmLoaded,
    FirearmUnloaded,
    ShownClear,
    FirearmHandedOver,
    FirearmReturned,
    FirearmStored,
    FirearmTakenOut,
    FirearmImpounded,
    FirearmReturnedToOwner,
    LotReceived,
    RoundsVerified,
    LotQuarantined,
    LotReleased,
    LotStored,
    LotTakenOut,
    RoundsPacked,
    RoundsUnpacked,
    LotReturnedToSupplier,
    ContainerRegistered,
    ContainerLocked,
    ContainerUnlocked,
    ContainerHandedOver,
    ContainerReturned,
    CountReconciled,
    # on_set.py
    PersonAdded,
    BadgeIssuedInFormat1,
    CredentialIssued,
    CredentialRevoked,
    DutyAssigned,
    TrainingRecorded,
    ArrivedOnSet,
    LeftSet,
    ShootDayPlanned,
    ScenePlanned,
    ScenePlanChanged,
    SceneJoined,
    SafetyMeetingHeld,
    SceneStarted,
    SceneWrapped,
    BreakCalled,
    BreakEnded,
    DischargeReported,
    MisfireReported,
    RoundFound,
    ComplaintMade,
    IncidentOpened,
    IncidentClosed,
    WorkStopped,
    WorkResumed,
    RuleOverridden,
    OverrideApplied,
    RuleWarned,
    MisfiredRoundRecovered,
    HandlingReported,
    # evidence.py
    EvidenceFrozen,
    EvidenceReleased,
    EvidenceReturned,
    # units.py
    UnitOpened,
    FirearmDispatched,
    FirearmReceiptConfirmed,
)
"""Every event class a ledger may hold, each exactly once."""


def _by_kind(events: tuple[type[Event], ...]) -> dict[str, type[Event]]:
    table: dict[str, type[Event]] = {}
    for event_type in events:
        if not event_type.kind:
            raise TypeError(f"{event_type.__name__} has no kind")
        if event_type.kind in table:
            raise TypeError(f"two events share the kind {event_type.kind!r}")
        table[event_type.kind] = event_type
    return table


EVENT_TYPES: dict[str, type[Event]] = _by_kind(EVENTS)
"""Each event kind and its class."""


def event_from(kind: str, payload: Mapping[str, Any]) -> Event:
    """The event recorded as ``kind`` with ``payload``."""
    try:
        event_type = EVENT_TYPES[kind]
    except KeyError as error:
        raise UnknownEventError(f"no event of kind {kind!r} is known") from error
    return event_type.from_payload(payload)


__all__ = [
    "EVENTS",
    "EVENT_TYPES",
    "ArrivedOnSet",
    "BadgeIssuedInFormat1",
    "BlankFire",
    "BreakCalled",
    "BreakEnded",
    "ComplaintMade",
    "ContainerExhibit",
    "ContainerHandedOver",
    "ContainerLocked",
    "ContainerRegistered",
    "ContainerReturned",
    "ContainerUnlocked",
    "CountReconciled",
    "Counted",
    "CredentialIssued",
    "CredentialRevoked",
    "DischargeReported",
    "DutyAssigned",
    "Event",
    "EvidenceFrozen",
    "EvidenceReleased",
    "EvidenceReturned",
    "FirearmDispatched",
    "FirearmExhibit",
    "FirearmHandedOver",
    "FirearmImpounded",
    "FirearmInspected",
    "FirearmLoaded",
    "FirearmReceiptConfirmed",
    "FirearmReceived",
    "FirearmReturned",
    "FirearmReturnedToOwner",
    "FirearmStored",
    "FirearmTakenOut",
    "FirearmUnloaded",
    "HandlingReported",
    "IncidentClosed",
    "IncidentOpened",
    "LeftSet",
    "LooseRounds",
    "LotExhibit",
    "LotQuarantined",
    "LotReceived",
    "LotReleased",
    "LotReturnedToSupplier",
    "LotStored",
    "LotTakenOut",
    "LotTally",
    "MisfireReported",
    "MisfiredRoundRecovered",
    "OverrideApplied",
    "PersonAdded",
    "Placement",
    "ProductionCreated",
    "RoundFound",
    "RoundsPacked",
    "RoundsUnpacked",
    "RoundsVerified",
    "RuleOverridden",
    "RuleWarned",
    "SafetyMeetingHeld",
    "SceneJoined",
    "ScenePlanChanged",
    "ScenePlanned",
    "SceneStarted",
    "SceneWrapped",
    "ShootDayPlanned",
    "ShownClear",
    "TimeZoneSet",
    "TrainingRecorded",
    "UnitOpened",
    "UnknownEventError",
    "WorkResumed",
    "WorkStopped",
    "event_from",
]
