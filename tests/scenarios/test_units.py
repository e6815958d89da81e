"""Units and locations (issue 15, class 9): a second unit shoots 30 km away at the same time as
the main unit. Armorer presence, firearms per armorer, custody, meetings and STOP WORK are asked
per unit; a firearm moves between units only by a handover between armorers, recorded by both;
a ledger from before units folds as all main unit."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shoot import CHAMBERS, OnSet, confirm, context_for, shoot

from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    Command,
    ConfirmReceipt,
    DispatchFirearm,
    DrawFirearm,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    IssueBadge,
    LeaveSet,
    LockAway,
    OpenUnit,
    PlanScene,
    PutIn,
    ReceiveFirearm,
    RecordTraining,
    RegisterContainer,
    ResumeWork,
    Return,
    ShowClear,
    StartScene,
    StopWork,
    TakeOut,
    Unlock,
)
from showclear.core.decide import Refused, decide
from showclear.core.events import event_from
from showclear.core.events.units import FirearmDispatched, FirearmReceiptConfirmed
from showclear.core.read.sentences import Names, said
from showclear.core.state import Recorded, fold
from showclear.core.vocabulary import FIREARM_SAFETY, FIRST_AD, magazine_positions

QUARRY = "Second unit (Quarry, 30 km north)"
RIFLE = magazine_positions(10)


def with_a_second_unit() -> OnSet:
    """The usual day, and a second unit formed at the quarry, with the assistant armorer, the
    stunt performer and the second unit's own first AD there, and its own safe."""
    day = shoot()
    day.do("producer", OpenUnit("second", "Second unit", "Quarry, 30 km north"))
    day.do("first_ad", AddPerson("Rafa Ortiz", (FIRST_AD,), person_id="second_ad", unit="second"))
    day.do("armorer", IssueBadge("second_ad", "badge-second_ad"))
    day.do("safety_supervisor", RecordTraining("second_ad", FIREARM_SAFETY, "2024-11-02"))
    day.do("assistant_armorer", ArriveOnSet("assistant_armorer", unit="second"))
    day.do("stunt", ArriveOnSet("stunt", unit="second"))
    day.do("assistant_armorer", RegisterContainer("SAFE-2", "armory-safe", "quarry truck safe"))
    day.do(
        "first_ad",
        PlanScene("S2", "day-1", "The rider at the quarry", ("W-03",), ("stunt",), "cold",
                  unit="second"),
    )  # fmt: skip
    return day


def rifle_sent_to_the_quarry(day: OnSet) -> None:
    """The armorer takes W-03 out of the main safe and dispatches it to the assistant armorer at
    the second unit, who confirms its receipt there."""
    day.take_out("W-03")
    day.do("armorer", DispatchFirearm("W-03", "second", "assistant_armorer"))
    day.do("assistant_armorer", ConfirmReceipt("W-03"))


def quarry_scene_ready(day: OnSet) -> None:
    """Scene S2's meeting with the second unit's armorer, started, W-03 inspected and shown."""
    day.do(
        "first_ad",
        HoldSafetyMeeting("S2", ("assistant_armorer", "second_ad", "stunt"), ("action",)),
    )
    day.do("second_ad", StartScene("S2"))
    day.do("assistant_armorer", InspectFirearm("W-03", RIFLE, barrel_clear=True))
    day.do(
        "assistant_armorer",
        ShowClear("W-03", "S2", RIFLE, "cold", 0, confirm("stunt"), confirm("second_ad")),
    )


def revolver_out_at_main(day: OnSet) -> None:
    """Scene 12 at the main unit: R-01 shown cold and handed to the performer."""
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.do("armorer", HandOver("R-01", "performer", "12"))


# -- presence: the armorer 30 km away does not count ----------------------------------------------


