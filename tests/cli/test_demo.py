"""``showclear demo --no-serve`` as a new user runs it: a Western mid-shoot, built through the
real commands, its logins, PINs and badges printed, and a second run that builds nothing and
prints them again. Its second shoot day is today in Denver, whenever it is run; the other
tests pin it (``--day-two 2026-10-14``) so that their times stay put."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from showclear.cli import demo as western
from showclear.service import Service
from showclear.service.keyring import Keyring

PINNED = ("--day-two", "2026-10-14")
DENVER = ZoneInfo("America/Denver")
USERNAMES = ("marta", "sam", "dana", "pat", "ruth", "hal", "jo", "lee", "theo")
EVERY_ROLE = {
    "armorer",
    "assistant armorer",
    "first AD",
    "safety supervisor",
    "producer",
    "investigator",
    "cast",
    "stunt performer",
    "crew",
}
CONFIRMING_ROLES = EVERY_ROLE - {"investigator", "crew"}
BADGE_CODE = re.compile(r"[0-9A-Z]{6}-[0-9A-Z]{7}-[0-9A-Z]{7}")
HEADING = ("role", "name", "login", "password", "PIN", "badge code")


def table(output: str) -> list[dict[str, str]]:
    """The printed table of people, a dict per row, cut at the heading's column starts."""
    lines = output.splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.split() == [*HEADING[:5], "badge", "code"]
    )
    heading = lines[start]
    cuts = [heading.index(f"  {column}") + 2 for column in HEADING[1:]]
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        bounds = zip([0, *cuts], [*cuts, None], strict=True)
        cells = [line[a:b].strip() for a, b in bounds]
        rows.append(dict(zip(HEADING, cells, strict=True)))
    return rows


