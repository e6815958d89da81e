"""``showclear init --zone`` sets the production's time zone, or refuses a name it does not
know (exit 2, one clear line, nothing created); ``status`` and ``trace`` then say their times
in that zone for people, and in UTC in their JSON for scripts."""

from __future__ import annotations

import json
import re

import pytest

PRODUCTION = "Dead Man's Gulch"


def test_an_unknown_zone_is_refused_clearly_and_creates_nothing(showclear) -> None:
    done = showclear(
        "init", "--production", PRODUCTION, "--armorer", "Sarah Zachry", "--zone", "Mars/Olympus"
    )
    assert done.code == 2, done.output
    assert done.err.strip() == (
        "showclear: there is no time zone called 'Mars/Olympus': give its IANA name, like "
        "America/Denver, Europe/London or UTC"
    )
    assert "Traceback" not in done.output
    later = showclear("status")
    assert later.code == 2
    assert "there is no production yet" in later.err


@pytest.fixture
def in_denver(showclear):
    done = showclear(
        "init", "--production", PRODUCTION, "--armorer", "Sarah Zachry", "--zone", "America/Denver"
    )
    assert done.code == 0, done.output
    assert "Time zone: America/Denver (times are said in it)" in done.out
    return done


def test_status_says_its_times_in_the_zone_and_its_json_in_utc(showclear, in_denver) -> None:
    text = showclear("status")
    assert text.code == 0, text.output
    first = text.out.splitlines()[0]
    assert re.search(r"the last at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d M[SD]T \(UTC-0[67]:00\)$", first)
    as_json = json.loads(showclear("status", "--json").out)
    assert as_json["as_of"].endswith("Z")


def test_trace_says_its_times_in_the_zone_and_its_json_in_utc(showclear, in_denver) -> None:
    text = showclear("trace", "person", "person-1")
    assert text.code == 0, text.output
    lines = [line for line in text.out.splitlines() if line.startswith("#")]
    assert lines, text.out
    assert all(re.search(r" M[SD]T \(UTC-0[67]:00\) ", line) for line in lines), lines
    found = json.loads(showclear("trace", "person", "person-1", "--json").out)
    assert all(line["at"].endswith("Z") for line in found["lines"])
