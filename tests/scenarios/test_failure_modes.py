"""Each failure mode F1-F18 of ``domain/safety-rules.md``, played as it happened on a set,
blocked or flagged with the right rule and a sentence that names what, who and when."""

from __future__ import annotations

from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    AssignDuty,
    CallBreak,
    CloseIncident,
    Complain,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    IssueBadge,
    JoinScene,
    LeaveSet,
    Load,
    Lock,
    PlanScene,
    PutIn,
    ReceiveLot,
    RegisterContainer,
    ReleaseEvidence,
    ReleaseLot,
    ReportDischarge,
    ReportFoundRound,
    Return,
    ReturnEvidence,
    ShowClear,
    StartScene,
    TakeOut,
    Unload,
    Unlock,
    VerifyRounds,
)
from showclear.core.events.armory import Placement
from showclear.core.events.evidence import EvidenceFrozen, EvidenceReleased, FirearmExhibit
from showclear.core.events.on_set import ComplaintMade
from showclear.core.vocabulary import AMMUNITION_MAKER, DUMMY, RATTLE


def loaded_with_dummies(scene: str = "14") -> OnSet:
    """Scene 14 running, R-01 inspected and loaded with six verified dummies, in hand."""
    day = shoot()
    day.ready(scene)
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, scene))
    return day


def test_f1_rounds_of_unknown_origin_never_join_the_stock() -> None:
    day = shoot()
    refused = day.refuse("armorer", ReceiveLot("BAG", DUMMY, ".45 Colt", 40, "", "", ""))
    assert refused.rule_ids == ("R-VERIFIED",)
    assert refused.violations[0].message == (
        "Lot BAG has no supplier and no invoice or delivery note and no delivery date: rounds of "
        "unknown origin never join the stock."
    )

    day.do(
        "armorer",
        ReceiveLot(
            "D-09",
            DUMMY,
            ".45 Colt",
            40,
            "Left over from 'Red Hills'",
            "handover note",
            "2025-03-03",
        ),
    )
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    refused = day.refuse("armorer", Load("R-01", "D-09", CHAMBERS, "14"))
    assert refused.rule_ids == ("R-VERIFIED",)
    assert "Dummy lot D-09 is quarantined (40 rounds not verified)" in str(refused)


def test_f2_a_box_labelled_dummies_is_not_verified_until_every_round_is() -> None:
    day = shoot()
    day.do(
        "armorer",
        ReceiveLot(
            "D-02",
            DUMMY,
            ".45 Colt",
            50,
            "Acme Dummy Co.",
            "invoice 1077",
            "2025-03-03",
            maker=AMMUNITION_MAKER,
        ),
    )
    day.do("armorer", VerifyRounds("D-02", 48, RATTLE, confirm("assistant_armorer")))
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    refused = day.refuse("armorer", Load("R-01", "D-02", CHAMBERS, "14"))
    assert refused.rule_ids == ("R-VERIFIED",)
    assert "(2 rounds not verified)" in str(refused)

    day.at("10:15")
    day.do("armorer", ReportFoundRound("live", "in the box of D-02, round 49", lot="D-02"))
    assert day.state.lots["D-02"].live
    assert day.state.stoppage is not None
    assert [w.rule_id for w in day.warnings()] == ["R-LIVE"]
    assert day.warnings()[0].message == (
        "A live round was found in the box of D-02, round 49 at 10:15 UTC (Dummy lot D-02). Work "
        "stops on the whole production and Dummy lot D-02 is quarantined."
    )
    refused = day.refuse("armorer", Load("R-01", "D-02", CHAMBERS[:1], "14"))
    assert set(refused.rule_ids) >= {"R-LIVE", "R-STOP-WORK"}


def test_f3_loading_records_one_verified_round_in_each_named_chamber() -> None:
    day = loaded_with_dummies()
    assert day.state.firearms["R-01"].contents == dict.fromkeys(CHAMBERS, "D-01")
    assert day.state.lots["D-01"].stock == 44
    refused = day.refuse("armorer", Load("R-01", "D-01", ("chamber 7",), "14"))
    assert refused.rule_ids == ("R-KNOWN",)
    assert "Revolver R-01 has no chamber 7" in str(refused)
    refused = day.refuse("armorer", Load("R-01", "D-01", ("chamber 1",), "14"))
    assert "chamber 1 already holds a round" in str(refused)


