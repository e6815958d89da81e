"""What a performer wears holds only what the scene plans (R-PLAN, issue 15 class 5): a gun
belt or bag goes to a performer holding only counted rounds the plan lets them wear (of the lots
it names, never blanks outside a hot scene, never more than planned), checked at the handover of
the container as at a firearm's, and again when rounds go into a belt already worn."""

from __future__ import annotations

from shoot import OnSet, confirm, shoot

from showclear.core.commands import (
    BlankFirePlan,
    HandOver,
    PlanScene,
    PutIn,
    ReceiveLot,
    RegisterContainer,
    TakeOut,
    Unlock,
    VerifyRounds,
)
from showclear.core.events.armory import ContainerHandedOver
from showclear.core.vocabulary import DUMMY, PRIMER_STRUCK


def belt_with(day: OnSet, *rounds: tuple[str, int], belt: str = "BELT-1") -> None:
    """Counted rounds of each lot into ``belt``, from the lots' boxes in the armorer's hands."""
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", Unlock(belt))
    for lot, count in rounds:
        if day.state.lots[lot].container is not None:
            day.do("armorer", TakeOut("AMMO-1", lot))
        day.do("armorer", PutIn(belt, lot, rounds=count))


def test_a_belt_of_the_planned_dummies_goes_to_the_planned_performer() -> None:
    day = shoot()
    day.ready("14")
    belt_with(day, ("D-01", 12))
    day.do("armorer", HandOver("BELT-1", "performer", "14"))
    assert day.state.containers["BELT-1"].custodian == "performer"
    assert day.state.containers["BELT-1"].scene == "14"
    assert day.warnings() == []


def test_never_blanks_in_a_belt_for_a_dummies_scene() -> None:
    day = shoot()
    day.ready("14")
    belt_with(day, ("D-01", 6), ("B-01", 2))
    day.at("10:10")
    refused = day.refuse("armorer", HandOver("BELT-1", "performer", "14"))
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Gun belt BELT-1 for Jo Carver (cast) in scene 14 at 10:10 UTC: it holds 2 blanks of "
        "Blank lot B-01, in a scene planned dummies (6). No blank is worn outside a hot scene: "
        "take them out."
    )
    assert not day.events(ContainerHandedOver)


def test_never_more_rounds_than_the_plan_lets_a_performer_wear() -> None:
    day = shoot()
    day.ready("14")
    belt_with(day, ("D-01", 13))
    day.at("10:20")
    refused = day.refuse("armorer", HandOver("BELT-1", "performer", "14"))
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Gun belt BELT-1 for Jo Carver (cast) in scene 14 at 10:20 UTC: Jo Carver (cast) would "
        "wear 13 rounds; the plan allows 12. Take the extra rounds out, or change the plan."
    )


def test_two_belts_on_one_performer_count_together() -> None:
    day = shoot()
    day.ready("14")
    day.do("armorer", RegisterContainer("BELT-2", "gun-belt", "Jo's second belt"))
    belt_with(day, ("D-01", 8))
    day.do("armorer", HandOver("BELT-1", "performer", "14"))
    day.do("armorer", Unlock("BELT-2"))
    day.do("armorer", PutIn("BELT-2", "D-01", rounds=8))
    refused = day.refuse("armorer", HandOver("BELT-2", "performer", "14"))
    assert refused.rule_ids == ("R-PLAN",)
    assert "Jo Carver (cast) would wear 16 rounds; the plan allows 12" in str(refused)


def test_never_a_lot_the_plan_does_not_name() -> None:
    day = shoot()
    day.do(
        "armorer",
        ReceiveLot("D-02", DUMMY, ".45 Colt", 20, "Home-made", "none", "2025-03-02"),
    )
    day.do("armorer", VerifyRounds("D-02", 20, PRIMER_STRUCK, confirm("assistant_armorer")))
    day.ready("14")
    day.do("armorer", Unlock("BELT-1"))
    day.do("armorer", PutIn("BELT-1", "D-02", rounds=6))
    day.at("10:30")
    refused = day.refuse("armorer", HandOver("BELT-1", "performer", "14"))
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Gun belt BELT-1 for Jo Carver (cast) in scene 14 at 10:30 UTC: it holds 6 rounds of "
        "Dummy lot D-02, a lot the plan does not name for wearing (it names D-01). Take them "
        "out, or change the plan."
    )