def test_the_armorer_at_the_second_unit_does_not_count_as_on_set_for_a_revolver_at_main() -> None:
    day = with_a_second_unit()
    revolver_out_at_main(day)
    day.at("10:15")
    refused = day.refuse("armorer", LeaveSet("armorer"))
    assert refused.rule_ids == ("R-ARMORER-PRESENT",)
    assert refused.violations[0].message == (
        "Hannah Reed (armorer) is the only armorer on set at Main unit and firearms are out "
        "(Revolver R-01 with Jo Carver (cast)). Take them back and lock them away before "
        "leaving."
    )
    # Driving out to the quarry is leaving the main unit too.
    refused = day.refuse("armorer", ArriveOnSet("armorer", unit="second"))
    assert refused.rule_ids == ("R-ARMORER-PRESENT",)
    assert "before going to " + QUARRY in refused.violations[0].message


def test_a_main_unit_scene_does_not_start_when_its_only_armorer_is_at_the_second_unit() -> None:
    day = with_a_second_unit()
    day.meet("14")
    day.do("armorer", LeaveSet("armorer"))
    refused = day.refuse("first_ad", StartScene("14"))
    assert refused.rule_ids == ("R-ARMORER-PRESENT",)
    assert refused.violations[0].message == (
        "No armorer is on set at Main unit: scene 14 cannot start with firearms."
    )


def test_where_everyone_is_is_said_in_the_ledger() -> None:
    day = with_a_second_unit()
    names = Names(day.state.people, day.state.containers, day.state.units)
    sentences = [said(entry, names) for entry in day.log[-8:]]
    assert sentences[:1] + sentences[4:6] == [
        "Second unit formed, shooting at Quarry, 30 km north.",
        f"Sam Ortiz (assistant armorer) arrived on set at {QUARRY}.",
        f"Lee Marsh (stunt performer) arrived on set at {QUARRY}.",
    ]
    assert day.state.people["assistant_armorer"].unit == "second"
    assert day.state.containers["SAFE-2"].unit == "second"
    assert day.state.scenes["S2"].unit == "second"


# -- firearms per armorer, per unit ---------------------------------------------------------------


def test_the_firearms_per_armorer_limit_counts_only_the_armorers_at_that_unit() -> None:
    day = with_a_second_unit()
    tags = tuple(f"R-1{n}" for n in range(7))
    for tag in tags:
        day.do(
            "armorer",
            ReceiveFirearm(tag, f"SN-{tag}", "Uberti", "1873", "revolver", ".45 Colt", "firing",
                           CHAMBERS, "Western Prop Rentals"),
        )  # fmt: skip
    day.do("first_ad", PlanScene("40", "day-1", "The posse rides in", tags, ("performer",), "cold"))
    day.ready("40")
    day.at("16:00")
    for tag in tags:
        day.do("armorer", InspectFirearm(tag, CHAMBERS, barrel_clear=True, firearm_class="firing"))
        day.show(tag, "40", "cold", 0)
        day.do("armorer", HandOver(tag, "performer", "40"))
    # Two armorers are on the production, but only one is at the main unit.
    assert [w.rule_id for w in day.warnings()] == ["R-ONE-DUTY"]
    assert day.warnings()[0].message.startswith(
        "7 firearms would be out with 1 armorer on set at Main unit at 16:"
    )
    assert day.warnings()[0].message.endswith("Producers: bring another armorer at Main unit.")


# -- STOP WORK per unit ---------------------------------------------------------------------------


def test_a_unit_stop_work_stops_only_that_unit() -> None:
    day = with_a_second_unit()
    rifle_sent_to_the_quarry(day)
    quarry_scene_ready(day)
    day.at("11:00")
    day.do("camera", StopWork("horse spooked at the quarry", unit="second"))
    refused = day.refuse("assistant_armorer", HandOver("W-03", "stunt", "S2"))
    assert "R-STOP-WORK" in refused.rule_ids
    stop = next(v for v in refused.violations if v.rule_id == "R-STOP-WORK")
    assert stop.message == (
        f"Work at {QUARRY} was stopped at 11:00 UTC by Hal Rivera (crew) (horse spooked at the "
        "quarry). Nobody there may hand over a firearm until a safety supervisor and an armorer "
        "resume work at that unit."
    )
    # The main unit goes on.
    revolver_out_at_main(day)
    assert day.state.firearms["R-01"].holder == "performer"
    # Resuming the quarry asks only about the quarry's firearms (R-01 is out at main).
    refused = day.refuse("safety_supervisor", ResumeWork(confirm("assistant_armorer"), "second"))
    assert "R-STOP-WORK" in refused.rule_ids
    assert all(v.subject != "R-01" for v in refused.violations)
    day.do("assistant_armorer", InspectFirearm("W-03", RIFLE, barrel_clear=True))
    day.do("assistant_armorer", LockAway("W-03", "SAFE-2"))
    # The two who lift the quarry's STOP WORK sign there: not from the main set, 30 km away.
    refused = day.refuse("safety_supervisor", ResumeWork(confirm("assistant_armorer"), "second"))
    assert refused.rule_ids == ("R-UNIT",)
    assert refused.violations[0].message.startswith(
        f"Pat Kim (safety supervisor) is at Main unit, not at {QUARRY}, at 11:"
    )
    day.do("safety_supervisor", ArriveOnSet("safety_supervisor", unit="second"))
    day.do("safety_supervisor", ResumeWork(confirm("assistant_armorer"), "second"))
    assert day.state.unit_stoppages == {}


