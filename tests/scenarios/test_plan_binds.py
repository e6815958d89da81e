"""The plan binds (R-PLAN, issue 15 class 4): a firearm reaches a performer only for a scene
that plans that very firearm, to a performer the plan names, on the scene's shoot day, in the
condition the plan says; a substitution waits for the plan to change, and a changed plan waits
for its safety meeting again."""

from __future__ import annotations

from datetime import timedelta

from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core.commands import (
    BlankFirePlan,
    FirearmFor,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    JoinScene,
    Load,
    OverrideRule,
    PlanScene,
    PlanShootDay,
    PutIn,
    ReceiveFirearm,
    RegisterContainer,
    ReplanScene,
    Return,
    ShowClear,
    StartScene,
    TakeOut,
    Unload,
    Unlock,
    WrapScene,
)
from showclear.core.events.armory import FirearmHandedOver
from showclear.core.events.on_set import ScenePlanChanged, ScenePlanned
from showclear.core.read.sentences import Names, said
from showclear.core.vocabulary import FIRING


def loaded_for_14(day: OnSet, tag: str = "R-01") -> None:
    """Scene 14 ready, ``tag`` out of the safe, inspected and holding six dummies."""
    day.ready("14")
    day.take_out(tag)
    day.do("armorer", InspectFirearm(tag, CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Load(tag, "D-01", CHAMBERS, "14"))


def a_second_colt(day: OnSet) -> None:
    """Another Colt Single Action Army, like R-01, received and inspected, in hand."""
    day.do(
        "armorer",
        ReceiveFirearm(
            "R-06",
            "SN-R-06",
            "Colt",
            "Single Action Army",
            "revolver",
            ".45 Colt",
            FIRING,
            CHAMBERS,
            "Western Prop Rentals",
        ),
    )
    day.do("armorer", InspectFirearm("R-06", CHAMBERS, barrel_clear=True, firearm_class=FIRING))


# -- the firearm the plan names -------------------------------------------------------------------


def test_a_firing_revolver_is_refused_where_the_plan_says_the_non_firing_replica() -> None:
    day = shoot()
    day.do(
        "first_ad",
        PlanScene("40", "day-1", "Holster close-up", ("P-05",), ("performer",), "cold"),
    )
    day.ready("40")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.at("09:12")
    refused = day.refuse("armorer", HandOver("R-01", "performer", "40"))
    assert "R-PLAN" in refused.rule_ids
    plan = next(v for v in refused.violations if v.rule_id == "R-PLAN")
    assert plan.subject == "R-01"
    assert plan.message == (
        "Revolver R-01 (firing) is not in scene 40's plan, which names Revolver P-05 (non firing "
        "replica): it does not go to Jo Carver (cast) at 09:12 UTC. Use the planned firearm, or "
        "change the plan and hold its safety meeting again."
    )
    assert not day.events(FirearmHandedOver)


def test_another_firearm_of_the_same_make_and_model_is_a_substitution_too() -> None:
    day = shoot()
    a_second_colt(day)
    day.ready("12")
    refused = day.refuse("armorer", HandOver("R-06", "performer", "12"))
    assert "R-PLAN" in refused.rule_ids
    assert (
        "Revolver R-06 (firing) is not in scene 12's plan, which names Revolver R-01 (firing)"
        in str(refused)
    )


def test_a_substitution_is_refused_at_the_show_clear_and_the_load_as_well() -> None:
    day = shoot()
    a_second_colt(day)
    day.ready("14")
    refused = day.refuse("armorer", Load("R-06", "D-01", CHAMBERS, "14"))
    assert "R-PLAN" in refused.rule_ids
    assert "Revolver R-06 is not in scene 14's plan (R-01)" in str(refused)
    refused = day.refuse(
        "armorer",
        ShowClear("R-06", "14", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )
    assert "R-PLAN" in refused.rule_ids


def test_r_plan_is_never_overridden_the_plan_is_changed_instead() -> None:
    day = shoot()
    refused = day.refuse(
        "safety_supervisor",
        OverrideRule("R-PLAN", "R-06", "same model, the other one jammed", confirm("producer")),
    )
    assert refused.rule_ids


# -- the performer the plan names -----------------------------------------------------------------


def test_a_firearm_goes_only_to_a_performer_the_plan_names() -> None:
    day = shoot()
    loaded_for_14(day)
    day.at("09:20")
    refused = day.refuse(
        "armorer",
        ShowClear("R-01", "14", CHAMBERS, "dummies", 6, confirm("stunt"), confirm("first_ad")),
    )
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Scene 14's plan does not name Lee Marsh (stunt performer) (it names Jo Carver (cast)): "
        "Revolver "
        "R-01 does not go to them at 09:20 UTC. Change the plan first, and hold its safety "
        "meeting again."
    )
    day.show("R-01", "14", "dummies", 6)
    refused = day.refuse("armorer", HandOver("R-01", "stunt", "14"))
    assert "R-PLAN" in refused.rule_ids
    assert "Scene 14's plan does not name Lee Marsh (stunt performer)" in str(refused)


def test_a_firearm_never_goes_to_someone_who_is_not_a_performer_whatever_the_plan() -> None:
    day = shoot()
    loaded_for_14(day)
    day.show("R-01", "14", "dummies", 6)
    refused = day.refuse("armorer", HandOver("R-01", "camera", "14"))
    assert {"R-HANDOVER", "R-PLAN"} <= set(refused.rule_ids)
    assert "Hal Rivera" in str(refused)


def test_a_belt_or_bag_holding_a_firearm_never_goes_to_a_performer() -> None:
    day = shoot()
    day.ready("12")
    day.do("armorer", RegisterContainer("BAG-1", "bag", "saddle bag"))
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("BAG-1"))
    day.do("armorer", PutIn("BAG-1", "R-01"))
    refused = day.refuse("armorer", HandOver("BAG-1", "performer", "12"))
    assert "R-HANDOVER" in refused.rule_ids
    assert "never with a firearm inside" in str(refused)


