"""The interlocks beyond the failure-mode stories: STOP WORK and its resumption, misfires, hot
calls, stand-off, training, overrides, and the warnings that are sealed rather than refused."""

from __future__ import annotations

from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core.commands import (
    BlankFirePlan,
    CountAndReconcile,
    HandOver,
    InspectFirearm,
    LeaveSet,
    Load,
    Lock,
    LotCount,
    OverrideRule,
    PlanScene,
    PutIn,
    ReceiveFirearm,
    RecordTraining,
    RecoverMisfire,
    ReportFoundRound,
    ReportMisfire,
    ResumeWork,
    Return,
    StartScene,
    StopWork,
    TakeOut,
    Unlock,
    WrapScene,
)
from showclear.core.events.on_set import OverrideApplied, RuleWarned
from showclear.core.vocabulary import FIREARM_SAFETY


def hot_scene_ready() -> OnSet:
    """Scene 21 running, R-02 inspected, blanks box in hand."""
    day = shoot()
    day.ready("21")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "B-01"))
    day.do("armorer", Lock("AMMO-1"))
    return day


def test_a_live_round_stops_work_on_the_whole_production() -> None:
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.at("10:02")
    day.do("performer", ReportFoundRound("live", "on the prop table"))
    refused = day.refuse("armorer", HandOver("R-01", "performer", "14"))
    stop = next(v for v in refused.violations if v.rule_id == "R-STOP-WORK")
    assert stop.message.startswith(
        "Work was stopped at 10:02 UTC by Jo Carver (cast) (a live round found on the prop table"
    )
    refused = day.refuse("first_ad", StartScene("12"))
    assert "R-STOP-WORK" in refused.rule_ids


def test_work_resumes_only_with_a_safety_supervisor_and_an_armorer_and_every_firearm_secured() -> (
    None
):
    day = shoot()
    day.take_out("R-01")
    day.do("first_ad", StopWork("smoke on the set"))
    refused = day.refuse("first_ad", ResumeWork(confirm("armorer")))
    assert "Work resumes only when a safety supervisor and an armorer resume it together" in str(
        refused
    )
    refused = day.refuse("safety_supervisor", ResumeWork(confirm("armorer")))
    assert refused.rule_ids == ("R-INSPECT", "R-STOP-WORK")
    assert len([v for v in refused.violations if v.rule_id == "R-INSPECT"]) == 5
    assert "Revolver R-01 is with Hannah Reed (armorer): lock every firearm away" in str(refused)

    for tag, firearm in day.state.firearms.items():
        if tag != "R-01":
            day.take_out(tag)
        day.do("armorer", InspectFirearm(tag, firearm.positions, barrel_clear=True))
        day.do("armorer", Unlock("SAFE-1"))
        day.do("armorer", PutIn("SAFE-1", tag))
        day.do("armorer", Lock("SAFE-1"))
    day.do("safety_supervisor", ResumeWork(confirm("armorer")))
    assert day.state.stoppage is None


def test_a_misfire_stops_that_firearm_until_its_round_is_out_and_its_barrel_inspected() -> None:
    day = hot_scene_ready()
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
    day.show("R-02", "21", "hot", 2)
    day.do("armorer", HandOver("R-02", "performer", "21"))
    day.at("15:20")
    day.do("performer", ReportMisfire("R-02", "chamber 1", "21"))
    day.do("armorer", Return("R-02"))
    refused = day.refuse("armorer", HandOver("R-02", "performer", "21"))
    assert refused.rule_ids == ("R-INSPECT", "R-MISFIRE", "R-SHOW-CLEAR")
    assert (
        "Revolver R-02 misfired at 15:20 UTC. Clear it and inspect its barrel before it is used again."
        in str(refused)
    )
    day.do("armorer", RecoverMisfire("R-02", "disposal"))
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.show("R-02", "21", "hot", 1)
    day.do("armorer", HandOver("R-02", "performer", "21"))


def test_a_hot_firearm_holds_only_the_blanks_the_shot_needs() -> None:
    day = hot_scene_ready()
    refused = day.refuse("armorer", Load("R-02", "B-01", CHAMBERS, "21"))
    assert refused.rule_ids == ("R-HOT-CALL",)
    assert refused.violations[0].message == (
        "Scene 21 needs 2 blanks; this would put 6 in Revolver R-02. Load only what the shot needs."
    )
    refused = day.refuse("armorer", Load("R-02", "D-01", CHAMBERS[:2], "21"))
    assert "Scene 21 is planned hot; dummy rounds do not go into Revolver R-02" in str(refused)


def test_blanks_need_six_metres_unless_a_close_range_load_is_planned() -> None:
    day = shoot()
    day.do(
        "first_ad",
        PlanScene(
            "22",
            "day-1",
            "Shot across the table",
            ("R-02",),
            ("performer",),
            "hot",
            rounds=1,
            blank_fire=BlankFirePlan(250, eye_protection=True, ear_protection=True),
        ),
    )
    day.ready("22")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "B-01"))
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:1], "22"))
    day.show("R-02", "22", "hot", 1)
    refused = day.refuse("armorer", HandOver("R-02", "performer", "22"))
    assert refused.rule_ids == ("R-STAND-OFF",)
    assert refused.violations[0].message == (
        "Scene 22 puts people 2.5 m from Revolver R-02's muzzle; blanks need 6 m (20 ft) unless a "
        "close-range load is planned."
    )


