"""Today: the readiness board of the day's scenes, through Django's test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, login_for, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def test_today_tells_the_first_ad_which_scene_is_ready_and_why_not(demo: Demo) -> None:
    status, _, page = demo.phone("dana").get(demo.page("today/"))
    assert status == 200
    words = text(page)
    # The demo's shoot days are in the past: the latest day with scenes is shown, and said so.
    assert "No scenes are planned for today" in words
    assert "Showing shoot day day-2 (2026-10-14), the latest with scenes" in words
    # Scene 34 runs with both revolvers out to their performers, loaded with dummies.
    scene_34 = words.split("Scene 34: Showdown at the livery")[1].split("Scene 36")[0]
    assert "READY Scene 34" in words
    assert "Revolver R-01 for Jo Carver (cast)" in scene_34
    assert "Custodian with Jo Carver (cast)" in scene_34
    assert "Condition DUMMIES (6)" in scene_34
    assert "Inspected Oct 14 10:21 MDT by Marta Velez (armorer)" in scene_34
    assert "Handed over for this scene" in scene_34
    # Scene 36 is not ready, and every reason says its rule and what to do.
    assert "NOT READY Scene 36: Night raid on the mission" in words
    scene_36 = words.split("Scene 36: Night raid on the mission")[1]
    assert "R-MEETING blocks: No safety meeting is on record for scene 36" in scene_36
    assert "Condition COLD" in scene_36
    assert "Missing before handover:" in scene_36
    assert "R-CUSTODY blocks: Revolver R-05 is in Armory safe SAFE-1" in scene_36
    assert "R-SHOW-CLEAR blocks: Revolver R-05 has not been shown cold to Kit Brannigan" in scene_36
    # Colour is never alone: the verdict is a word in a coloured frame.
    assert '<span class="verdict not-ready">NOT READY</span>' in page
    assert '<span class="verdict ready">READY</span>' in page


def test_another_shoot_day_can_be_chosen(demo: Demo) -> None:
    _, _, page = demo.phone("dana").get(demo.page("today/?day=day-1"))
    words = text(page)
    assert "Showing shoot day day-1 (2026-10-13)" in words
    assert "Scene 12: Saloon stand-off" in words
    assert "WRAPPED Scene 23: The coach ambush" in words


def test_the_kept_board_follows_the_day_asked_for_back_and_forth(demo: Demo) -> None:
    # The board's parts are kept per day asked for (the query is part of their key): asking
    # for one day, then none, then the first again never shows another day's board.
    phone = demo.phone("dana")
    for asked, shown in [("?day=day-1", "day-1"), ("", "day-2"), ("?day=day-1", "day-1")] * 2:
        words = text(phone.get(demo.page(f"today/{asked}"))[2])
        assert f"Showing shoot day {shown} " in words
        assert ("Scene 12: Saloon stand-off" in words) == (shown == "day-1")


def test_the_board_refreshes_itself_with_only_the_scenes(demo: Demo) -> None:
    phone = demo.phone("marta")
    _, _, page = phone.get(demo.page("today/"))
    assert 'id="scenes"' in page
    assert 'hx-trigger="every 5s, alarmchanged from:body"' in page
    status, part = phone.fragment(demo.page("today/"), target="scenes")
    assert status == 200
    assert "Scene 36: Night raid on the mission" in part
    assert "<html" not in part


def test_the_board_links_to_today(demo: Demo) -> None:
    _, _, page = demo.phone("ruth").get(demo.page())
    assert f'href="/p/{demo.slug}/today/"' in page


def test_everyone_with_a_role_sees_today_and_a_performer_login_does_not(demo: Demo) -> None:
    crew = login_for(demo, "hal", demo.person_id("Hal Rivera"))
    assert crew.get(demo.page("today/"))[0] == 200
    performer = login_for(demo, "jo", demo.person_id("Jo Carver"))
    assert performer.get(demo.page("today/"))[0] == 403


def test_today_needs_a_sign_in(demo: Demo) -> None:
    _, url, _ = demo.phone("dana").__class__(demo.base).get(demo.page("today/"))
    assert "/login/" in url
