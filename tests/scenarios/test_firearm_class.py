"""R-CLASS: a firearm's class is the armorer's finding at its first inspection, not the
manifest's; until then it is not loaded, shown or issued; a replica is inspected and shown like
any firearm before a handover; a line whose positions or calibre contradict its class is
refused."""

from __future__ import annotations

import pytest
from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core.commands import (
    HandOver,
    InspectFirearm,
    Load,
    PlanScene,
    ReceiveFirearm,
    Return,
    ShowClear,
)
from showclear.core.events.armory import FirearmInspected
from showclear.core.read.sentences import Names, said
from showclear.core.vocabulary import (
    BLANK_ADAPTED,
    FIRING,
    INERT,
    NON_FIRING_REPLICA,
)


def arrived(
    firearm_class: str = FIRING, positions: tuple[str, ...] = CHAMBERS, calibre: str = ".45 Colt"
) -> OnSet:
    """Shoot day; revolver R-20 just arrived in the armorer's hands, planned for scene 30 (cold,
    Jo), whose meeting is held and which is running."""
    day = shoot()
    day.do(
        "armorer",
        ReceiveFirearm(
            "R-20",
            "SN-20",
            "Uberti",
            "1873",
            "revolver",
            calibre,
            firearm_class,
            positions,
            "Western Prop Rentals",
        ),
    )
    day.do("first_ad", PlanScene("30", "day-1", "The new gun", ("R-20",), ("performer",), "cold"))
    day.ready("30")
    day.at("09:00")
    return day


def show(tag: str, positions: tuple[str, ...] = CHAMBERS) -> ShowClear:
    return ShowClear(tag, "30", positions, "cold", 0, confirm("performer"), confirm("first_ad"))


def test_the_first_inspection_records_the_class_found() -> None:
    day = arrived()
    refused = day.refuse("armorer", InspectFirearm("R-20", CHAMBERS, barrel_clear=True))
    assert refused.rule_ids == ("R-CLASS",)
    assert refused.violations[0].message == (
        "This is Revolver R-20's first inspection: record the class you find it to be (firing, "
        "blank-adapted, non-firing replica or inert); the manifest says firing, which is not a "
        "finding."
    )
    events = day.do("armorer", InspectFirearm("R-20", CHAMBERS, True, firearm_class=FIRING))
    assert day.state.firearms["R-20"].class_found == FIRING
    entry = next(e for e in day.log if e.event == events[0])
    assert "found firing" in said(entry, Names(day.state.people))
    # A later inspection may leave the class as found.
    day.do("armorer", InspectFirearm("R-20", CHAMBERS, barrel_clear=True))
    assert day.state.firearms["R-20"].class_found == FIRING


def test_until_an_armorer_found_its_class_it_is_not_loaded_shown_or_issued() -> None:
    day = arrived()
    pending = (
        "Revolver R-20 has not had its first inspection: its class (firing) is the manifest's "
        "word, not an armorer's finding. Inspect it and record the class you find before you"
    )
    refused = day.refuse("armorer", show("R-20"))
    assert "R-CLASS" in refused.rule_ids
    assert f"{pending} show it." in str(refused)
    refused = day.refuse("armorer", HandOver("R-20", "performer", "30"))
    assert "R-CLASS" in refused.rule_ids
    assert f"{pending} hand it over." in str(refused)
    day.ready("14")
    day.do("first_ad", PlanScene("31", "day-1", "Dummies", ("R-20",), ("performer",), "dummies", 1))
    day.ready("31")
    refused = day.refuse("armorer", Load("R-20", "D-01", CHAMBERS[:1], "31"))
    assert "R-CLASS" in refused.rule_ids
    assert f"{pending} load it." in str(refused)
    day.do("armorer", InspectFirearm("R-20", CHAMBERS, True, firearm_class=FIRING))
    day.do("armorer", show("R-20"))
    day.do("armorer", HandOver("R-20", "performer", "30"))


def test_the_class_found_replaces_the_manifest_s() -> None:
    day = arrived(BLANK_ADAPTED)
    day.do("armorer", InspectFirearm("R-20", CHAMBERS, True, firearm_class=FIRING))
    assert day.state.firearms["R-20"].firearm_class == FIRING


def test_a_firing_revolver_received_as_a_replica_is_never_issued() -> None:
    day = arrived(NON_FIRING_REPLICA, positions=())
    day.do("armorer", InspectFirearm("R-20", (), True, firearm_class=FIRING))
    refused = day.refuse("armorer", HandOver("R-20", "performer", "30"))
    assert "R-CLASS" in refused.rule_ids
    assert (
        "Revolver R-20 came in with no positions, as a firearm that takes no rounds, but was "
        "found firing by Hannah Reed (armorer) at 09:00 UTC. It is not loaded, shown or issued: "
        "lock it away and return it to Western Prop Rentals."
    ) in str(refused)
    assert "R-CLASS" in day.refuse("armorer", show("R-20", ())).rule_ids