def test_a_safety_supervisor_may_override_an_overridable_rule_once_with_a_reason() -> None:
    day = shoot()
    day.do(
        "safety_supervisor", RecordTraining("performer", FIREARM_SAFETY, "2023-01-01", "2025-03-01")
    )
    day.meet("12")
    refused = day.refuse("first_ad", StartScene("12"))
    assert refused.violations[0].message == (
        "Jo Carver (cast)'s firearm safety training expired on 2025-03-01. Keep them away from "
        "firearms until it is recorded."
    )
    day.do(
        "safety_supervisor",
        OverrideRule(
            "R-TRAINING",
            "performer",
            "refresher booked; cold scene, no rounds on set",
            confirm("producer"),
        ),
    )
    day.do("first_ad", StartScene("12"))
    assert day.events(OverrideApplied)[0].rule_id == "R-TRAINING"
    assert not day.state.overrides


def test_never_overridable_rules_cannot_be_overridden() -> None:
    day = shoot()
    refused = day.refuse(
        "safety_supervisor",
        OverrideRule("R-LIVE", "D-01", "we are in a hurry", confirm("producer")),
    )
    assert refused.rule_ids == ("R-LIVE",)
    assert refused.violations[0].message.startswith("R-LIVE (No live ammunition")
    refused = day.refuse(
        "producer", OverrideRule("R-MEETING", "14", "we are in a hurry", confirm("producer"))
    )
    assert refused.rule_ids == ("R-ROLE",)


def test_wrapping_a_scene_with_a_firearm_still_out_is_a_sealed_warning() -> None:
    day = shoot()
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.do("armorer", HandOver("R-01", "performer", "12"))
    day.at("11:00")
    events = day.do("first_ad", WrapScene("12"))
    warned = [e for e in events if isinstance(e, RuleWarned)]
    assert [w.rule_id for w in warned] == ["R-CLOSE-OUT"]
    assert warned[0].message == (
        "Revolver R-01 is still with Jo Carver (cast) at the end of scene 12. Take it back and "
        "check it."
    )
    assert day.state.scenes["12"].status == "wrapped"


def test_a_count_that_does_not_match_opens_an_incident_naming_the_difference() -> None:
    day = shoot()
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Unlock("BELT-1"))
    day.do("armorer", PutIn("BELT-1", "D-01", rounds=12))
    day.at("19:10")
    events = day.do(
        "armorer",
        CountAndReconcile(
            ("R-01", "R-02", "W-03", "S-04"),
            (LotCount("D-01", 50), LotCount("B-01", 20), LotCount("D-01", 11, container="BELT-1")),
        ),
    )
    incident = next(iter(day.state.incidents.values()))
    assert incident.category == "count-difference"
    assert incident.summary == (
        "count difference: Dummy lot D-01 in BELT-1: 11 counted, 12 on record; "
        "Revolver P-05 missing"
    )
    assert [e.kind for e in events] == ["count.reconciled", "incident.opened", "rule.warned"]
    refused = day.refuse("first_ad", StartScene("12"))
    assert "R-INCIDENT" in refused.rule_ids


def test_more_firearms_out_than_one_armorer_can_watch_is_a_warning_to_producers() -> None:
    day = shoot()
    tags = tuple(f"R-1{n}" for n in range(7))
    for tag in tags:
        day.do(
            "armorer",
            ReceiveFirearm(
                tag,
                f"SN-{tag}",
                "Uberti",
                "1873",
                "revolver",
                ".45 Colt",
                "firing",
                CHAMBERS,
                "Western Prop Rentals",
            ),
        )
    day.do("first_ad", PlanScene("40", "day-1", "The posse rides in", tags, ("performer",), "cold"))
    day.ready("40")
    day.do("assistant_armorer", LeaveSet("assistant_armorer"))
    day.at("16:00")
    for tag in tags:
        day.do("armorer", InspectFirearm(tag, CHAMBERS, True, firearm_class="firing"))
        day.show(tag, "40", "cold", 0)
        day.do("armorer", HandOver(tag, "performer", "40"))
    assert [w.rule_id for w in day.warnings()] == ["R-ONE-DUTY"]
    assert day.warnings()[0].message.startswith(
        "7 firearms would be out with 1 armorer on set at 16:"
    )


def test_a_firearm_back_from_a_performer_is_inspected_before_it_goes_out_again() -> None:
    day = hot_scene_ready()
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
    day.show("R-02", "21", "hot", 2)
    day.at("13:02")
    day.do("armorer", HandOver("R-02", "performer", "21"))
    day.at("13:20")
    day.do("armorer", Return("R-02"))
    day.show("R-02", "21", "hot", 2)
    refused = day.refuse("armorer", HandOver("R-02", "performer", "21"))
    assert refused.rule_ids == ("R-INSPECT",)
    assert refused.violations[0].message == (
        "Revolver R-02 left armorer custody at 13:02 UTC (held by Jo Carver (cast)). Inspect it "
        "before handing it over."
    )
