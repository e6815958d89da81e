"""Provenance over recorded events, in the core (no store: entries are given as they would be
read through the mention index)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from showclear.core.events import Event, ProductionCreated, armory, on_set
from showclear.core.mentions import mentions, position_key
from showclear.core.read.trace import (
    BOX_MOVES,
    LOT_KINDS,
    Move,
    find_load,
    names_from,
    timeline,
    trace_round,
)
from showclear.core.state import Recorded

START = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
C1, C2 = "chamber 1", "chamber 2"


class Log:
    """Entries in order, one minute apart, and the index's view of them."""

    def __init__(self) -> None:
        self.entries: list[Recorded] = []

    def add(self, person: str, event: Event) -> Recorded:
        recorded = Recorded(
            len(self.entries), START + timedelta(minutes=len(self.entries)), person, "phone", event
        )
        self.entries.append(recorded)
        return recorded

    def naming(self, key_kind: str, key: str, kinds: tuple[str, ...] = ()) -> list[Recorded]:
        """What the mention index returns for one key."""
        return [
            r
            for r in self.entries
            if (key_kind, key) in mentions(r.event.kind, r.event.to_payload(), r.person_id)
            and (not kinds or r.event.kind in kinds)
        ]


def a_morning() -> Log:
    log = Log()
    log.add("hannah", ProductionCreated("Dust Road", "o", "hannah", "Hannah Reed", "k"))
    log.add("hannah", on_set.PersonAdded("jo", "Jo Carver", ("cast",)))
    log.add("hannah", on_set.PersonAdded("sam", "Sam Ortiz", ("assistant-armorer",)))
    log.add("hannah", armory.ContainerRegistered("AMMO-1", "lockbox", "ammo box"))
    log.add("hannah", armory.FirearmReceived("R-01", "SN1", "Colt", "SAA", "revolver", ".45",
                                             "firing", (C1, C2), "Rentals", "", None))  # fmt: skip
    log.add("hannah", armory.LotReceived("D-01", "dummy", ".45", 12, "Acme", "inv 9",
                                         "2025-03-01", "", (), "AMMO-1"))  # fmt: skip
    log.add("hannah", armory.RoundsVerified("D-01", 12, "rattle", "sam", 0))
    log.add("hannah", armory.LotTakenOut("D-01", "AMMO-1"))
    log.add("hannah", armory.FirearmLoaded("R-01", "D-01", (C1, C2), "14"))  # seq 8
    log.add("hannah", armory.LotStored("D-01", "AMMO-1"))
    log.add("hannah", armory.ShownClear("R-01", "14", "jo", "dana", "dummies", 2,
                                        (armory.Placement(C1, "D-01"), armory.Placement(C2, "D-01"))))  # fmt: skip
    log.add("hannah", armory.FirearmHandedOver("R-01", "jo", "14"))  # seq 11
    log.add("jo", on_set.DischargeReported("R-01", (C1,), False, "14", False, "", ("D-01",)))
    log.add("hannah", armory.FirearmReturned("R-01", "jo"))  # seq 13
    return log


def traced(log: Log, position: str, at: datetime):
    newest_first = log.naming("position", position_key("R-01", position))[::-1]
    load, after = find_load(newest_first, "R-01", position, at)
    assert load is not None
    return trace_round(
        firearm="R-01",
        position=position,
        at=at,
        load=load,
        after_load=after,
        firearm_before=None,
        firearm_entries=[r for r in log.naming("firearm", "R-01") if r.seq >= load.seq],
        lot_entries=log.naming("lot", "D-01", LOT_KINDS),
        lot_moves=[
            Move(r.seq, r.event.kind, r.person_id, str(getattr(r.event, "container", "") or ""))
            for r in log.naming("lot", "D-01", BOX_MOVES)
        ],
        moved={r.seq: r for r in log.entries},
        container_entries=log.naming("container", "AMMO-1"),
        other_overrides=[],
        firearm_received=log.entries[4],
        names=names_from(log.entries),
    )


