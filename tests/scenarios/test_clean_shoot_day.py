"""A clean, complete shoot day: every step of the protocol, no refusal, no warning."""

from __future__ import annotations

from shoot import CHAMBERS, shoot

from showclear.core.commands import (
    CountAndReconcile,
    HandOver,
    InspectFirearm,
    Load,
    Lock,
    LotCount,
    PutIn,
    ReportDischarge,
    Return,
    TakeOut,
    Unload,
    Unlock,
    WrapScene,
)
from showclear.core.events.armory import FirearmHandedOver, ShownClear


def test_a_clean_shoot_day_records_every_step_with_no_refusal_and_no_warning() -> None:
    day = shoot()

    # Scene 14: six verified dummies, shown loaded, handed over, taken back, unloaded.
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    assert day.state.firearms["R-01"].holder == "performer"
    day.at("09:30")
    day.do("armorer", Return("R-01"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unload("R-01"))
    day.do("armorer", PutIn("AMMO-1", "D-01"))
    day.do("armorer", Lock("AMMO-1"))
    day.do("armorer", Unlock("SAFE-1"))
    day.do("armorer", PutIn("SAFE-1", "R-01"))
    day.do("armorer", Lock("SAFE-1"))
    day.do("first_ad", WrapScene("14"))

    # Scene 21: two blanks, shown hot, fired in the take, inspected after firing.
    day.ready("21")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "B-01"))
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
    day.show("R-02", "21", "hot", 2)
    day.do("armorer", HandOver("R-02", "performer", "21"))
    day.do("performer", ReportDischarge("R-02", CHAMBERS[:2], planned=True, scene="21"))
    day.do("armorer", Return("R-02"))
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", PutIn("AMMO-1", "B-01"))
    day.do("armorer", Lock("AMMO-1"))
    day.do("armorer", Unlock("SAFE-1"))
    day.do("armorer", PutIn("SAFE-1", "R-02"))
    day.do("armorer", Lock("SAFE-1"))
    day.do("first_ad", WrapScene("21"))

    # Wrap: every firearm and round counted, and the count balances.
    day.at("18:00")
    day.do(
        "armorer",
        CountAndReconcile(
            ("R-01", "R-02", "W-03", "S-04", "P-05"),
            (LotCount("D-01", 50), LotCount("B-01", 18)),
        ),
    )

    assert day.warnings() == []
    assert not day.state.incidents
    assert len(day.events(FirearmHandedOver)) == 2
    assert [e.condition for e in day.events(ShownClear)] == ["dummies", "hot"]
    assert day.state.lots["B-01"].fired == 2
    assert all(f.container == "SAFE-1" for f in day.state.firearms.values())
    assert all(c.locked for c in day.state.containers.values())