def test_f4_there_is_no_cart_and_firearms_are_never_left_in_an_open_container() -> None:
    day = shoot()
    refused = day.refuse("armorer", RegisterContainer("CART", "cart"))
    assert refused.rule_ids == ("R-CUSTODY",)
    assert refused.violations[0].message.startswith("A cart is not a container")

    day.do("armorer", RegisterContainer("BAG-1", "bag", "range bag"))
    day.take_out("R-01")
    day.do("armorer", Unlock("BAG-1"))
    day.do("armorer", PutIn("BAG-1", "R-01"))
    refused = day.refuse("armorer", LeaveSet("armorer"))
    assert refused.rule_ids == ("R-LOCKED",)
    assert "Bag BAG-1 is open with firearms or rounds inside" in str(refused)

    refused = day.refuse("first_ad", TakeOut("BAG-1", "R-01"))
    assert refused.rule_ids == ("R-CUSTODY", "R-HANDOVER")
    assert "Bag BAG-1 is in Hannah Reed (armorer)'s custody" in str(refused)


def test_f5_the_first_ad_can_neither_hand_over_nor_call_a_firearm_cold() -> None:
    day = loaded_with_dummies()
    refused = day.refuse("first_ad", HandOver("R-01", "performer", "14"))
    assert refused.rule_ids[0] == "R-HANDOVER"
    assert refused.violations[0].message == (
        "Dana Hale (first AD) cannot hand a firearm to anyone: only an armorer does."
    )
    refused = day.refuse(
        "first_ad",
        ShowClear("R-01", "14", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )
    assert refused.rule_ids[0] == "R-HANDOVER"
    refused = day.refuse("armorer", HandOver("R-01", "first_ad", "14"))
    assert "Dana Hale (first AD) is not a performer" in str(refused)


def test_f6_a_show_clear_of_three_chambers_of_six_is_refused() -> None:
    day = loaded_with_dummies()
    refused = day.refuse(
        "armorer",
        ShowClear(
            "R-01", "14", CHAMBERS[:3], "dummies", 6, confirm("performer"), confirm("first_ad")
        ),
    )
    assert refused.rule_ids == ("R-SHOW-CLEAR",)
    assert refused.violations[0].message == (
        "Revolver R-01: chamber 4, chamber 5, chamber 6 not shown. Show every position, not 3 of 6."
    )
    refused = day.refuse("armorer", HandOver("R-01", "performer", "14"))
    assert refused.rule_ids == ("R-SHOW-CLEAR",)
    assert "has not been shown dummies (6) to Jo Carver (cast)" in str(refused)


def test_f7_a_firearm_loaded_with_dummies_is_never_announced_cold() -> None:
    day = loaded_with_dummies()
    refused = day.refuse(
        "armorer",
        ShowClear("R-01", "14", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )
    assert refused.rule_ids == ("R-SHOW-CLEAR",)
    assert refused.violations[0].message == (
        "Revolver R-01 is dummies (6), not cold: announce 'dummies (6)', never 'cold'."
    )


def test_f8_the_only_armorer_cannot_leave_while_a_firearm_is_out() -> None:
    day = loaded_with_dummies()
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    day.do("assistant_armorer", LeaveSet("assistant_armorer"))
    refused = day.refuse("armorer", LeaveSet("armorer"))
    assert refused.rule_ids == ("R-ARMORER-PRESENT",)
    assert refused.violations[0].message == (
        "Hannah Reed (armorer) is the only armorer on set and firearms are out (Revolver R-01 "
        "with Jo Carver (cast)). Take them back and lock them away before leaving."
    )
    day.do("assistant_armorer", ArriveOnSet("assistant_armorer"))
    day.do("armorer", LeaveSet("armorer"))


def test_f9_an_armorer_given_props_duty_is_a_warning_to_the_producers() -> None:
    day = loaded_with_dummies()
    day.at("08:40")
    day.do("producer", AssignDuty("armorer", "props"))
    assert [w.rule_id for w in day.warnings()] == ["R-ONE-DUTY"]
    assert day.warnings()[0].message.startswith(
        "Hannah Reed (armorer) was given props duty at 08:40 UTC: an armorer has no other duty"
    )
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    assert [w.rule_id for w in day.warnings()] == ["R-ONE-DUTY", "R-ONE-DUTY"]


def test_f10_after_an_unplanned_discharge_firearm_work_waits_for_the_investigation() -> None:
    day = loaded_with_dummies()
    day.at("11:40")
    day.do("armorer", ReportDischarge("R-01", (), planned=False, description="dropped, no round"))
    incident = next(iter(day.state.incidents.values()))
    refused = day.refuse("armorer", HandOver("R-01", "performer", "14"))
    assert refused.rule_ids[0] == "R-EVIDENCE"
    assert "R-INCIDENT" in refused.rule_ids
    assert (
        f"Incident {incident.incident} (unplanned discharge of Revolver R-01, 11:40 UTC) is still "
        "open: firearm work waits until the safety supervisor closes it."
    ) in [v.message for v in refused.violations]
    refused = day.refuse(
        "safety_supervisor", CloseIncident(incident.incident, "nothing found", confirm("producer"))
    )
    assert refused.rule_ids == ("R-EVIDENCE",)

    # Investigated: the evidence to the investigator, the findings, then everything back.
    day.do(
        "safety_supervisor",
        ReleaseEvidence(incident.incident, ("investigator",), confirm("first_ad")),
    )
    day.do(
        "safety_supervisor",
        CloseIncident(incident.incident, "hammer down on empty chamber", confirm("producer")),
    )
    day.do("investigator", ReturnEvidence(incident.incident, confirm("armorer")))
    refused = day.refuse("armorer", HandOver("R-01", "performer", "14"))
    assert refused.rule_ids == ("R-INCIDENT", "R-INSPECT", "R-VERIFIED", "R-SHOW-CLEAR")
    assert "before the last incident" in refused.violations[0].message

    day.do("armorer", VerifyRounds("D-01", 44, RATTLE, confirm("assistant_armorer")))
    day.do("armorer", ReleaseLot("D-01"))
    day.meet("14")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))


