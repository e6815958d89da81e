"""The status board: where everything is, and the custody gaps that raise an alarm."""

from __future__ import annotations

from shoot import shoot

from showclear.core.commands import PutIn, RegisterContainer, Unlock
from showclear.core.read.board import custody_gaps, where


def test_everything_is_somewhere_named() -> None:
    day = shoot()
    assert where(day.state, "R-01") == "in Armory safe SAFE-1 (locked)"
    assert where(day.state, "D-01") == "in Lockbox AMMO-1 (locked)"
    day.take_out("R-01")
    assert where(day.state, "R-01") == "with Hannah Reed (armorer)"
    assert custody_gaps(day.state) == []


def test_a_firearm_left_in_an_open_bag_is_a_custody_gap() -> None:
    day = shoot()
    day.do("armorer", RegisterContainer("BAG-1", "bag"))
    day.take_out("R-01")
    day.do("armorer", Unlock("BAG-1"))
    day.do("armorer", PutIn("BAG-1", "R-01"))
    assert custody_gaps(day.state) == ["Revolver R-01 is in open Bag BAG-1."]
