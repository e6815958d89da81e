"""STOP WORK in one tap from every page, what happened asked after; the board's links; the
ledger's downloads; and the page a role may not open, which says who may."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, login_for, status, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def stop_button(page: str) -> str:
    """The one-tap STOP WORK form's action, as the page carries it."""
    found = re.search(r'<form method="post" action="([^"]+)" class="stop-now">', page)
    assert found, "the page carries the STOP WORK button"
    return found.group(1)


@pytest.mark.parametrize("path", ["", "today/", "firearm/R-01/", "lot/D-01/", "wrap/", "ledger/"])
def test_every_page_carries_the_one_tap_stop_work_button(demo: Demo, path: str) -> None:
    _, _, page = demo.phone("marta").get(demo.page(path))
    assert stop_button(page) == demo.page("stop/now/")


def test_one_tap_stops_work_at_once_and_then_asks_what_happened(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("firearm/R-01/"))
    entries = status(demo)["entries"]
    _, url, page = armorer.post(demo.page("stop/now/"), {"page": demo.page("firearm/R-01/")})
    assert url.endswith(demo.page("stop/?after=1#what-happened"))
    assert status(demo)["entries"] == entries + 1
    stopped = status(demo)["stop_work"]
    assert stopped["reason"] == "STOP WORK called from firearm R-01"
    assert "Recorded. STOP WORK is in force on the whole production." in text(page)
    assert "What happened?" in text(page)
    # A second tap (or a second phone) records nothing more.
    _, _, again = demo.phone("dana").post(demo.page("stop/now/"), {"page": demo.page("today/")})
    assert status(demo)["entries"] == entries + 1
    assert "Work was already stopped, by Marta Velez (armorer): nothing more to record." in text(
        again
    )
    # What happened, said after: every banner shows it.
    _, _, page = armorer.post(
        demo.page("stop/"), {"action": "stop", "reason": "a performer swept the crew"}
    )
    assert status(demo)["stop_work"]["reason"] == "a performer swept the crew"
    _, banner = demo.phone("ruth").fragment(demo.page("alarm/"))
    assert "A performer swept the crew." in text(banner)


@pytest.mark.parametrize(("username", "name"), [("kit", "Kit Brannigan"), ("hal", "Hal Rivera")])
def test_a_performer_and_a_crew_login_stop_work_in_one_tap(
    demo: Demo, username: str, name: str
) -> None:
    phone = login_for(demo, username, demo.person_id(name))
    _, _, page = phone.get("/")
    assert stop_button(page) == demo.page("stop/now/")
    _, url, page = phone.post(demo.page("stop/now/"), {"page": demo.page("stop/")})
    assert url.endswith(demo.page("stop/?after=1#what-happened"))
    assert status(demo)["stop_work"]["by"] == demo.person_id(name)
    assert "called by " + name in text(page)


def test_a_refused_resume_stands_inside_the_resume_form(demo: Demo) -> None:
    supervisor = demo.phone("pat")
    supervisor.get(demo.page("stop/"))
    supervisor.post(demo.page("stop/now/"), {"page": demo.page("")})
    _, _, page = supervisor.post(demo.page("stop/"), {"action": "resume", "badge": "DI-NOBODY"})
    form = page.split('id="resume"', 1)[1].split("</form>", 1)[0]
    assert "Not recorded." in text(form), "the refusal is where the person tapped"
    assert 'action="' + demo.page("stop/") + '#resume"' in page, "the page opens at the form"
    assert text(page).count("Not recorded.") == 1


def test_the_board_is_cards_with_every_firearm_lot_container_and_holder_linked(
    demo: Demo,
) -> None:
    _, _, page = demo.phone("marta").get(demo.page())
    assert "<table" not in page
    for item in status(demo)["firearms"]:
        assert f'href="{demo.page("firearm/" + item["tag"] + "/")}"' in page
        if item["holder"]:
            assert f"/person/{item['holder']['person_id']}/" in page or (
                f"/people/{item['holder']['person_id']}/" in page
            )
    for item in status(demo)["lots"]:
        assert f'href="{demo.page("lot/" + item["tag"] + "/")}"' in page
    for item in status(demo)["containers"]:
        assert f'href="{demo.page("scan/container/" + item["tag"] + "/")}"' in page
    assert f'href="{demo.page("labels/")}"' in page, "the labels sheet is reachable"


def test_the_ledger_page_gives_the_checkpoint_the_key_and_the_export_bundle(demo: Demo) -> None:
    investigator_like = demo.phone("pat")
    _, _, page = investigator_like.get(demo.page("ledger/"))
    assert "Download the checkpoint" in text(page)
    _, _, note = investigator_like.get(demo.page("ledger/checkpoint.txt"))
    assert note.strip()
    assert note.strip() in page.replace("&#x27;", "'")
    _, _, key = investigator_like.get(demo.page("ledger/verifier-key.txt"))
    assert key.strip() in page
    answer = investigator_like.send("GET", demo.page("ledger/export.zip"))
    assert answer.status == 200
    assert answer.content_type == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(answer.body))
    assert any(name.endswith("verify.py") for name in bundle.namelist())


def test_a_page_a_role_may_not_open_says_who_may_and_keeps_the_frame(demo: Demo) -> None:
    code, _, page = demo.phone("pat").get(demo.page("labels/"))
    assert code == 403
    words = text(page)
    assert "Labels and badges is not for your role" in words
    assert "opens for the armorer or assistant armorer" in words
    assert "You are on Dust and Iron as safety supervisor." in words
    assert stop_button(page) == demo.page("stop/now/"), "STOP WORK stays one tap away"
    assert "403 Forbidden" not in page