def test_f11_a_complaint_is_escalated_to_the_safety_supervisor() -> None:
    day = shoot()
    day.do("camera", Complain("Two accidental discharges this week and no meeting about it"))
    complaint = day.events(ComplaintMade)[0]
    assert complaint.escalated_to == ("safety_supervisor",)
    assert day.state.incidents[complaint.incident].open
    refused = day.refuse(
        "first_ad", CloseIncident(complaint.incident, "talked to them", confirm("producer"))
    )
    assert refused.rule_ids == ("R-ROLE",)
    day.do(
        "safety_supervisor",
        CloseIncident(complaint.incident, "meeting held, armorer added", confirm("producer")),
    )


def test_f12_no_scene_starts_and_no_firearm_is_issued_without_a_safety_meeting() -> None:
    day = shoot()
    refused = day.refuse("first_ad", StartScene("14"))
    assert refused.rule_ids == ("R-MEETING",)
    assert refused.violations[0].message == (
        "No safety meeting is on record for scene 14 (Loading at the table). Hold it with the "
        "armorer, the first AD and everyone near its firearms first."
    )
    day.take_out("R-01")
    refused = day.refuse("armorer", HandOver("R-01", "performer", "rehearsal"))
    assert "There is no scene 'rehearsal' on the schedule." in str(refused)

    day.do("first_ad", HoldSafetyMeeting("14", ("armorer", "first_ad")))
    refused = day.refuse("first_ad", StartScene("14"))
    assert "did not include Jo Carver (cast)" in str(refused)


def test_f13_pointing_toward_the_camera_needs_a_plan_from_the_meeting() -> None:
    day = shoot()
    day.do(
        "first_ad",
        PlanScene(
            "16",
            "day-1",
            "Rehearsal, cross-draw toward lens",
            ("R-01",),
            ("performer",),
            "cold",
            crew=("camera",),
            pointing=("camera",),
        ),
    )
    day.meet("16")
    refused = day.refuse("first_ad", StartScene("16"))
    assert refused.rule_ids == ("R-HANDLING",)
    assert refused.violations[0].message == (
        "Scene 16 points a firearm toward camera, which the safety meeting did not plan. Plan "
        "it with the armorer and the first AD, or cut it."
    )
    day.meet("16", pointing=("camera",))
    day.do("first_ad", StartScene("16"))


