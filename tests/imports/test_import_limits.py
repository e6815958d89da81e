"""Imports keep to the core's limits: a tag outside the safe characters, or a text longer than
its field may be, refuses the whole file with the problem on its line and column; nothing is
recorded."""

from __future__ import annotations

from paperwork_set import MANIFEST, PEOPLE, SCHEDULE, Paperwork, csv_file

SAFE = "may use only letters A-Z and a-z, digits, '-', '_' and '.', starting with a letter or digit"


def test_a_manifest_tag_with_a_space_or_a_slash_is_refused_on_its_cell(
    paperwork: Paperwork,
) -> None:
    lines = MANIFEST.splitlines()
    lines[1] = lines[1].replace("R-01,", "R 01,", 1)
    lines[2] = lines[2].replace("R-02,", "R/02,", 1)
    problems = paperwork.refused("manifest", csv_file("\n".join(lines) + "\n"))
    assert f"line 2, column 1 (Tag): the tag 'R 01' {SAFE}" in problems
    assert f"line 3, column 1 (Tag): the tag 'R/02' {SAFE}" in problems


def test_a_note_longer_than_its_limit_is_refused_on_its_cell_naming_the_limit(
    paperwork: Paperwork,
) -> None:
    lines = MANIFEST.splitlines()
    lines[0] += ",Notes"
    lines[1] += "," + "n" * 4001
    lines[2:] = [line + "," for line in lines[2:]]
    problems = paperwork.refused("manifest", csv_file("\n".join(lines) + "\n"))
    assert problems == [
        "line 2, column 16 (Notes): notes is 4,001 characters long; at most 4,000 are kept. "
        "Shorten it. (R-INPUT)"
    ]


def test_a_scene_number_with_a_space_is_refused_on_its_cell(paperwork: Paperwork) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))
    schedule = SCHEDULE.replace("\n1,2026-10-13,12,", "\n1,2026-10-13,12 B,", 1)
    problems = paperwork.refused("schedule", csv_file(schedule))
    assert f"line 2, column 3 (Scene #): the scene number '12 B' {SAFE}" in problems
