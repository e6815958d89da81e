"""Presence is one's own (R-PRESENCE): people sign on and off set themselves (an armorer for the
armory crew), never the first AD on someone's behalf; nobody signed off the set, on any device,
does firearm work on it; and no other entry signs them back in."""

from __future__ import annotations

import pytest
from shoot import CHAMBERS, OnSet, confirm, in_person, shoot

from showclear.core.commands import (
    ArriveOnSet,
    Command,
    Confirmation,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    LeaveSet,
    Load,
    Lock,
    PutIn,
    ReceiveLot,
    ReportMisfire,
    ShowClear,
    Unlock,
)
from showclear.core.decide import Context, Refused, decide
from showclear.core.events.on_set import ArrivedOnSet, LeftSet
from showclear.core.vocabulary import ARMORER, DUMMY


def token(day: OnSet, persona: str, role: str, command: Command) -> Context:
    """The context of ``command`` given through ``persona``'s API device token for ``role``."""
    return Context(
        persona, f"api:{persona}-tablet", day.clock, in_person(day.state, command), role=role
    )


def by_token(day: OnSet, persona: str, role: str, command: Command) -> None:
    """Record ``command`` through ``persona``'s device token; a refusal fails the test."""
    context = token(day, persona, role, command)
    try:
        events = decide(day.state, command, context)
    except Refused as refused:
        pytest.fail(f"{type(command).__name__} by {persona}'s token refused: {refused}")
    for event in events:
        day.record(persona, event)


def refused_by_token(day: OnSet, persona: str, role: str, command: Command) -> Refused:
    """``command`` through ``persona``'s device token, refused."""
    with pytest.raises(Refused) as refusal:
        decide(day.state, command, token(day, persona, role, command))
    return refusal.value


# -- who records presence -------------------------------------------------------------------------


def test_the_first_ad_cannot_sign_anyone_on_or_off_set() -> None:
    day = shoot()
    day.at("08:30")
    refused = day.refuse("first_ad", LeaveSet("armorer"))
    assert refused.rule_ids == ("R-PRESENCE",)
    assert refused.violations[0].message == (
        "Dana Hale (first AD) cannot record Hannah Reed (armorer) leaving the set at 08:30 UTC: "
        "presence is one's own. Hannah Reed records it with their own badge or PIN (or an "
        "armorer does, for the armory crew)."
    )
    day.do("performer", LeaveSet("performer"))
    day.at("09:00")
    refused = day.refuse("first_ad", ArriveOnSet("performer"))
    assert refused.rule_ids == ("R-PRESENCE",)
    assert refused.violations[0].message == (
        "Dana Hale (first AD) cannot record Jo Carver (cast) arriving on set at 09:00 UTC: "
        "presence is one's own. Jo Carver records it with their own badge or PIN."
    )
    assert not day.state.people["performer"].on_set


def test_a_person_signs_themselves_in_on_their_phone_or_with_their_badge_at_the_door() -> None:
    day = shoot()
    day.do("performer", LeaveSet("performer"))
    day.do("performer", ArriveOnSet("performer"))
    assert day.state.people["performer"].on_set
    day.do("stunt", LeaveSet("stunt"))
    # The first AD's tablet by the door, the stunt performer scanning their own badge.
    day.do("first_ad", ArriveOnSet("stunt", in_person=confirm("stunt")))
    assert day.state.people["stunt"].on_set
    assert day.events(ArrivedOnSet)[-1] == ArrivedOnSet("stunt")


def test_a_badge_at_the_door_counts_only_for_its_own_person_and_only_if_it_checks_out() -> None:
    day = shoot()
    day.do("stunt", LeaveSet("stunt"))
    refused = day.refuse("first_ad", ArriveOnSet("stunt", in_person=confirm("performer")))
    assert refused.rule_ids == ("R-PRESENCE",)
    assert refused.violations[0].message == (
        "Jo Carver (cast) cannot confirm Lee Marsh (stunt performer)'s presence: Lee Marsh "
        "confirms arriving on set with their own badge or PIN."
    )
    refused = day.refuse(
        "first_ad", ArriveOnSet("stunt", in_person=Confirmation("stunt", "badge-performer"))
    )
    assert refused.rule_ids == ("R-PRESENCE",)
    assert "did not confirm" in refused.violations[0].message