# -- the condition the plan says ------------------------------------------------------------------


def test_a_cold_firearm_is_refused_for_a_scene_planned_with_dummies_or_blanks() -> None:
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    refused = day.refuse(
        "armorer",
        ShowClear("R-01", "14", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )
    assert refused.rule_ids == ("R-HOT-CALL",)
    assert refused.violations[0].message == (
        "Revolver R-01 is cold for Jo Carver (cast) at 08:06 UTC but scene 14 is planned dummies "
        "(6). Load what the plan says, or change the plan (and hold its safety meeting again)."
    )


def test_a_replica_that_takes_no_round_goes_cold_into_a_hot_scene_it_is_planned_for() -> None:
    day = shoot()
    day.do(
        "first_ad",
        PlanScene(
            "41",
            "day-1",
            "Volley at the fort",
            ("R-02", "P-05"),
            ("performer", "stunt"),
            "hot",
            rounds=2,
            blank_fire=BlankFirePlan(800, eye_protection=True, ear_protection=True),
        ),
    )
    day.ready("41")
    day.take_out("P-05")
    day.do("armorer", InspectFirearm("P-05", (), barrel_clear=True))
    day.show("P-05", "41", "cold", 0, performer="stunt")
    day.do("armorer", HandOver("P-05", "stunt", "41"))
    assert day.state.firearms["P-05"].holder == "stunt"


def test_no_more_dummies_than_the_plan_says_go_into_the_firearm() -> None:
    day = shoot()
    day.do(
        "first_ad",
        PlanScene("42", "day-1", "Two in the cylinder", ("R-01",), ("performer",), "dummies", 2),
    )
    day.ready("42")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    refused = day.refuse("armorer", Load("R-01", "D-01", CHAMBERS, "42"))
    assert refused.rule_ids == ("R-HOT-CALL",)
    assert refused.violations[0].message == (
        "Scene 42 plans 2 dummies; this would put 6 in Revolver R-01. Load only what the plan says."
    )
    day.do("armorer", Load("R-01", "D-01", CHAMBERS[:2], "42"))
    day.show("R-01", "42", "dummies", 2)
    day.do("armorer", HandOver("R-01", "performer", "42"))


# -- the scene's day ------------------------------------------------------------------------------


def two_days(day: OnSet) -> None:
    """Day two, 5 March, with scene 50 (R-01 cold, Jo)."""
    day.do("first_ad", PlanShootDay("day-2", "2025-03-05"))
    day.do(
        "first_ad",
        PlanScene("50", "day-2", "Dawn at the ranch", ("R-01",), ("performer",), "cold"),
    )


def test_a_scene_of_another_day_neither_starts_nor_issues_today() -> None:
    day = shoot()
    two_days(day)
    day.meet("50")
    day.at("09:05")
    refused = day.refuse("first_ad", StartScene("50"))
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Scene 50 (Dawn at the ranch) is planned for day-2 (2025-03-05), not today (2025-03-04), "
        "at 09:05 UTC: start firearm work for it only on its shoot day, or change its plan."
    )
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    refused = day.refuse("armorer", HandOver("R-01", "performer", "50"))
    assert "R-PLAN" in refused.rule_ids


