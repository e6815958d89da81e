"""The safety meeting: attendees added by badge (scanned or typed, then Enter), then recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, Phone, demo_in_process, status, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def scan(phone: Phone, demo: Demo, attendees: list[str], badge: str) -> tuple[list[str], str]:
    """Scan one badge into the form (as Enter after a keyboard-wedge scan submits it)."""
    _, _, page = phone.post(
        demo.page("meeting/"), {"scene": "36", "badge": badge, "attendee": attendees}
    )
    return re.findall(r'name="attendee" value="([^"]+)"', page), page


def test_a_meeting_with_attendees_added_by_badge_is_recorded(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    _, _, page = first_ad.get(demo.page("meeting/?scene=36"))
    assert "Still missing: an armorer, the first AD, Kit Brannigan (stunt performer)" in text(page)
    attendees: list[str] = []
    for name in ("Marta Velez", "Dana Hale"):
        attendees, page = scan(first_ad, demo, attendees, demo.badge(name))
        assert f"Added {name}" in text(page)
    attendees, page = scan(first_ad, demo, attendees, f"SC1:B:{demo.badge('Kit Brannigan')}")
    assert "Everyone the scene needs is present." in text(page)
    assert "The blank-fire plan was reviewed" in text(page)
    assert attendees == [demo.person_id(n) for n in ("Marta Velez", "Dana Hale", "Kit Brannigan")]
    entries = status(demo)["entries"]
    _, url, page = first_ad.post(
        demo.page("meeting/"),
        {
            "action": "record",
            "scene": "36",
            "attendee": attendees,
            "topic": ["the action", "distances", "abort plan"],
            "blank_fire_reviewed": "yes",
        },
    )
    assert url.endswith(demo.page("today/"))
    assert "The safety meeting for scene 36 is recorded with 3 attendees." in text(page)
    assert status(demo)["entries"] == entries + 1
    scene_36 = text(page).split("Scene 36: Night raid on the mission")[1]
    assert "R-MEETING" not in scene_36


def test_an_unknown_badge_adds_nobody_and_a_second_scan_adds_nobody_twice(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("meeting/"))
    attendees, page = scan(first_ad, demo, [], "DI-NOBODY")
    assert "No one on this production has that badge." in text(page)
    assert attendees == []
    attendees, _ = scan(first_ad, demo, [], demo.badge("Marta Velez"))
    attendees, page = scan(first_ad, demo, attendees, demo.badge("Marta Velez"))
    assert "Marta Velez (armorer) is already on the list." in text(page)
    assert len(attendees) == 1


def test_a_badge_field_submits_with_enter_and_keeps_focus(demo: Demo) -> None:
    _, _, page = demo.phone("marta").get(demo.page("meeting/"))
    field = page.split('id="meeting-badge"')[1].split(">")[0]
    assert "autofocus" in field
    # The first submit button after the field adds the person: Enter never records the meeting.
    after = page.split('id="meeting-badge"')[1]
    assert after.index('value="add"') < after.index('value="record"')


def test_a_producer_may_not_hold_a_meeting(demo: Demo) -> None:
    assert demo.phone("ruth").get(demo.page("meeting/"))[0] == 403


def test_attendees_added_one_by_one_survive_a_reload_and_one_entry_records_them(
    demo: Demo,
) -> None:
    first_ad = demo.phone("dana")
    _, _, page = first_ad.get(demo.page("meeting/?scene=36"))
    assert 'name="remove"' not in page, "no control hides the form's own remove()"
    assert "checked" not in re.sub(r"<option[^>]*>", "", page), "no topic comes pre-ticked"
    for name in ("Marta Velez", "Dana Hale"):
        _, _, page = first_ad.post(
            demo.page("meeting/"), {"scene": "36", "badge": demo.badge(name)}
        )
        assert f"Added {name}" in text(page)
    will = demo.badges["Will Tanner"]
    _, _, page = first_ad.post(
        demo.page("meeting/"), {"scene": "36", "who": will["person_id"], "pin": "000000"}
    )
    assert "Wrong PIN for Will Tanner" in text(page), "a wrong PIN adds nobody"
    _, _, page = first_ad.post(
        demo.page("meeting/"), {"scene": "36", "who": will["person_id"], "pin": will["pin"]}
    )
    assert "Added Will Tanner (cast): PIN confirmed." in text(page)
    _, _, reloaded = first_ad.get(demo.page("meeting/"))
    kept = re.findall(r'name="attendee" value="([^"]+)"', reloaded)
    assert kept == [demo.person_id(n) for n in ("Marta Velez", "Dana Hale", "Will Tanner")]
    assert 'value="36" selected' in reloaded, "the scene chosen is kept too"
    entries = status(demo)["entries"]
    _, _url, page = first_ad.post(
        demo.page("meeting/"), {"action": "record", "scene": "36", "attendee": kept}
    )
    assert "recorded with 3 attendees" in text(page)
    assert status(demo)["entries"] == entries + 1
    _, _, fresh = first_ad.get(demo.page("meeting/"))
    assert "Nobody added yet." in text(fresh), "a recorded meeting leaves no list behind"


def test_the_meeting_opens_on_a_scene_not_yet_started_and_says_distances_in_metres(
    demo: Demo,
) -> None:
    first_ad = demo.phone("dana")
    _, _, page = first_ad.get(demo.page("meeting/"))
    chosen = re.search(r'<option value="([^"]+)" selected>', page)
    assert chosen is not None
    scenes = {s["scene"]: s["status"] for s in status(demo)["scenes"]}
    assert scenes[chosen.group(1)] == "planned", "a running scene had its meeting"
    _, _, hot = first_ad.get(demo.page("meeting/?scene=36"))
    said = re.search(r"Nobody nearer than ([\d.]+ c?m) to the muzzle", text(hot))
    assert said is not None
    assert not said.group(1).endswith("00 cm"), f"{said.group(1)}: a distance said in metres"
