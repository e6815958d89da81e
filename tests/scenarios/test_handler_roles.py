"""The roles a handler declares are checked before it runs, and what the set pages ask of the
core (who may co-sign, who a meeting lacks, which lots fit, which positions were not shown) is
the core's own answer."""

from __future__ import annotations

from datetime import date

from shoot import CHAMBERS, shoot

from showclear.core.commands import DrawFirearm, ResumeWork, StartScene, StopWork, WrapScene
from showclear.core.decide import HANDLERS
from showclear.core.read.readiness_board import (
    lots_that_fit,
    not_shown,
    shoot_day,
    still_needed_at_meeting,
)
from showclear.core.vocabulary import ARMORERS


def test_only_an_armorer_draws_a_firearm_and_is_told_so_first() -> None:
    on_set = shoot()
    assert HANDLERS[DrawFirearm].roles == ARMORERS
    refused = on_set.refuse("first_ad", DrawFirearm("R-01"))
    assert refused.rule_ids[0] == "R-HANDOVER"
    assert refused.violations[0].message == (
        "Dana Hale (first AD) cannot take a firearm out of its container: only an armorer does."
    )
    on_set.do("armorer", DrawFirearm("R-01"))
    assert on_set.state.firearms["R-01"].holder == "armorer"


def test_resuming_pairs_a_safety_supervisor_with_an_armorer_or_an_assistant_armorer() -> None:
    on_set = shoot()
    on_set.do("performer", StopWork("a muzzle swept the crowd"))
    pairs = HANDLERS[ResumeWork].pairs
    people = on_set.state.people
    supervisor = people["safety_supervisor"]
    assert pairs(supervisor, people["assistant_armorer"])
    assert pairs(people["armorer"], supervisor)
    assert not pairs(supervisor, supervisor)
    assert not pairs(people["producer"], people["armorer"])


def test_the_pages_questions_are_answered_by_the_cores_own_checks() -> None:
    on_set = shoot()
    state, revolver = on_set.state, on_set.state.firearms["R-01"]
    assert {lot.tag for lot in lots_that_fit(state, revolver, on_set.clock)} == {"D-01", "B-01"}
    assert lots_that_fit(state, state.firearms["W-03"], on_set.clock) == []  # .44-40
    scene = state.scenes["12"]
    assert still_needed_at_meeting(state, scene, ["armorer"]) == [
        "the first AD",
        "Jo Carver (cast)",
        "Hal Rivera (crew)",
    ]
    assert still_needed_at_meeting(state, scene, ["armorer", "first_ad", *scene.people]) == []
    (unseen,) = not_shown(state, revolver, CHAMBERS[:3], on_set.clock)
    assert unseen.rule_id == "R-SHOW-CLEAR"
    assert "chamber 4, chamber 5, chamber 6 not shown" in unseen.message
    assert not_shown(state, revolver, CHAMBERS, on_set.clock) == ()


def test_today_lists_a_wrapped_scene_after_the_ones_still_to_shoot() -> None:
    on_set = shoot()
    on_set.meet("12")
    on_set.do("first_ad", StartScene("12"))
    on_set.do("first_ad", WrapScene("12"))
    day = shoot_day(on_set.state, date(2025, 3, 4), on_set.clock)
    assert day is not None
    assert [s.scene for s in day.scenes] == ["14", "21", "12"]
