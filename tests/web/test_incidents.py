"""Incidents: the safety supervisor releases the evidence, closes the incident with a second
person confirming in person, and overrides a rule; the investigator hands the evidence back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, Phone, demo_in_process, login_for, record, status, text

from showclear.core.commands import AddPerson, ReportFoundRound
from showclear.core.vocabulary import INVESTIGATOR


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        marta = served.person_id("Marta Velez")
        record(
            served,
            marta,
            AddPerson("Ines Duarte", (INVESTIGATOR,), person_id="ines"),
            ReportFoundRound("live", "in the sheriff's gun belt", container="BELT-1", lot="D-01"),
        )
        yield served


def release(phone: Phone, demo: Demo, badge: str) -> str:
    phone.get(demo.page("incidents/"))
    _, _, page = phone.post(
        demo.page("incidents/"),
        {
            "action": "release",
            "incident": "incident-1",
            "investigator": "ines",
            "witness": demo.person_id("Dana Hale"),
            "code_badge": badge,
        },
    )
    return page


def test_the_open_incident_is_a_card_saying_what_it_froze_and_what_blocks_closing(
    demo: Demo,
) -> None:
    _, _, page = demo.phone("pat").get(demo.page("incidents/"))
    words = text(page)
    assert "incident-1" in words
    assert "Frozen as found" in words
    assert "All firearm work waits until it is closed (R-INCIDENT)." in words
    assert "Before it can be closed:" in words
    assert "release the evidence to the investigators before the incident is closed" in words
    # No witness is chosen yet: the roster's first (the armorer, whose report it was) is not a
    # reason to warn before the form, since others may witness.
    assert "Before it can be released:" not in words


def test_the_safety_supervisor_releases_the_evidence_before_a_witness_then_closes_it(
    demo: Demo,
) -> None:
    supervisor = demo.phone("pat")
    page = release(supervisor, demo, demo.badge("Dana Hale"))
    assert "Done. The evidence of incident-1 is with the investigators." in text(page)
    entries = status(demo)["entries"]
    _, url, page = supervisor.post(
        demo.page("incidents/"),
        {
            "action": "close",
            "incident": "incident-1",
            "findings": "a live round mixed into the dummies by the supplier",
            "second": demo.person_id("Ruth Calloway"),
            "code_badge": demo.badge("Ruth Calloway"),
        },
    )
    assert url.endswith("#incident-incident-1")
    assert "Done. incident-1 is closed." in text(page)
    assert status(demo)["entries"] == entries + 1
    assert "No incident is open." in text(page)


def test_a_wrong_badge_of_the_second_person_records_nothing_and_keeps_the_findings(
    demo: Demo,
) -> None:
    supervisor = demo.phone("pat")
    release(supervisor, demo, demo.badge("Dana Hale"))
    entries = status(demo)["entries"]
    code, _, page = supervisor.post(
        demo.page("incidents/"),
        {
            "action": "close",
            "incident": "incident-1",
            "findings": "the supplier's mistake",
            "second": demo.person_id("Ruth Calloway"),
            "code_badge": "DI-NOBODY",
        },
    )
    assert code == 400
    assert "Not recorded." in text(page)
    assert "the supplier's mistake" in text(page), "the findings stay as typed"
    assert status(demo)["entries"] == entries


def test_closing_before_the_release_is_refused_with_the_cores_reason_before_any_pin(
    demo: Demo,
) -> None:
    supervisor = demo.phone("pat")
    supervisor.get(demo.page("incidents/"))
    entries = status(demo)["entries"]
    _, _, page = supervisor.post(
        demo.page("incidents/"),
        {
            "action": "close",
            "incident": "incident-1",
            "findings": "too soon",
            "second": demo.person_id("Ruth Calloway"),
            "code_pin": "0000",
        },
    )
    words = text(page)
    assert "Refused, nothing recorded." in words
    assert "R-EVIDENCE" in words
    assert "Wrong PIN" not in words, "the PIN is not even checked: no try is counted"
    assert status(demo)["entries"] == entries


def test_the_investigator_hands_the_evidence_back_to_an_armorer_once_closed(demo: Demo) -> None:
    supervisor = demo.phone("pat")
    release(supervisor, demo, demo.badge("Dana Hale"))
    supervisor.post(
        demo.page("incidents/"),
        {
            "action": "close",
            "incident": "incident-1",
            "findings": "supplier",
            "second": demo.person_id("Ruth Calloway"),
            "code_badge": demo.badge("Ruth Calloway"),
        },
    )
    investigator = login_for(demo, "ines", "ines")
    _, _, page = investigator.get(demo.page("incidents/evidence/"))
    assert "Hand the evidence back" in text(page)
    _, _, page = investigator.post(
        demo.page("incidents/evidence/"),
        {
            "action": "return",
            "incident": "incident-1",
            "armorer": demo.person_id("Sam Ortiz"),
            "code_badge": demo.badge("Sam Ortiz"),
        },
    )
    assert "Done. The evidence of incident-1 is back with the armorer" in text(page)


def test_an_override_needs_its_reason_and_a_second_person(demo: Demo) -> None:
    supervisor = demo.phone("pat")
    supervisor.get(demo.page("incidents/"))
    code, _, page = supervisor.post(
        demo.page("incidents/"), {"action": "override", "rule": "R-NOPE", "subject": ""}
    )
    assert code == 400
    assert "Choose the rule to override." in text(page)
    assert "Say why, in words." in text(page)


def test_only_the_safety_supervisor_opens_the_incidents_desk(demo: Demo) -> None:
    assert demo.phone("marta").get(demo.page("incidents/"))[0] == 403
    assert demo.phone("ruth").get(demo.page("incidents/"))[0] == 403
    entries = status(demo)["entries"]
    code, _, _ = demo.phone("dana").post(
        demo.page("incidents/"), {"action": "close", "incident": "incident-1"}
    )
    assert code == 403
    assert status(demo)["entries"] == entries