def test_an_armorer_signs_the_armory_crew_in_and_out_and_nobody_else() -> None:
    day = shoot()
    day.do("armorer", LeaveSet("assistant_armorer"))
    assert not day.state.people["assistant_armorer"].on_set
    day.do("armorer", ArriveOnSet("assistant_armorer"))
    assert day.state.people["assistant_armorer"].on_set
    refused = day.refuse("armorer", LeaveSet("performer"))
    assert refused.rule_ids == ("R-PRESENCE",)
    assert day.events(LeftSet) == [LeftSet("assistant_armorer")]


def test_someone_not_on_the_roster_signs_nobody_in() -> None:
    day = shoot()
    day.do("assistant_armorer", LeaveSet("assistant_armorer"))
    refused = day.refuse("outsider", ArriveOnSet("assistant_armorer"))
    assert refused.rule_ids == ("R-PRESENCE",)


# -- off set, no firearm work on set --------------------------------------------------------------


def armorer_gone(day: OnSet) -> OnSet:
    """Scene 14 running, R-01 inspected in the key armorer's hands; the assistant armorer on
    set; the key armorer locks R-01 away and signs off the set at 09:00."""
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("SAFE-1"))
    day.do("armorer", PutIn("SAFE-1", "R-01"))
    day.do("armorer", Lock("SAFE-1"))
    day.at("09:00")
    day.do("armorer", LeaveSet("armorer"))
    return day


def test_an_armorers_device_token_does_no_firearm_work_on_set_after_they_left() -> None:
    day = armorer_gone(shoot())
    day.take_out("R-01", "assistant_armorer")
    day.do("assistant_armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("assistant_armorer", HandOver("R-01", "armorer"))
    day.at("09:20")
    refused = refused_by_token(day, "armorer", ARMORER, Load("R-01", "D-01", CHAMBERS, "14"))
    assert refused.rule_ids == ("R-PRESENCE",)
    assert refused.violations[0].message == (
        "Hannah Reed (armorer) left the set at 09:00 UTC and cannot load Revolver R-01 at "
        "09:20 UTC from api:armorer-tablet: sign back on set first, with your own badge or PIN."
    )
    # Their phone, the same.
    refused = day.refuse("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    assert refused.rule_ids == ("R-PRESENCE",)


def test_an_armorer_off_set_still_does_armory_work_and_that_does_not_sign_them_in() -> None:
    day = armorer_gone(shoot())
    by_token(
        day,
        "armorer",
        ARMORER,
        ReceiveLot("D-02", DUMMY, ".45 Colt", 20, "Acme Dummy Co.", "invoice 1043", "2025-03-03"),
    )
    day.do("armorer", ReportMisfire("R-02", CHAMBERS[0]))
    assert not day.state.people["armorer"].on_set
    assert day.state.people["armorer"].left_at is not None


def test_back_on_set_by_their_own_hand_the_armorer_works_again() -> None:
    day = armorer_gone(shoot())
    day.at("10:00")
    day.do("armorer", ArriveOnSet("armorer"))
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))


def test_no_firearm_goes_to_a_performer_who_has_left_the_set() -> None:
    day = shoot()
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.at("09:30")
    day.do("performer", LeaveSet("performer"))
    refused = day.refuse("armorer", HandOver("R-01", "performer", "12"))
    assert "R-PRESENCE" in refused.rule_ids
    assert (
        "Jo Carver (cast) left the set at 09:30 UTC: nobody can hand Revolver R-01 to them at "
        "09:31 UTC until they sign back on set themselves."
    ) in [v.message for v in refused.violations]


def test_an_armorer_signed_off_set_takes_a_firearm_out_at_the_armory_but_shows_nobody() -> None:
    day = armorer_gone(shoot())
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.at("09:30")
    refused = day.refuse(
        "armorer",
        ShowClear("R-01", "12", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )
    assert refused.rule_ids == ("R-PRESENCE",)
    refused = day.refuse("armorer", HoldSafetyMeeting("14", ("armorer", "first_ad"), ("action",)))
    assert refused.rule_ids == ("R-PRESENCE",)
    assert refused.violations[0].message.startswith(
        "Hannah Reed (armorer) left the set at 09:00 UTC and cannot hold scene 14's safety meeting"
    )


def test_a_performer_signed_off_set_does_not_witness_a_show_clear() -> None:
    day = shoot()
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.at("09:30")
    day.do("performer", LeaveSet("performer"))
    refused = day.refuse(
        "armorer",
        ShowClear("R-01", "12", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )
    assert refused.rule_ids == ("R-PRESENCE",)
    assert refused.violations[0].message == (
        "Jo Carver (cast) left the set at 09:30 UTC and cannot confirm as the performer at "
        "09:31 UTC: they sign back on set first, with their own badge or PIN."
    )
