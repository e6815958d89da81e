"""R-MISFIRE, second pass: after a misfire the round comes out, where it went is recorded, and
the barrel is inspected, before the firearm is loaded, shown or handed over again; a dud left in
a chamber is refused whatever the inspection says."""

from __future__ import annotations

import pytest
from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core.commands import (
    HandOver,
    InspectFirearm,
    Load,
    Lock,
    RecoverMisfire,
    ReportDischarge,
    ReportFoundRound,
    ReportMisfire,
    Return,
    ShowClear,
    TakeOut,
    Unload,
    Unlock,
)
from showclear.core.events.on_set import MisfiredRoundRecovered
from showclear.core.read.sentences import Names, said
from showclear.core.state import ProductionState


def misfired(reporter: str = "performer") -> OnSet:
    """Scene 21 running; R-02 loaded with two blanks, shown, handed to Jo, misfired in chamber
    1 at 15:20, and back in the armorer's hands."""
    day = shoot()
    day.ready("21")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "B-01"))
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
    day.show("R-02", "21", "hot", 2)
    day.do("armorer", HandOver("R-02", "performer", "21"))
    day.at("15:20")
    day.do(reporter, ReportMisfire("R-02", "chamber 1", "21"))
    day.at("15:22")
    day.do("armorer", Return("R-02"))
    return day


def accounted(state: ProductionState, lot: str) -> bool:
    """Every round of ``lot`` received is somewhere on record, or counted out of it."""
    found = state.lots[lot]
    return found.received == (state.on_hand(lot) + found.fired + found.removed + found.returned)


def test_the_misfired_round_comes_out_into_a_named_container_and_leaves_the_lot_s_count() -> None:
    day = misfired()
    events = day.do("armorer", RecoverMisfire("R-02", "container", container="AMMO-1"))
    recovered = events[0]
    assert recovered == MisfiredRoundRecovered(
        "R-02", "chamber 1", "B-01", "container", "AMMO-1", ""
    )
    firearm = day.state.firearms["R-02"]
    assert "chamber 1" not in firearm.contents
    assert firearm.contents == {"chamber 2": "B-01"}
    assert firearm.duds == ()
    assert day.state.lots["B-01"].removed == 1
    assert accounted(day.state, "B-01")
    entry = next(e for e in day.log if e.event == recovered)
    sentence = said(entry, Names(day.state.people, day.state.containers))
    assert "misfired in R-02 chamber 1" in sentence
    assert "out of lot B-01 for good" in sentence


@pytest.mark.parametrize("went_to", ["evidence", "disposal"])
def test_the_misfired_round_may_be_kept_as_evidence_or_sent_for_disposal(went_to: str) -> None:
    day = misfired()
    day.do("armorer", RecoverMisfire("R-02", went_to, position="chamber 1", note="tray 3"))
    assert day.state.lots["B-01"].removed == 1
    assert accounted(day.state, "B-01")


def test_a_dud_left_in_a_chamber_is_refused_whatever_the_inspection_says() -> None:
    day = misfired()
    refused = day.refuse("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    assert refused.rule_ids == ("R-MISFIRE",)
    assert refused.violations[0].message == (
        "Revolver R-02 still holds the round that misfired in chamber 1: an inspection cannot "
        "find it clear. Recover the round and record where it went first, then inspect the "
        "barrel."
    )
    # An inspection that finds the barrel obstructed is the truth, and is recorded.
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=False))
    load = day.refuse("armorer", Load("R-02", "B-01", ("chamber 3",), "21"))
    assert "R-MISFIRE" in load.rule_ids
    assert (
        "Revolver R-02 misfired in chamber 1 at 15:20 UTC and that round is still in it. "
        "Recover the round, record where it went, and inspect the barrel before you load it."
    ) in str(load)
    show = day.refuse(
        "armorer",
        ShowClear("R-02", "21", CHAMBERS, "hot", 2, confirm("performer"), confirm("first_ad")),
    )
    assert "R-MISFIRE" in show.rule_ids
    assert "before you show it" in str(show)
    handover = day.refuse("armorer", HandOver("R-02", "performer", "21"))
    assert "R-MISFIRE" in handover.rule_ids
    assert "before you hand it over" in str(handover)


def test_a_misfired_round_never_goes_back_into_its_lot_s_box() -> None:
    day = misfired()
    for command in (Unload("R-02"), Unload("R-02", ("chamber 1",))):
        refused = day.refuse("armorer", command)
        assert refused.rule_ids == ("R-MISFIRE",)
        assert "it never goes back into Blank lot B-01's box" in str(refused)
    day.do("armorer", Unload("R-02", ("chamber 2",)))
    assert day.state.firearms["R-02"].contents == {"chamber 1": "B-01"}


def test_the_barrel_is_inspected_after_the_round_comes_out_not_before() -> None:
    day = misfired()
    day.do("armorer", RecoverMisfire("R-02", "disposal"))
    show = day.refuse(
        "armorer",
        ShowClear("R-02", "21", CHAMBERS, "hot", 1, confirm("performer"), confirm("first_ad")),
    )
    assert show.rule_ids == ("R-MISFIRE",)
    assert show.violations[0].message == (
        "Revolver R-02 misfired at 15:20 UTC: inspect its barrel before showing it."
    )
    assert "R-MISFIRE" in day.refuse("armorer", Load("R-02", "B-01", ("chamber 3",), "21")).rule_ids
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-02", "B-01", ("chamber 1",), "21"))
    day.show("R-02", "21", "hot", 2)
    day.do("armorer", HandOver("R-02", "performer", "21"))