def test_f14_what_was_left_out_over_lunch_is_inspected_and_verified_again() -> None:
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Lock("AMMO-1"))
    day.at("12:30")
    day.do("first_ad", CallBreak("meal"))
    assert [(w.rule_id, w.subject) for w in day.warnings()] == [
        ("R-LOCKED", "R-01"),
        ("R-LOCKED", "D-01"),
    ]
    day.at("13:30")
    refused = day.refuse("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    assert refused.rule_ids == ("R-VERIFIED", "R-INSPECT")
    assert "Dummy lot D-01 is quarantined (50 rounds not verified)" in str(refused)
    assert (
        "Revolver R-01 was not locked away over the meal break at 12:30 UTC. Inspect it before "
        "loading it."
    ) in str(refused)


def test_f15_a_live_round_in_a_gun_belt_stops_work_and_no_round_lies_loose() -> None:
    day = shoot()
    day.ready("14")
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Unlock("BELT-1"))
    day.do("armorer", PutIn("BELT-1", "D-01", rounds=12))
    day.do("armorer", HandOver("BELT-1", "performer", "14"))
    day.at("14:05")
    day.do("performer", ReportFoundRound("live", "in Jo's gun belt", container="BELT-1"))
    assert day.state.stoppage is not None
    assert day.state.lots["D-01"].live
    assert day.state.containers["BELT-1"].rounds == {"D-01": 11}
    assert day.warnings()[-1].message.startswith(
        "A live round was found in Jo's gun belt at 14:05 UTC (Dummy lot D-01). Work stops"
    )
    day.do("first_ad", ReportFoundRound("dummy", "loose on the prop cart"))
    assert day.warnings()[-1].rule_id == "R-CUSTODY"
    assert "No loose rounds" in day.warnings()[-1].message


def test_f16_a_round_of_the_wrong_calibre_is_never_loaded() -> None:
    day = shoot()
    day.do(
        "first_ad",
        PlanScene(
            "30", "day-1", "Rifle at the window", ("W-03",), ("performer",), "dummies", rounds=3
        ),
    )
    day.ready("30")
    day.take_out("W-03")
    day.do("armorer", InspectFirearm("W-03", day.state.firearms["W-03"].positions, True))
    refused = day.refuse("armorer", Load("W-03", "D-01", ("magazine 1",), "30"))
    assert refused.rule_ids == ("R-AMMUNITION-MATCH",)
    assert refused.violations[0].message == (
        "Dummy lot D-01 is .45 Colt; Lever-action rifle W-03 takes .44-40. Wrong calibre: do not "
        "load it."
    )


def test_f17_after_a_shooting_the_evidence_is_frozen_and_handed_to_investigators() -> None:
    day = loaded_with_dummies()
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    day.at("13:48")
    day.do("first_ad", ReportDischarge("R-01", ("chamber 1",), planned=False, injury=True))
    assert day.state.stoppage is not None
    assert day.state.stoppage.lockdown
    frozen = day.events(EvidenceFrozen)[0]
    assert (frozen.firearms, frozen.lots, frozen.containers) == (("R-01",), ("D-01",), ("AMMO-1",))
    for command in (Return("R-01"), Unload("R-01")):
        refused = day.refuse("armorer", command)
        assert refused.rule_ids[0] == "R-EVIDENCE"
        assert refused.violations[0].message == (
            "Revolver R-01 is evidence of incident-1: nobody touches it until the safety "
            "supervisor releases it to the investigators."
        )
    refused = day.refuse("armorer", Unlock("SAFE-1"))
    assert refused.rule_ids == ("R-EVIDENCE",)
    assert "stays exactly as found, as evidence" in refused.violations[0].message
    day.do(
        "safety_supervisor", ReleaseEvidence("incident-1", ("investigator",), confirm("first_ad"))
    )
    released = day.events(EvidenceReleased)[0]
    assert released.firearms == (
        FirearmExhibit("R-01", "performer", "", tuple(Placement(c, "D-01") for c in CHAMBERS[1:])),
    )
    assert day.state.firearms["R-01"].holder == "investigator"
    day.do("armorer", Unlock("SAFE-1"))  # the investigators have the evidence: the rest is secured


def test_f18_untrained_replacement_crew_are_kept_away_from_firearms() -> None:
    day = shoot()
    day.do("first_ad", AddPerson("Kit Moss", ("crew",), person_id="kit"))
    day.do("first_ad", IssueBadge("kit", "badge-kit"))
    refused = day.refuse("first_ad", JoinScene("12", "kit"))
    assert refused.rule_ids == ("R-TRAINING",)
    assert refused.violations[0].message == (
        "Kit Moss (crew)'s firearm safety training is not on record. Keep them away from "
        "firearms until it is recorded."
    )
