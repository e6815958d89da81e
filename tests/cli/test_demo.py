"""``showclear demo --no-serve`` as a new user runs it: a Western mid-shoot, built through the
real commands, its logins printed, and a second run that builds nothing and prints them again."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys

import pytest

USERNAMES = ("marta", "sam", "dana", "pat", "ruth")


def _logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"^  (marta|sam|dana|pat|ruth) +(\S+) ", output, flags=re.MULTILINE))


@pytest.fixture
def demo(showclear):
    """``showclear demo --no-serve``, run once."""
    result = showclear("demo", "--no-serve")
    assert result.code == 0, result.output
    return result


def test_demo_builds_a_western_with_two_shoot_days_through_the_real_commands(
    showclear, demo
) -> None:
    assert "none refused, no warnings" in demo.out
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
    assert {s["day"] for s in report["scenes"]} == {"day-1", "day-2"}
    assert len(report["people"]) == 12
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


def test_demo_prints_the_url_the_crew_logins_and_two_performers_pins(demo, database) -> None:
    assert "http://127.0.0.1:8000/" in demo.out
    logins = _logins(demo.out)
    assert sorted(logins) == sorted(USERNAMES)
    assert all(len(password) >= 12 for password in logins.values())
    badges = r"badge [0-9A-Z]{6}-[0-9A-Z]{7}-[0-9A-Z]{7}, PIN \d{6}$"
    assert len(re.findall(badges, demo.out, re.MULTILINE)) == 2
    kept = database.data_dir / "demo-logins.json"
    assert str(kept) in demo.out
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    saved = json.loads(kept.read_text())
    assert {login["username"]: login["password"] for login in saved["logins"]} == logins


def test_a_second_demo_run_builds_nothing_and_prints_the_same_logins(showclear, demo) -> None:
    entries = json.loads(showclear("status", "--json").out)["entries"]

    again = showclear("demo", "--no-serve")

    assert again.code == 0, again.output
    assert "'Dust and Iron' is already built" in again.out
    assert _logins(again.out) == _logins(demo.out)
    assert json.loads(showclear("status", "--json").out)["entries"] == entries


CHECK_CREDENTIALS = """
import json, sys
from showclear.web.setup import django_setup
django_setup()
from django.contrib.auth import authenticate, get_user_model
from showclear.service.credential_desk import Checked
from showclear.service import Service
kept = json.load(open(sys.argv[1]))
service = Service.from_environment()
production = service.production()
ledger = b"".join(body for batch in service.store.entry_batches(production) for body in batch)
def confirms(person_id, presented):
    checked = service.credentials.confirm_in_person(
        production, person_id, presented, actor="person-1")
    return isinstance(checked, Checked)
print(json.dumps({
    "logins": [authenticate(username=l["username"], password=l["password"]) is not None
               for l in kept["logins"]],
    "stored": [get_user_model().objects.get(username=l["username"]).password != l["password"]
               for l in kept["logins"]],
    "pins": [confirms(b["person_id"], b["pin"]) for b in kept["badges"] if b["pin"]],
    "badges": [confirms(b["person_id"], "SC1:B:" + b["badge"]) for b in kept["badges"]],
    "secret_in_ledger": any(
        secret.encode() in ledger for b in kept["badges"] for secret in (b["badge"], b["pin"])
        if secret) or b"$argon2" in ledger,
}))
"""


def test_the_printed_logins_sign_in_and_the_badges_and_pins_confirm_but_are_not_in_the_ledger(
    demo, database
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK_CREDENTIALS, str(database.data_dir / "demo-logins.json")],
        env=database.environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    checked = json.loads(done.stdout)
    assert checked["logins"] == [True] * 5
    assert checked["stored"] == [True] * 5  # Django keeps the hash, never the password
    assert checked["pins"] == [True] * 6
    assert checked["badges"] == [True] * 12
    assert checked["secret_in_ledger"] is False