def test_a_production_wide_stop_work_stops_every_unit() -> None:
    day = with_a_second_unit()
    rifle_sent_to_the_quarry(day)
    quarry_scene_ready(day)
    day.do("camera", StopWork("smoke on the main set"))
    refused = day.refuse("assistant_armorer", HandOver("W-03", "stunt", "S2"))
    assert "R-STOP-WORK" in refused.rule_ids
    refused = day.refuse("first_ad", StartScene("12"))
    assert "R-STOP-WORK" in refused.rule_ids


def test_a_stop_work_naming_an_unknown_unit_or_a_lockdown_stops_the_whole_production() -> None:
    day = with_a_second_unit()
    day.do("camera", StopWork("something is wrong", unit="third"))
    assert day.state.stoppage is not None
    assert not day.state.unit_stoppages
    day.do("safety_supervisor", StopWork("shot fired at the quarry", lockdown=True, unit="second"))
    assert day.state.stoppage.lockdown
    assert not day.state.unit_stoppages


# -- moving a firearm between units needs both armorers -------------------------------------------


def test_moving_a_firearm_to_another_unit_is_a_dispatch_and_a_receipt_by_both_armorers() -> None:
    day = with_a_second_unit()
    day.take_out("W-03")
    day.at("09:10")
    # Not by a plain handover to the armorer 30 km away ...
    refused = day.refuse("armorer", HandOver("W-03", "assistant_armorer"))
    assert refused.rule_ids == ("R-UNIT",)
    assert refused.violations[0].message == (
        f"Sam Ortiz (assistant armorer) is at {QUARRY}; Lever-action rifle W-03 is at Main "
        "unit. Dispatch it to them, and they confirm its receipt there."
    )
    # ... nor to someone who is not an armorer there ...
    refused = day.refuse("armorer", DispatchFirearm("W-03", "second", "stunt"))
    assert refused.rule_ids == ("R-UNIT",)
    refused = day.refuse("performer", DispatchFirearm("W-03", "second", "assistant_armorer"))
    assert refused.rule_ids == ("R-UNIT",)
    # ... but dispatched by the armorer holding it ...
    day.do("armorer", DispatchFirearm("W-03", "second", "assistant_armorer"))
    rifle = day.state.firearms["W-03"]
    assert rifle.holder == "armorer"
    assert day.state.unit_of(rifle) == "main"
    # ... handed to nobody else meanwhile ...
    refused = day.refuse("armorer", HandOver("W-03", "performer", "12"))
    assert "R-UNIT" in refused.rule_ids
    # ... and received only by the armorer it was sent to, at their unit.
    day.at("09:50")
    refused = day.refuse("armorer", ConfirmReceipt("W-03"))
    assert refused.rule_ids == ("R-UNIT",)
    assert refused.violations[0].message.startswith(
        "Lever-action rifle W-03 was dispatched to Sam Ortiz (assistant armorer) at " + QUARRY
    )
    day.do("assistant_armorer", ConfirmReceipt("W-03"))
    assert rifle.holder == "assistant_armorer"
    assert day.state.unit_of(rifle) == "second"
    assert rifle.dispatch is None
    recorded = [(e.person_id, type(e.event)) for e in day.log[-2:]]
    assert recorded[0] == ("armorer", FirearmDispatched)
    assert recorded[1] == ("assistant_armorer", FirearmReceiptConfirmed)
    names = Names(day.state.people, day.state.containers, day.state.units)
    assert said(day.log[-1], names) == (
        f"Receipt confirmed at {QUARRY}, from Hannah Reed (armorer): in the receiving "
        "armorer's custody."
    )


