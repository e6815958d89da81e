"""People: the roster as cards; adding someone (an investigator, with a sign-in), recording
training and licences, issuing badges and PINs shown once, revoking them."""

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


def person(demo: Demo, name: str) -> dict[str, object]:
    return next(p for p in status(demo)["people"] if p["name"] == name)


def card(page: str, person_id: str) -> str:
    """The words of one person's card on the People page."""
    found = re.search(rf'<section class="scene" id="person-{person_id}".*?</dl>', page, re.S)
    assert found, f"no card for {person_id}"
    return text(found[0])


def test_the_roster_is_a_card_per_person(demo: Demo) -> None:
    _, _, page = demo.phone("dana").get(demo.page("people/"))
    words = text(page)
    assert "Marta Velez Roles armorer" in words
    assert "firearm safety" in words
    assert page.count('class="scene"') == len(status(demo)["people"])


def test_an_investigator_is_added_with_a_sign_in_shown_once_and_signs_in(demo: Demo) -> None:
    producer = demo.phone("ruth")
    producer.get(demo.page("people/"))
    _, _, page = producer.post(
        demo.page("people/"),
        {"action": "add", "name": "Ines Duarte", "role": "investigator", "username": "ines"},
    )
    assert "Done. Ines Duarte is on the roster." in text(page)
    assert person(demo, "Ines Duarte")["roles"] == ["investigator"]
    found = re.search(r"<strong>ines</strong> / <code>([^<]+)</code>", page)
    assert found, "the password is shown on the answer to the press"
    again = producer.get(demo.page("people/"))[2]
    assert found[1] not in again, "and never again"
    phone = demo.new_phone()
    _, landed, _ = phone.sign_in("ines", found[1])
    assert "/login/" not in landed


def test_a_taken_sign_in_name_records_nothing(demo: Demo) -> None:
    producer = demo.phone("ruth")
    producer.get(demo.page("people/"))
    entries = status(demo)["entries"]
    code, _, page = producer.post(
        demo.page("people/"),
        {"action": "add", "name": "Ines Duarte", "role": "investigator", "username": "marta"},
    )
    assert code == 400
    assert "The sign-in name 'marta' is taken" in text(page)
    assert status(demo)["entries"] == entries


def test_training_and_a_licence_are_recorded_and_a_bad_date_is_refused(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("people/"))
    hal = demo.person_id("Hal Rivera")
    _, _, page = first_ad.post(
        demo.page("people/"),
        {
            "action": "training",
            "person": hal,
            "course": "armorer-licence",
            "completed_on": "2026-01-05",
            "expires_on": "2029-01-05",
        },
    )
    assert "Done. Armorer licence recorded for Hal Rivera." in text(page)
    entries = status(demo)["entries"]
    _, _, page = first_ad.post(
        demo.page("people/"),
        {"action": "training", "person": hal, "course": "firearm-safety", "completed_on": "soon"},
    )
    assert "Refused, nothing recorded." in text(page)
    assert "is not a date" in text(page)
    assert status(demo)["entries"] == entries


def test_a_pin_made_here_is_shown_once_and_confirms_the_person(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("people/"))
    ruth = demo.person_id("Ruth Calloway")
    _, _, page = armorer.post(demo.page("people/"), {"action": "pin", "person": ruth})
    assert "Done. A new PIN is set for Ruth Calloway" in text(page)
    pin = re.search(r"Their new PIN, shown this once: <strong>(\d{6})</strong>", page)
    assert pin
    again = armorer.get(demo.page("people/"))[2]
    assert "PIN set" in card(again, ruth), "the ledger names her PIN by its id"
    assert pin[1] not in again


def test_two_different_pins_record_nothing(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("people/"))
    entries = status(demo)["entries"]
    code, _, page = armorer.post(
        demo.page("people/"),
        {"action": "pin", "person": "person-5", "pin": "1234", "pin_again": "4321"},
    )
    assert code == 400
    assert "The two PINs differ" in text(page)
    assert status(demo)["entries"] == entries


def test_a_reprinted_badge_is_shown_once_printed_as_a_label_and_the_old_one_stops(
    demo: Demo,
) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("people/"))
    hal = demo.person_id("Hal Rivera")
    _, _, page = armorer.post(demo.page("people/"), {"action": "badge", "person": hal})
    code = re.search(r"shown this once: <code>([^<]+)</code>", page)
    assert code
    assert code[1] != demo.badge("Hal Rivera")
    reply = armorer.django.post(
        demo.page("people/badge.pdf"),
        {"person": hal, "code": code[1], "csrfmiddlewaretoken": armorer.csrf()},
    )
    assert reply.status_code == 200
    assert reply.content.startswith(b"%PDF")
    old = armorer.django.post(
        demo.page("people/badge.pdf"),
        {"person": hal, "code": demo.badge("Hal Rivera"), "csrfmiddlewaretoken": armorer.csrf()},
    )
    assert not old.content.startswith(b"%PDF"), "the old badge prints no label: it no longer counts"
    assert "That is not the person's current badge" in text(old.content.decode())


def test_a_revoked_pin_no_longer_counts_and_a_crew_member_may_not_open_people(
    demo: Demo,
) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("people/"))
    jo = demo.person_id("Jo Carver")
    _, _, page = armorer.post(
        demo.page("people/"),
        {"action": "revoke", "person": jo, "credential": "pin", "reason": "seen over a shoulder"},
    )
    assert "Done. Jo Carver's pin no longer counts." in text(page)
    assert "PIN none" in card(page, jo)
    assert demo.phone("pat").get(demo.page("people/"))[0] == 200


def test_the_first_ad_is_offered_only_the_roles_a_first_ad_may_vouch_for(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    _, _, page = first_ad.get(demo.page("people/"))
    offered = set(re.findall(r'name="role" value="([^"]+)"', page))
    assert offered == {"first-ad", "cast", "stunt", "crew"}
    assert "Armorer: only an armorer can add one." in text(page)
    marta = card(page, "person-1")
    assert "Marta Velez" in marta
    section = page[page.index('id="person-person-1"') :]
    section = section[: section.index("</section>")]
    assert "Only an armorer can issue their badge or PIN" in text(section)
    assert 'name="action" value="badge"' not in section, "no badge for someone not theirs"
    assert 'name="action" value="pin"' not in section


def test_a_forged_press_adding_an_armorer_is_refused_by_the_core_and_records_nothing(
    demo: Demo,
) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page("people/"))
    entries = status(demo)["entries"]
    _, _, page = first_ad.post(
        demo.page("people/"),
        {"action": "add", "name": "Rick Vale", "role": "armorer", "username": "rick"},
    )
    words = text(page)
    assert "Refused, nothing recorded." in words
    assert "R-ROLE" in words
    assert "cannot put an armorer on the roster: only an armorer can" in words
    assert status(demo)["entries"] == entries
    phone = demo.new_phone()
    _, landed, _ = phone.sign_in("rick", "anything")
    assert "/login/" in landed, "no sign-in was made either"
