"""STOP WORK: reports by anyone with a role, the banner on every open page, and resuming."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, Phone, demo_in_process, login_for, record, status, text

from showclear.cli.demo import FIREARMS
from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    Confirmation,
    DrawFirearm,
    InspectFirearm,
    LockAway,
    ReleaseEvidence,
)
from showclear.core.vocabulary import INVESTIGATOR


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def report_live_round(phone: Phone, demo: Demo) -> str:
    phone.get(demo.page("stop/"))
    _, url, page = phone.post(
        demo.page("stop/"),
        {
            "action": "found",
            "observed": "live",
            "where": "in the sheriff's gun belt",
            "container": "BELT-1",
            "lot": "D-01",
        },
    )
    assert url.endswith(demo.page("stop/"))
    return page


def test_a_live_round_reported_by_one_login_puts_stop_work_on_another_logins_pages(
    demo: Demo,
) -> None:
    armorer = demo.phone("marta")
    status_code, quiet = armorer.fragment(demo.page("alarm/"))
    assert status_code == 200
    assert quiet == "", "no banner while work goes on"
    first_ad = demo.phone("dana")
    page = report_live_round(first_ad, demo)
    assert "Recorded. STOP WORK is in force on the whole production." in text(page)

    started = time.monotonic()
    _, banner = armorer.fragment(demo.page("alarm/"))
    assert time.monotonic() - started < 2
    words = text(banner)
    assert "STOP WORK" in words
    assert "A live round found in the sheriff's gun belt" in words
    assert "called by Dana Hale (first AD)" in words
    # Every page carries the banner and polls for it every second.
    _, _, board = armorer.get(demo.page())
    assert "STOP WORK" in text(board)
    assert 'hx-trigger="load, every 1s"' in board
    _, _, today = armorer.get(demo.page("today/"))
    assert "R-STOP-WORK" in today
    # The running scene whose revolvers are out is no longer shown READY.
    assert ">READY<" not in today
    assert "NOT READY" in today
    # The lot of the round is quarantined, never to be used again.
    lot = next(lot for lot in status(demo)["lots"] if lot["tag"] == "D-01")
    assert lot["live_found"]


def test_work_stays_stopped_until_a_safety_supervisor_and_an_armorer_resume_it(
    demo: Demo,
) -> None:
    report_live_round(demo.phone("dana"), demo)
    # Marta keeps the lockbox of the lot the live round came from: the assistant armorer signs
    # the resumption with the safety supervisor (R-SEPARATION), and Marta's page says why not her.
    _, _, page = demo.phone("marta").get(demo.page("stop/"))
    assert ("Marta Velez (armorer) cannot sign the resumption of work at ") in text(page)
    armorer = demo.phone("sam")
    _, _, page = armorer.get(demo.page("stop/"))
    words = text(page)
    assert "Before work resumes:" in words
    assert (
        "Revolver R-01 is evidence of incident-1: nobody touches it until the safety supervisor "
        "releases it to the investigators. Work resumes after the handover."
    ) in words
    # Refused while the revolvers are out: every reason, nothing recorded.
    _, _, page = armorer.post(
        demo.page("stop/"), {"action": "resume", "badge": demo.badge("Pat Kimura")}
    )
    assert "Refused, nothing recorded." in text(page)
    assert "STOP WORK" in text(armorer.fragment(demo.page("alarm/"))[1])
    # The revolvers loaded from the lot of the live round are evidence: the safety supervisor
    # releases them to an investigator, untouched; the armorer inspects every other firearm
    # (each one was on the production when work stopped) before locking it away.
    marta = demo.person_id("Marta Velez")
    record(demo, marta, AddPerson("Ines Duarte", (INVESTIGATOR,), person_id="ines"))
    dana = Confirmation(demo.person_id("Dana Hale"), demo.badge("Dana Hale"))
    record(
        demo,
        demo.person_id("Pat Kimura"),
        ReleaseEvidence("incident-1", ("ines",), dana),
    )
    for tag, *_, positions, _owner, _notes in FIREARMS:
        if tag in ("R-01", "R-04"):
            continue
        record(
            demo,
            marta,
            DrawFirearm(tag),
            InspectFirearm(tag, positions, barrel_clear=True),
            LockAway(tag, "SAFE-1"),
        )
    _, _, page = armorer.get(demo.page("stop/"))
    assert "Nothing else stands in the way" in text(page)
    _, _, page = armorer.post(
        demo.page("stop/"), {"action": "resume", "badge": demo.badge("Pat Kimura")}
    )
    assert "Recorded. Work has resumed." in text(page)
    assert armorer.fragment(demo.page("alarm/")) == (200, "")


def test_a_wrong_co_signer_badge_records_nothing(demo: Demo) -> None:
    report_live_round(demo.phone("dana"), demo)
    supervisor = demo.phone("pat")
    supervisor.get(demo.page("stop/"))
    _, _, page = supervisor.post(demo.page("stop/"), {"action": "resume", "badge": "DI-NOBODY"})
    assert "No one on this production has that badge." in text(page)


def test_a_misfire_and_an_unplanned_discharge_are_recorded_by_crew(demo: Demo) -> None:
    crew = login_for(demo, "hal", demo.person_id("Hal Rivera"))
    assert crew.get(demo.page("stop/"))[0] == 200
    _, _, page = crew.post(
        demo.page("stop/"), {"action": "misfire", "position": "R-01|chamber 3", "scene": "34"}
    )
    words = text(page)
    assert "Recorded." in words
    assert "R-MISFIRE" in words
    _, _, page = crew.post(
        demo.page("stop/"),
        {
            "action": "discharge",
            "positions": ["R-04|chamber 1"],
            "planned": "no",
            "scene": "34",
            "description": "fired while holstering",
        },
    )
    assert "R-LIVE" in text(page)
    assert "STOP WORK" in text(crew.fragment(demo.page("alarm/"))[1])
    assert any(i for i in status(demo)["alerts"] if "discharge" in i)


def test_only_a_safety_supervisor_or_an_armorer_may_resume(demo: Demo) -> None:
    report_live_round(demo.phone("dana"), demo)
    producer = demo.phone("ruth")
    _, _, page = producer.get(demo.page("stop/"))
    assert "Resume work" not in page
    status_code, _, _ = producer.post(
        demo.page("stop/"), {"action": "resume", "badge": demo.badge("Marta Velez")}
    )
    assert status_code == 403


def test_the_alarm_is_refused_to_the_signed_out(demo: Demo) -> None:
    assert demo.new_phone().fragment(demo.page("alarm/"))[0] == 403


@pytest.mark.parametrize(
    ("username", "name"), [("jo", "Jo Carver"), ("kit", "Kit Brannigan")]
)  # cast, stunt
def test_a_performer_signs_in_to_the_stop_work_page_and_stops_work(
    demo: Demo, username: str, name: str
) -> None:
    performer = login_for(demo, username, demo.person_id(name))
    _, landed, page = performer.get("/")
    assert landed.endswith(demo.page("stop/")), "a performer's login opens STOP WORK"
    assert "STOP WORK and reports" in text(page)
    assert 'href="/p/' + demo.slug + '/today/"' not in page, "no link to a page they cannot open"
    assert performer.fragment(demo.page("alarm/")) == (200, "")

    _, url, page = performer.post(
        demo.page("stop/"), {"action": "stop", "reason": "a muzzle swept the crowd"}
    )

    assert url.endswith(demo.page("stop/"))
    assert "Recorded. STOP WORK is in force on the whole production." in text(page)
    assert "called by " + name in text(page)
    stopped = status(demo)["stop_work"]
    assert stopped == {**stopped, "reason": "a muzzle swept the crowd", "by": demo.person_id(name)}
    code, banner = performer.fragment(demo.page("alarm/"))
    assert code == 200
    assert "STOP WORK" in text(banner)
    armorer = demo.phone("marta")
    assert "STOP WORK" in text(armorer.fragment(demo.page("alarm/"))[1])
    # Resuming is still the safety supervisor's and an armorer's, together.
    refused, _, _ = performer.post(
        demo.page("stop/"), {"action": "resume", "badge": demo.badge("Marta Velez")}
    )
    assert refused == 403


def test_anyone_on_set_reports_a_performer_reloading_and_that_firearm_is_held(demo: Demo) -> None:
    crew = login_for(demo, "hal", demo.person_id("Hal Rivera"))
    crew.get(demo.page("stop/"))
    _, _, page = crew.post(
        demo.page("stop/"),
        {
            "action": "handling",
            "person": demo.person_id("Jo Carver"),
            "act": "reloaded",
            "firearm": "R-01",
            "scene": "34",
            "description": "between takes",
        },
    )
    words = text(page)
    assert "Recorded." in words
    assert "R-LOOSE-ROUNDS" in words
    assert "Revolver R-01 is held until an armorer unloads and inspects it" in words
    _, _, page = crew.post(demo.page("stop/"), {"action": "handling", "act": "reloaded"})
    assert "Choose who handled rounds and what they did." in text(page)


def test_a_second_unit_stop_work_stops_that_unit_and_the_board_says_where_everyone_is(
    demo: Demo,
) -> None:
    quarry = "Second unit (Red Mesa quarry, 30 km north)"
    first_ad = demo.phone("dana")
    _, _, board = first_ad.get(demo.page())
    words = text(board)
    assert "Units and who is on set" in words
    assert "Red Mesa quarry, 30 km north" in words
    assert "No armorer on set" in words, "nobody is at the quarry now: its day is done"
    assert "at Main unit" in words, "each firearm says its unit"
    _, _, page = first_ad.get(demo.page("stop/"))
    assert f"{quarry} only" in text(page)
    _, _, page = first_ad.post(
        demo.page("stop/"),
        {"action": "stop", "reason": "a horse bolted at the quarry", "unit": "second"},
    )
    assert f"Recorded. STOP WORK is in force at {quarry}." in text(page)
    assert f"Work is stopped at {quarry}" in text(page)
    _, banner = demo.phone("marta").fragment(demo.page("alarm/"))
    assert f"STOP WORK at {quarry}" in text(banner)
    assert "the other units go on" in text(banner)
    assert status(demo)["stop_work"] is None, "the main unit goes on"
    # The safety supervisor and an armorer resume the quarry (no firearm is out there): both
    # sign there, so both go there first.
    supervisor = demo.phone("pat")
    _, _, page = supervisor.get(demo.page("stop/"))
    assert f"Resume work at {quarry}" in text(page)
    _, _, page = supervisor.post(
        demo.page("stop/"),
        {"action": "resume", "unit": "second", "badge": demo.badge("Sam Ortiz")},
    )
    assert "is at Main unit, not at " + quarry in text(page)
    for name in ("Pat Kimura", "Sam Ortiz"):
        person = demo.person_id(name)
        record(demo, person, ArriveOnSet(person, unit="second"))
    _, _, page = supervisor.post(
        demo.page("stop/"),
        {"action": "resume", "unit": "second", "badge": demo.badge("Sam Ortiz")},
    )
    assert f"Recorded. Work has resumed at {quarry}." in text(page)
    assert demo.phone("marta").fragment(demo.page("alarm/")) == (200, "")
