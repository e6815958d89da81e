"""Imports: a file is recorded whole, in one transaction sealed by one checkpoint, or not at all.

Each import goes through :func:`showclear.imports.run` and the real application service, on
SQLite and (when asked for) PostgreSQL. A refused file leaves the ledger exactly as it was: the
same size, the same checkpoints, the same state.
"""

from __future__ import annotations

import pytest
from paperwork_set import MANIFEST, PEOPLE, SCHEDULE, Paperwork, csv_file

from showclear.core.vocabulary import (
    ASSISTANT_ARMORER,
    BLANK,
    BLANK_ADAPTED,
    CAST,
    FIREARM_SAFETY,
    HOT,
    NON_FIRING_REPLICA,
    magazine_positions,
    revolver_chambers,
)


def test_a_manifest_is_recorded_whole_in_one_transaction_sealed_by_one_checkpoint(
    paperwork: Paperwork,
) -> None:
    size, checkpoints = paperwork.size, paperwork.checkpoints

    done = paperwork.imported("manifest", csv_file(MANIFEST))

    assert done.recorded
    assert paperwork.size == size + 6 == done.last + 1
    assert paperwork.checkpoints == checkpoints + 1, "one checkpoint seals the whole file"
    state = paperwork.state
    r01 = state.firearms["R-01"]
    assert (r01.serial, r01.make, r01.model, r01.calibre) == (
        "SA-41872",
        "Colt",
        "Single Action Army",
        ".45 Colt",
    ), "'.45 LC' is read as the calibre '.45 Colt'"
    assert r01.positions == revolver_chambers(6)
    assert state.firearms["R-02"].firearm_class == BLANK_ADAPTED
    assert state.firearms["W-06"].positions == magazine_positions(10)
    assert state.firearms["P-08"].firearm_class == NON_FIRING_REPLICA
    assert state.firearms["P-08"].positions == ()
    d01, b01 = state.lots["D-01"], state.lots["B-01"]
    assert (d01.received, d01.unverified, d01.supplier) == (1000, 1000, "Acme Dummy Cartridge Co.")
    assert (b01.lot_kind, b01.load, b01.for_firearms, b01.delivered_on) == (
        BLANK,
        "half",
        ("R-02",),
        "2026-10-10",
    )
    assert paperwork.service.verify(paperwork.production).entries == size + 6


def test_people_and_their_training_are_put_on_the_roster_with_the_next_free_ids(
    paperwork: Paperwork,
) -> None:
    done = paperwork.imported("people", csv_file(PEOPLE))

    assert [step.line for step in done.steps].count(2) == 2, "a person and their training"
    state = paperwork.state
    sam = state.people[paperwork.person("Sam Ortiz")]
    assert sam.person_id == "person-2", "the key armorer is person-1"
    assert sam.roles == frozenset({ASSISTANT_ARMORER})
    assert sam.badge_id == "", "a badge code in a spreadsheet is never imported: badges are printed"
    assert b"DI-SAM" not in b"".join(
        body
        for batch in paperwork.service.store.entry_batches(paperwork.production)
        for body in batch
    )
    assert set(sam.trainings) == {FIREARM_SAFETY, "armorer-licence"}
    assert state.people[paperwork.person("Jo Carver")].roles == frozenset({CAST})
    assert len(state.people) == 7


def test_a_schedule_plans_its_days_and_the_scenes_with_firearms_and_skips_the_others(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))

    done = paperwork.imported("schedule", csv_file(SCHEDULE))

    state = paperwork.state
    assert state.days == {"day-1": "2026-10-13", "day-2": "2026-10-14"}
    assert set(state.scenes) == {"12", "21", "30"}
    assert done.skipped == ("line 3: scene 13 lists no firearm: nothing to record",)
    hot = state.scenes["21"]
    assert hot.condition == HOT
    assert hot.rounds == 2
    assert hot.performers == (paperwork.person("Eli Stone"),)
    assert hot.crew == (paperwork.person("Hal Rivera"),)
    assert hot.blank_fire is not None
    assert hot.blank_fire.min_distance_cm == 800
    assert (hot.blank_fire.eye_protection, hot.blank_fire.shields) == (True, False)
    assert state.scenes["30"].firearms == ("W-06", "P-08"), "a serial names its firearm"


