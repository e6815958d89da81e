"""Ledgers written before the second pass of the safety protocol still read and fold: a lot
received without a maker is of unknown making, an inspection without a class found records
none, and the new kinds read back from their payloads."""

from __future__ import annotations

from dataclasses import asdict

from showclear.core.events import EVENT_TYPES, event_from
from showclear.core.events.armory import FirearmInspected, LotReceived
from showclear.core.events.on_set import HandlingReported, MisfiredRoundRecovered


def test_a_lot_received_before_the_maker_was_asked_is_of_unknown_making() -> None:
    old = {
        "tag": "D-01", "lot_kind": "dummy", "calibre": ".45 Colt", "count": 50,
        "supplier": "Acme", "document": "inv 1", "delivered_on": "2025-03-01", "load": "",
        "for_firearms": [], "container": None,
    }  # fmt: skip
    lot = event_from("lot.received", old)
    assert isinstance(lot, LotReceived)
    assert lot.maker == "unknown"


def test_an_inspection_before_classes_were_found_records_no_class() -> None:
    old = {"firearm": "R-01", "positions_checked": ["chamber 1"], "barrel_clear": True,
           "contents": []}  # fmt: skip
    inspected = event_from("firearm.inspected", old)
    assert isinstance(inspected, FirearmInspected)
    assert inspected.firearm_class == ""


def test_the_new_kinds_are_known_and_read_back_from_their_payloads() -> None:
    for event in (
        MisfiredRoundRecovered("R-01", "chamber 1", "B-01", "container", "AMMO-1", ""),
        HandlingReported("incident-1", "jo", "reloaded", "R-01", "", "14", "take 3"),
    ):
        assert EVENT_TYPES[event.kind] is type(event)
        assert event_from(event.kind, asdict(event)) == event