def test_nothing_crosses_to_another_unit_on_the_side() -> None:
    day = with_a_second_unit()
    rifle_sent_to_the_quarry(day)
    # Not locked into the other unit's safe, nor drawn from it by an armorer at another unit.
    refused = day.refuse("assistant_armorer", LockAway("W-03", "SAFE-1"))
    assert refused.rule_ids == ("R-UNIT",)
    refused = day.refuse("assistant_armorer", DrawFirearm("R-01"))
    assert refused.rule_ids == ("R-UNIT",)
    # Not carried to another unit by arriving there with it in hand.
    refused = day.refuse("assistant_armorer", ArriveOnSet("assistant_armorer", unit="main"))
    assert refused.rule_ids == ("R-UNIT",)
    assert refused.violations[0].message.startswith(
        f"Sam Ortiz (assistant armorer) holds Lever-action rifle W-03 at {QUARRY} at "
    )
    # Not handed to a performer for a scene at another unit, nor to a performer who is elsewhere.
    revolver_out_at_main(day)
    refused = day.refuse("assistant_armorer", Return("R-01"))
    assert refused.rule_ids == ("R-UNIT",)
    assert "Only someone at that unit handles it." in refused.violations[0].message
    day.do("armorer", Return("R-01"))
    refused = day.refuse("armorer", HandOver("R-01", "stunt", "12"))
    assert "R-UNIT" in refused.rule_ids


def test_a_unit_scene_needs_a_meeting_with_an_armorer_of_that_unit() -> None:
    day = with_a_second_unit()
    rifle_sent_to_the_quarry(day)
    day.do("first_ad", HoldSafetyMeeting("S2", ("armorer", "first_ad", "stunt"), ("action",)))
    refused = day.refuse("first_ad", StartScene("S2"))
    assert refused.rule_ids == ("R-MEETING",)
    assert f"did not include an armorer of {QUARRY}" in refused.violations[0].message


def test_a_scene_is_planned_only_for_a_unit_that_was_formed() -> None:
    day = shoot()
    refused = day.refuse(
        "first_ad", PlanScene("S9", "day-1", "Nowhere", ("W-03",), ("stunt",), "cold", unit="x")
    )
    assert refused.rule_ids == ("R-KNOWN",)
    assert refused.violations[0].message == (
        "There is no unit 'x' on this production (it has main). Form it first."
    )
    refused = day.refuse("producer", OpenUnit("second", "Second unit", ""))
    assert refused.rule_ids == ("R-KNOWN",)


# -- an old ledger folds as all main unit ---------------------------------------------------------


def test_a_ledger_from_before_units_folds_as_all_main_unit() -> None:
    day = shoot()
    revolver_out_at_main(day)
    day.do("camera", StopWork("test"))
    old = [
        Recorded(
            entry.seq,
            entry.at,
            entry.person_id,
            entry.device,
            event_from(
                entry.event.kind,
                {k: v for k, v in entry.event.to_payload().items() if k != "unit"},
            ),
        )
        for entry in day.log
    ]
    assert all("unit" not in dataclasses.asdict(e.event) or e.event == d.event
               for e, d in zip(old, day.log, strict=True))  # fmt: skip
    state = fold(old)
    assert state == day.state
    assert set(state.units) == {"main"}
    assert {p.unit for p in state.people.values()} == {"main"}
    assert {s.unit for s in state.scenes.values()} == {"main"}
    assert {c.unit for c in state.containers.values()} == {"main"}
    assert {state.unit_of(f) for f in state.firearms.values()} == {"main"}
    assert state.stoppage is not None
    assert not state.unit_stoppages


