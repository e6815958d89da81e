"""The production's page: its name and time zone, which the armorer changes from a list of
common zones or by any IANA name; what the core refuses is said where the form is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, status, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def _zone_set(demo: Demo, zone: str, typed: str = "") -> tuple[int, str, str]:
    armorer = demo.phone("marta")
    armorer.get(demo.page("production/"))
    return armorer.post(demo.page("production/"), {"action": "zone", "zone": zone, "other": typed})


def test_everyone_sees_the_production_and_its_zone_from_the_menu(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    code, _, board = first_ad.get(demo.page())
    assert code == 200
    assert f'href="{demo.page("production/")}">Production and time zone</a>' in board
    code, _, page = first_ad.get(demo.page("production/"))
    assert code == 200
    assert "Dust and Iron" in text(page)
    assert "The production works in America/Denver" in text(page)  # the demo shoots there
    assert "<form" not in page.split('id="time-zone"')[1], "the first AD is offered no change"
    assert "Only the armorer or assistant armorer may change it." in text(page)


def test_the_armorer_chooses_a_common_zone_and_the_pages_say_it(demo: Demo) -> None:
    code, url, page = _zone_set(demo, "Europe/London")
    assert code == 200
    assert url.endswith("/production/#time-zone")
    assert "Done. The production works in Europe/London" in text(page)
    assert re.search(r"The production works in Europe/London \((GMT|BST)\)", text(page))
    _, _, board = demo.phone("dana").get(demo.page("firearm/R-01/"))
    said = text(board)
    assert " BST" in said, "the firearm page says its times in London (the demo shoots in October)"
    assert " MDT" not in said
    _, _, board = demo.phone("dana").get(demo.page())
    said = text(board)
    assert re.search(r"Inspected Oct 1\d \d\d:\d\d BST by", said), "and so does the board"
    assert " MDT" not in said


def test_any_iana_name_is_taken_whatever_its_case_and_offered_after(demo: Demo) -> None:
    _, _, page = _zone_set(demo, "UTC", typed="asia/kathmandu")
    assert "Done. The production works in Asia/Kathmandu" in text(page)
    options = page.split('id="zone-choice"')[1].split("</select>")[0]
    assert options.index("Asia/Kathmandu") < options.index("America/Denver"), (
        "the production's own zone is offered first, though it is not a common one"
    )
    assert '<option value="Asia/Kathmandu" selected>' in options


def test_an_unknown_zone_is_refused_in_place_and_records_nothing(demo: Demo) -> None:
    entries = status(demo)["entries"]
    code, _, page = _zone_set(demo, "UTC", typed="Mars/Olympus_Mons")
    assert code == 200
    said = text(page)
    assert "Refused, nothing recorded." in said
    assert "There is no time zone called 'Mars/Olympus_Mons'" in said
    assert 'value="Mars/Olympus_Mons"' in page, "the form is as the armorer left it"
    assert status(demo)["entries"] == entries


def test_choosing_the_zone_it_already_has_records_nothing(demo: Demo) -> None:
    entries = status(demo)["entries"]
    code, _, page = _zone_set(demo, "America/Denver")
    assert code == 200
    assert "The production already works in America/Denver: nothing was recorded." in text(page)
    assert status(demo)["entries"] == entries


def test_the_first_ad_may_not_change_the_zone(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("production/"))
    entries = status(demo)["entries"]
    code, _, _ = first_ad.post(
        demo.page("production/"), {"action": "zone", "zone": "America/Denver"}
    )
    assert code == 403
    assert status(demo)["entries"] == entries


def test_a_double_tap_records_the_zone_once(demo: Demo) -> None:
    armorer = demo.phone("marta")
    _, _, page = armorer.get(demo.page("production/"))
    press = re.search(r'name="press" value="([^"]+)"', page)
    assert press is not None
    entries = status(demo)["entries"]
    form = {"action": "zone", "zone": "Europe/London", "press": press.group(1)}  # not Denver's
    for _ in range(2):
        code, url, answer = armorer.post(demo.page("production/"), form)
        assert code == 200
        assert url.endswith("/production/#time-zone")
        assert "nothing was recorded" not in text(answer)
    assert status(demo)["entries"] == entries + 1