def table_lines(output: str) -> list[str]:
    """The lines of the printed table, its heading included."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  role "))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("  "))
    return lines[start:end]


def _logins(output: str) -> dict[str, str]:
    return {row["login"]: row["password"] for row in table(output) if row["login"] != "-"}


@pytest.fixture
def demo(showclear):
    """``showclear demo --no-serve``, its second day pinned to 2026-10-14, run once."""
    result = showclear("demo", "--no-serve", *PINNED)
    assert result.code == 0, result.output
    return result


def test_demo_builds_a_western_with_two_shoot_days_through_the_real_commands(
    showclear, demo
) -> None:
    assert "none refused, no warnings" in demo.out
    assert "Shoot day two is Wednesday 14 October 2026 in America/Denver." in demo.out
    assert "Traceback" not in demo.output

    report = json.loads(showclear("status", "--json").out)
    assert report["production"] == "Dust and Iron"
    assert len(report["firearms"]) == 8
    assert {f["type"] for f in report["firearms"]} == {
        "revolver",
        "lever-action rifle",
        "shotgun",
    }
    assert sum(f["capacity"] == 6 for f in report["firearms"]) == 5  # six-shot revolvers
    assert [f["tag"] for f in report["firearms"] if f["class"] == "non-firing-replica"] == ["P-08"]
    assert len(report["lots"]) == 6
    assert {lot["kind"] for lot in report["lots"]} == {"dummy", "blank"}
    assert all(lot["supplier"] and lot["document"] for lot in report["lots"])
    assert len(report["scenes"]) == 7
    assert {(s["day"], s["date"]) for s in report["scenes"]} == {
        ("day-1", "2026-10-13"),
        ("day-2", "2026-10-14"),
    }
    assert len(report["people"]) == 13
    assert report["people"][-1]["label"] == "Theo Brandt (investigator)"
    performers = [p for p in report["people"] if {"cast", "stunt"} & set(p["roles"])]
    assert len(performers) == 6
    # Day one is complete: every day-one scene wrapped, blanks fired in takes, nothing lost.
    day_one = [s for s in report["scenes"] if s["day"] == "day-1"]
    assert {s["status"] for s in day_one} == {"wrapped"}
    assert sum(lot["fired"] for lot in report["lots"]) == 6
    assert all(lot["unaccounted"] == 0 for lot in report["lots"])
    # Day two's first scene was the second unit's, at Red Mesa, 30 km away: the rifle went there
    # and came back by handovers between the armorers, each recorded by both.
    units = {u["unit"]: u for u in report["units"]}
    assert units["second"]["label"] == "Second unit (Red Mesa quarry, 30 km north)"
    assert [s["scene"] for s in report["scenes"] if s["unit"] == "second"] == ["30"]
    assert all(f["unit"] == "main" for f in report["firearms"])
    history = showclear("trace", "firearm", "W-06", "--production", "Dust and Iron")
    assert history.code == 0, history.output
    assert "Dispatched from Main unit to Sam Ortiz (assistant armorer) at Second unit" in (
        history.out
    )
    assert "Receipt confirmed at Second unit (Red Mesa quarry, 30 km north)" in history.out


def test_the_demo_ledger_verifies_intact(showclear, demo) -> None:
    verified = showclear("verify", "--production", "Dust and Iron")
    assert verified.code == 0, verified.output
    assert verified.out.startswith("intact: 'Dust and Iron': ")


READ_LEDGER = """
import json
from showclear.service import Service
service = Service.from_environment()
production = service.production()
entries = [json.loads(body) for batch in service.store.entry_batches(production) for body in batch]
print(json.dumps({
    "zone": service.state(production).zone,
    "recorded_at": [entry["recorded_at"] for entry in entries],
}))
"""


def _ledger(database: Any) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", READ_LEDGER],
        env=database.environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _instant(recorded_at: str) -> datetime:
    return datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))


def test_the_second_shoot_day_is_today_in_denver_and_nothing_is_recorded_after_now(
    showclear, database
) -> None:
    today_before = datetime.now(DENVER).date()

    result = showclear("demo", "--no-serve")

    now = datetime.now(UTC)
    assert result.code == 0, result.output
    today = {today_before, now.astimezone(DENVER).date()}  # the run may straddle midnight
    report = json.loads(showclear("status", "--json").out)
    days = {s["day"]: s["date"] for s in report["scenes"]}
    assert date.fromisoformat(days["day-2"]) in today
    second = date.fromisoformat(days["day-2"])
    assert date.fromisoformat(days["day-1"]) == second - timedelta(days=1)
    assert f"Shoot day two is {second:%A %d %B %Y} in America/Denver" in result.out
    # The dates of the script move with the days: the late box came the day before.
    late = next(lot for lot in report["lots"] if lot["tag"] == "D-04")
    assert late["delivered_on"] == (second - timedelta(days=1)).isoformat()
    ledger = _ledger(database)
    assert ledger["zone"] == "America/Denver"
    times = [_instant(each) for each in ledger["recorded_at"]]
    assert times == sorted(times), "the ledger's times keep the script's order"
    assert max(times) < now, "nothing is recorded after the demo was run"
    assert max(times).astimezone(DENVER).date() == second


def _service(database: Any, now: datetime) -> Service:
    service = Service(store=database.open_store(), keyring=Keyring(database.data_dir))
    service.clock = lambda: now
    return service


def _recorded(service: Service, built: western.Built) -> list[datetime]:
    bodies = [b for batch in service.store.entry_batches(built.production) for b in batch]
    return [_instant(json.loads(body)["recorded_at"]) for body in bodies]


def test_a_demo_built_at_dawn_in_denver_squeezes_its_second_day_before_now(database) -> None:
    dawn = datetime(2026, 10, 14, 5, 0, tzinfo=DENVER)  # before day two's first call, 06:45
    service = _service(database, dawn.astimezone(UTC))
    try:
        built = western.build(service, western.Credentials.fresh())
        times = _recorded(service, built)
    finally:
        service.store.close()

    assert (built.days.prep, built.days.one, built.days.two) == (
        date(2026, 10, 12),
        date(2026, 10, 13),
        date(2026, 10, 14),
    )
    assert built.days.squeeze == pytest.approx(5 / 11)
    assert times == sorted(times)
    assert max(times) < dawn
    day_two = [t.astimezone(DENVER) for t in times if t.astimezone(DENVER).date() == built.days.two]
    # 06:45, the new box's delivery, is 06:45 x 5/11 after midnight: 03:04 (a little after).
    assert f"{day_two[0]:%H:%M}" == "03:04"
    assert len(day_two) > 50


def test_a_pinned_second_day_is_laid_out_whole_on_its_date(database) -> None:
    later = datetime(2026, 12, 6, 4, 0, tzinfo=DENVER)  # early, but day two is pinned
    service = _service(database, later.astimezone(UTC))
    try:
        built = western.build(service, western.Credentials.fresh(), day_two=date(2026, 10, 14))
        times = _recorded(service, built)
    finally:
        service.store.close()

    assert built.days.squeeze == 1
    local = [t.astimezone(DENVER) for t in times]
    assert f"{local[0]:%Y-%m-%d %H:%M %Z}" == "2026-10-12 08:00 MDT"
    day_two = [t for t in local if t.date() == date(2026, 10, 14)]
    assert f"{day_two[0]:%H:%M}" == "06:45"
    assert "10:30" < f"{day_two[-1]:%H:%M}" < "11:00"


def test_demo_prints_every_login_pin_and_badge_in_a_table_of_at_most_100_columns(
    demo, database
) -> None:
    assert "http://127.0.0.1:8000/" in demo.out
    rows = table(demo.out)
    assert len(rows) == 13
    assert {row["role"] for row in rows} == EVERY_ROLE
    logins = _logins(demo.out)
    assert sorted(logins) == sorted(USERNAMES)
    assert all(len(password) >= 12 for password in logins.values())
    assert {row["role"] for row in rows if row["login"] != "-"} == EVERY_ROLE
    assert all(BADGE_CODE.fullmatch(row["badge code"]) for row in rows)
    assert {row["role"] for row in rows if re.fullmatch(r"\d{6}", row["PIN"])} == (CONFIRMING_ROLES)
    assert all(row["PIN"] == "-" for row in rows if row["role"] not in CONFIRMING_ROLES)
    assert max(len(line) for line in table_lines(demo.out)) <= 100
    kept = database.data_dir / "demo-logins.json"
    assert str(kept) in demo.out
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    saved = json.loads(kept.read_text())
    assert {login["username"]: login["password"] for login in saved["logins"]} == logins
    assert {b["name"]: (b["pin"] or "-", b["badge"]) for b in saved["badges"]} == {
        row["name"]: (row["PIN"], row["badge code"]) for row in rows
    }


def test_a_second_demo_run_builds_nothing_and_prints_the_same_logins(showclear, demo) -> None:
    entries = json.loads(showclear("status", "--json").out)["entries"]

    again = showclear("demo", "--no-serve")

    assert again.code == 0, again.output
    assert "'Dust and Iron' is already built" in again.out
    assert table(again.out) == table(demo.out)
    assert json.loads(showclear("status", "--json").out)["entries"] == entries


CHECK_CREDENTIALS = """
import json, sys
from showclear.web.setup import django_setup
django_setup()
from django.contrib.auth import authenticate, get_user_model
from showclear.service.credential_desk import Checked
from showclear.service import Service
from showclear.web.accounts.models import Membership
kept = json.load(open(sys.argv[1]))
service = Service.from_environment()
production = service.production()
people = service.state(production).people
ledger = b"".join(body for batch in service.store.entry_batches(production) for body in batch)
def confirms(person_id, presented):
    checked = service.credentials.confirm_in_person(
        production, person_id, presented, actor="person-1")
    return isinstance(checked, Checked)
