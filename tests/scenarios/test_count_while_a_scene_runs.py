"""A count taken while a scene runs (lunch, a unit move) cannot see what a performer holds on
set: it leaves that out rather than calling it missing. Once the scene wraps, nothing is out,
and a firearm still with a performer is a difference (R-CLOSE-OUT)."""

from __future__ import annotations

from shoot import CHAMBERS, OnSet, shoot

from showclear.core.commands import (
    CountAndReconcile,
    HandOver,
    InspectFirearm,
    Load,
    LotCount,
    TakeOut,
    Unlock,
    WrapScene,
)
from showclear.core.events.armory import CountReconciled

THE_REST = ("R-02", "W-03", "S-04", "P-05")


def revolver_with_the_performer_in_scene_14() -> OnSet:
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    return day


def test_a_count_during_the_scene_leaves_out_the_firearm_and_rounds_the_performer_holds() -> None:
    day = revolver_with_the_performer_in_scene_14()
    out = day.state.out_for_scenes()
    assert (out.firearms, out.containers) == (frozenset({"R-01"}), frozenset())
    assert out.rounds["D-01"] == 6
    day.do("armorer", CountAndReconcile(THE_REST, (LotCount("D-01", 44), LotCount("B-01", 20))))
    (reconciled,) = day.events(CountReconciled)
    assert isinstance(reconciled, CountReconciled)
    assert reconciled.balanced
    assert "R-01" not in reconciled.firearms_expected
    assert not day.state.incidents


def test_ticking_the_firearm_on_set_as_present_does_not_make_a_difference_either() -> None:
    day = revolver_with_the_performer_in_scene_14()
    day.do(
        "armorer",
        CountAndReconcile(("R-01", *THE_REST), (LotCount("D-01", 44), LotCount("B-01", 20))),
    )
    assert not day.state.incidents


def test_once_the_scene_wraps_a_firearm_still_with_the_performer_is_missing() -> None:
    day = revolver_with_the_performer_in_scene_14()
    day.do("first_ad", WrapScene("14"))
    out = day.state.out_for_scenes()
    assert (out.firearms, out.containers, out.rounds) == (frozenset(), frozenset(), {})
    day.do("armorer", CountAndReconcile(THE_REST, (LotCount("D-01", 44), LotCount("B-01", 20))))
    (incident,) = day.state.incidents.values()
    assert incident.category == "count-difference"
    assert "D-01" in incident.summary
    assert "50 on record" in incident.summary
    assert "R-01" in incident.summary
    assert "missing" in incident.summary
