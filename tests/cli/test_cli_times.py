"""Times the CLI is given that no ledger can hold (``--from 0001-01-01T00:00+01:00`` is in the
year 0 in UTC) are refused with one clear message and exit 2, never a traceback; the widest
times a ledger holds are read."""

from __future__ import annotations

import pytest

PRODUCTION = "Dead Man's Gulch"


@pytest.fixture
def initialized(showclear):
    result = showclear("init", "--production", PRODUCTION, "--armorer", "Sarah Zachry")
    assert result.code == 0, result.output
    return result


def _refused_clearly(result, *words: str) -> None:
    assert result.code == 2, result.output
    assert result.err.startswith("showclear: "), result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in result.err


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--from", "0001-01-01T00:00:00+01:00"),
        ("--to", "9999-12-31T23:59:59-14:00"),
    ],
)
def test_a_trace_window_past_what_a_ledger_holds_is_refused_clearly(
    showclear, initialized, option: str, value: str
) -> None:
    result = showclear("trace", "person", "person-1", option, value)
    _refused_clearly(result, option, "outside the years 0001 to 9999 in UTC")


@pytest.mark.parametrize("value", ["99999-01-01", "0000-01-01", "2026-13-01", "T" * 400])
def test_a_trace_time_that_is_not_a_time_is_refused_clearly(showclear, initialized, value) -> None:
    _refused_clearly(showclear("trace", "person", "person-1", "--from", value), "--from")


@pytest.mark.parametrize(
    ("option", "value"),
    [("--since", "0001-01-01T00:00:00+01:00"), ("--until", "9999-12-31T23:59:59-14:00")],
)
def test_a_history_report_window_past_what_a_ledger_holds_is_refused_clearly(
    showclear, initialized, tmp_path, option: str, value: str
) -> None:
    result = showclear("report", "history", option, value, "--out", str(tmp_path / "h.csv"))
    _refused_clearly(result, option, "outside the years 0001 to 9999 in UTC")


def test_the_widest_window_a_ledger_holds_is_traced(showclear, initialized) -> None:
    result = showclear(
        "trace", "person", "person-1", "--from", "0001-01-01T00:00Z", "--to", "9999-12-31"
    )
    assert result.code == 0, result.output
    assert "Sarah Zachry" in result.out
