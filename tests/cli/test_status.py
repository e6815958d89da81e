"""``showclear status`` on the demo production in the middle of shoot day two: who holds what
right now, what is locked away, and what needs attention; as a table and as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "showclear"]


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOWCLEAR_")}
    env["SHOWCLEAR_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [*COMMAND, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def shoot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the demo production, built once for this module."""
    data_dir = tmp_path_factory.mktemp("demo")
    built = _run(data_dir, "demo", "--no-serve", "--day-two", "2026-10-14")
    assert built.returncode == 0, built.stdout + built.stderr
    return data_dir


@pytest.fixture(scope="module")
def report(shoot: Path) -> dict:
    done = _run(shoot, "status", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_json_shows_the_revolvers_out_with_their_performers_loaded_with_dummies(report) -> None:
    out = {f["tag"]: f for f in report["firearms"] if f["holder"] is not None}
    assert {tag: f["holder"]["name"] for tag, f in out.items()} == {
        "R-01": "Jo Carver",
        "R-04": "Eli Stone",
    }
    for firearm in out.values():
        assert firearm["holder"]["roles"] == ["cast"]
        assert firearm["scene"] == "34"
        assert (firearm["condition"], firearm["rounds"]) == ("dummies", 6)
        assert set(firearm["positions"].values()) == {"D-01"}
        assert firearm["last_inspection"]["name"] == "Marta Velez (armorer)"
        assert firearm["last_inspection"]["barrel_clear"] is True
    scene = next(s for s in report["scenes"] if s["scene"] == "34")
    assert scene["status"] == "started"


def test_json_shows_the_other_firearms_cold_and_locked_in_the_safe(report) -> None:
    away = [f for f in report["firearms"] if f["holder"] is None]
    assert len(away) == 6
    for firearm in away:
        assert firearm["container"] == {
            "tag": "SAFE-1",
            "label": "Armory safe SAFE-1",
            "locked": True,
        }
        assert firearm["condition"] == "cold"
        assert firearm["needs_inspection"] is None
        assert firearm["last_inspection"] is not None


def test_json_accounts_for_every_round_and_flags_the_lot_still_being_verified(report) -> None:
    dummies = next(lot for lot in report["lots"] if lot["tag"] == "D-01")
    assert dummies["received"] == 100
    assert (dummies["in_box"], dummies["in_firearms"]) == (64, 12)
    assert dummies["in_containers"] == {"BELT-1": 12, "BELT-2": 12}
    assert dummies["container"]["locked"] is True
    late = next(lot for lot in report["lots"] if lot["tag"] == "D-04")
    assert (late["usable"], late["unverified"]) == (False, 30)
    assert report["alerts"] == ["Dummy lot D-04 is quarantined: 30 rounds not verified."]
    assert report["stop_work"] is None
    belts = {
        b["tag"]: b["custodian"]["name"] for b in report["containers"] if b["kind"] == "gun-belt"
    }
    assert belts == {"BELT-1": "Jo Carver", "BELT-2": "Eli Stone"}


def test_the_table_says_who_holds_what_in_which_condition(shoot: Path) -> None:
    done = _run(shoot, "status")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Dust and Iron: ")
    assert "Running now: scene 34, Showdown at the livery" in done.stdout
    r01 = next(line for line in lines if line.startswith("R-01 "))
    assert "with Jo Carver (cast), scene 34" in r01
    assert "dummies (6)" in r01
    s07 = next(line for line in lines if line.startswith("S-07 "))
    assert "in Armory safe SAFE-1 (locked)" in s07
    assert "cold" in s07
    b01 = next(line for line in lines if line.startswith("B-01 "))
    assert "in Lockbox AMMO-1 (locked)" in b01
    assert "usable" in b01
    header = next(line for line in lines if line.startswith("TAG   FIREARM"))
    column = header.index("WHERE")
    assert r01[column:].startswith("with Jo Carver")  # the columns line up
    assert lines[-1] == "- Dummy lot D-04 is quarantined: 30 rounds not verified."


def test_status_for_an_unknown_production_is_a_clear_refusal(shoot: Path) -> None:
    for args in (
        ("status", "--production", "Gunsmoke Pass"),
        ("status", "--json", "--production", "Gunsmoke Pass"),
    ):
        done = _run(shoot, *args)
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr == "showclear: there is no production named 'Gunsmoke Pass'\n"


def test_status_with_no_production_yet_says_to_create_one(tmp_path: Path) -> None:
    done = _run(tmp_path, "status")

    assert done.returncode == 2
    assert "there is no production yet" in done.stderr
    assert "Traceback" not in done.stderr


def test_status_of_a_new_production_has_empty_tables_and_nothing_missing(tmp_path: Path) -> None:
    assert (
        _run(tmp_path, "init", "--production", "Dry Creek", "--armorer", "Ana Ruiz").returncode == 0
    )

    table = _run(tmp_path, "status", "--production", "Dry Creek")
    report = json.loads(_run(tmp_path, "status", "--json").stdout)

    assert table.returncode == 0, table.stderr
    assert "- nothing: every firearm and round is accounted for." in table.stdout
    assert (report["entries"], report["firearms"], report["lots"]) == (1, [], [])
    assert report["people"][0]["name"] == "Ana Ruiz"