def test_a_running_scene_moved_to_another_day_issues_nothing_until_it_starts_on_that_day() -> None:
    day = shoot()
    two_days(day)
    day.ready("12")
    day.do(
        "first_ad",
        ReplanScene(
            "12",
            "day-2",
            "Saloon stand-off",
            ("R-01",),
            ("performer",),
            "cold",
            "moved to tomorrow",
            crew=("camera",),
        ),
    )
    day.meet("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.at("10:00")
    refused = day.refuse("armorer", HandOver("R-01", "performer", "12"))
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Revolver R-01 does not go to Jo Carver (cast) at 10:00 UTC: scene 12 (Saloon "
        "stand-off) is planned for day-2 (2025-03-05), started on 2025-03-04. A scene issues "
        "firearms and rounds only on its shoot day: start it that day, or change its plan."
    )


def test_a_night_shoot_started_on_its_day_runs_past_midnight() -> None:
    day = shoot()
    day.at("22:30")
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.clock += timedelta(hours=2)  # 00:34 on 5 March
    day.show("R-01", "12", "cold", 0)
    day.do("armorer", HandOver("R-01", "performer", "12"))
    assert day.state.firearms["R-01"].holder == "performer"


def test_a_scene_started_in_the_evening_in_los_angeles_is_on_its_day_though_utc_says_tomorrow() -> (
    None
):
    # The production has no time zone yet: 18:30 on 4 March in Los Angeles is 02:30 UTC on the
    # 5th, and the date 4 March still holds somewhere on Earth until 12:00 UTC on the 5th.
    day = shoot()
    day.at("23:00")
    day.meet("12")
    day.clock += timedelta(hours=3, minutes=30)  # 02:30 UTC on 5 March
    day.do("first_ad", StartScene("12"))
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.do("armorer", HandOver("R-01", "performer", "12"))
    day.clock += timedelta(hours=10)  # 12:30 UTC on the 5th: 4 March is over everywhere
    day.do("armorer", Return("R-01"))
    day.do("first_ad", WrapScene("12"))
    day.do("first_ad", PlanScene("13", "day-1", "Late", ("R-01",), ("performer",), "cold"))
    day.meet("13")
    refused = day.refuse("first_ad", StartScene("13"))
    assert refused.rule_ids == ("R-PLAN",)
    assert "not today (2025-03-05)" in str(refused)


def test_a_wrapped_scene_issues_nothing() -> None:
    day = shoot()
    day.ready("12")
    day.do("first_ad", WrapScene("12"))
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    refused = day.refuse("armorer", HandOver("R-01", "performer", "12"))
    assert "R-HANDLING" in refused.rule_ids
    assert "Scene 12 is wrapped" in str(refused)


# -- changing the plan ----------------------------------------------------------------------------


def replica_instead(scene: str = "12", reason: str = "close-up: the replica") -> ReplanScene:
    return ReplanScene(
        scene,
        "day-1",
        "Saloon stand-off",
        ("P-05",),
        ("performer",),
        "cold",
        reason,
        crew=("camera",),
    )


def test_a_changed_plan_needs_its_safety_meeting_again_before_anything_is_issued() -> None:
    day = shoot()
    day.meet("12")
    day.at("08:30")
    day.do("first_ad", replica_instead())
    scene = day.state.scenes["12"]
    assert scene.firearms == ("P-05",)
    assert scene.changed is not None
    day.at("08:40")
    refused = day.refuse("first_ad", StartScene("12"))
    assert refused.rule_ids == ("R-MEETING",)
    assert refused.violations[0].message == (
        "Scene 12's plan changed at 08:30 UTC (close-up: the replica), after its safety meeting "
        "at 08:00 UTC: that meeting no longer counts. Hold the safety meeting again, on the new "
        "plan, with everyone near its firearms."
    )
    day.meet("12")
    day.do("first_ad", StartScene("12"))
    day.take_out("P-05")
    day.do("armorer", InspectFirearm("P-05", (), barrel_clear=True))
    day.show("P-05", "12", "cold", 0)
    day.do("armorer", HandOver("P-05", "performer", "12"))
    # The firearm the old plan named is now the substitution.
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    refused = day.refuse("armorer", HandOver("R-01", "performer", "12"))
    assert "R-PLAN" in refused.rule_ids


def test_a_plan_changed_while_the_scene_runs_holds_every_issue_until_the_meeting() -> None:
    day = shoot()
    day.ready("12")
    day.do("first_ad", replica_instead())
    day.take_out("P-05")
    day.do("armorer", InspectFirearm("P-05", (), barrel_clear=True))
    day.show("P-05", "12", "cold", 0)
    refused = day.refuse("armorer", HandOver("P-05", "performer", "12"))
    assert refused.rule_ids == ("R-MEETING",)
    assert "plan changed at" in str(refused)


def test_a_plan_does_not_change_while_its_firearm_is_with_a_performer() -> None:
    day = shoot()
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.do("armorer", HandOver("R-01", "performer", "12"))
    day.at("09:00")
    refused = day.refuse("first_ad", replica_instead())
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Revolver R-01 is with Jo Carver (cast) for scene 12 at 09:00 UTC: take it back before "
        "the plan changes."
    )
    day.do("armorer", Return("R-01"))
    day.do("first_ad", replica_instead())


