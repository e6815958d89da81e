"""Wrap: a blind count, reconciled with the record; every difference an incident, in words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from floor_demo import Demo, demo_in_process, status, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def true_count(demo: Demo) -> dict[str, Any]:
    """The count a careful armorer makes: exactly what the record holds."""
    now = status(demo)
    form: dict[str, Any] = {
        "firearm": [
            f["tag"] for f in now["firearms"] if f["status"] == "active" and not f["out_for_scene"]
        ]
    }
    out_boxes = {box["tag"] for box in now["containers"] if box["out_for_scene"]}
    for lot in now["lots"]:
        out = sum(
            1
            for f in now["firearms"]
            if f["out_for_scene"]
            for held in f["positions"].values()
            if held == lot["tag"]
        ) + sum(n for box, n in lot["in_containers"].items() if box in out_boxes)
        on_hand = lot["in_box"] + lot["in_firearms"] + sum(lot["in_containers"].values()) - out
        if on_hand:
            form[f"lot-{lot['tag']}"] = str(on_hand)
        for box, rounds in lot["in_containers"].items():
            if box not in out_boxes:
                form[f"in-{box}-{lot['tag']}"] = str(rounds)
    return form


def test_a_difference_is_shown_in_red_and_in_words_and_recorded_as_an_incident(
    demo: Demo,
) -> None:
    armorer = demo.phone("marta")
    _, _, page = armorer.get(demo.page("wrap/"))
    assert "Gun belt BELT-1" in page
    form = true_count(demo)
    form["lot-D-01"] = str(int(form["lot-D-01"]) - 2)
    _, _, page = armorer.post(demo.page("wrap/"), form)
    words = text(page)
    assert "The count does not match the record" in words
    assert "Dummy lot D-01 By hand 62 On record 64 Result DIFFERENCE: 2 missing" in words
    assert "Incident incident-1 is open: count difference" in words
    assert '<dd class="diff">DIFFERENCE: 2 missing</dd>' in page
    assert "<table" not in page, "the result is cards, readable at phone width"
    assert f'<a href="{demo.page("stop/")}">Open the incident</a>' in page or (
        'href="' + demo.page("incidents/") in page
    ), "the result links to the incident it opened"
    incidents = [a for a in status(demo)["alerts"] if a.startswith("Incident incident-1")]
    assert incidents
    # The open difference stays on the wrap page, and holds firearm work on Today.
    _, _, page = armorer.get(demo.page("wrap/"))
    assert "Open count differences" in text(page)
    _, _, page = armorer.get(demo.page("today/"))
    assert "R-INCIDENT" in page


def test_a_count_that_matches_says_so_and_opens_no_incident(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("wrap/"))
    _, _, page = armorer.post(demo.page("wrap/"), true_count(demo))
    words = text(page)
    assert "The count matches the record" in words
    assert "Revolver R-02 By hand 1 On record 1 Result matches" in words
    assert "Incident" not in words


def test_what_performers_hold_for_the_running_scene_is_not_counted_now(demo: Demo) -> None:
    armorer = demo.phone("marta")
    _, _, page = armorer.get(demo.page("wrap/"))
    words = text(page)
    assert (
        "Out for a scene that is running, so not counted now: "
        "Revolver R-01, with Jo Carver (cast) for scene 34"
    ) in words
    assert "Gun belt BELT-1, with Jo Carver (cast) for scene 34" in words
    assert 'name="firearm" value="R-01"' not in page, "not on the list to tick"
    assert 'name="in-BELT-1-D-01"' not in page
    _, _, page = armorer.post(demo.page("wrap/"), true_count(demo))
    words = text(page)
    assert "The count matches the record" in words
    assert "Revolver R-01 By hand" not in words


def test_a_missing_firearm_and_an_empty_field(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("wrap/"))
    form = true_count(demo)
    form["firearm"] = [tag for tag in form["firearm"] if tag != "S-07"]
    del form["lot-D-04"]
    _, _, page = armorer.post(demo.page("wrap/"), form)
    assert "Count Dummy lot D-04 (every round, wherever it is) and write the number." in text(page)
    form["lot-D-04"] = "50"
    _, _, page = armorer.post(demo.page("wrap/"), form)
    assert "Shotgun S-07 By hand 0 On record 1 Result DIFFERENCE: 1 missing" in text(page)


def test_the_first_ad_sees_the_wrap_but_only_armorers_count(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    _, _, page = first_ad.get(demo.page("wrap/"))
    assert "The armorers count at wrap." in text(page)
    status_code, _, _ = first_ad.post(demo.page("wrap/"), true_count(demo))
    assert status_code == 403