def test_the_round_fired_from_chamber_one_names_its_load_lot_verification_and_witnesses() -> None:
    log = a_morning()
    found = traced(log, C1, START + timedelta(hours=1))

    assert (found.load.seq, found.lot, found.supplier, found.document) == (
        8,
        "D-01",
        "Acme",
        "inv 9",
    )
    assert found.fate is not None
    assert (found.fate.seq, found.fate.kind) == (12, "discharge.reported")
    assert [line.seq for line in found.seen] == [10]
    assert [(v.count, v.method, v.witness) for v in found.verifications] == [
        (12, "rattle", "Sam Ortiz (assistant armorer)")
    ]
    assert [(h.what, h.label, h.line.seq, h.last.seq, h.times) for h in found.holders] == [
        ("lot", "Lockbox AMMO-1", 5, 5, 1),
        ("lot", "Hannah Reed (armorer)", 7, 7, 1),
        ("firearm", "Jo Carver (cast)", 11, 11, 1),
        ("firearm", "Hannah Reed (armorer)", 13, 13, 1),
    ]
    assert [line.seq for line in found.lines] == [5, 6, 7, 8, 10, 11, 12, 13]


def test_the_round_still_in_chamber_two_has_no_fate_and_a_trace_stops_at_its_moment() -> None:
    log = a_morning()
    found = traced(log, C2, START + timedelta(minutes=11))  # just after the handover
    assert found.fate is None
    assert [h.line.seq for h in found.holders if h.what == "firearm"] == [11]
    assert max(line.seq for line in found.lines) == 11


def test_before_any_load_there_is_no_round_to_trace() -> None:
    log = a_morning()
    newest_first = log.naming("position", position_key("R-01", C1))[::-1]
    assert find_load(newest_first, "R-01", C1, START + timedelta(minutes=7))[0] is None


def test_a_timeline_keeps_the_entries_of_its_window_with_who_and_what_in_words() -> None:
    log = a_morning()
    names = names_from(log.entries)
    window = timeline("firearm R-01", "Revolver R-01", log.naming("firearm", "R-01"), names,
                      since=START + timedelta(minutes=10), until=START + timedelta(minutes=12))  # fmt: skip
    assert [(line.seq, line.category) for line in window.lines] == [
        (10, "show-clear"),
        (11, "custody"),
        (12, "discharge"),
    ]
    assert window.lines[1].text == "Handed to Jo Carver (cast) for scene 14."
    assert window.lines[2].recorded_by == "Jo Carver (cast)"
    assert "OUTSIDE A PLANNED TAKE" in window.lines[2].text


# -- a property: the load found is the last one at or before the moment, and its fate is right --

STEP = st.sampled_from(["load", "unload", "fire", "show"])


@given(steps=st.lists(STEP, max_size=30), moment=st.integers(0, 32))
def test_the_round_traced_is_the_last_one_loaded_and_its_fate_the_first_removal_after(
    steps: list[str], moment: int
) -> None:
    log = Log()
    log.add("hannah", armory.FirearmReceived("R-01", "S", "C", "M", "revolver", ".45", "firing",
                                             (C1,), "R", "", None))  # fmt: skip
    loaded = False
    model_load: int | None = None
    model_end: dict[int, int] = {}
    for step in steps:
        if step == "load" and not loaded:
            model_load = log.add("h", armory.FirearmLoaded("R-01", "D-01", (C1,), "14")).seq
            loaded = True
        elif step == "unload" and loaded:
            r = log.add("h", armory.FirearmUnloaded("R-01", (armory.Placement(C1, "D-01"),)))
            model_end.setdefault(model_load or 0, r.seq)
            loaded = False
        elif step == "fire" and loaded:
            r = log.add(
                "h", on_set.DischargeReported("R-01", (C1,), True, "14", False, "", ("D-01",))
            )
            model_end.setdefault(model_load or 0, r.seq)
            loaded = False
        elif step == "show":
            log.add("h", armory.ShownClear("R-01", "14", "jo", "dana", "dummies", int(loaded),
                                           (armory.Placement(C1, "D-01"),) if loaded else ()))  # fmt: skip
    at = START + timedelta(minutes=moment)
    loads = [r.seq for r in log.entries if r.event.kind == "firearm.loaded" and r.at <= at]
    newest_first = log.naming("position", position_key("R-01", C1))[::-1]
    load, after = find_load(newest_first, "R-01", C1, at)
    if not loads:
        assert load is None
        return
    assert load is not None
    assert load.seq == loads[-1]
    found = trace_round(firearm="R-01", position=C1, at=at, load=load, after_load=after,
                        firearm_before=None, firearm_entries=[], lot_entries=[],
                        lot_moves=[], moved={},
                        container_entries=[], other_overrides=[], firearm_received=None,
                        names=names_from([]))  # fmt: skip
    end = model_end.get(load.seq)
    expected = end if end is not None and log.entries[end].at <= at else None
    assert (found.fate.seq if found.fate else None) == expected
    assert all(load.seq < line.seq for line in found.seen)
    assert all(line.at <= at for line in found.lines)