def test_a_dry_run_says_what_would_be_recorded_and_records_nothing(paperwork: Paperwork) -> None:
    size, checkpoints = paperwork.size, paperwork.checkpoints

    done = paperwork.imported("manifest", csv_file(MANIFEST), dry_run=True)

    assert not done.recorded
    assert done.entries == 6
    assert [event.kind for events in done.events for event in events] == [
        "firearm.received",
        "firearm.received",
        "firearm.received",
        "firearm.received",
        "lot.received",
        "lot.received",
    ]
    assert "receive revolver R-01: Colt Single Action Army, .45 Colt, serial SA-41872" in (
        done.steps[0].says
    )
    assert (paperwork.size, paperwork.checkpoints) == (size, checkpoints)
    assert "R-01" not in paperwork.state.firearms


def test_columns_are_found_by_header_in_any_order_with_aliases_semicolons_and_a_bom(
    paperwork: Paperwork,
) -> None:
    european = (
        "\ufeffSN;CALIBER;Item type;Asset tag;Make;Model;Firing status;Capacity;Owner;Rate\n"
        "UB-30142;45 Colt;revolver;R-03;Uberti;1873 Cattleman;blank-firing;6;Western;12.50\n"
    )

    done = paperwork.imported("manifest", csv_file(european))

    r03 = paperwork.state.firearms["R-03"]
    assert (r03.serial, r03.calibre, r03.firearm_class) == ("UB-30142", ".45 Colt", BLANK_ADAPTED)
    assert done.ignored == ("Rate",), "a column nobody asked for is listed as ignored"


# -- bad input: refused whole, every problem by line and column, nothing recorded --------------


def test_a_file_in_another_encoding_is_refused_with_the_line_of_each_bad_byte(
    paperwork: Paperwork,
) -> None:
    latin1 = csv_file(PEOPLE.replace("Jo Carver", "Jo Müller"), encoding="latin-1")

    problems = paperwork.refused("people", latin1)

    assert len(problems) == 1
    assert problems[0].startswith("line 5: byte 0xFC (character 5) is not UTF-8 text")
    assert "CSV UTF-8" in problems[0]


def test_a_file_missing_a_column_is_refused_naming_the_column_and_its_aliases(
    paperwork: Paperwork,
) -> None:
    no_calibre = "\n".join(
        ",".join(cell for i, cell in enumerate(line.split(",")) if i != 4)
        for line in MANIFEST.splitlines()
    )

    problems = paperwork.refused("manifest", csv_file(no_calibre))

    assert problems == [
        "line 1: the column 'calibre' is missing: the header needs one of 'calibre', 'caliber', "
        "'cal', 'calibre gauge', 'caliber gauge', 'gauge'"
    ]
    assert "R-01" not in paperwork.state.firearms


def test_duplicated_serials_are_refused_whole_naming_both_lines(paperwork: Paperwork) -> None:
    twice = MANIFEST.replace("UB-30117", "sa 41872")  # the same serial, spaced and cased otherwise

    problems = paperwork.refused("manifest", csv_file(twice))

    assert problems == ["line 3, column 6 (Serial #): serial sa 41872 is already on line 2"]
    assert paperwork.state.firearms == {}, "not even the lines without a problem are recorded"


def test_a_serial_already_on_the_production_is_refused(paperwork: Paperwork) -> None:
    paperwork.imported("manifest", csv_file(MANIFEST))
    again = "Tag,Type,Calibre,Serial,Class,Chambers,Owner\nR-09,revolver,.45 Colt,SA-41872,firing,6,Acme\n"

    problems = paperwork.refused("manifest", csv_file(again))

    assert problems == [
        "line 2, column 4 (Serial): serial SA-41872 is already a firearm's on the production"
    ]


