"""A changed plan is a ledger entry like any other: recorded on SQLite and PostgreSQL, folded
back by another process (which then refuses what the first would), and a substitution refused
through the service records nothing."""

from __future__ import annotations

import pytest
from staging import OnSet, person_id

from backends import BACKENDS
from showclear.core.commands import HandOver, HoldSafetyMeeting, ReplanScene
from showclear.core.decide import Refused


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Folding an entry back from the database is the point: the databases only."""
    return str(request.param)


def stunt_only() -> ReplanScene:
    return ReplanScene("12", "day-1", "Saloon stand-off", ("R-01",), ("stunt",), "cold", "recast")


def test_a_changed_plan_is_folded_back_by_another_process_with_its_meeting_void(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear("stunt")
    on_set.do("first_ad", stunt_only())
    other = on_set.another_process("set-phone")
    scene = other.state(on_set.production).scenes["12"]
    assert scene.performers == ("stunt",)
    assert scene.changed is not None
    assert scene.changed.reason == "recast"
    with pytest.raises(Refused) as refused:
        other.execute(
            on_set.production, HandOver("R-01", "stunt", "12"), person_id=person_id("armorer")
        )
    assert refused.value.rule_ids == ("R-MEETING",)
    on_set.do(
        "first_ad",
        HoldSafetyMeeting("12", (person_id("armorer"), "first_ad", "stunt"), ("action",)),
    )
    on_set.do("armorer", HandOver("R-01", "stunt", "12"), service=other)
    assert on_set.state.firearms["R-01"].holder == "stunt"


def test_a_performer_the_changed_plan_no_longer_names_is_refused_and_nothing_is_recorded(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear("performer")
    on_set.do("first_ad", stunt_only())
    refused = on_set.refuse("armorer", HandOver("R-01", "performer", "12"))
    assert "R-PLAN" in refused.rule_ids
    assert "Scene 12's plan does not name Jo Carver (cast) (it names Lee Marsh" in str(refused)
