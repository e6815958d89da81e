"""The codes on QR labels: written and read back, typed by hand, junk refused."""

from __future__ import annotations

import pytest

from showclear.core.state import Container, Firearm, Lot, Person, ProductionState
from showclear.service.codes import (
    BADGE,
    CONTAINER,
    FIREARM,
    KINDS,
    LOT,
    Code,
    CodeError,
    Found,
    decode,
    encode,
    find,
)


def test_each_kind_is_written_with_its_letter() -> None:
    assert encode(FIREARM, "R-01") == "SC1:F:R-01"
    assert encode(LOT, "D-01") == "SC1:L:D-01"
    assert encode(CONTAINER, "SAFE-1") == "SC1:C:SAFE-1"
    assert encode(BADGE, "DI-B92A765541") == "SC1:B:DI-B92A765541"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", ["R-01", "belt 2", "A:B:C", "Ünter-7", "x" * 200])
def test_every_code_reads_back_as_written(kind: str, value: str) -> None:
    written = encode(kind, value)
    assert decode(written) == Code(kind, value)
    assert decode(written).text == written


def test_a_scanner_s_line_end_and_a_lower_case_prefix_are_read() -> None:
    assert decode("SC1:F:R-01\r\n") == Code(FIREARM, "R-01")
    assert decode("sc1:f:R-01") == Code(FIREARM, "R-01")


def test_a_tag_typed_by_hand_names_any_kind() -> None:
    assert decode("R-01") == Code(None, "R-01")
    assert decode("  SAFE-1 ") == Code(None, "SAFE-1")
    assert decode("R-01").text == "R-01"


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "SC1:X:R-01", "SC1:F:", "SC1:F", "SC1:", "SC1:F: ", "R\x0001", "x" * 201],
)
def test_junk_is_refused_with_a_sentence(junk: str) -> None:
    with pytest.raises(CodeError) as refused:
        decode(junk)
    assert str(refused.value).endswith(".")


def test_a_code_from_a_newer_showclear_is_refused_not_guessed() -> None:
    with pytest.raises(CodeError, match="newer Showclear"):
        decode("SC2:F:R-01")


def test_nothing_else_can_be_encoded() -> None:
    with pytest.raises(CodeError):
        encode("scene", "34")
    with pytest.raises(CodeError):
        encode(FIREARM, "")


BADGE_CODE = "K7Q2DX-XW4M3HD-KP7TR2A"
"""A badge code: its serial (on record) and its secret (never on record; checked by the
service, so the scan page opens a person only when the whole code checks out)."""


def a_production() -> ProductionState:
    state = ProductionState.empty()
    state.firearms["R-01"] = Firearm(
        "R-01", "S1", "Colt", "SAA", "revolver", ".45 Colt", "blank-adapted", ("1",), "Rentals"
    )
    state.lots["D-01"] = Lot(
        "D-01", "dummy", ".45 Colt", "", (), 50, "Supplier", "doc", "2026-10-01", 50, 0
    )
    state.containers["SAFE-1"] = Container("SAFE-1", "armory-safe", "", "person-1")
    state.people["person-1"] = Person("person-1", "Marta Velez", frozenset({"armorer"}), "K7Q2DX")
    state.people["person-2"] = Person("person-2", "Jo Carver", frozenset({"cast"}), "")
    return state


def test_each_code_finds_what_it_names() -> None:
    state = a_production()
    assert find(state, decode("SC1:F:R-01")) == [Found(FIREARM, "R-01")]
    assert find(state, decode("SC1:L:D-01")) == [Found(LOT, "D-01")]
    assert find(state, decode("SC1:C:SAFE-1")) == [Found(CONTAINER, "SAFE-1")]
    assert find(state, decode(f"SC1:B:{BADGE_CODE}")) == [Found(BADGE, "person-1")]


def test_a_typed_tag_finds_its_thing_whatever_the_case() -> None:
    state = a_production()
    assert find(state, decode("R-01")) == [Found(FIREARM, "R-01")]
    assert find(state, decode("safe-1")) == [Found(CONTAINER, "SAFE-1")]
    assert find(state, decode(BADGE_CODE.lower())) == [Found(BADGE, "person-1")]


def test_a_code_of_one_kind_never_opens_another_kind() -> None:
    state = a_production()
    assert find(state, decode("SC1:L:R-01")) == []
    assert find(state, decode(f"SC1:F:{BADGE_CODE}")) == []


def test_an_unknown_code_finds_nothing_and_an_empty_badge_matches_no_one() -> None:
    state = a_production()
    assert find(state, decode("R-99")) == []
    assert find(state, Code(BADGE, "")) == []


def test_a_typed_value_that_is_both_a_tag_and_a_badge_finds_both() -> None:
    state = a_production()
    firearm = state.firearms.pop("R-01")
    state.firearms[BADGE_CODE] = firearm
    assert find(state, decode(BADGE_CODE)) == [
        Found(FIREARM, BADGE_CODE),
        Found(BADGE, "person-1"),
    ]