def test_a_plan_change_says_why_and_a_wrapped_scene_keeps_its_plan() -> None:
    day = shoot()
    refused = day.refuse("first_ad", replica_instead(reason=" "))
    assert refused.rule_ids == ("R-KNOWN",)
    day.ready("12")
    day.do("first_ad", WrapScene("12"))
    refused = day.refuse("first_ad", replica_instead())
    assert "Scene 12 is wrapped: its plan stays as shot." in str(refused)
    refused = day.refuse("performer", replica_instead("no-such-scene"))
    assert "R-ROLE" in refused.rule_ids


def test_someone_joining_the_crew_after_the_meeting_needs_the_meeting_again() -> None:
    day = shoot()
    day.ready("12")
    day.do("first_ad", JoinScene("12", "producer"))
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    refused = day.refuse("armorer", HandOver("R-01", "performer", "12"))
    assert refused.rule_ids == ("R-MEETING",)
    assert "Ryan Cole (producer)" in str(refused)
    day.do(
        "first_ad",
        HoldSafetyMeeting(
            "12", ("armorer", "first_ad", "performer", "camera", "producer"), ("action",)
        ),
    )
    day.do("armorer", HandOver("R-01", "performer", "12"))


def test_the_plan_change_is_a_sealed_entry_with_its_sentence_and_old_plans_still_fold() -> None:
    day = shoot()
    day.do("first_ad", replica_instead())
    entry = next(e for e in day.log if isinstance(e.event, ScenePlanChanged))
    words = said(entry, Names(day.state.people, day.state.containers))
    assert words == (
        "Scene 12's plan changed (close-up: the replica): P-05 firearm(s), cold, performers "
        "Jo Carver (cast). Its safety meeting must be held again."
    )
    # A scene planned before plans said what a performer may wear folds with nothing worn.
    old = ScenePlanned.from_payload(
        {
            "scene": "9",
            "day": "day-1",
            "title": "t",
            "firearms": ["R-01"],
            "performers": ["performer"],
            "crew": [],
            "condition": "cold",
            "rounds": 0,
            "blank_fire": None,
            "pointing": [],
        }
    )
    assert (old.worn_rounds, old.worn_lots) == (0, ())


def test_the_clean_scene_still_unloads_and_goes_back_in_the_plan() -> None:
    day = shoot()
    loaded_for_14(day)
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    day.do("armorer", Return("R-01"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unload("R-01"))
    assert day.warnings() == []


def volley(*assigned: FirearmFor) -> PlanScene:
    """Scene 44: the blank-firing R-02 and the replica P-05, for Jo and Lee, hot."""
    return PlanScene(
        "44",
        "day-1",
        "Volley at the fort",
        ("R-02", "P-05"),
        ("performer", "stunt"),
        "hot",
        rounds=2,
        blank_fire=BlankFirePlan(800, eye_protection=True, ear_protection=True),
        assigned=assigned,
    )


def test_a_firearm_the_plan_assigns_to_one_performer_goes_to_no_other() -> None:
    day = shoot()
    day.do("first_ad", volley(FirearmFor("R-02", "performer"), FirearmFor("P-05", "stunt")))
    day.ready("44")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "B-01"))
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "44"))
    day.at("10:30")
    # Lee expects the replica: the loaded revolver is refused to him, even shown.
    refused = day.refuse(
        "armorer",
        ShowClear("R-02", "44", CHAMBERS, "hot", 2, confirm("stunt"), confirm("first_ad")),
    )
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Scene 44's plan gives Revolver R-02 to Jo Carver (cast), not Lee Marsh (stunt "
        "performer), at 10:30 UTC. Hand it to them, or change the plan and hold its safety "
        "meeting again."
    )
    day.show("R-02", "44", "hot", 2)
    day.do("armorer", HandOver("R-02", "performer", "44"))


def test_a_plan_assigns_only_its_own_firearms_to_its_own_performers_once_each() -> None:
    day = shoot()
    refused = day.refuse("first_ad", volley(FirearmFor("R-01", "performer")))
    assert refused.rule_ids == ("R-KNOWN",)
    assert "assigns R-01 to Jo Carver (cast)" in str(refused)
    refused = day.refuse(
        "first_ad", volley(FirearmFor("R-02", "performer"), FirearmFor("R-02", "stunt"))
    )
    assert "assigns a firearm twice" in str(refused)
