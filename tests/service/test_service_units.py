"""Units through the service and the databases: a firearm moved to the second unit by both
armorers is there after a restart (the state refolded from the stored ledger), and a unit's
STOP WORK stops only that unit in another process too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from staging import OnSet, person_id

from backends import BACKENDS
from showclear.core.commands import (
    ArriveOnSet,
    ConfirmReceipt,
    DispatchFirearm,
    HandOver,
    Lock,
    OpenUnit,
    StopWork,
    TakeOut,
    Unlock,
)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """What is stored must read back: the databases only."""
    return str(request.param)


def test_a_firearm_moved_to_the_second_unit_by_both_armorers_is_there_after_a_restart(
    new_set: Callable[[], OnSet],
) -> None:
    day = new_set()
    day.staff()
    day.stock()
    day.do("armorer", OpenUnit("second", "Second unit", "Quarry, 30 km north"))
    day.do("assistant_armorer", ArriveOnSet(person_id("assistant_armorer"), unit="second"))
    day.do("armorer", Unlock("SAFE-1"))
    day.do("armorer", TakeOut("SAFE-1", "R-01"))
    day.do("armorer", Lock("SAFE-1"))
    day.do("armorer", DispatchFirearm("R-01", "second", person_id("assistant_armorer")))
    refused = day.refuse("armorer", ConfirmReceipt("R-01"))
    assert refused.rule_ids == ("R-UNIT",)
    day.do("assistant_armorer", ConfirmReceipt("R-01"))

    restarted = day.another_process("after-restart")
    state = restarted.state(day.production)
    assert state.firearms["R-01"].holder == person_id("assistant_armorer")
    assert state.unit_of(state.firearms["R-01"]) == "second"
    assert state.units["second"].location == "Quarry, 30 km north"


def test_a_unit_stop_work_in_one_process_stops_that_unit_only_in_another(
    new_set: Callable[[], OnSet],
) -> None:
    day = new_set()
    day.staff()
    day.stock()
    day.schedule()
    day.do("armorer", OpenUnit("second", "Second unit", "Quarry, 30 km north"))
    other = day.another_process("phone-at-the-quarry")
    day.do("first_ad", StopWork("a horse bolted", unit="second"), service=other)
    state = day.state
    assert state.stoppage is None
    assert set(state.unit_stoppages) == {"second"}
    # Work at the main unit goes on: R-01 goes out for scene 12 there.
    day.revolver_shown_clear()
    day.do("armorer", HandOver("R-01", person_id("performer"), "12"))
    assert day.state.firearms["R-01"].holder == person_id("performer")
