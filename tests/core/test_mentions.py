"""What an entry names, decided from the entry alone (core/mentions.py)."""

from __future__ import annotations

import dataclasses
import typing

from hypothesis import given
from hypothesis import strategies as st

from showclear.core.events import EVENT_TYPES, armory, on_set
from showclear.core.mentions import (
    KEY_KINDS,
    NAMES_NOTHING,
    field_names,
    mentions,
    position_key,
)


def _fields_of(cls: type, seen: set[type]) -> list[tuple[str, str]]:
    """(class name, field name) of every field of an event, nested dataclasses included."""
    if cls in seen:
        return []
    seen.add(cls)
    found = []
    hints = typing.get_type_hints(cls)
    for each in dataclasses.fields(cls):
        found.append((cls.__name__, each.name))
        for inner in typing.get_args(hints[each.name]) or (hints[each.name],):
            for nested in typing.get_args(inner) or (inner,):
                if isinstance(nested, type) and dataclasses.is_dataclass(nested):
                    found += _fields_of(nested, seen)
    return found


def test_every_field_of_every_event_either_names_something_or_is_known_to_name_nothing() -> None:
    seen: set[type] = set()
    unclassified = [
        f"{owner}.{name}"
        for cls in EVENT_TYPES.values()
        for owner, name in _fields_of(cls, seen)
        if not field_names(name) and name not in NAMES_NOTHING
    ]
    assert unclassified == [], (
        "classify these fields in src/showclear/core/mentions.py (a kind of thing they name, or "
        "NAMES_NOTHING) so the mention index knows them"
    )


def _named(event: object, person: str = "armorer") -> frozenset[tuple[str, str]]:
    assert isinstance(event, armory.Event)
    return mentions(event.kind, event.to_payload(), person)


def test_a_handover_names_the_firearm_the_performer_the_scene_the_armorer_and_its_kind() -> None:
    assert _named(armory.FirearmHandedOver("R-01", "jo", "14")) == {
        ("firearm", "R-01"),
        ("person", "jo"),
        ("person", "armorer"),
        ("scene", "14"),
        ("kind", "firearm.handed-over"),
    }


def test_a_load_names_each_position_it_filled_and_the_lot() -> None:
    named = _named(armory.FirearmLoaded("R-01", "D-01", ("chamber 1", "chamber 2"), "14"))
    assert ("lot", "D-01") in named
    assert ("position", position_key("R-01", "chamber 1")) in named
    assert ("position", position_key("R-01", "chamber 2")) in named
    assert ("position", position_key("R-01", "chamber 3")) not in named


def test_a_show_clear_names_the_positions_it_showed_holding_rounds_and_both_witnesses() -> None:
    shown = armory.ShownClear(
        "R-01", "14", "jo", "dana", "dummies", 1, (armory.Placement("chamber 4", "D-01"),)
    )
    named = _named(shown)
    assert {("person", "jo"), ("person", "dana"), ("lot", "D-01")} <= named
    assert ("position", position_key("R-01", "chamber 4")) in named


def test_an_unplanned_discharge_names_its_positions_and_the_lots_fired() -> None:
    named = _named(
        on_set.DischargeReported("R-01", ("chamber 1",), False, "14", True, "on the pew", ("D-1",))
    )
    assert ("lot", "D-1") in named
    assert ("position", position_key("R-01", "chamber 1")) in named


def test_a_receipt_names_its_own_tag_and_the_container_it_went_into() -> None:
    lot = armory.LotReceived(
        "D-01", "dummy", ".45 Colt", 50, "Acme", "inv 1", "2025-03-01", "", ("R-01",), "AMMO-1"
    )
    assert {("lot", "D-01"), ("firearm", "R-01"), ("container", "AMMO-1")} <= _named(lot)
    box = armory.ContainerRegistered("SAFE-1", "armory-safe", "truck safe")
    assert ("container", "SAFE-1") in _named(box)
    assert ("firearm", "R-01") not in _named(armory.FirearmInspected("R-02", (), True, ()))


def test_a_count_names_every_lot_in_its_tallies_and_every_firearm_expected() -> None:
    count = armory.CountReconciled(
        ("R-01", "R-02"), ("R-01",), (armory.LotTally("D-01", 50, 49),), False
    )
    assert {("firearm", "R-01"), ("firearm", "R-02"), ("lot", "D-01")} <= _named(count)


def test_an_override_names_its_subject_as_every_kind_it_could_be() -> None:
    named = _named(on_set.RuleOverridden("R-INSPECT", "R-02", "inspected on camera"))
    for kind in ("firearm", "lot", "container", "person", "scene", "subject"):
        assert (kind, "R-02") in named


def test_an_entry_of_a_kind_this_version_does_not_know_is_indexed_by_its_field_names() -> None:
    named = mentions(
        "evidence.sealed", {"firearm": "R-09", "sealed_by": "ines", "note": "bag 4"}, "pat"
    )
    assert {("firearm", "R-09"), ("person", "ines"), ("person", "pat")} <= named
    assert ("kind", "evidence.sealed") in named


def test_empty_strings_name_nothing() -> None:
    named = _named(on_set.RoundFound("live", "prop table", "", "", "", ""), person="")
    assert named == {("kind", "round.found")}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)


@given(
    kind=st.sampled_from(sorted(EVENT_TYPES)),
    payload=st.dictionaries(
        st.sampled_from(["firearm", "lots", "to", "subject", "position", "x_id", "tag", "note"])
        | st.text(max_size=10),
        JSON,
        max_size=6,
    ),
    person=st.text(max_size=6),
)
def test_every_mention_has_a_known_kind_and_a_non_empty_key(
    kind: str, payload: dict[str, object], person: str
) -> None:
    named = mentions(kind, payload, person)
    assert ("kind", kind) in named
    assert all(key_kind in KEY_KINDS and key for key_kind, key in named)
    assert named == mentions(kind, dict(payload), person)  # from the entry alone, every time