def test_a_performer_wearing_a_belt_of_rounds_does_not_take_it_to_another_unit() -> None:
    day = with_a_second_unit()
    day.ready("14")
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Unlock("BELT-1"))
    day.do("armorer", PutIn("BELT-1", "D-01", 6))
    day.do("armorer", HandOver("BELT-1", "performer", "14"))
    refused = day.refuse("performer", ArriveOnSet("performer", unit="second"))
    assert refused.rule_ids == ("R-UNIT",)
    assert refused.violations[0].message.startswith(
        "Jo Carver (cast) has Gun belt BELT-1 with rounds in it at Main unit at "
    )


# -- an invariant: a firearm changes unit only by a confirmed receipt -----------------------------

PEOPLE = ("armorer", "assistant_armorer", "performer", "stunt", "first_ad", "camera")
FIREARMS = ("R-01", "W-03", "S-04")


def _moves(day: OnSet, data: st.DataObject) -> Command:
    tag = data.draw(st.sampled_from(FIREARMS))
    person = data.draw(st.sampled_from(PEOPLE))
    unit = data.draw(st.sampled_from(("main", "second")))
    return data.draw(
        st.sampled_from(
            (
                DrawFirearm(tag),
                LockAway(tag, data.draw(st.sampled_from(("SAFE-1", "SAFE-2")))),
                HandOver(tag, person, data.draw(st.sampled_from(("", "12", "S2")))),
                Return(tag),
                DispatchFirearm(tag, unit, person),
                ConfirmReceipt(tag),
                ArriveOnSet(person, unit=unit),
                LeaveSet(person),
            )
        )
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_whatever_anyone_asks_a_firearm_changes_unit_only_by_a_receipt_at_the_other_unit(
    data: st.DataObject,
) -> None:
    day = with_a_second_unit()
    rifle_sent_to_the_quarry(day)  # W-03 with the assistant armorer at the quarry
    day.take_out("R-01")
    day.do("armorer", DispatchFirearm("R-01", "second", "assistant_armorer"))  # on its way
    for _ in range(data.draw(st.integers(min_value=5, max_value=30))):
        command = _moves(day, data)
        persona = data.draw(st.sampled_from(PEOPLE))
        before = {tag: day.state.unit_of(day.state.firearms[tag]) for tag in FIREARMS}
        try:
            events = decide(day.state, command, context_for(day.state, persona, day.clock, command))
        except Refused:
            continue
        for event in events:
            day.record(persona, event)
        received = {e.firearm for e in events if isinstance(e, FirearmReceiptConfirmed)}
        for tag in FIREARMS:
            firearm = day.state.firearms[tag]
            if day.state.unit_of(firearm) != before[tag]:
                assert tag in received, f"{tag} moved to another unit by {command}"
                holder = day.state.people[firearm.holder or ""]
                assert holder.is_armorer
                assert holder.unit == day.state.unit_of(firearm)


def test_a_first_ad_30_km_away_does_not_witness_the_quarrys_show_clear() -> None:
    day = with_a_second_unit()
    rifle_sent_to_the_quarry(day)
    day.do(
        "second_ad",
        HoldSafetyMeeting("S2", ("assistant_armorer", "second_ad", "stunt"), ("action",)),
    )
    day.do("second_ad", StartScene("S2"))
    day.do("assistant_armorer", InspectFirearm("W-03", RIFLE, barrel_clear=True))
    day.at("10:40")
    # Dana is at the main set: her badge, scanned at the quarry's phone, proves nothing there.
    refused = day.refuse(
        "assistant_armorer",
        ShowClear("W-03", "S2", RIFLE, "cold", 0, confirm("stunt"), confirm("first_ad")),
    )
    assert refused.rule_ids == ("R-UNIT",)
    assert refused.violations[0].message == (
        f"Dana Hale (first AD) is at Main unit, not at {QUARRY}, at 10:40 UTC, and cannot "
        "confirm as the first AD there: someone at that unit confirms, or they go there and "
        "sign on first."
    )
    day.do(
        "assistant_armorer",
        ShowClear("W-03", "S2", RIFLE, "cold", 0, confirm("stunt"), confirm("second_ad")),
    )
