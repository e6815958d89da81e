"""The words layer (core/words.py): every kind of entry has its own sentence, made in one place."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from showclear.core.events import EVENT_TYPES, Event, armory, on_set
from showclear.core.read.sentences import ABOUT_THE_FIREARM, SENTENCES, Names, said, unsaid
from showclear.core.state import Container, Person, Recorded
from showclear.core.words import clock, described, full_stamp, stamp

AT = datetime(2025, 3, 4, 8, 1, 0, tzinfo=UTC)
NAMES = Names(
    {"jo": Person("jo", "Jo Carver", frozenset({"cast"}))},
    {"SAFE-1": Container("SAFE-1", "armory-safe", "", "armorer")},
)


def _recorded(event: Event) -> Recorded:
    return Recorded(seq=7, at=AT, person_id="armorer", device="", event=event)


def test_every_event_kind_has_its_own_sentence() -> None:
    unsaid_kinds = sorted(kind for kind, cls in EVENT_TYPES.items() if cls not in SENTENCES)
    assert unsaid_kinds == [], "write their sentences in SENTENCES, src/showclear/core/words.py"
    assert set(SENTENCES) == set(EVENT_TYPES.values())
    assert set(ABOUT_THE_FIREARM) <= set(SENTENCES)


@pytest.mark.parametrize("kind", sorted(EVENT_TYPES))
# Each of the 57 kinds is tried with 15 random contents in CI, 3 in the fast local loop (the
# profile's max_examples: 100 in CI, 20 locally; see tests/conftest.py).
@settings(max_examples=max(3, settings.default.max_examples * 15 // 100), deadline=None)
@given(data=st.data())
def test_every_kind_says_a_sentence_of_its_own_whatever_it_holds(
    kind: str, data: st.DataObject
) -> None:
    event = data.draw(st.from_type(EVENT_TYPES[kind]))
    for about_the_firearm in (False, True):
        text = said(_recorded(event), NAMES, about_the_firearm=about_the_firearm)
        assert text.strip()
        assert text != unsaid(event)


def test_a_kind_without_a_sentence_would_only_be_named() -> None:
    class Unknown(on_set.BreakEnded):
        kind = "something.happened"

    assert said(_recorded(Unknown()), NAMES) == "Something happened."


def test_a_few_of_the_new_sentences_name_who_and_what() -> None:
    assert said(_recorded(on_set.ArrivedOnSet("jo")), NAMES) == "Jo Carver (cast) arrived on set."
    assert said(_recorded(armory.ContainerLocked("SAFE-1")), NAMES) == "Armory safe SAFE-1 locked."
    assert said(_recorded(on_set.SceneStarted("14")), NAMES) == (
        "Scene 14 started: firearm work began."
    )
    assert said(_recorded(on_set.BreakCalled("lunch", ("R-01",), ("D-01",))), NAMES) == (
        "Break called (lunch). Not locked away, so before use: inspect R-01, re-verify lot D-01."
    )


def test_the_firearm_record_says_only_what_happened_to_the_firearm() -> None:
    fired = on_set.DischargeReported("R-01", ("chamber 1",), True, "14", False, "", ("B-01",))
    assert said(_recorded(fired), NAMES, about_the_firearm=True) == (
        "Fired from chamber 1 in a planned take for scene 14."
    )
    assert said(_recorded(fired), NAMES).startswith("R-01 fired from chamber 1")


def test_times_are_said_one_way_each() -> None:
    assert stamp(AT) == "Mar 04 08:01 UTC"
    assert full_stamp(AT) == "2025-03-04 08:01:00 UTC"
    assert clock(AT) == "08:01 UTC"


def test_a_condition_is_said_the_same_everywhere() -> None:
    assert described(("cold", 0)) == "cold"
    assert described(("dummies", 6)) == "dummies (6)"
    assert described(("hot", 1)) == "hot (1 blank)"
    assert described(("hot", 2)) == "hot (2 blanks)"
    assert described(("mixed", 3)) == "dummies and blanks MIXED (3 rounds)"
