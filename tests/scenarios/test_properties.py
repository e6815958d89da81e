"""Property tests over random command sequences on a production's day.

Whatever anyone asks, in whatever order, the ledger never shows a performer receiving a firearm
that an armorer has not inspected since it last left armorer custody, nor one holding a round
from an unverified lot, nor one during STOP WORK; and every round received is always accounted
for. The invariants are checked against the recorded events, not against the decider's own
bookkeeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shoot import CHAMBERS, OnSet, confirm, context_for, shoot

from showclear.core.commands import (
    CallBreak,
    Command,
    CountAndReconcile,
    EndBreak,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    Load,
    Lock,
    LotCount,
    PutIn,
    ReceiveLot,
    ReleaseEvidence,
    ReportDischarge,
    ReportFoundRound,
    ReportMisfire,
    ResumeWork,
    Return,
    ReturnEvidence,
    ShowClear,
    StartScene,
    StopWork,
    TakeOut,
    Unload,
    Unlock,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide import Refused, decide
from showclear.core.events.armory import (
    FirearmHandedOver,
    FirearmInspected,
    FirearmReceived,
)
from showclear.core.events.evidence import EvidenceReleased, EvidenceReturned
from showclear.core.state import ProductionState
from showclear.core.vocabulary import DUMMY, RATTLE

PERSONAS = (
    "armorer",
    "assistant_armorer",
    "first_ad",
    "performer",
    "stunt",
    "safety_supervisor",
    "investigator",
    "outsider",
)
FIREARMS = ("R-01", "R-02", "W-03", "P-05", "X-99")
LOTS = ("D-01", "B-01", "D-03")
CONTAINERS = ("SAFE-1", "AMMO-1", "BELT-1")
SCENES = ("12", "14", "21")


@dataclass
class Ledger:
    """What the recorded events say, tracked independently of the state."""

    left_armorer: dict[str, int] = field(default_factory=dict)
    inspected: dict[str, int] = field(default_factory=dict)


def snapshot(state: ProductionState) -> object:
    """What a refused command must leave untouched (cheap enough to take every step)."""
    return (
        state.seq,
        tuple(
            (t, f.holder, f.container, tuple(sorted(f.contents.items())), f.gap, f.shown)
            for t, f in sorted(state.firearms.items())
        ),
        tuple(
            (t, lot.stock, lot.unverified, lot.fired, lot.removed, lot.hold, lot.live)
            for t, lot in sorted(state.lots.items())
        ),
        tuple(
            (t, c.locked, c.custodian, tuple(sorted(c.rounds.items())))
            for t, c in sorted(state.containers.items())
        ),
        state.stoppage,
    )


def attempt(day: OnSet, ledger: Ledger, persona: str, command: Command) -> None:
    """Decide and record, checking every invariant on each recorded event."""
    before = snapshot(day.state)
    try:
        events = decide(day.state, command, context_for(day.state, persona, day.clock, command))
    except Refused as refused:
        refusal: Refused | None = refused
    else:
        refusal = None
    if refusal is not None:
        assert refusal.violations
        assert snapshot(day.state) == before
        return
    for event in events:
        seq = len(day.log)
        armorers = {p for p, person in day.state.people.items() if person.is_armorer}
        if isinstance(event, FirearmReceived):
            ledger.left_armorer[event.tag] = seq
        if isinstance(event, FirearmInspected) and event.barrel_clear and persona in armorers:
            ledger.inspected[event.firearm] = seq
        if isinstance(event, EvidenceReleased | EvidenceReturned):
            for exhibit in event.firearms:
                ledger.left_armorer[exhibit.firearm] = seq
        if isinstance(event, FirearmHandedOver) and event.to not in armorers:
            firearm = day.state.firearms[event.firearm]
            assert ledger.inspected.get(event.firearm, -1) > ledger.left_armorer[event.firearm]
            assert all(day.state.lots[lot].usable for lot in firearm.contents.values())
            assert day.state.stoppage is None
            ledger.left_armorer[event.firearm] = seq
        day.record(persona, event)
        assert_every_round_accounted_for(day.state)
        assert_every_firearm_has_a_custodian(day.state)
        assert_what_performers_hold_is_planned(day.state)
    day.clock = day.clock.replace(minute=(day.clock.minute + 1) % 60)


def assert_every_round_accounted_for(state: ProductionState) -> None:
    for tag, lot in state.lots.items():
        in_firearms = state.rounds_in_firearms(tag)
        in_containers = state.rounds_in_containers(tag)
        assert lot.received == (
            lot.stock + in_firearms + in_containers + lot.fired + lot.removed + lot.returned
        ), tag
        assert min(lot.stock, lot.fired, lot.removed, lot.unverified) >= 0


def assert_every_firearm_has_a_custodian(state: ProductionState) -> None:
    for firearm in state.firearms.values():
        if firearm.active:
            assert (firearm.holder is None) != (firearm.container is None), firearm.tag


def assert_what_performers_hold_is_planned(state: ProductionState) -> None:
    """R-PLAN: a firearm with a performer is one its scene's plan names, with a performer it
    names; a belt or bag on a performer holds only the rounds its scene lets them wear."""
    for firearm in state.firearms.values():
        holder = state.people.get(firearm.holder or "")
        if firearm.active and holder is not None and holder.is_performer:
            scene = state.scenes[firearm.scene]
            assert firearm.tag in scene.firearms, firearm.tag
            assert holder.person_id in scene.performers, firearm.tag
    worn: dict[str, int] = {}
    for container in state.containers.values():
        wearer = state.people.get(container.custodian)
        if wearer is None or not wearer.is_performer or container.evidence is not None:
            continue
        scene = state.scenes[container.scene]
        assert wearer.person_id in scene.performers, container.tag
        assert not container.lots, container.tag
        for lot, count in container.rounds.items():
            if count:
                assert lot in scene.worn_lots, container.tag
                assert state.lots[lot].lot_kind == DUMMY or scene.condition == "hot"
        worn[wearer.person_id] = worn.get(wearer.person_id, 0) + sum(container.rounds.values())
        assert worn[wearer.person_id] <= scene.worn_rounds, container.tag


def issue(day: OnSet, ledger: Ledger, tag: str, scene: str, performer: str, lot: str) -> None:
    """The armorer's usual steps toward a handover, each one decided on its own."""
    attempt(day, ledger, "armorer", Unlock("SAFE-1"))
    attempt(day, ledger, "armorer", TakeOut("SAFE-1", tag))
    attempt(day, ledger, "armorer", Lock("SAFE-1"))
    firearm = day.state.firearms.get(tag)
    positions = firearm.positions if firearm else CHAMBERS
    attempt(day, ledger, "armorer", InspectFirearm(tag, positions, barrel_clear=True))
    attempt(day, ledger, "armorer", Unlock("AMMO-1"))
    attempt(day, ledger, "armorer", TakeOut("AMMO-1", lot))
    attempt(day, ledger, "armorer", Load(tag, lot, positions[:2], scene))
    if firearm is not None:
        holds = [day.state.lots[t].lot_kind for t in firearm.contents.values()]
        announced = "cold" if not holds else ("dummies" if holds[0] == DUMMY else "hot")
        attempt(
            day,
            ledger,
            "armorer",
            ShowClear(
                tag,
                scene,
                positions,
                announced,
                len(holds),
                confirm(performer),
                confirm("first_ad"),
            ),
        )
    attempt(day, ledger, "armorer", HandOver(tag, performer, scene))