def acts_as(login):
    user = authenticate(username=login["username"], password=login["password"])
    if user is None:
        return None
    membership = Membership.objects.get(user=user, production_slug=production.slug)
    return sorted(people[membership.person_id].roles)
print(json.dumps({
    "logins": {l["username"]: acts_as(l) for l in kept["logins"]},
    "stored": [get_user_model().objects.get(username=l["username"]).password != l["password"]
               for l in kept["logins"]],
    "pins": {b["name"]: confirms(b["person_id"], b["pin"]) for b in kept["badges"] if b["pin"]},
    "badges": [confirms(b["person_id"], "SC1:B:" + b["badge"]) for b in kept["badges"]],
    "secret_in_ledger": any(
        secret.encode() in ledger for b in kept["badges"] for secret in (b["badge"], b["pin"])
        if secret) or b"$argon2" in ledger,
}))
"""

CONFIRMERS = {
    "Marta Velez",
    "Sam Ortiz",
    "Dana Hale",
    "Pat Kimura",
    "Ruth Calloway",
    "Jo Carver",
    "Eli Stone",
    "Rosa Delgado",
    "Will Tanner",
    "Lee Marsh",
    "Kit Brannigan",
}


def _checked(database: Any) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHECK_CREDENTIALS, str(database.data_dir / "demo-logins.json")],
        env=database.environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_every_role_signs_in_and_every_confirmer_s_pin_and_badge_confirm_but_are_not_in_the_ledger(
    demo, database
) -> None:
    checked = _checked(database)

    assert checked["logins"] == {
        "marta": ["armorer"],
        "sam": ["assistant-armorer"],
        "dana": ["first-ad"],
        "pat": ["safety-supervisor"],
        "ruth": ["producer"],
        "hal": ["crew"],
        "jo": ["cast"],
        "lee": ["stunt"],
        "theo": ["investigator"],
    }
    assert checked["stored"] == [True] * 9  # Django keeps the hash, never the password
    assert checked["pins"] == dict.fromkeys(CONFIRMERS, True)
    assert checked["badges"] == [True] * 13
    assert checked["secret_in_ledger"] is False


def _as_an_earlier_demo_wrote_it(saved: dict[str, Any]) -> dict[str, Any]:
    """The logins file of the demo before every role had a login: five logins, PINs for the
    performers only, no badge serials, no investigator."""
    performers = {"cast", "stunt"}
    return {
        "production": saved["production"],
        "slug": saved["slug"],
        "logins": [login for login in saved["logins"] if login["username"] in USERNAMES[:5]],
        "badges": [
            {
                "person_id": b["person_id"],
                "name": b["name"],
                "role": b["role"],
                "badge": b["badge"],
                "pin": b["pin"] if b["role"] in performers else "",
            }
            for b in saved["badges"]
            if b["role"] != "investigator"
        ],
    }


def test_an_older_logins_file_is_completed_not_a_crash(showclear, demo, database) -> None:
    kept = database.data_dir / "demo-logins.json"
    kept.write_text(json.dumps(_as_an_earlier_demo_wrote_it(json.loads(kept.read_text()))))

    again = showclear("demo", "--no-serve")

    assert again.code == 0, again.output
    assert "Traceback" not in again.output
    rows = table(again.out)
    assert [row["name"] for row in rows] == [row["name"] for row in table(demo.out)]
    assert {row["role"] for row in rows if row["login"] != "-"} == EVERY_ROLE
    assert {row["name"] for row in rows if row["PIN"] != "-"} == CONFIRMERS
    assert _logins(again.out)["marta"] == _logins(demo.out)["marta"]  # kept as it was
    checked = _checked(database)
    assert all(checked["logins"].values())
    assert checked["pins"] == dict.fromkeys(CONFIRMERS, True)
    assert checked["badges"] == [True] * 13


def test_a_logins_file_that_cannot_be_read_is_said_not_a_crash(showclear, demo, database) -> None:
    (database.data_dir / "demo-logins.json").write_text(
        '{"production": "Dust and Iron", "logins": 7}'
    )

    again = showclear("demo", "--no-serve")

    assert again.code == 0, again.output
    assert "Traceback" not in again.output
    assert "The logins of 'Dust and Iron' are not in" in again.err
