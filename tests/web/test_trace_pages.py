"""The trace pages, on the demo production through Django's test client: the investigator, the
safety supervisor and the armorers may open them; every other role, another production's login
and nobody signed in may not; each page answers bad input with a clear message, never a 500."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from floor_demo import demo_template

from in_process import Client, app_on


@dataclass
class Site:
    base: str
    slug: str
    browsers: dict[str, Client]
    people: dict[str, str]

    def get(self, who: str, path: str) -> tuple[int, str, str]:
        """Status, final URL and the page's text (HTML entities read as characters)."""
        status, url, body = self.browsers[who].get(f"/p/{self.slug}/{path}")
        return status, url, html.unescape(body)


def _login(showclear: Callable[..., Any], production: str, person_id: str, username: str) -> str:
    made = showclear("login", "--production", production, "--person", person_id,
                     "--username", username)  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    return made.stdout.strip().rsplit(" / ", 1)[1]


def _add_investigator(data_dir: Path, armorer: str) -> str:
    from showclear.core.commands import AddPerson
    from showclear.core.events.on_set import PersonAdded
    from showclear.core.vocabulary import INVESTIGATOR
    from showclear.service import Service
    from showclear.service.keyring import Keyring
    from showclear.store import open_store

    store = open_store(f"sqlite:///{data_dir / 'showclear.sqlite3'}")
    try:
        service = Service(store=store, keyring=Keyring(data_dir), device="test")
        production = next(p for p in store.productions() if p.name == "Dust and Iron")
        added = service.execute(
            production, AddPerson("Ines Varga", (INVESTIGATOR,)), person_id=armorer
        ).events[0]
        assert isinstance(added, PersonAdded)
        return added.person_id
    finally:
        store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("trace") / "data"
    shutil.copytree(demo_template(), data_dir)
    secrets = json.loads((data_dir / "demo-logins.json").read_text())
    people = {badge["name"]: badge["person_id"] for badge in secrets["badges"]}
    passwords = {login["username"]: login["password"] for login in secrets["logins"]}
    investigator = _add_investigator(data_dir, people["Marta Velez"])
    people["Ines Varga"] = investigator
    with app_on(data_dir) as app:
        passwords["ines"] = _login(app.showclear, "Dust and Iron", investigator, "ines")
        passwords["jo"] = _login(app.showclear, "Dust and Iron", people["Jo Carver"], "jo")
        other = app.showclear("init", "--production", "Red River", "--armorer", "Riley Quinn")
        assert other.returncode == 0, other.stderr
        passwords["riley"] = _login(app.showclear, "Red River", "person-1", "riley")
        browsers = {}
        for username in ("marta", "sam", "pat", "ines", "dana", "ruth", "jo", "riley"):
            browsers[username] = app.client()
            # Signed in, they land on their production's board (cast sees no board: 403).
            _, landed, _ = browsers[username].sign_in(username, passwords[username])
            assert "/login/" not in landed, f"{username} could not sign in"
        browsers["nobody"] = app.client()
        yield Site(app.base, secrets["slug"], browsers, people)


PAGES = (
    "firearm/R-02/trace/?from=2026-10-12T00:00&to=2026-10-15T00:00",
    "firearm/R-02/trace/round/?position=chamber+1",
    "lot/B-01/trace/?from=2026-10-09T00:00&to=2026-10-15T00:00",
    "person/person-1/trace/",
)


@pytest.mark.parametrize("who", ["ines", "pat", "marta", "sam"])
def test_the_investigator_the_safety_supervisor_and_the_armorers_open_every_trace_page(
    site: Site, who: str
) -> None:
    for page in PAGES:
        status, _, body = site.get(who, page)
        assert status == 200, f"{who} {page}: {status}"
        assert re.search(r"entry #\d+", body), f"{who} {page} names no ledger entry"


@pytest.mark.parametrize("who", ["dana", "ruth", "jo", "riley"])
def test_every_other_role_and_another_productions_login_are_refused(site: Site, who: str) -> None:
    for page in PAGES:
        status, _, _ = site.get(who, page)
        assert status == 403, f"{who} {page}: {status}"


def test_nobody_signed_in_is_sent_to_the_login_page(site: Site) -> None:
    for page in PAGES:
        status, url, _ = site.get("nobody", page)
        assert status == 200
        assert "/login/?next=" in url


def test_the_round_page_names_the_lot_its_supplier_the_load_and_the_planned_discharge(
    site: Site,
) -> None:
    status, _, body = site.get("ines", "firearm/R-02/trace/round/?position=1")
    assert status == 200
    for words in (
        "Blank lot B-01",
        "Stembridge Gun Rentals",
        "delivery note DN-5532",
        "Loaded 2 rounds of lot B-01 into chamber 1, chamber 2 for scene 21",
        "fired from chamber 1, chamber 2 (lot B-01, B-01) in a planned take",
        "by other, witnessed by Pat Kimura (safety supervisor)",
    ):
        assert words in body, words


def test_a_firearm_s_timeline_keeps_its_window(site: Site) -> None:
    _, _, whole = site.get("pat", "firearm/R-02/trace/?from=2026-10-12T00:00&to=2026-10-15T00:00")
    _, _, prep = site.get("pat", "firearm/R-02/trace/?from=2026-10-12T00:00&to=2026-10-12T23:59")
    entries = re.findall(r"entry #(\d+)", whole)
    assert len(re.findall(r"entry #(\d+)", prep)) < len(entries)
    assert "Received from Western Prop Rentals" in prep


def test_bad_input_says_what_is_wrong_and_never_fails(site: Site) -> None:
    status, _, body = site.get("ines", "firearm/R-02/trace/?from=yesterday")
    assert status == 200
    assert 'role="alert"' in body
    assert "is not a date and time (for example 2026-10-14T10:21)" in body
    status, _, body = site.get("ines", "firearm/R-02/trace/?from=2026-10-14T00:00&to=2026-10-13")
    assert "The window starts after it ends" in body
    status, _, body = site.get("ines", "firearm/R-02/trace/round/?position=chamber+9")
    assert status == 200
    assert "R-02 has no position 'chamber 9'" in body
    status, _, body = site.get("ines", "firearm/R-02/trace/round/?position=1&at=2026-10-12T23:00")
    assert "No round was loaded into chamber 1 of R-02" in body
    assert site.get("ines", "firearm/R-99/trace/")[0] == 404
    assert site.get("ines", "lot/Z-9/trace/")[0] == 404
    assert site.get("ines", "person/nobody-here/trace/")[0] == 404


def test_the_firearm_and_lot_pages_link_to_their_traces_for_those_who_may_open_them(
    site: Site,
) -> None:
    _, _, firearm = site.get("marta", "firearm/R-02/")
    assert f"/p/{site.slug}/firearm/R-02/trace/" in firearm
    _, _, lot = site.get("pat", "lot/B-01/")
    assert f"/p/{site.slug}/lot/B-01/trace/" in lot
    _, _, not_for_dana = site.get("dana", "firearm/R-02/")
    assert "/trace/" not in not_for_dana