def test_an_unknown_calibre_is_refused_with_the_calibres_to_use(paperwork: Paperwork) -> None:
    odd = MANIFEST.replace("45 Colt,UB-30117", ".46 Special,UB-30117")

    problems = paperwork.refused("manifest", csv_file(odd))

    assert len(problems) == 1
    assert problems[0].startswith("line 3, column 5 (Calibre): unknown calibre '.46 Special'")
    assert "docs/imports.md" in problems[0]


def test_a_count_that_is_not_a_number_is_refused(paperwork: Paperwork) -> None:
    wordy = MANIFEST.replace('"1,000"', "one thousand")

    problems = paperwork.refused("manifest", csv_file(wordy))

    assert problems == [
        "line 6, column 10 (Qty): 'one thousand' is not a number: write the count of rounds as "
        "a whole number"
    ]


def test_a_scene_naming_a_performer_who_does_not_exist_is_refused(paperwork: Paperwork) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))
    stranger = SCHEDULE.replace("Jo Carver; Eli Stone", "Jo Carver; Brandon Lee")

    problems = paperwork.refused("schedule", csv_file(stranger))

    assert problems == [
        "line 2, column 5 (Cast): no one named 'Brandon Lee' is on the roster: import the people "
        "first (showclear import people)"
    ]
    assert paperwork.state.days == {}, "the days of the good lines are not planned either"


def test_every_problem_of_a_file_is_listed_not_only_the_first(paperwork: Paperwork) -> None:
    bad = (
        MANIFEST.replace('"1,000"', "lots")
        .replace("44-40", "44-41")
        .replace("10 Oct 2026", "10/10/26")
    )

    problems = paperwork.refused("manifest", csv_file(bad))

    assert [p.split(":")[0] for p in problems] == [
        "line 4, column 5 (Calibre)",
        "line 6, column 10 (Qty)",
        "line 7, column 13 (Delivery date)",
    ]


