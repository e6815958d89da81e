"""The records of the second pass (a misfired round recovered, rounds handled by someone not
an armorer, a class found, a lot's maker) are sealed entries that another process, reading the
database, folds to the same holds: on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from staging import CHAMBERS, OnSet

from backends import ON_DATABASES
from showclear.core.commands import (
    HandOver,
    InspectFirearm,
    ReceiveLot,
    RecoverMisfire,
    ReportHandling,
    ReportMisfire,
    Return,
)

pytestmark = pytest.mark.parametrize(**ON_DATABASES)


def test_a_misfire_recovered_and_a_reloading_reported_hold_the_firearm_in_every_process(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear()
    on_set.do("armorer", HandOver("R-01", "performer", "12"))
    on_set.do("performer", ReportMisfire("R-01", "chamber 2", "12"))
    on_set.do("armorer", Return("R-01"))
    other = on_set.another_process("second-phone")
    assert other.state(on_set.production).firearms["R-01"].duds == ("chamber 2",)
    recovered = on_set.do("armorer", RecoverMisfire("R-01", "evidence", note="bagged"))
    assert next(e.kind for e in recovered.entries) == "misfire.round-recovered"
    on_set.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    on_set.do("first_ad", ReportHandling("performer", "reloaded", firearm="R-01", scene="12"))
    seen = other.state(on_set.production).firearms["R-01"]
    assert seen.duds == ()
    assert seen.misfire_at is None
    assert seen.handled is not None
    assert seen.class_found == "firing"
    assert on_set.service.verify(on_set.production).entries == on_set.size


def test_a_lot_s_maker_is_stored_and_read_back(on_set: OnSet) -> None:
    on_set.do(
        "armorer",
        ReceiveLot(
            "D-09", "dummy", ".45 Colt", 12, "Props", "wo 7", "2025-03-04", maker="production"
        ),
    )
    other = on_set.another_process("second-phone")
    assert other.state(on_set.production).lots["D-09"].maker == "production"