def test_a_revolver_found_to_be_a_replica_takes_no_rounds() -> None:
    day = arrived(FIRING)
    day.do("armorer", InspectFirearm("R-20", CHAMBERS, True, firearm_class=NON_FIRING_REPLICA))
    day.do("first_ad", PlanScene("31", "day-1", "Dummies", ("R-20",), ("performer",), "dummies", 1))
    day.ready("31")
    refused = day.refuse("armorer", Load("R-20", "D-01", CHAMBERS[:1], "31"))
    assert refused.rule_ids == ("R-KNOWN",)
    assert "takes no rounds" in str(refused)


def test_a_finding_of_a_replica_is_refused_while_rounds_are_in_it() -> None:
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS[:1], "14"))
    refused = day.refuse("armorer", InspectFirearm("R-01", CHAMBERS, True, firearm_class=INERT))
    assert refused.rule_ids == ("R-CLASS",)
    assert refused.violations[0].message == (
        "Revolver R-01 holds rounds, so it is not inert. Unload it and record the class it is."
    )


def test_a_class_that_is_not_a_class_is_refused() -> None:
    day = arrived()
    refused = day.refuse("armorer", InspectFirearm("R-20", CHAMBERS, True, firearm_class="toy"))
    assert refused.rule_ids == ("R-KNOWN",)


def test_a_replica_is_inspected_and_shown_like_any_firearm_before_every_handover() -> None:
    day = shoot()
    day.do("first_ad", PlanScene("30", "day-1", "The replica", ("P-05",), ("performer",), "cold"))
    day.ready("30")
    day.take_out("P-05")
    refused = day.refuse("armorer", HandOver("P-05", "performer", "30"))
    assert refused.rule_ids == ("R-SHOW-CLEAR",)
    day.do("armorer", show("P-05", ()))
    day.do("armorer", HandOver("P-05", "performer", "30"))
    day.do("armorer", Return("P-05"))
    refused = day.refuse("armorer", HandOver("P-05", "performer", "30"))
    assert refused.rule_ids == ("R-INSPECT", "R-SHOW-CLEAR")
    day.do("armorer", InspectFirearm("P-05", (), barrel_clear=True))
    day.do("armorer", show("P-05", ()))
    day.do("armorer", HandOver("P-05", "performer", "30"))


def test_a_replica_received_with_chambers_is_refused() -> None:
    day = shoot()
    refused = day.refuse(
        "armorer",
        ReceiveFirearm(
            "P-20", "SN-P20", "Denix", "SAA", "revolver", ".45 Colt", NON_FIRING_REPLICA,
            CHAMBERS, "Western Prop Rentals",
        ),
    )  # fmt: skip
    assert refused.rule_ids == ("R-CLASS",)
    assert refused.violations[0].message == (
        "P-20 is said to be a non firing replica, which takes no rounds, yet 6 positions are "
        "listed. One of the two is wrong: list no positions, or give the class it really is; "
        "an armorer finds out at its first inspection."
    )
    assert "P-20" not in day.state.firearms


@pytest.mark.parametrize("klass", [FIRING, BLANK_ADAPTED])
def test_a_firearm_that_takes_rounds_received_with_no_calibre_is_refused(klass: str) -> None:
    day = shoot()
    refused = day.refuse(
        "armorer",
        ReceiveFirearm("R-21", "SN-21", "Colt", "SAA", "revolver", " ", klass, CHAMBERS, "WPR"),
    )
    assert refused.rule_ids == ("R-CLASS",)
    assert "has no calibre" in str(refused)


@pytest.mark.parametrize("klass", [NON_FIRING_REPLICA, INERT])
def test_a_replica_with_a_calibre_and_a_serial_is_received_and_held_for_inspection(
    klass: str,
) -> None:
    day = shoot()
    day.do(
        "armorer",
        ReceiveFirearm("P-21", "D-1873", "Denix", "SAA", "revolver", ".45 Colt", klass, (), "WPR"),
    )
    assert day.state.firearms["P-21"].class_found == ""
    day.do("armorer", InspectFirearm("P-21", (), True, firearm_class=klass))
    assert isinstance(day.log[-1].event, FirearmInspected)


@pytest.mark.parametrize("persona", ["first_ad", "safety_supervisor", "performer", "producer"])
def test_only_an_armorer_finds_a_firearm_s_class(persona: str) -> None:
    day = arrived()
    refused = day.refuse(persona, InspectFirearm("R-20", CHAMBERS, True, firearm_class=FIRING))
    assert refused.rule_ids[0] == "R-ROLE"
    assert day.state.firearms["R-20"].class_found == ""


def test_an_assistant_armorer_with_it_in_hand_may_record_the_class_found() -> None:
    day = arrived()
    day.do("armorer", HandOver("R-20", "assistant_armorer"))
    day.do("assistant_armorer", InspectFirearm("R-20", CHAMBERS, True, firearm_class=FIRING))
    assert day.state.firearms["R-20"].class_found == FIRING
