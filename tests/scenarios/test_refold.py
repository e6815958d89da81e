"""The state is a fold of the ledger: the same entries always give the same state, every event
survives its trip through a JSON payload, and a long ledger refolds to where its last cycle
left it. How fast it refolds is measured in ``bench/commands.py`` (b), not timed here."""

from __future__ import annotations

import json

from shoot import CHAMBERS, OnSet, shoot

from showclear.core.commands import (
    CallBreak,
    Complain,
    HandOver,
    InspectFirearm,
    Load,
    Lock,
    PutIn,
    ReportFoundRound,
    Return,
    StopWork,
    TakeOut,
    Unload,
    Unlock,
)
from showclear.core.events import event_from
from showclear.core.ledger.entry import KIND_PATTERN, canonical_json
from showclear.core.state import Recorded, fold


def a_round_trip(day: OnSet) -> None:
    """R-01 out for scene 14 and back in the safe: the state ends where it began."""
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    day.do("armorer", Return("R-01"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unload("R-01"))
    day.do("armorer", PutIn("AMMO-1", "D-01"))
    day.do("armorer", Lock("AMMO-1"))
    day.do("armorer", Unlock("SAFE-1"))
    day.do("armorer", PutIn("SAFE-1", "R-01"))
    day.do("armorer", Lock("SAFE-1"))


def test_a_restarted_process_rebuilds_the_same_state_from_the_ledger() -> None:
    day = shoot()
    day.ready("14")
    a_round_trip(day)
    reread = [
        Recorded(
            e.seq,
            e.at,
            e.person_id,
            e.device,
            event_from(e.event.kind, json.loads(json.dumps(e.event.to_payload()))),
        )
        for e in day.log
    ]
    assert fold(reread) == day.state


def test_every_recorded_payload_is_canonical_json_and_reads_back_as_the_same_event() -> None:
    day = shoot()
    day.ready("14")
    a_round_trip(day)
    day.do("camera", Complain("the rifle was left on the table"))
    day.do("first_ad", CallBreak("meal"))
    day.do("performer", ReportFoundRound("live", "in a coat pocket"))
    day.do("first_ad", StopWork("live round found", lockdown=True))
    kinds = {entry.event.kind for entry in day.log}
    assert len(kinds) >= 30
    for entry in day.log:
        payload = entry.event.to_payload()
        canonical_json(payload)  # raises on floats and anything else JSON cannot hold
        assert KIND_PATTERN.match(entry.event.kind)
        assert event_from(entry.event.kind, payload) == entry.event


def test_refolding_ten_thousand_entries_ends_where_the_last_round_trip_left_the_revolver() -> None:
    day = shoot()
    day.ready("14")
    start = len(day.log)
    a_round_trip(day)
    prefix, cycle = day.log[:start], day.log[start:]
    entries = list(prefix)
    while len(entries) < 10_000:
        entries += [
            Recorded(len(entries) + i, e.at, e.person_id, e.device, e.event)
            for i, e in enumerate(cycle)
        ]
    state = fold(entries)
    assert state.seq == len(entries) - 1
    assert state.firearms["R-01"].container == "SAFE-1"
    assert state.lots["D-01"].stock == 50
    assert state == fold(list(entries))
