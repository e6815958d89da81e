"""The lot page: verification round by round, quarantine and release, where its rounds are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, status, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def test_verifying_a_round_records_it_and_moves_the_progress_on(demo: Demo) -> None:
    armorer = demo.phone("marta")
    _, _, page = armorer.get(demo.page("lot/D-04/"))
    words = text(page)
    assert "20 of 50 rounds verified" in words
    assert "QUARANTINED: 30 rounds not verified" in words
    assert "Round 21 verified" in words
    entries = status(demo)["entries"]
    _, _, page = armorer.post(
        demo.page("lot/D-04/"),
        {"action": "verify", "method": "rattle", "badge": demo.badge("Sam Ortiz")},
    )
    words = text(page)
    assert (
        "Recorded: 1 round verified by rattle, witnessed by Sam Ortiz (assistant armorer)" in words
    )
    assert "21 of 50 rounds verified" in words
    assert "Round 22 verified" in words
    assert "Round 21 verified" not in words
    assert status(demo)["entries"] == entries + 1
    # The badge and method stay for the next round.
    assert f'value="{demo.badge("Sam Ortiz")}"' in page
    # Over htmx only the progress and the buttons come back.
    _, part = armorer.fragment(demo.page("lot/D-04/"), target="lot-live")
    assert part.lstrip().startswith('<div id="lot-live"')


def test_a_tray_and_a_scanned_label_badge_verify_the_rest(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("lot/D-04/"))
    _, _, page = armorer.post(
        demo.page("lot/D-04/"),
        {
            "action": "tray",
            "tray": "30",
            "method": "rattle",
            "badge": f"SC1:B:{demo.badge('Sam Ortiz')}",
        },
    )
    words = text(page)
    assert "50 of 50 rounds verified" in words
    assert "every round" in words


def test_a_witness_must_confirm_with_their_own_badge(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("lot/D-04/"))
    entries = status(demo)["entries"]
    _, _, page = armorer.post(
        demo.page("lot/D-04/"), {"action": "verify", "method": "rattle", "badge": "DI-NOT-A-BADGE"}
    )
    assert "No one on this production has that badge." in text(page)
    assert status(demo)["entries"] == entries
    _, _, page = armorer.post(
        demo.page("lot/D-04/"),
        {"action": "verify", "method": "rattle", "badge": demo.badge("Marta Velez")},
    )
    words = text(page)
    assert "Refused, nothing recorded." in words
    assert "R-VERIFIED blocks: The witness to a verification is someone other than you." in words
    assert status(demo)["entries"] == entries


def test_a_lot_is_quarantined_with_its_reason_and_released_only_when_verified(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("lot/D-02/"))
    _, _, page = armorer.post(
        demo.page("lot/D-02/"), {"action": "quarantine", "reason": "the box seal was broken"}
    )
    words = text(page)
    assert "Recorded: Dummy lot D-02 is quarantined (the box seal was broken)." in words
    assert "QUARANTINED: the box seal was broken" in words
    _, _, page = armorer.post(demo.page("lot/D-02/"), {"action": "release"})
    assert "VERIFIED, USABLE" in text(page)
    _, _, page = armorer.post(demo.page("lot/D-04/"), {"action": "quarantine", "reason": "held"})
    _, _, page = armorer.post(demo.page("lot/D-04/"), {"action": "release"})
    assert "R-VERIFIED blocks: Dummy lot D-04 still has 30 unverified rounds." in text(page)


def test_the_lot_says_where_every_round_is_now(demo: Demo) -> None:
    _, _, page = demo.phone("pat").get(demo.page("lot/D-01/"))
    words = text(page)
    assert "Revolver R-01, chamber 6" in words
    assert "Revolver R-04, chamber 1" in words
    assert "Gun belt BELT-1: 12 rounds (open)" in words
    assert "On hand: 100 of 100 received." in words
    # A safety supervisor may quarantine, but does not verify rounds or release lots.
    assert "Quarantine D-01" in words
    assert "verified</button>" not in page


def test_roles_without_the_lot_area_get_403(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    assert first_ad.get(demo.page("lot/D-04/"))[0] == 403
    supervisor = demo.phone("pat")
    supervisor.get(demo.page("lot/D-04/"))
    status_code, _, _ = supervisor.post(
        demo.page("lot/D-04/"),
        {"action": "verify", "method": "rattle", "badge": demo.badge("Sam Ortiz")},
    )
    assert status_code == 403
    assert demo.phone("marta").get(demo.page("lot/NOPE/"))[0] == 404