def disruption(data: st.DataObject, day: OnSet) -> tuple[str, Command]:
    """Anything anyone might do, right or wrong."""
    persona = data.draw(st.sampled_from(PERSONAS))
    tag = data.draw(st.sampled_from(FIREARMS))
    lot = data.draw(st.sampled_from(LOTS))
    container = data.draw(st.sampled_from(CONTAINERS))
    scene = data.draw(st.sampled_from(SCENES))
    chambers = data.draw(st.lists(st.sampled_from(CHAMBERS), min_size=1, max_size=3, unique=True))
    count = data.draw(st.integers(min_value=1, max_value=8))
    incident = data.draw(st.sampled_from(("incident-1", "incident-2", "incident-3")))
    options: list[Command] = [
        Unlock(container),
        Lock(container),
        TakeOut(container, tag),
        TakeOut(container, lot, rounds=count),
        PutIn(container, tag),
        PutIn(container, lot),
        PutIn(container, lot, rounds=count),
        InspectFirearm(tag, CHAMBERS, barrel_clear=data.draw(st.booleans())),
        Load(tag, lot, tuple(chambers), scene),
        Unload(tag),
        Return(tag),
        HandOver(tag, data.draw(st.sampled_from(("performer", "stunt", "first_ad"))), scene),
        HandOver("BELT-1", "performer", scene),
        Return("BELT-1"),
        ReportDischarge(tag, tuple(chambers), planned=data.draw(st.booleans())),
        ReportMisfire(tag, chambers[0]),
        ReportFoundRound(
            data.draw(st.sampled_from(("live", "dummy", "blank", "unknown"))),
            "on set",
            firearm=tag,
            position=chambers[0],
        ),
        ReportFoundRound("dummy", "in the belt", container="BELT-1", lot=lot),
        ReportFoundRound("live", "in the box", lot=lot),
        StopWork("called on set"),
        ResumeWork(confirm("armorer")),
        VerifyRounds(lot, count, RATTLE, confirm("assistant_armorer")),
        HoldSafetyMeeting(
            scene, ("armorer", "first_ad", "performer", "camera"), blank_fire_reviewed=True
        ),
        StartScene(scene),
        WrapScene(scene),
        CallBreak("meal"),
        EndBreak(),
        CountAndReconcile(FIREARMS[:3], (LotCount(lot, count),)),
        ReleaseEvidence(incident, ("investigator",), confirm("first_ad")),
        ReturnEvidence(incident, confirm("armorer")),
    ]
    return persona, data.draw(st.sampled_from(options))


def a_day_under_way() -> OnSet:
    day = shoot()
    day.do(
        "armorer",
        ReceiveLot("D-03", DUMMY, ".45 Colt", 12, "Acme Dummy Co.", "invoice 2001", "2025-03-02"),
    )
    for scene in SCENES:
        day.ready(scene)
    return day


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_days_never_break_the_interlocks_and_every_round_is_accounted_for(
    data: st.DataObject,
) -> None:
    day = a_day_under_way()
    ledger = Ledger()
    for entry in day.log:
        if isinstance(entry.event, FirearmReceived):
            ledger.left_armorer[entry.event.tag] = entry.seq
        if isinstance(entry.event, FirearmInspected):
            ledger.inspected[entry.event.firearm] = entry.seq
    for _ in range(data.draw(st.integers(min_value=5, max_value=40))):
        if data.draw(st.integers(0, 3)) == 0:
            issue(
                day,
                ledger,
                data.draw(st.sampled_from(FIREARMS[:3])),
                data.draw(st.sampled_from(SCENES)),
                data.draw(st.sampled_from(("performer", "stunt"))),
                data.draw(st.sampled_from(LOTS)),
            )
        else:
            persona, command = disruption(data, day)
            attempt(day, ledger, persona, command)
