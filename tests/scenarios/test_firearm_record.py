"""A firearm's own record (every entry naming it, who held it from when to when) and the two
one-record moves of the firearm page: lock a firearm away, draw it from its container."""

from __future__ import annotations

from shoot import CHAMBERS, shoot

from showclear.core.commands import (
    DrawFirearm,
    HandOver,
    InspectFirearm,
    Load,
    LockAway,
    Return,
)
from showclear.core.events.armory import (
    ContainerLocked,
    ContainerUnlocked,
    FirearmStored,
    FirearmTakenOut,
)


def test_drawing_a_firearm_from_a_locked_safe_unlocks_takes_out_and_locks_again() -> None:
    day = shoot()
    events = day.do("armorer", DrawFirearm("R-01"))
    assert [type(e) for e in events] == [ContainerUnlocked, FirearmTakenOut, ContainerLocked]
    assert day.state.firearms["R-01"].holder == "armorer"
    assert day.state.containers["SAFE-1"].locked


def test_a_loaded_firearm_is_not_locked_away_and_the_safe_stays_as_it_was() -> None:
    day = shoot()
    day.ready("14")
    day.do("armorer", DrawFirearm("R-01"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    refused = day.refuse("armorer", LockAway("R-01", "SAFE-1"))
    assert [v.rule_id for v in refused.violations] == ["R-LOCKED"]
    assert "unload it before it is locked away" in refused.violations[0].message
    assert day.state.containers["SAFE-1"].locked
    refused = day.refuse("armorer", LockAway("R-01", "BELT-1"))
    assert "never a firearm" in str(refused)


def test_only_the_firearm_in_hand_is_locked_away_and_the_container_ends_locked() -> None:
    day = shoot()
    day.do("armorer", DrawFirearm("R-01"))
    refused = day.refuse("armorer", LockAway("R-02", "SAFE-1"))
    assert [v.rule_id for v in refused.violations] == ["R-CUSTODY"]
    events = day.do("armorer", LockAway("R-01", "SAFE-1"))
    assert [type(e) for e in events] == [ContainerUnlocked, FirearmStored, ContainerLocked]
    assert day.state.firearms["R-01"].container == "SAFE-1"
    assert day.state.containers["SAFE-1"].locked


def test_a_firearm_keeps_every_entry_naming_it_and_who_held_it_from_when_to_when() -> None:
    day = shoot()
    day.ready("12")
    day.do("armorer", DrawFirearm("R-01"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.do("armorer", HandOver("R-01", "performer", "12"))
    day.at("09:30")
    day.do("armorer", Return("R-01"))
    firearm = day.state.firearms["R-01"]
    kinds = [entry.event.kind for entry in firearm.history]
    assert kinds[0] == "firearm.received"
    assert kinds[-5:] == [
        "firearm.taken-out",
        "firearm.inspected",
        "firearm.shown-clear",
        "firearm.handed-over",
        "firearm.returned",
    ]
    assert all(entry.event.kind.startswith("firearm.") for entry in firearm.history)
    stretches = [(c.holder, c.container) for c in firearm.custody]
    assert stretches == [
        ("armorer", None),
        (None, "SAFE-1"),
        ("armorer", None),
        ("performer", None),
        ("armorer", None),
    ]
    assert all(c.end is not None for c in firearm.custody[:-1])
    assert firearm.custody[-1].end is None
    performer = firearm.custody[3]
    assert performer.end is not None
    assert performer.end.strftime("%H:%M") == "09:30"
    assert not day.state.firearms["R-02"].history[-1].event.kind.startswith("firearm.shown")
