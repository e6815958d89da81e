"""R-LOOSE-ROUNDS: performers never handle loose rounds. Taking rounds out of a belt or bag,
putting them in, loading, reloading and unloading are armorers' acts only; a report that anyone
else did one opens an incident and holds what it names until an armorer clears and inspects the
firearm, or counts the belt or bag (the 1984 Hexum death began with a performer reloading
between takes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shoot import CHAMBERS, OnSet, confirm, context_for, shoot

from showclear.core.commands import (
    AddPerson,
    CountAndReconcile,
    HandOver,
    InspectFirearm,
    IssueBadge,
    Load,
    Lock,
    LotCount,
    PutIn,
    ReportHandling,
    Return,
    ShowClear,
    TakeOut,
    Unload,
    Unlock,
)
from showclear.core.decide import Context, Refused, decide
from showclear.core.events.on_set import HandlingReported, IncidentOpened
from showclear.core.vocabulary import ARMORER, CAST


def dummies_out() -> OnSet:
    """Scene 14 running: R-01 loaded with six dummies, shown and handed to Jo; Jo also wears
    gun belt BELT-1 with twelve dummies."""
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.do("armorer", Unlock("BELT-1"))
    day.do("armorer", PutIn("BELT-1", "D-01", 12))
    day.do("armorer", Lock("BELT-1"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    day.do("armorer", HandOver("BELT-1", "performer", "14"))
    day.at("10:30")
    return day


def test_a_performer_cannot_take_rounds_out_of_the_belt_they_wear() -> None:
    day = dummies_out()
    day.do("performer", Unlock("BELT-1"))  # the buckle is theirs; the rounds are not
    refused = day.refuse("performer", TakeOut("BELT-1", "D-01", rounds=2))
    assert refused.rule_ids == ("R-LOOSE-ROUNDS",)
    assert refused.violations[0].message == (
        "Jo Carver (cast) is not an armorer: only an armorer takes rounds or a lot's box out of "
        "Gun belt BELT-1 (at 10:31 UTC). Hand it back to the armorer."
    )
    refused = day.refuse("performer", TakeOut("BELT-1", "D-01"))
    assert "R-LOOSE-ROUNDS" in refused.rule_ids
    refused = day.refuse("performer", PutIn("BELT-1", "D-01", rounds=1))
    assert "R-LOOSE-ROUNDS" in refused.rule_ids
    assert "puts rounds or a lot's box into Gun belt BELT-1" in str(refused)
    assert day.state.containers["BELT-1"].rounds == {"D-01": 12}


@pytest.mark.parametrize("persona", ["performer", "stunt", "first_ad", "safety_supervisor"])
def test_nobody_but_an_armorer_loads_or_unloads(persona: str) -> None:
    day = dummies_out()
    day.do("armorer", Return("R-01"))
    day.do("armorer", Unload("R-01"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    refused = day.refuse(persona, Load("R-01", "D-01", CHAMBERS[:1], "14"))
    assert refused.rule_ids[0] == "R-LOOSE-ROUNDS"
    assert refused.violations[0].message.endswith("cannot load firearms (only an armorer does).")
    day.do("armorer", Load("R-01", "D-01", CHAMBERS[:1], "14"))
    assert day.refuse(persona, Unload("R-01")).rule_ids[0] == "R-LOOSE-ROUNDS"


def test_an_armorer_who_is_also_cast_acting_as_cast_handles_no_rounds() -> None:
    day = dummies_out()
    day.do("armorer", AddPerson("Kit Vale", (ARMORER, CAST), person_id="kit"))
    day.do("armorer", IssueBadge("kit", "badge-kit"))
    day.do("armorer", Return("BELT-1"))
    day.do("armorer", HandOver("BELT-1", "kit"))
    day.do("kit", Unlock("BELT-1"))
    command = TakeOut("BELT-1", "D-01", rounds=1)
    context = context_for(day.state, "kit", day.clock, command)
    as_cast = Context(context.person_id, context.device, context.at, context.present, role=CAST)
    with pytest.raises(Refused) as refused:
        decide(day.state, command, as_cast)
    assert refused.value.rule_ids == ("R-LOOSE-ROUNDS",)
    decide(day.state, command, context)  # acting as the armorer they are, they may


def test_a_report_that_a_performer_reloaded_between_takes_holds_that_firearm() -> None:
    day = dummies_out()
    events = day.do(
        "camera",
        ReportHandling("performer", "reloaded", firearm="R-01", scene="14", description="take 3"),
    )
    opened = events[0]
    assert isinstance(opened, IncidentOpened)
    assert opened.category == "rounds-handled"
    assert opened.summary == "Jo Carver (cast) reloaded Revolver R-01"
    assert isinstance(events[1], HandlingReported)
    (warning,) = [w for w in day.warnings() if w.rule_id == "R-LOOSE-ROUNDS"]
    assert warning.message == (
        "Incident incident-1: Jo Carver (cast) reloaded Revolver R-01 at 10:30 UTC. Only an "
        "armorer handles rounds: Revolver R-01 is held until an armorer unloads and inspects it."
    )
    day.do("armorer", Return("R-01"))
    held = (
        "Revolver R-01 was reported reloaded by Jo Carver (cast) at 10:30 UTC. An armorer "
        "unloads it and inspects it before anyone may"
    )
    show = ShowClear(
        "R-01", "14", CHAMBERS, "dummies", 6, confirm("performer"), confirm("first_ad")
    )
    refused = day.refuse("armorer", show)
    assert refused.rule_ids == ("R-LOOSE-ROUNDS",)
    assert refused.violations[0].message == f"{held} show it."
    refused = day.refuse("armorer", HandOver("R-01", "performer", "14"))
    assert "R-LOOSE-ROUNDS" in refused.rule_ids
    assert f"{held} hand it over." in str(refused)
    # Inspected with rounds still in it: recorded, and still held.
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    assert day.state.firearms["R-01"].handled is not None
    assert "R-LOOSE-ROUNDS" in day.refuse("armorer", show).rule_ids
    # Cleared and inspected: free again.
    day.do("armorer", Unload("R-01"))
    refused = day.refuse("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    assert f"{held} load it." in str(refused)
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    assert day.state.firearms["R-01"].handled is None
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))


def test_the_report_holds_that_firearm_not_the_whole_production() -> None:
    day = dummies_out()
    day.do("first_ad", ReportHandling("performer", "unloaded", firearm="R-01"))
    # Scene 21 goes on with R-02 while R-01 waits: no new meeting, no stop.
    day.ready("21")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
    day.show("R-02", "21", "hot", 2)
    day.do("armorer", HandOver("R-02", "performer", "21"))
    assert day.state.incidents["incident-1"].open


@pytest.mark.parametrize("reporter", ["camera", "first_ad", "stunt", "producer", "performer"])
def test_anyone_on_the_production_may_report_it(reporter: str) -> None:
    day = dummies_out()
    day.do(reporter, ReportHandling("performer", "loaded", firearm="R-01"))
    assert day.state.firearms["R-01"].handled is not None


def test_a_report_names_what_was_done_by_whom_to_what() -> None:
    day = dummies_out()
    refused = day.refuse("camera", ReportHandling("armorer", "reloaded", firearm="R-01"))
    assert refused.rule_ids == ("R-KNOWN",)
    assert "Hannah Reed (armorer) is an armorer" in str(refused)
    assert day.refuse(
        "camera", ReportHandling("performer", "juggled", firearm="R-01")
    ).rule_ids == ("R-KNOWN",)
    refused = day.refuse("camera", ReportHandling("performer", "reloaded"))
    assert "Name the firearm, or the belt or bag" in str(refused)
    assert day.refuse("camera", ReportHandling("nobody", "reloaded", firearm="R-01")).rule_ids == (
        "R-KNOWN",
    )
    refused = day.refuse("outsider", ReportHandling("performer", "reloaded", firearm="R-01"))
    assert refused.rule_ids == ("R-ROLE",)
    assert day.state.incidents == {}


def test_rounds_taken_out_of_a_belt_hold_the_belt_until_an_armorer_counts_it() -> None:
    day = dummies_out()
    day.do(
        "stunt",
        ReportHandling("performer", "took-rounds-out", container="BELT-1", scene="14"),
    )
    day.do("armorer", Return("BELT-1"))
    refused = day.refuse("armorer", HandOver("BELT-1", "performer", "14"))
    assert refused.rule_ids == ("R-LOOSE-ROUNDS",)
    assert refused.violations[0].message == (
        "Gun belt BELT-1 was reported emptied of rounds by Jo Carver (cast) at 10:30 UTC. An "
        "armorer counts it before it is handed to anyone."
    )
    day.do("armorer", Return("R-01"))
    day.do("armorer", Unload("R-01"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    on_hand = day.state.on_hand("D-01")
    day.do(
        "armorer",
        CountAndReconcile(
            ("R-01", "R-02", "W-03", "S-04", "P-05"),
            (
                LotCount("D-01", on_hand),
                LotCount("B-01", 20),
                LotCount("D-01", 12, container="BELT-1"),
            ),
        ),
    )
    assert day.state.containers["BELT-1"].handled is None
    day.do("armorer", HandOver("BELT-1", "performer", "14"))


def test_the_held_firearm_can_still_go_to_another_armorer_to_be_cleared() -> None:
    day = dummies_out()
    day.do("camera", ReportHandling("performer", "reloaded", firearm="R-01"))
    day.do("assistant_armorer", Return("R-01"))
    day.do("assistant_armorer", HandOver("R-01", "armorer"))
    day.do("armorer", Unload("R-01"))
    day.clock += timedelta(minutes=5)
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Lock("AMMO-1"))
    assert day.state.firearms["R-01"].handled is None