def test_an_inspection_before_the_round_came_out_does_not_count_for_after() -> None:
    day = misfired()
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=False))
    day.do("armorer", RecoverMisfire("R-02", "disposal"))
    refused = day.refuse("armorer", HandOver("R-02", "performer", "21"))
    assert {"R-INSPECT", "R-MISFIRE"} <= set(refused.rule_ids)


def test_only_an_armorer_holding_the_firearm_recovers_the_round() -> None:
    day = misfired()
    for persona in ("performer", "first_ad", "safety_supervisor"):
        refused = day.refuse(persona, RecoverMisfire("R-02", "disposal"))
        assert refused.rule_ids[0] == "R-HANDOVER"
    refused = day.refuse("assistant_armorer", RecoverMisfire("R-02", "disposal"))
    assert refused.rule_ids == ("R-CUSTODY",)
    assert "not in your hands" in str(refused)
    # Armorer to armorer is how it reaches whoever clears it; to a performer it is refused.
    day.do("armorer", HandOver("R-02", "assistant_armorer"))
    day.do("assistant_armorer", RecoverMisfire("R-02", "disposal"))
    day.do("assistant_armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    assert day.state.firearms["R-02"].misfire_at is None


def test_where_the_round_went_is_said_and_is_a_place_for_a_dud() -> None:
    day = misfired()
    refused = day.refuse("armorer", RecoverMisfire("R-02", "pocket"))
    assert refused.rule_ids == ("R-KNOWN",)
    assert "Say where the misfired round went" in str(refused)
    assert "Name the container" in str(day.refuse("armorer", RecoverMisfire("R-02", "container")))
    day.do("armorer", Unlock("BELT-1"))
    refused = day.refuse("armorer", RecoverMisfire("R-02", "container", container="BELT-1"))
    assert refused.rule_ids == ("R-LOCKED",)
    refused = day.refuse("armorer", RecoverMisfire("R-02", "container", container="SAFE-1"))
    assert {"R-CUSTODY", "R-LOCKED"} <= set(refused.rule_ids)  # locked, and holds firearms
    refused = day.refuse("armorer", RecoverMisfire("R-02", "evidence", container="AMMO-1"))
    assert refused.rule_ids == ("R-KNOWN",)
    refused = day.refuse("armorer", RecoverMisfire("R-02", "disposal", position="chamber 2"))
    assert "misfired in chamber 1, not chamber 2" in str(refused)


def test_no_round_is_recovered_from_a_firearm_that_did_not_misfire() -> None:
    day = shoot()
    day.take_out("R-01")
    refused = day.refuse("armorer", RecoverMisfire("R-01", "disposal"))
    assert refused.rule_ids == ("R-KNOWN",)
    assert "No misfire of Revolver R-01 waits" in str(refused)


def test_two_misfires_need_both_rounds_out_each_named() -> None:
    day = misfired()
    day.do("armorer", ReportMisfire("R-02", "chamber 2", "21"))
    refused = day.refuse("armorer", RecoverMisfire("R-02", "disposal"))
    assert "misfired in chamber 1, chamber 2: name the position" in str(refused)
    day.do("armorer", RecoverMisfire("R-02", "disposal", position="chamber 2"))
    assert "R-MISFIRE" in day.refuse("armorer", InspectFirearm("R-02", CHAMBERS, True)).rule_ids
    day.do("armorer", RecoverMisfire("R-02", "disposal", position="chamber 1"))
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    assert day.state.lots["B-01"].removed == 2
    assert accounted(day.state, "B-01")


def test_a_hang_fire_takes_the_round_out_but_the_barrel_is_still_inspected() -> None:
    day = misfired()
    day.do("armorer", ReportDischarge("R-02", ("chamber 1",), planned=True, scene="21"))
    assert day.state.firearms["R-02"].duds == ()
    refused = day.refuse("armorer", HandOver("R-02", "performer", "21"))
    assert {"R-INSPECT", "R-MISFIRE"} <= set(refused.rule_ids)
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    assert accounted(day.state, "B-01")


def test_a_round_found_in_the_misfired_chamber_is_out_of_it() -> None:
    day = misfired()
    day.do(
        "armorer",
        ReportFoundRound("blank", "in R-02", firearm="R-02", position="chamber 1"),
    )
    assert day.state.firearms["R-02"].duds == ()
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))


def test_a_misfire_reported_by_anyone_holds_the_firearm_the_same_way() -> None:
    day = misfired(reporter="camera")
    assert "R-MISFIRE" in day.refuse("armorer", HandOver("R-02", "performer", "21")).rule_ids


def test_a_misfired_round_on_no_record_is_recovered_with_a_warning() -> None:
    day = misfired()
    day.do("armorer", ReportMisfire("R-02", "chamber 5", "21"))
    day.do("armorer", RecoverMisfire("R-02", "evidence", position="chamber 5"))
    (warning,) = [w for w in day.warnings() if w.rule_id == "R-CUSTODY"]
    assert "was on no record: no lot accounts for it" in warning.message
    day.do("armorer", RecoverMisfire("R-02", "disposal"))
    day.do("armorer", Lock("AMMO-1"))
