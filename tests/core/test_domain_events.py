"""Events and commands of the domain core: stable kinds, JSON payloads, and a pure decider."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from showclear.core.commands import AddPerson, CreateProduction, ReceiveLot
from showclear.core.decide import Context, decide
from showclear.core.events import (
    EVENT_TYPES,
    ProductionCreated,
    UnknownEventError,
    event_from,
)
from showclear.core.events.armory import FirearmInspected, Placement
from showclear.core.events.on_set import BlankFire, ScenePlanned
from showclear.core.ledger.entry import KIND_PATTERN
from showclear.core.state import Recorded, evolve, initial

NOON = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def test_every_event_kind_is_a_dotted_lower_case_name() -> None:
    assert len(EVENT_TYPES) > 40
    for kind, event_type in EVENT_TYPES.items():
        assert KIND_PATTERN.match(kind), kind
        assert event_type.kind == kind
        assert event_type.__doc__


def test_the_first_event_keeps_its_kind_and_fields() -> None:
    created = ProductionCreated("Dust Road", "origin", "person-1", "Hannah Reed", "key")
    assert created.kind == "production.created"
    assert created.to_payload() == {
        "name": "Dust Road",
        "origin": "origin",
        "armorer_id": "person-1",
        "armorer_name": "Hannah Reed",
        "verifier_key": "key",
    }


def test_nested_values_travel_as_plain_json_and_come_back_as_themselves() -> None:
    inspected = FirearmInspected("R-01", ("chamber 1",), True, (Placement("chamber 1", "D-01"),))
    assert inspected.to_payload()["contents"] == [{"position": "chamber 1", "lot": "D-01"}]
    assert event_from(inspected.kind, inspected.to_payload()) == inspected
    planned = ScenePlanned(
        "21",
        "day-1",
        "Street",
        ("R-02",),
        ("p",),
        (),
        "hot",
        2,
        BlankFire(800, False, False, True, True),
        (),
    )
    assert event_from(planned.kind, planned.to_payload()) == planned


def test_an_unknown_kind_is_named_in_the_error() -> None:
    with pytest.raises(UnknownEventError, match=r"firearm\.teleported"):
        event_from("firearm.teleported", {})


def test_decide_never_changes_the_state_it_reads() -> None:
    state = initial()
    context = Context("armorer", "phone", NOON)
    for seq, event in enumerate(
        decide(state, CreateProduction("Dust Road", "o", "armorer", "Hannah Reed", "k"), context)
    ):
        evolve(state, Recorded(seq, NOON, "armorer", "phone", event))
    before = copy.deepcopy(state)
    events = decide(state, AddPerson("Jo Carver", ("cast",), "badge-1"), context)
    events += decide(
        state, ReceiveLot("D-01", "dummy", ".45 Colt", 50, "Acme", "inv 1", "2025-03-01"), context
    )
    assert state == before
    assert [e.kind for e in events] == ["person.added", "lot.received"]
