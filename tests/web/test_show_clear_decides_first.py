"""The show-clear asks the core before the phone is handed over, shows only the condition on
record, and records with its handover in one answer; the load form for a firearm no scene
plans offers nothing it would refuse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, status, text

CHAMBERS = [f"chamber {n}" for n in range(1, 7)]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def act(phone: object, demo: Demo, tag: str, **fields: object) -> str:
    return text(phone.post(demo.page(f"firearm/{tag}/act/"), fields)[2])  # type: ignore[attr-defined]


def test_a_wrong_condition_is_refused_before_anyone_confirms(demo: Demo) -> None:
    marta = demo.phone("marta")
    act(marta, demo, "R-01", action="take-back")
    act(marta, demo, "R-01", action="inspect-all")
    act(marta, demo, "R-01", action="unload")  # now cold; scene 34 plans dummies (6)
    page = marta.get(demo.page("firearm/R-01/show/"))[2]
    assert 'name="announced"' not in page, "the condition is the record's, never typed"
    assert "Holds, on record: COLD" in text(page)
    before = status(demo)["entries"]
    words = text(
        marta.post(
            demo.page("firearm/R-01/show/"),
            {
                "step": "show",
                "to": f"{demo.person_id('Jo Carver')}@34",
                "first_ad": demo.person_id("Dana Hale"),
                "hand_over": "yes",
            },
        )[2]
    )
    assert "Not recorded" in words
    assert "R-PLAN" in words or "R-SHOW-CLEAR" in words, words
    assert words.count("Nothing was recorded") == 1
    assert "Hand the phone to" not in words, "nobody is asked to confirm"
    assert status(demo)["entries"] == before


def test_a_scene_not_started_is_said_before_the_phone_is_handed_over(demo: Demo) -> None:
    marta = demo.phone("marta")
    act(marta, demo, "R-05", action="draw")
    act(marta, demo, "R-05", action="inspect-all")
    before = status(demo)["entries"]
    words = text(
        marta.post(
            demo.page("firearm/R-05/show/"),
            {
                "step": "show",
                "to": f"{demo.person_id('Kit Brannigan')}@36",
                "first_ad": demo.person_id("Dana Hale"),
                "hand_over": "yes",
            },
        )[2]
    )
    assert "Not recorded" in words
    refusal = words[words.index("Not recorded") :]
    assert "R-HANDLING Scene 36 has not started" in refusal
    assert "R-MEETING" in refusal
    assert "Hand the phone to" not in words
    assert status(demo)["entries"] == before


def test_the_load_form_of_a_firearm_no_scene_plans_selects_no_lot_and_says_what_to_do(
    demo: Demo,
) -> None:
    marta = demo.phone("marta")
    act(marta, demo, "R-02", action="draw")
    page = marta.get(demo.page("firearm/R-02/"))[2]
    assert 'name="lot" value="B-01" checked' not in page
    assert "No scene plans Revolver R-02, so nothing may be loaded into it" in text(page)
    before = status(demo)["entries"]
    words = act(marta, demo, "R-02", action="load", lot="D-04", position=CHAMBERS)
    assert "There is no scene ''" not in words
    assert "Choose the scene the rounds are loaded for" in words
    assert status(demo)["entries"] == before


def test_a_refused_inspection_keeps_every_tick(demo: Demo) -> None:
    marta = demo.phone("marta")
    act(marta, demo, "R-01", action="take-back")
    page = marta.post(
        demo.page("firearm/R-01/act/"),
        {"action": "inspect", "position": CHAMBERS[:4], "barrel": "clear"},
    )[2]
    assert "Not recorded" in text(page)
    assert '<details class="fa-act" open>' in page
    for chamber in CHAMBERS[:4]:
        assert f'value="{chamber}" checked' in page
    assert f'value="{CHAMBERS[4]}" checked' not in page
    assert 'value="clear" required checked' in page
