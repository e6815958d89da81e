"""``showclear import`` as a process: a dry run says what it would record, an import records the
file whole, and a refused file exits 2 listing every problem by line and column, with nothing
recorded. On SQLite and (when asked for) PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from paperwork_set import MANIFEST, PEOPLE, Paperwork, csv_file, showclear


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_file(text))
    return path


def test_a_dry_run_prints_each_line_and_what_it_would_record_and_records_nothing(
    paperwork: Paperwork, tmp_path: Path
) -> None:
    size = paperwork.size
    manifest = _file(tmp_path, "manifest.csv", MANIFEST)

    ran = showclear(paperwork.database, "import", "manifest", str(manifest), "--dry-run")

    assert ran.code == 0, ran.err
    assert f"Dry run: {manifest} would record 6 entries (nothing was recorded):" in ran.out
    assert (
        "  line 2: receive revolver R-01: Colt Single Action Army, .45 Colt, serial SA-41872"
        in ran.out
    )
    assert paperwork.size == size


def test_an_import_records_the_whole_file_and_the_ledger_stays_intact(
    paperwork: Paperwork, tmp_path: Path
) -> None:
    size = paperwork.size
    people = _file(tmp_path, "people.csv", PEOPLE)

    ran = showclear(paperwork.database, "import", "people", str(people), "--by", "Hannah Reed")

    assert ran.code == 0, ran.err
    assert f"Imported {people}: 13 entries recorded (entries {size} to {size + 12})" in ran.out
    assert paperwork.size == size + 13  # six people, seven training records
    verified = showclear(paperwork.database, "verify")
    assert verified.code == 0, verified.err
    assert verified.out.startswith("intact:")


def test_a_refused_file_exits_2_with_every_problem_and_records_nothing(
    paperwork: Paperwork, tmp_path: Path
) -> None:
    size = paperwork.size
    bad = _file(
        tmp_path,
        "bad.csv",
        MANIFEST.replace(".44-40", ".44 Auto")
        .replace('"1,000"', "a box")
        .replace("DX-1106", "SA-41872"),
    )

    ran = showclear(paperwork.database, "import", "manifest", str(bad))

    assert ran.code == 2
    assert ran.out == ""
    assert (
        f"showclear: {bad}: the manifest was not imported (3 problems; nothing was recorded):"
        in ran.err
    )
    assert "  line 4, column 5 (Calibre): unknown calibre '.44 Auto'" in ran.err
    assert "  line 5, column 6 (Serial #): serial SA-41872 is already on line 2" in ran.err
    assert "  line 6, column 10 (Qty): 'a box' is not a number" in ran.err
    assert paperwork.size == size


def test_a_file_that_cannot_be_read_or_a_stranger_importing_exits_2(
    paperwork: Paperwork, tmp_path: Path
) -> None:
    missing = showclear(paperwork.database, "import", "people", str(tmp_path / "nope.csv"))
    people = _file(tmp_path, "people.csv", PEOPLE)
    stranger = showclear(paperwork.database, "import", "people", str(people), "--by", "Nobody")

    assert missing.code == 2
    assert "cannot read" in missing.err
    assert stranger.code == 2
    assert "has no one (or several people) called 'Nobody'" in stranger.err
    assert paperwork.size == 1