def test_a_file_the_safety_rules_refuse_is_refused_whole_with_each_rule_on_its_line(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.hear_refusals()
    performer = paperwork.person("Jo Carver")

    problems = paperwork.refused("manifest", csv_file(MANIFEST), by=performer)

    assert len(problems) == 6
    assert problems[0].startswith("line 2: Jo Carver (cast) cannot receive firearms")
    assert all("(R-HANDOVER)" in problem for problem in problems)
    assert len(paperwork.refusals) == 6, "each refused command is told to the refusal listeners"
    assert {name for name, _ in paperwork.refusals} == {"ReceiveFirearm", "ReceiveLot"}


def test_a_dry_run_of_a_refused_file_lists_the_same_problems_and_tells_no_listener(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.hear_refusals()
    performer = paperwork.person("Jo Carver")
    from showclear import imports

    with pytest.raises(imports.ImportRefused) as refused:
        imports.run(
            paperwork.service,
            paperwork.production,
            "manifest",
            csv_file(MANIFEST),
            person_id=performer,
            dry_run=True,
        )

    assert len(refused.value.problems) == 6
    assert paperwork.refusals == [], "a dry run is not an attempt"


@pytest.mark.parametrize(
    ("kind", "text", "problem"),
    [
        ("manifest", "", "line 1: the file is empty: it needs a header line"),
        (
            "manifest",
            "Tag,Type,Calibre\n",
            "the file: the file has no line with anything to record",
        ),
        (
            "manifest",
            "Tag,Type,Calibre,Count,Supplier,Document,Delivered on\nL-1,live rounds,9mm,5,X,Y,2026-01-01\n",
            "line 2, column 2 (Type): live ammunition is never received on a production (R-LIVE)",
        ),
        (
            "people",
            "Name,Role\nAl Smith,gaffer boss\n",
            "line 2, column 2 (Role): 'gaffer boss' is not a role",
        ),
        (
            "people",
            "Name,Role,Training,Completed\nAl Smith,crew,firearm safety,03/04/2026\n",
            "line 2, column 4 (Completed): '03/04/2026' is not a date",
        ),
        (
            "schedule",
            "Day,Scene,Weapons,Condition\n1,12,R-01,cold\n",
            "line 2, column 3 (Weapons): no firearm is tagged 'R-01'",
        ),
        (
            "manifest",
            'Tag,Type,Calibre,Serial,Class,Chambers,Owner\nR-1,revolver,.45 Colt,"S-1,firing,6,X\n',
            "line 2: this line is not valid CSV",
        ),
        (
            "manifest",
            "Tag,Type,Calibre,Serial,Class,Chambers,Owner\nR-1,revolver,.45 Colt,S-1,firing,6,X,extra\n",
            "line 2, column 8: this line has 8 cells but the header names 7 columns",
        ),
        (
            "manifest",
            "Tag,Asset tag,Type,Calibre\n",
            "line 1, column 2 (Asset tag): this column and column 1 (Tag) both mean 'tag'",
        ),
    ],
)
def test_each_kind_of_bad_cell_is_refused_with_its_place(
    paperwork: Paperwork, kind: str, text: str, problem: str
) -> None:
    problems = paperwork.refused(kind, csv_file(text))

    assert any(p.startswith(problem) for p in problems), problems


def test_a_schedule_says_what_a_performer_may_wear_and_from_which_lots(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))
    worn = (
        "Shoot day,Date,Scene #,Cast,Props/Weapons,Condition,Rounds,Belt rounds,Belt lots,"
        "Firearm to\n"
        "1,2026-10-13,14,Jo Carver; Eli Stone,R-01; R-02,dummies,6,12,D-01,"
        "R-01: Jo Carver; R-02: Eli Stone\n"
    )

    paperwork.imported("schedule", csv_file(worn))

    scene = paperwork.state.scenes["14"]
    assert (scene.worn_rounds, scene.worn_lots) == (12, ("D-01",))
    jo, eli = paperwork.person("Jo Carver"), paperwork.person("Eli Stone")
    assert scene.assigned == {"R-01": jo, "R-02": eli}


def test_a_schedule_naming_worn_rounds_without_their_lot_or_an_unknown_lot_is_refused(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))
    worn = (
        "Shoot day,Date,Scene #,Cast,Props/Weapons,Condition,Rounds,Belt rounds,Belt lots\n"
        "1,2026-10-13,14,Jo Carver,R-01,dummies,6,12,\n"
        "1,2026-10-13,15,Jo Carver,R-01,dummies,6,12,D-99\n"
    )

    problems = paperwork.refused("schedule", csv_file(worn))

    assert any("from which lots, or neither" in p for p in problems)
    assert any("no ammunition lot is tagged 'D-99'" in p for p in problems)


def test_a_scene_already_planned_is_changed_only_by_a_line_that_says_why(
    paperwork: Paperwork,
) -> None:
    paperwork.imported("people", csv_file(PEOPLE))
    paperwork.imported("manifest", csv_file(MANIFEST))
    first = (
        "Shoot day,Date,Scene #,Cast,Props/Weapons,Condition,Rounds\n"
        "1,2026-10-13,14,Jo Carver,R-01,dummies,6\n"
    )
    paperwork.imported("schedule", csv_file(first))
    again = (
        "Shoot day,Date,Scene #,Cast,Props/Weapons,Condition,Rounds\n"
        "1,2026-10-13,14,Jo Carver,P-08,cold,0\n"
    )

    problems = paperwork.refused("schedule", csv_file(again))

    assert any(
        "scene 14 is already on the schedule: to change its plan, say why in a 'change reason' "
        "column" in p
        for p in problems
    )
    assert paperwork.state.scenes["14"].firearms == ("R-01",), "nothing changed"

    changed = (
        "Shoot day,Scene #,Cast,Props/Weapons,Condition,Rounds,Reason for change\n"
        "1,14,Jo Carver,P-08,cold,0,the close-up uses the replica\n"
    )
    done = paperwork.imported("schedule", csv_file(changed))

    (step,) = done.steps
    assert step.says.startswith("change the plan of scene 14 on day-1 (cold): P-08 with Jo Carver")
    assert step.says.endswith("(the close-up uses the replica); hold its safety meeting again")
    scene = paperwork.state.scenes["14"]
    assert (scene.firearms, scene.condition) == (("P-08",), "cold")
    assert scene.changed is not None
    assert scene.changed.reason == "the close-up uses the replica"
