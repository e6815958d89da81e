"""The first AD starts and wraps scenes from their cards on Today, and calls and ends breaks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, record, status, text

from showclear.core.commands import PlanScene, PlanShootDay

HTMX = {"HX-Request": "true"}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        # Today on the schedule: scene 40 (no firearm) and scene 41 (a revolver, no meeting yet).
        today = datetime.now(UTC).date().isoformat()
        record(
            served,
            served.person_id("Dana Hale"),
            PlanShootDay("day-9", today),
            PlanScene("40", "day-9", "Wide of the street", (), (), "cold"),
            PlanScene(
                "41",
                "day-9",
                "The draw",
                ("R-05",),
                (served.person_id("Kit Brannigan"),),
                "cold",
            ),
        )
        yield served


def scene_status(demo: Demo, scene: str) -> str:
    return next(s["status"] for s in status(demo)["scenes"] if s["scene"] == scene)


def test_the_first_ad_starts_a_scene_from_its_card_and_then_wraps_it(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    _, _, today = first_ad.get(demo.page("today/"))
    assert "Start scene 40" in text(today)

    _, url, page = first_ad.post(demo.page("scenes/40/start/"), {"action": "start"})

    assert url.endswith(demo.page("today/#scene-40")), "back on Today, at the scene's card"
    assert "Done. Scene 40 has started." in text(page)
    assert scene_status(demo, "40") == "started"
    assert "Wrap scene 40" in text(page), "the card's next action is its wrap"
    _, _, page = first_ad.post(demo.page("scenes/40/wrap/"), {"action": "wrap"})
    assert "Done. Scene 40 is wrapped." in text(page)
    assert scene_status(demo, "40") == "wrapped"


def test_a_start_the_core_refuses_stands_on_the_card_with_its_reasons(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("today/"))
    entries = status(demo)["entries"]

    code, _, page = first_ad.post(demo.page("scenes/41/start/"), {"action": "start"}, HTMX)

    assert code == 200
    words = text(page)
    assert words.startswith("Refused, nothing recorded.")
    assert "R-MEETING" in words
    assert "No safety meeting is on record for scene 41 (The draw)." in words
    assert "Start scene 41" in words, "the button stays, to press again once it is held"
    assert 'id="scene-41-planned" hx-preserve="true"' in page
    assert status(demo)["entries"] == entries


def test_a_recorded_press_answers_the_card_in_place_and_redraws_the_board(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("today/"))
    reply = first_ad.django.post(
        demo.page("scenes/40/start/"),
        {"action": "start", "csrfmiddlewaretoken": first_ad.csrf()},
        headers={**HTMX, "Referer": first_ad.base + demo.page("today/")},
    )
    assert reply.status_code == 200
    answer = reply.content.decode()
    assert text(answer).startswith("Done. Scene 40 has started.")
    assert 'id="scene-40-started"' in answer, "the card's action, now the wrap, in place"
    assert "Wrap scene 40" in text(answer)
    assert reply.headers["HX-Trigger"] == "alarmchanged", "the board redraws at once"


def test_only_the_first_ad_is_offered_the_start_and_an_armorer_is_refused_it(demo: Demo) -> None:
    armorer = demo.phone("marta")
    _, _, today = armorer.get(demo.page("today/"))
    assert "Start scene 40" not in text(today)
    _, _, day_two = armorer.get(demo.page("today/?day=day-2"))
    assert "Wrap scene 34" in text(day_two), "an armorer may wrap a running scene"
    entries = status(demo)["entries"]
    code, _, _ = armorer.post(demo.page("scenes/40/start/"), {"action": "start"})
    assert code == 403
    assert status(demo)["entries"] == entries


def test_an_unknown_scene_is_not_found_and_records_nothing(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("today/"))
    entries = status(demo)["entries"]
    code, _, _ = first_ad.post(demo.page("scenes/99/start/"), {"action": "start"})
    assert code == 404
    assert status(demo)["entries"] == entries


def test_the_first_ad_calls_a_meal_break_and_ends_it(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    _, _, today = first_ad.get(demo.page("today/"))
    assert "Call the break" in text(today)

    _, url, page = first_ad.post(demo.page("breaks/"), {"action": "call", "reason": "meal"})

    assert url.endswith(demo.page("today/#breaks"))
    assert "Done. The meal break is called" in text(page)
    assert "R-LOCKED" in text(page), "what was not locked away is said, as warnings"
    assert status(demo)["on_break"] == "meal"
    assert "A meal break is on" in text(page)
    _, _, page = first_ad.post(demo.page("breaks/"), {"action": "end"})
    assert "Done. The break is over." in text(page)
    assert status(demo)["on_break"] is None


def test_ending_a_break_when_none_is_on_is_refused_and_a_bad_press_is_a_400(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("today/"))
    entries = status(demo)["entries"]
    _, _, page = first_ad.post(demo.page("breaks/"), {"action": "end"})
    assert "Refused, nothing recorded." in text(page)
    assert "No break is on." in text(page)
    code, _, page = first_ad.post(demo.page("breaks/"), {"action": "dance"})
    assert code == 400
    assert "Choose whether to call a break or end it." in text(page)
    assert status(demo)["entries"] == entries


def test_a_wrap_sent_with_the_start_press_key_wraps_nothing_and_says_so(demo: Demo) -> None:
    """A double tap on Start: the second tap lands on the Wrap button swapped in under the
    thumb, and the page sends it with the first press's key (presses.js); it records nothing."""
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("today/"))
    press = "bounce-" + "k" * 24
    _, _, page = first_ad.post(
        demo.page("scenes/40/start/"), {"action": "start", "press": press}, HTMX
    )
    assert text(page).startswith("Done. Scene 40 has started.")
    entries = status(demo)["entries"]

    _, _, page = first_ad.post(
        demo.page("scenes/40/wrap/"), {"action": "wrap", "press": press}, HTMX
    )

    assert text(page).startswith(
        "Done. Recorded once: that second tap was the same press, and recorded nothing more."
    )
    assert "Scene 40 is wrapped" not in text(page)
    assert scene_status(demo, "40") == "started"
    assert status(demo)["entries"] == entries
