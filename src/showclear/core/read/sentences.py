"""The one sentence each kind of ledger entry makes.

Every sentence about an entry is made here, by :func:`said`, from :data:`SENTENCES`: one function
per event class. The trace, the firearm record, the history pages, the reports and the CLI all
call :func:`said`, so a kind is worded once. The firearm record asks for the firearm's own
viewpoint (``about_the_firearm=True``): the few kinds that name several things then say only what
happened to the firearm (:data:`ABOUT_THE_FIREARM`). A kind missing from the table would fall
back to its bare name, and ``tests/core/test_words.py`` fails if any kind does.

Times, counts and conditions are worded by :mod:`showclear.core.words`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from showclear.core.events import (
    Event,
    ProductionCreated,
    TimeZoneSet,
    armory,
    evidence,
    on_set,
    units,
)
from showclear.core.state import Container, Person, Recorded, Unit
from showclear.core.vocabulary import HANDLING_WORDS, MAKER_WORDS, ROLE_NAMES
from showclear.core.words import described, held, plural, rounds

# -- names ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """The people and containers of a production, by id and tag, to say entries in words."""

    people: Mapping[str, Person] = field(default_factory=dict)
    containers: Mapping[str, Container] = field(default_factory=dict)
    units: Mapping[str, Unit] = field(default_factory=dict)

    def unit(self, unit: str) -> str:
        """``"Second unit (Quarry, 30 km north)"``, or ``"the second unit"`` unnamed."""
        found = self.units.get(unit)
        if found is not None:
            return found.label
        return "Main unit" if unit == units.MAIN else f"the {unit} unit"

    def person(self, person_id: str | None) -> str:
        """``"Hannah Reed (armorer)"``, or ``"person X"`` for an id nobody added."""
        if person_id is None:
            return "nobody"
        found = self.people.get(person_id)
        return found.label if found is not None else f"person {person_id}"

    def container(self, tag: str) -> str:
        """``"Armory safe SAFE-1"``, or the bare tag."""
        found = self.containers.get(tag)
        return found.label if found is not None else tag

    def persons(self, person_ids: Sequence[str]) -> str:
        """``"Jo Carver (cast), Sam Ode (first AD)"``."""
        return ", ".join(self.person(p) for p in person_ids)


# -- the one renderer ------------------------------------------------------------------------------

Sentence = Callable[[Any, Names], str]
"""What one kind of entry says: its event and the names to say it with."""


def said(recorded: Recorded, names: Names, *, about_the_firearm: bool = False) -> str:
    """What one entry says, as a sentence without its time or author.

    ``about_the_firearm``: said on the firearm's own record, where the firearm goes without
    saying (kinds that name several things say only what happened to it).
    """
    event = recorded.event
    kind = type(event)
    sentence = (ABOUT_THE_FIREARM.get(kind) if about_the_firearm else None) or SENTENCES.get(kind)
    if sentence is None:
        return unsaid(event)
    return sentence(event, names)


def unsaid(event: Event) -> str:
    """The bare name of a kind no sentence was written for: ``"Lot received."``."""
    return f"{event.kind.replace('.', ' ').replace('-', ' ').capitalize()}."


def _scene(scene: str) -> str:
    return f" for scene {scene}" if scene else ""


def _listed(tags: Sequence[str], none: str = "none") -> str:
    return ", ".join(tags) or none


# -- the production and its people -----------------------------------------------------------------


def _production_created(event: ProductionCreated, names: Names) -> str:
    return f"Production {event.name} created, with {event.armorer_name} as key armorer."


def _time_zone_set(event: TimeZoneSet, names: Names) -> str:
    return f"The production works in the time zone {event.zone}: times are said in it."


def _person_added(event: on_set.PersonAdded, names: Names) -> str:
    return f"{event.name} joined the roster ({', '.join(event.roles)})."


def _duty_assigned(event: on_set.DutyAssigned, names: Names) -> str:
    duty = ROLE_NAMES.get(event.duty, event.duty.replace("-", " "))
    return f"{names.person(event.person_id)} now also serves as {duty}."


def _training_recorded(event: on_set.TrainingRecorded, names: Names) -> str:
    until = f"valid until {event.expires_on}" if event.expires_on else "no expiry"
    return (
        f"{names.person(event.person_id)}'s {event.course.replace('-', ' ')} training recorded: "
        f"completed {event.completed_on}, {until}."
    )


def _credential(credential: str, credential_id: str) -> str:
    """``"badge B-0042"`` (its printed serial) or ``"PIN"`` (its id is nobody's business)."""
    return f"badge {credential_id}" if credential == "badge" else credential.upper()


def _credential_issued(event: on_set.CredentialIssued, names: Names) -> str:
    given = _credential(event.credential, event.credential_id)
    return f"{names.person(event.person_id)} was given a {given}."


def _credential_revoked(event: on_set.CredentialRevoked, names: Names) -> str:
    revoked = _credential(event.credential, event.credential_id)
    return f"{names.person(event.person_id)}'s {revoked} no longer counts: {event.reason}."


def _badge_issued(event: on_set.BadgeIssuedInFormat1, names: Names) -> str:
    return (
        f"{names.person(event.person_id)} was given a badge and PIN (an old-format entry; its "
        "secrets are never read)."
    )


def _arrived(event: on_set.ArrivedOnSet, names: Names) -> str:
    return f"{names.person(event.person_id)} arrived on set{_at_unit(event.unit, names)}."


def _at_unit(unit: str, names: Names) -> str:
    """``" at Second unit (Quarry)"``; nothing for the main unit (every old entry's)."""
    return "" if not unit or unit == units.MAIN else f" at {names.unit(unit)}"


def _left(event: on_set.LeftSet, names: Names) -> str:
    return f"{names.person(event.person_id)} left the set."


# -- the schedule ----------------------------------------------------------------------------------


def _shoot_day_planned(event: on_set.ShootDayPlanned, names: Names) -> str:
    return f"Shoot day planned: {event.day} on {event.date}."


def _scene_planned(event: on_set.ScenePlanned, names: Names) -> str:
    return (
        f"Scene {event.scene} planned ({event.title}): {_listed(event.firearms, 'no')} "
        f"firearm(s), {event.condition}, performers {names.persons(event.performers) or 'none'}"
        f"{_at_unit(event.unit, names)}."
    )


def _scene_plan_changed(event: on_set.ScenePlanChanged, names: Names) -> str:
    return (
        f"Scene {event.scene}'s plan changed ({event.reason}): {_listed(event.firearms, 'no')} "
        f"firearm(s), {event.condition}, performers {names.persons(event.performers) or 'none'}. "
        "Its safety meeting must be held again."
    )


def _scene_joined(event: on_set.SceneJoined, names: Names) -> str:
    return f"{names.person(event.person_id)} joined the crew of scene {event.scene}."


def _safety_meeting(event: on_set.SafetyMeetingHeld, names: Names) -> str:
    return f"Safety meeting for scene {event.scene}: {names.persons(event.attendees)}."


def _scene_started(event: on_set.SceneStarted, names: Names) -> str:
    return f"Scene {event.scene} started: firearm work began."


def _scene_wrapped(event: on_set.SceneWrapped, names: Names) -> str:
    return f"Scene {event.scene} wrapped: its firearms back, unloaded and checked."


def _break_called(event: on_set.BreakCalled, names: Names) -> str:
    loose = [
        *(f"inspect {tag}" for tag in event.unsecured_firearms),
        *(f"re-verify lot {lot}" for lot in event.unsecured_lots),
    ]
    if not loose:
        return f"Break called ({event.reason}); everything was locked away."
    return f"Break called ({event.reason}). Not locked away, so before use: {', '.join(loose)}."


def _break_ended(event: on_set.BreakEnded, names: Names) -> str:
    return "Break over."


# -- firearms (said from the firearm's own viewpoint everywhere) -----------------------------------


def _firearm_received(event: armory.FirearmReceived, names: Names) -> str:
    return f"Received from {event.owner} (serial {event.serial})."


def _inspected(event: armory.FirearmInspected, names: Names) -> str:
    barrel = "barrel clear" if event.barrel_clear else "BARREL OBSTRUCTED"
    checked = plural(len(event.positions_checked), "position")
    found = f"; found {event.firearm_class.replace('-', ' ')}" if event.firearm_class else ""
    return f"Inspected: {checked} checked, {barrel}{found}; held {held(event.contents)}."


def _loaded(event: armory.FirearmLoaded, names: Names) -> str:
    return (
        f"Loaded {rounds(len(event.positions))} of lot {event.lot} into "
        f"{', '.join(event.positions)}{_scene(event.scene)}."
    )


def _unloaded(event: armory.FirearmUnloaded, names: Names) -> str:
    return f"Unloaded {held(event.removed)}; the rounds went back to their lots."


def _shown_clear(event: armory.ShownClear, names: Names) -> str:
    return (
        f"Shown {described((event.condition, event.rounds))}{_scene(event.scene)}: every "
        f"position shown to {names.person(event.performer_id)}, witnessed by "
        f"{names.person(event.first_ad_id)}; both confirmed in person."
    )


def _firearm_handed_over(event: armory.FirearmHandedOver, names: Names) -> str:
    return f"Handed to {names.person(event.to)}{_scene(event.scene)}."


def _firearm_returned(event: armory.FirearmReturned, names: Names) -> str:
    return f"Taken back from {names.person(event.returned_by)}."


def _firearm_stored(event: armory.FirearmStored, names: Names) -> str:
    return f"Put into {names.container(event.container)}."


def _firearm_taken_out(event: armory.FirearmTakenOut, names: Names) -> str:
    return f"Taken out of {names.container(event.container)}."


def _impounded(event: armory.FirearmImpounded, names: Names) -> str:
    return (
        f"Handed as evidence to {names.person(event.investigator_id)}, witnessed by "
        f"{names.person(event.witness_id)}; held {held(event.contents)}."
    )


def _returned_to_owner(event: armory.FirearmReturnedToOwner, names: Names) -> str:
    return f"Returned to its owner, {event.owner}."


def _misfire(event: on_set.MisfireReported, names: Names) -> str:
    return f"Misfire reported in {event.position}{_scene(event.scene)}."


def _misfire_recovered(event: on_set.MisfiredRoundRecovered, names: Names) -> str:
    where = {
        "container": f"into {names.container(event.container)}",
        "evidence": "to be kept as evidence",
        "disposal": "for disposal",
    }.get(event.went_to, event.went_to)
    lot = f"lot {event.lot}" if event.lot else "no lot on record"
    note = f" ({event.note})" if event.note else ""
    return (
        f"The round that misfired in {event.firearm} {event.position} was taken out and went "
        f"{where}{note}; counted out of {lot} for good."
    )


def _handling_reported(event: on_set.HandlingReported, names: Names) -> str:
    act = HANDLING_WORDS.get(event.act, event.act)
    handled = " and ".join(
        x for x in (event.firearm, names.container(event.container) if event.container else "") if x
    )
    detail = f" ({event.description})" if event.description else ""
    return (
        f"Reported: {names.person(event.person_id)} {act} {handled}{_scene(event.scene)}"
        f"{detail}. Only an armorer handles rounds: {event.incident} is open and "
        f"{handled} is held until an armorer clears and inspects it."
    )


# -- ammunition and containers ---------------------------------------------------------------------


def _lot_received(event: armory.LotReceived, names: Names) -> str:
    where = f" into {names.container(event.container)}" if event.container else ""
    load = f", {event.load} load" if event.load else ""
    made = MAKER_WORDS.get(event.maker, MAKER_WORDS["unknown"])
    return (
        f"Received lot {event.tag}{where}: {rounds(event.count)} of {event.calibre} "
        f"{event.lot_kind}{load} from {event.supplier} ({event.document}), made {made}, "
        f"delivered {event.delivered_on}; quarantined until every round is verified."
    )


def _rounds_verified(event: armory.RoundsVerified, names: Names) -> str:
    return (
        f"{rounds(event.count)} of lot {event.lot} recorded verified one by one by "
        f"{event.method.replace('-', ' ')}, witnessed by {names.person(event.witness_id)} "
        f"({event.remaining} left to verify)."
    )


def _lot_quarantined(event: armory.LotQuarantined, names: Names) -> str:
    live = " A LIVE ROUND was found in it." if event.live else ""
    return f"Lot {event.lot} quarantined: {event.reason}.{live}"


def _lot_released(event: armory.LotReleased, names: Names) -> str:
    return f"Lot {event.lot} released for use."


def _lot_stored(event: armory.LotStored, names: Names) -> str:
    return f"Lot {event.lot}'s box put into {names.container(event.container)}."


def _lot_taken_out(event: armory.LotTakenOut, names: Names) -> str:
    return f"Lot {event.lot}'s box taken out of {names.container(event.container)}."


def _lot_returned(event: armory.LotReturnedToSupplier, names: Names) -> str:
    return f"{rounds(event.rounds)} of lot {event.lot} returned to the supplier."


def _packed(event: armory.RoundsPacked, names: Names) -> str:
    return (
        f"{rounds(event.rounds)} of lot {event.lot} packed into {names.container(event.container)}."
    )


def _unpacked(event: armory.RoundsUnpacked, names: Names) -> str:
    return (
        f"{rounds(event.rounds)} of lot {event.lot} unpacked from "
        f"{names.container(event.container)} back into its box."
    )


def _count_reconciled(event: armory.CountReconciled, names: Names) -> str:
    missing = [tag for tag in event.firearms_expected if tag not in event.firearms_counted]
    off = [
        f"lot {t.lot}{f' in {t.container}' if t.container else ''}: {t.counted} counted, "
        f"{t.expected} expected"
        for t in event.lots
        if t.counted != t.expected
    ]
    counted = (
        f"{plural(len(event.firearms_counted), 'firearm')} and {plural(len(event.lots), 'lot')}"
    )
    if event.balanced and not missing and not off:
        return f"Counted by hand: {counted}, all as on record."
    wrong = [*(f"{tag} not found" for tag in missing), *off]
    return f"Counted by hand: {counted}, NOT as on record: {'; '.join(wrong) or 'see the tally'}."


def _container_registered(event: armory.ContainerRegistered, names: Names) -> str:
    return (
        f"{names.container(event.tag)} registered ({event.description or event.container_kind})"
        f"{_at_unit(event.unit, names)}."
    )


def _container_handed_over(event: armory.ContainerHandedOver, names: Names) -> str:
    return f"{names.container(event.container)} handed to {names.person(event.to)}{_scene(event.scene)}."


def _container_returned(event: armory.ContainerReturned, names: Names) -> str:
    return f"{names.container(event.container)} taken back from {names.person(event.returned_by)}."


def _container_locked(event: armory.ContainerLocked, names: Names) -> str:
    return f"{names.container(event.container)} locked."


def _container_unlocked(event: armory.ContainerUnlocked, names: Names) -> str:
    return f"{names.container(event.container)} unlocked."


# -- evidence --------------------------------------------------------------------------------------


def _frozen(event: evidence.EvidenceFrozen, names: Names) -> str:
    frozen = [*event.firearms, *event.lots, *event.containers]
    return (
        f"Frozen as found, as evidence of {event.incident}: {', '.join(frozen)}; nobody "
        "touches them until the safety supervisor releases them to the investigators."
    )


def _released(event: evidence.EvidenceReleased, names: Names) -> str:
    shown = [
        *(f"{e.firearm} ({held(e.contents)})" for e in event.firearms),
        *(f"lot {e.lot}'s box ({rounds(e.rounds)})" for e in event.lots),
        *(f"{names.container(e.container)}" for e in event.containers),
    ]
    return (
        f"Evidence of {event.incident} released untouched to "
        f"{names.persons(event.investigators)}, witnessed by "
        f"{names.person(event.witness_id)}: {'; '.join(shown) or 'nothing frozen'}."
    )


def _returned(event: evidence.EvidenceReturned, names: Names) -> str:
    shown = [
        *(e.firearm for e in event.firearms),
        *(f"lot {e.lot}" for e in event.lots),
        *(e.container for e in event.containers),
    ]
    return (
        f"Evidence of {event.incident} handed back by the investigators to "
        f"{names.person(event.armorer_id)}: {', '.join(shown)}; inspect and verify before use."
    )


def _exhibited(firearms: tuple[evidence.FirearmExhibit, ...]) -> str:
    """What each firearm held when it changed hands as evidence."""
    if len(firearms) == 1:
        return f"held {held(firearms[0].contents)}"
    return "; ".join(f"{e.firearm} held {held(e.contents)}" for e in firearms)


def _firearm_frozen(event: evidence.EvidenceFrozen, names: Names) -> str:
    return (
        f"Frozen as found, as evidence of {event.incident}: nobody touches it until the "
        "safety supervisor releases it to the investigators."
    )


def _firearm_released(event: evidence.EvidenceReleased, names: Names) -> str:
    return (
        f"Released as evidence of {event.incident} to {names.persons(event.investigators)}, "
        f"witnessed by {names.person(event.witness_id)}; {_exhibited(event.firearms)}."
    )


def _firearm_returned_as_evidence(event: evidence.EvidenceReturned, names: Names) -> str:
    return (
        f"Handed back by the investigators of {event.incident} to "
        f"{names.person(event.armorer_id)}; {_exhibited(event.firearms)}. Inspect it before use."
    )


# -- on set: overrides, discharges, incidents ------------------------------------------------------


def _overridden(event: on_set.RuleOverridden, names: Names) -> str:
    second = f" (confirmed by {names.person(event.second_id)})" if event.second_id else ""
    return f"Rule {event.rule_id} overridden once for {event.subject}{second}: {event.reason}"


def _override_applied(event: on_set.OverrideApplied, names: Names) -> str:
    return f"Override of {event.rule_id} for {event.subject} used: {event.message}"


def _warned(event: on_set.RuleWarned, names: Names) -> str:
    return f"Warning {event.rule_id} for {event.subject}: {event.message}"


def _discharge(event: on_set.DischargeReported, names: Names) -> str:
    planned = "in a planned take" if event.planned else "OUTSIDE A PLANNED TAKE"
    injury = "; someone was INJURED" if event.injury else ""
    lots = f" (lot {', '.join(event.fired_lots)})" if event.fired_lots else ""
    scene = f" in scene {event.scene}" if event.scene else ""
    text = f" {event.description}" if event.description else ""
    return (
        f"{event.firearm} fired from {', '.join(event.positions)}{lots} {planned}{scene}"
        f"{injury}.{text}"
    )


def _firearm_discharge(event: on_set.DischargeReported, names: Names) -> str:
    planned = "in a planned take" if event.planned else "OUTSIDE A PLANNED TAKE"
    return f"Fired from {', '.join(event.positions)} {planned}{_scene(event.scene)}."


def _round_found(event: on_set.RoundFound, names: Names) -> str:
    where = f"{event.firearm} {event.position}" if event.firearm else event.where
    lot = f", counted in lot {event.lot}" if event.lot else ", belonging to no lot on record"
    box = f" ({names.container(event.container)})" if event.container else ""
    return f"A {event.observed} round was found in {where}{box}{lot}, and removed."


def _firearm_round_found(event: on_set.RoundFound, names: Names) -> str:
    return f"A {event.observed} round was found in {event.position or event.where}."


def _stopped(event: on_set.WorkStopped, names: Names) -> str:
    if event.unit:
        return f"STOP WORK at {names.unit(event.unit)}: {event.reason}."
    return f"STOP WORK: {event.reason}."


def _resumed(event: on_set.WorkResumed, names: Names) -> str:
    where = f" at {names.unit(event.unit)}" if event.unit else ""
    return f"Work resumed{where}, co-signed by {names.person(event.co_signer_id)}."


# -- units -----------------------------------------------------------------------------------------


def _unit_opened(event: units.UnitOpened, names: Names) -> str:
    return f"{event.name} formed, shooting at {event.location}."


def _dispatched(event: units.FirearmDispatched, names: Names) -> str:
    return (
        f"Dispatched from {names.unit(event.from_unit)} to {names.person(event.to)} at "
        f"{names.unit(event.unit)}; in the sender's custody until its receipt is confirmed."
    )


def _receipt_confirmed(event: units.FirearmReceiptConfirmed, names: Names) -> str:
    return (
        f"Receipt confirmed at {names.unit(event.unit)}, from {names.person(event.sender)}: in "
        "the receiving armorer's custody."
    )


def _complaint(event: on_set.ComplaintMade, names: Names) -> str:
    about = f" (about {names.persons(event.about)})" if event.about else ""
    return f"Safety complaint {event.incident}{about}: {event.text}"


def _incident_opened(event: on_set.IncidentOpened, names: Names) -> str:
    return f"Incident {event.incident} opened ({event.category}): {event.summary}."


def _incident_closed(event: on_set.IncidentClosed, names: Names) -> str:
    second = f" (confirmed by {names.person(event.second_id)})" if event.second_id else ""
    return f"Incident {event.incident} closed{second}: {event.findings}"


SENTENCES: Mapping[type[Event], Sentence] = {
    # the production and its people
    ProductionCreated: _production_created,
    TimeZoneSet: _time_zone_set,
    on_set.PersonAdded: _person_added,
    on_set.DutyAssigned: _duty_assigned,
    on_set.TrainingRecorded: _training_recorded,
    on_set.CredentialIssued: _credential_issued,
    on_set.CredentialRevoked: _credential_revoked,
    on_set.BadgeIssuedInFormat1: _badge_issued,
    on_set.ArrivedOnSet: _arrived,
    on_set.LeftSet: _left,
    # the schedule
    on_set.ShootDayPlanned: _shoot_day_planned,
    on_set.ScenePlanned: _scene_planned,
    on_set.ScenePlanChanged: _scene_plan_changed,
    on_set.SceneJoined: _scene_joined,
    on_set.SafetyMeetingHeld: _safety_meeting,
    on_set.SceneStarted: _scene_started,
    on_set.SceneWrapped: _scene_wrapped,
    on_set.BreakCalled: _break_called,
    on_set.BreakEnded: _break_ended,
    # firearms
    armory.FirearmReceived: _firearm_received,
    armory.FirearmInspected: _inspected,
    armory.FirearmLoaded: _loaded,
    armory.FirearmUnloaded: _unloaded,
    armory.ShownClear: _shown_clear,
    armory.FirearmHandedOver: _firearm_handed_over,
    armory.FirearmReturned: _firearm_returned,
    armory.FirearmStored: _firearm_stored,
    armory.FirearmTakenOut: _firearm_taken_out,
    armory.FirearmImpounded: _impounded,
    armory.FirearmReturnedToOwner: _returned_to_owner,
    on_set.MisfireReported: _misfire,
    on_set.MisfiredRoundRecovered: _misfire_recovered,
    on_set.HandlingReported: _handling_reported,
    # ammunition and containers
    armory.LotReceived: _lot_received,
    armory.RoundsVerified: _rounds_verified,
    armory.LotQuarantined: _lot_quarantined,
    armory.LotReleased: _lot_released,
    armory.LotStored: _lot_stored,
    armory.LotTakenOut: _lot_taken_out,
    armory.LotReturnedToSupplier: _lot_returned,
    armory.RoundsPacked: _packed,
    armory.RoundsUnpacked: _unpacked,
    armory.CountReconciled: _count_reconciled,
    armory.ContainerRegistered: _container_registered,
    armory.ContainerHandedOver: _container_handed_over,
    armory.ContainerReturned: _container_returned,
    armory.ContainerLocked: _container_locked,
    armory.ContainerUnlocked: _container_unlocked,
    # evidence
    evidence.EvidenceFrozen: _frozen,
    evidence.EvidenceReleased: _released,
    evidence.EvidenceReturned: _returned,
    # on set
    on_set.RuleOverridden: _overridden,
    on_set.OverrideApplied: _override_applied,
    on_set.RuleWarned: _warned,
    on_set.DischargeReported: _discharge,
    on_set.RoundFound: _round_found,
    on_set.WorkStopped: _stopped,
    on_set.WorkResumed: _resumed,
    on_set.ComplaintMade: _complaint,
    on_set.IncidentOpened: _incident_opened,
    on_set.IncidentClosed: _incident_closed,
    # units
    units.UnitOpened: _unit_opened,
    units.FirearmDispatched: _dispatched,
    units.FirearmReceiptConfirmed: _receipt_confirmed,
}
"""The sentence of every kind of entry, by event class."""

ABOUT_THE_FIREARM: Mapping[type[Event], Sentence] = {
    evidence.EvidenceFrozen: _firearm_frozen,
    evidence.EvidenceReleased: _firearm_released,
    evidence.EvidenceReturned: _firearm_returned_as_evidence,
    on_set.DischargeReported: _firearm_discharge,
    on_set.RoundFound: _firearm_round_found,
}
"""The kinds that name several things, said on one firearm's record: only what happened to it."""
