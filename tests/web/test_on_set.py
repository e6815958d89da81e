"""Signing on and off set at a unit, forming a unit, and a firearm sent from one unit's armorer to
another's (R-PRESENCE, R-UNIT), on the set pages with the demo production."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from floor_demo import Demo, Phone, demo_in_process, record, status, text

from in_process import Client
from showclear.core.commands import DrawFirearm
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store
from showclear.web.floor.roles import AREAS

ON_SET = "on-set/"
SECOND = "Second unit (Red Mesa quarry, 30 km north)"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def person(demo: Demo, name: str) -> dict[str, Any]:
    """Whether the person called ``name`` is on set now, and at which unit, as the ledger says."""
    service = Service(
        store=open_store(f"sqlite:///{demo.data_dir / 'showclear.sqlite3'}"),
        keyring=Keyring(demo.data_dir),
    )
    try:
        state = service.state(service.production(demo.slug))
    finally:
        service.store.close()
    found = state.people[demo.person_id(name)]
    return {"on_set": found.on_set, "unit": found.unit}


def post(phone: Phone | Client, demo: Demo, path: str, data: dict[str, str]) -> str:
    """The page after posting ``data`` to ``path`` (opened first, for its CSRF cookie)."""
    phone.get(demo.page(path))
    _, _, page = phone.post(demo.page(path), data)
    return text(page)


def test_the_board_links_to_signing_on_and_off_set(demo: Demo) -> None:
    _, _, board = demo.phone("dana").get(demo.page())
    assert f'href="{demo.page(ON_SET)}"' in board
    assert "Sign on or off set" in text(board)


def test_a_person_signs_themselves_off_set_and_back_on_at_the_second_unit(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    words = post(first_ad, demo, ON_SET, {"action": "leave"})
    assert "Recorded: Dana Hale (first AD) signed off set." in words
    assert "You are not on set." in words
    assert not person(demo, "Dana Hale")["on_set"]

    words = post(first_ad, demo, ON_SET, {"action": "arrive", "unit": "second"})

    assert f"Recorded: Dana Hale (first AD) signed on set at {SECOND}." in words
    assert f"You are on set at {SECOND}." in words
    assert f"{SECOND}: Dana Hale (first AD)" in words
    dana = person(demo, "Dana Hale")
    assert dana == {"on_set": True, "unit": "second"}
    _, _, board = first_ad.get(demo.page())
    assert "On set 1: Dana Hale (first AD)" in text(board), (
        "the board says who is on set at each unit"
    )


def test_nobody_signs_another_person_on_set_without_their_badge_or_pin(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    _, _, page = first_ad.get(demo.page(ON_SET))
    assert "The armory crew" not in text(page), "the first AD signs no one else on or off"

    hal = demo.person_id("Hal Rivera")
    words = post(first_ad, demo, ON_SET, {"action": "leave", "person": hal})

    assert "Refused, nothing recorded." in words
    assert "R-PRESENCE" in words
    assert "presence is one's own. Hal Rivera records it with their own badge or PIN." in words
    assert person(demo, "Hal Rivera")["on_set"]


def test_at_the_door_tablet_a_performer_signs_off_with_their_pin(demo: Demo) -> None:
    tablet = demo.phone("dana")
    will = demo.badges["Will Tanner"]
    _, _, page = tablet.get(demo.page(ON_SET))
    assert f'<option value="{will["person_id"]}">Will Tanner (cast)</option>' in page

    words = post(
        tablet,
        demo,
        ON_SET,
        {"action": "door-leave", "person": will["person_id"], "code": will["pin"]},
    )

    assert "Recorded: Will Tanner (cast) signed off set." in words
    assert not person(demo, "Will Tanner")["on_set"]


def test_at_the_door_tablet_a_scanned_badge_alone_signs_its_holder_on_at_a_unit(
    demo: Demo,
) -> None:
    tablet = demo.phone("dana")
    words = post(
        tablet,
        demo,
        ON_SET,
        {"action": "door-arrive", "person": "", "unit": "second", "code": demo.badge("Hal Rivera")},
    )
    assert f"Recorded: Hal Rivera (crew) signed on set at {SECOND}." in words
    assert person(demo, "Hal Rivera")["unit"] == "second"


def test_a_wrong_pin_at_the_door_records_nothing_and_keeps_the_form(demo: Demo) -> None:
    tablet = demo.phone("dana")
    will = demo.badges["Will Tanner"]
    wrong = "000000" if will["pin"] != "000000" else "111111"
    tablet.get(demo.page(ON_SET))
    _, _, page = tablet.post(
        demo.page(ON_SET),
        {"action": "door-arrive", "person": will["person_id"], "unit": "second", "code": wrong},
    )
    words = text(page)
    assert "Refused, nothing recorded." in words
    assert (
        "R-PRESENCE blocks: Will Tanner (cast) did not confirm as arriving on set themselves: "
        "the badge or PIN given is not theirs."
    ) in words
    assert f'<option value="{will["person_id"]}" selected>' in page, "the name chosen is kept"
    assert '<option value="second" selected>' in page, "the unit chosen is kept"
    assert person(demo, "Will Tanner")["unit"] == "main"


def test_an_armorer_signs_the_assistant_armorer_on_at_the_second_unit_and_off(
    demo: Demo,
) -> None:
    armorer = demo.phone("marta")
    _, _, page = armorer.get(demo.page(ON_SET))
    assert "Sign Sam Ortiz on set at Second unit" in text(page)
    assert "Sign Dana Hale" not in text(page), "only the armory crew"
    sam = demo.person_id("Sam Ortiz")

    words = post(armorer, demo, ON_SET, {"action": "arrive", "person": sam, "unit": "second"})
    assert f"Recorded: Sam Ortiz (assistant armorer) signed on set at {SECOND}." in words
    assert person(demo, "Sam Ortiz")["unit"] == "second"

    words = post(armorer, demo, ON_SET, {"action": "leave", "person": sam})
    assert "Recorded: Sam Ortiz (assistant armorer) signed off set." in words
    assert not person(demo, "Sam Ortiz")["on_set"]


def test_signing_on_at_another_unit_is_not_offered_while_holding_a_firearm(demo: Demo) -> None:
    record(demo, demo.person_id("Marta Velez"), DrawFirearm("W-06"))
    armorer = demo.phone("marta")
    _, _, page = armorer.get(demo.page(ON_SET))
    words = text(page)
    assert "Sign on set at Second unit" not in words
    assert (
        f"Not at {SECOND} now: R-UNIT blocks: Marta Velez (armorer) holds Lever-action rifle W-06 "
        "at Main unit"
    ) in words

    words = post(armorer, demo, ON_SET, {"action": "arrive", "unit": "second"})

    assert "Refused, nothing recorded." in words
    assert person(demo, "Marta Velez")["unit"] == "main"


def test_the_producer_forms_a_unit_and_people_sign_on_there(demo: Demo) -> None:
    producer = demo.phone("ruth")
    words = post(
        producer,
        demo,
        ON_SET,
        {
            "action": "open-unit",
            "name": "Splinter unit",
            "location": "Dry creek, 5 km east",
            "unit": "",
        },
    )
    assert "Recorded: Splinter unit formed, at Dry creek, 5 km east." in words
    assert "Sign on set at Splinter unit (Dry creek, 5 km east)" in words
    assert "splinter-unit" in {u["unit"] for u in status(demo)["units"]}


def test_forming_a_unit_already_formed_is_refused_with_the_form_kept(demo: Demo) -> None:
    first_ad = demo.phone("dana")
    first_ad.get(demo.page(ON_SET))
    _, _, page = first_ad.post(
        demo.page(ON_SET),
        {"action": "open-unit", "name": "Second unit", "location": "Elsewhere", "unit": "second"},
    )
    assert "Refused, nothing recorded." in text(page)
    assert "The unit 'second' is empty or already formed." in text(page)
    assert 'value="Elsewhere"' in page


def test_forming_a_unit_is_offered_only_to_the_roles_its_handler_declares(demo: Demo) -> None:
    assert "safety-supervisor" not in AREAS["form-unit"]
    supervisor = demo.phone("pat")
    _, _, page = supervisor.get(demo.page(ON_SET))
    assert "Form a unit" not in text(page)
    supervisor.get(demo.page(ON_SET))
    status_code, _, _ = supervisor.post(
        demo.page(ON_SET), {"action": "open-unit", "name": "Splinter", "location": "Creek"}
    )
    assert status_code == 403
    assert "splinter" not in {u["unit"] for u in status(demo)["units"]}


def test_an_armorer_dispatches_a_rifle_to_the_second_unit_and_its_armorer_confirms_receipt(
    demo: Demo,
) -> None:
    armorer, assistant = demo.phone("marta"), demo.phone("sam")
    sam = demo.person_id("Sam Ortiz")
    post(assistant, demo, ON_SET, {"action": "arrive", "unit": "second"})
    post(armorer, demo, "firearm/W-06/", {})  # opened for its CSRF cookie
    words = post(armorer, demo, "firearm/W-06/act/", {"action": "draw"})
    assert "Send to another unit" in words
    assert f"Sam Ortiz (assistant armorer) at {SECOND}" in words

    words = post(armorer, demo, "firearm/W-06/act/", {"action": "dispatch", "to": f"second|{sam}"})

    assert (
        f"Recorded: Lever-action rifle W-06 dispatched to Sam Ortiz (assistant armorer) at {SECOND}"
    ) in words
    assert f"to Sam Ortiz (assistant armorer) at {SECOND}: nothing is done with it" in words
    _, _, board = assistant.get(demo.page())
    assert "Waiting for you" in text(board)
    assert f'href="{demo.page("firearm/W-06/")}"' in board
    _, _, page = assistant.get(demo.page(ON_SET))
    assert "confirm receipt" in text(page)

    words = post(assistant, demo, "firearm/W-06/act/", {"action": "confirm-receipt"})

    assert "received: it is in your hands." in words
    rifle = next(f for f in status(demo)["firearms"] if f["tag"] == "W-06")
    assert rifle["unit"] == "second"
    assert "Sam Ortiz" in rifle["where"]


def test_a_dispatch_to_someone_not_an_armorer_on_set_there_is_refused_with_its_reason(
    demo: Demo,
) -> None:
    armorer = demo.phone("marta")
    post(armorer, demo, "firearm/W-06/", {})
    words = post(armorer, demo, "firearm/W-06/act/", {"action": "draw"})
    assert "Send to another unit" not in words, "nobody is on set at the second unit to send to"
    dana = demo.person_id("Dana Hale")

    words = post(armorer, demo, "firearm/W-06/act/", {"action": "dispatch", "to": f"second|{dana}"})

    assert "Not recorded" in words
    assert "Nothing was recorded." in words
    assert "R-UNIT Dana Hale (first AD) is not an armorer" in words
    rifle = next(f for f in status(demo)["firearms"] if f["tag"] == "W-06")
    assert rifle["unit"] == "main"


def test_the_receiving_armorer_off_set_is_shown_why_not_instead_of_the_receipt_button(
    demo: Demo,
) -> None:
    armorer, assistant = demo.phone("marta"), demo.phone("sam")
    sam = demo.person_id("Sam Ortiz")
    post(assistant, demo, ON_SET, {"action": "arrive", "unit": "second"})
    post(armorer, demo, "firearm/W-06/", {})
    post(armorer, demo, "firearm/W-06/act/", {"action": "draw"})
    post(armorer, demo, "firearm/W-06/act/", {"action": "dispatch", "to": f"second|{sam}"})
    post(assistant, demo, ON_SET, {"action": "leave"})

    _, _, page = assistant.get(demo.page("firearm/W-06/"))

    words = text(page)
    assert "confirm receipt" not in words
    assert f"R-UNIT blocks: Sam Ortiz (assistant armorer) is not on set at {SECOND}" in words
    words = post(assistant, demo, "firearm/W-06/act/", {"action": "confirm-receipt"})
    assert "Nothing was recorded." in words
    rifle = next(f for f in status(demo)["firearms"] if f["tag"] == "W-06")
    assert rifle["unit"] == "main"
