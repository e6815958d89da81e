"""Imports learn units: a schedule's scenes and a roster's new people may name their unit (by
id or name; empty is the main unit), and a unit not yet formed is refused whole."""

from __future__ import annotations

from paperwork_set import MANIFEST, PEOPLE, Paperwork, csv_file

from showclear.core.commands import OpenUnit
from showclear.service import GENESIS_PERSON

SCHEDULE_WITH_UNITS = """\
Shoot day,Date,Scene #,Cast,Props/Weapons,Condition,Unit
1,2026-10-13,12,Jo Carver,R-01,cold,
2,2026-10-14,30,Kit Brannigan,W-06,cold,Second unit
2,2026-10-14,31,Kit Brannigan,P-08,cold,second
"""

PEOPLE_WITH_UNITS = """\
Full name,Department,Shooting unit
Rae Quinn,assistant armorer,second
Tom Fay,1st AD,
"""


def second_unit(paperwork: Paperwork) -> None:
    paperwork.service.execute(
        paperwork.production,
        OpenUnit("second", "Second unit", "Red Mesa quarry, 30 km north"),
        person_id=GENESIS_PERSON,
        device="test",
    )


def test_a_schedule_plans_each_scene_for_the_unit_it_names_and_the_main_unit_otherwise(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))
    second_unit(paperwork)

    done = paperwork.imported("schedule", csv_file(SCHEDULE_WITH_UNITS))

    scenes = paperwork.state.scenes
    assert {s: scenes[s].unit for s in scenes} == {"12": "main", "30": "second", "31": "second"}
    assert any(
        "plan scene 30 on day-2 at Second unit (Red Mesa quarry, 30 km north)" in step.says
        for step in done.steps
    )


def test_a_schedule_naming_a_unit_not_formed_is_refused_whole(paperwork: Paperwork) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))

    problems = paperwork.refused("schedule", csv_file(SCHEDULE_WITH_UNITS))

    assert any(
        "no unit 'Second unit' is formed on the production (Main unit): form it first" in p
        for p in problems
    )


def test_people_new_to_the_roster_start_at_the_unit_their_line_names(
    paperwork: Paperwork,
) -> None:
    second_unit(paperwork)

    paperwork.imported("people", csv_file(PEOPLE_WITH_UNITS))

    state = paperwork.state
    assert state.people[paperwork.person("Rae Quinn")].unit == "second"
    assert state.people[paperwork.person("Tom Fay")].unit == "main"