def test_a_scene_that_plans_nothing_worn_gives_no_performer_a_filled_belt() -> None:
    day = shoot()
    day.ready("12")
    belt_with(day, ("D-01", 6))
    refused = day.refuse("armorer", HandOver("BELT-1", "performer", "12"))
    assert refused.rule_ids == ("R-PLAN",)
    assert "the plan allows 0" in str(refused)
    assert "a lot the plan does not name for wearing (it names none)" in str(refused)


def test_a_bag_never_carries_a_lots_box_to_a_performer() -> None:
    day = shoot()
    day.ready("14")
    day.do("armorer", RegisterContainer("BAG-1", "bag", "Jo's saddle bag"))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Unlock("BAG-1"))
    day.do("armorer", PutIn("BAG-1", "D-01"))
    refused = day.refuse("armorer", HandOver("BAG-1", "performer", "14"))
    assert refused.rule_ids == ("R-PLAN",)
    assert "it holds the box of Dummy lot D-01. A performer wears only counted rounds" in str(
        refused
    )


def test_a_belt_goes_only_to_a_performer_the_plan_names_on_its_day() -> None:
    day = shoot()
    day.ready("14")
    belt_with(day, ("D-01", 6))
    refused = day.refuse("armorer", HandOver("BELT-1", "stunt", "14"))
    assert refused.rule_ids == ("R-PLAN",)
    assert "Gun belt BELT-1 does not go to them" in str(refused)


def test_blanks_worn_in_a_hot_scene_only_when_its_plan_names_them() -> None:
    day = shoot()
    day.do(
        "first_ad",
        PlanScene(
            "22",
            "day-1",
            "Reload behind the trough",
            ("R-02",),
            ("performer",),
            "hot",
            rounds=2,
            blank_fire=BlankFirePlan(800, eye_protection=True, ear_protection=True),
            worn_rounds=4,
            worn_lots=("B-01",),
        ),
    )
    day.ready("22")
    belt_with(day, ("B-01", 4))
    day.do("armorer", HandOver("BELT-1", "performer", "22"))


def test_a_plan_never_puts_blanks_on_a_performer_in_a_cold_or_dummies_scene() -> None:
    day = shoot()
    refused = day.refuse(
        "first_ad",
        PlanScene(
            "43",
            "day-1",
            "Belt close-up",
            ("R-01",),
            ("performer",),
            "dummies",
            rounds=6,
            worn_rounds=12,
            worn_lots=("B-01",),
        ),
    )
    assert refused.rule_ids == ("R-PLAN",)
    assert refused.violations[0].message == (
        "Scene 43 is planned dummies: no blank of Blank lot B-01 is worn in it. Wear dummies, or "
        "plan the scene hot."
    )
    refused = day.refuse(
        "first_ad",
        PlanScene(
            "43", "day-1", "Belt close-up", ("R-01",), ("performer",), "cold", worn_rounds=12
        ),
    )
    assert refused.rule_ids == ("R-KNOWN",)


def test_rounds_put_into_a_belt_a_performer_already_wears_are_checked_the_same_way() -> None:
    day = shoot()
    day.ready("14")
    belt_with(day, ("D-01", 10))
    day.do("armorer", HandOver("BELT-1", "performer", "14"))
    day.at("10:45")
    refused = day.refuse("performer", PutIn("BELT-1", "B-01", rounds=2))
    assert "R-PLAN" in refused.rule_ids
    assert (
        "Gun belt BELT-1 for Jo Carver (cast) in scene 14 at 10:45 UTC: it holds 2 blanks of "
        "Blank lot B-01, in a scene planned dummies (6)."
    ) in str(refused)
    refused = day.refuse("performer", PutIn("BELT-1", "D-01", rounds=3))
    assert "R-PLAN" in refused.rule_ids
    assert "would wear 13 rounds; the plan allows 12" in str(refused)
