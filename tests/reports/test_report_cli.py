"""``showclear report`` as a process: what it writes, where, and a clear exit 2 for a report
that cannot be drawn (nothing is written)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from demo_with_incident import DemoWithIncident

from showclear.cli import demo as script
from showclear.reports import exports


def test_a_report_is_written_to_a_file_named_for_it_in_the_current_folder(
    western: DemoWithIncident, tmp_path: Path
) -> None:
    ran = western.showclear("report", "daily-log", "--day", "2026-10-13", cwd=tmp_path)

    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "daily-log-2026-10-13.pdf").read_bytes().startswith(b"%PDF-")
    assert ran.stdout.startswith("Wrote daily-log-2026-10-13.pdf (")


def test_the_bound_book_goes_to_standard_output_as_csv(western: DemoWithIncident) -> None:
    ran = western.showclear("report", "bound-book", "--out", "-")

    assert ran.returncode == 0, ran.stderr
    rows = list(csv.reader(io.StringIO(ran.stdout.lstrip("\ufeff"))))
    assert tuple(rows[0]) == exports.BOUND_BOOK
    assert [row[4] for row in rows[1:]] == [serial for _, serial, *_ in script.FIREARMS]


def test_a_history_view_as_csv_names_its_firearm(western: DemoWithIncident) -> None:
    ran = western.showclear(
        "report", "history", "--firearm", "R-04", "--until", "2026-10-13", "--out", "-"
    )

    assert ran.returncode == 0, ran.stderr
    rows = list(csv.DictReader(io.StringIO(ran.stdout.lstrip("\ufeff"))))
    assert rows, "R-04 has a history before day two"
    assert all("R-04" in row["about"] for row in rows)
    assert all(row["recorded at"] < "2026-10-14" for row in rows)


def test_a_report_that_cannot_be_drawn_exits_2_and_writes_nothing(
    western: DemoWithIncident, tmp_path: Path
) -> None:
    cases = {
        ("firearm", "R-99"): "no firearm is tagged 'R-99' (or has that serial)",
        (
            "wrap",
            "--day",
            "day-9",
        ): "'day-9' is not a day: give a date (YYYY-MM-DD) or a shoot day (day-1, day-2)",
        ("incident", "incident-7"): "there is no incident 'incident-7'; the incidents: incident-1",
        ("history", "--lot", "Z-9"): "there is no lot 'Z-9'",
    }
    for args, said in cases.items():
        ran = western.showclear("report", *args, cwd=tmp_path)

        assert ran.returncode == 2, args
        assert said in ran.stderr, ran.stderr
    assert list(tmp_path.iterdir()) == []
