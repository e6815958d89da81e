"""People: the roster with roles and training records.

One line per person, or one line per training record with the person's name repeated: the
first line naming someone new puts them on the roster (with the next free person id), every
line with a course records that training. Someone already on the roster is matched by name and
only gets the training recorded.

Badge codes are not imported: a code in a spreadsheet would confirm a show-clear for whoever
holds a copy of the file. A badge column is one of the columns the import leaves out (and says
so); Showclear issues each badge itself when it prints it on the labels page, where its code
exists only on the badge.
"""

from __future__ import annotations

from dataclasses import dataclass

from showclear.core.commands import AddPerson, RecordTraining
from showclear.core.state import ProductionState
from showclear.core.vocabulary import ROLE_NAMES
from showclear.imports import words
from showclear.imports.plan import Plan
from showclear.imports.table import Cell, Column, Problem, Row, read

KIND = "people"

COLUMNS = (
    Column("name", ("full name", "person", "crew member", "cast member", "crew name"), True),
    Column("role", ("roles", "department", "position", "job", "job title")),
    Column(
        "training",
        ("course", "training course", "training record", "certification", "qualification"),
    ),
    Column(
        "completed",
        ("completed on", "date completed", "trained on", "training date", "issued on"),
    ),
    Column(
        "expires",
        ("expires on", "expiry", "expiry date", "valid until", "expiration", "expiration date"),
    ),
    Column("unit", words.UNIT_ALIASES),
)


@dataclass(frozen=True)
class _Known:
    person_id: str
    line: int
    roles: tuple[str, ...]


def plan(data: bytes, state: ProductionState) -> Plan:
    """What the roster in ``data`` would record on ``state``, and every problem in it."""
    table = read(data, COLUMNS)
    result = Plan(KIND, problems=list(table.problems), ignored=table.ignored)
    if result.problems:
        return result
    roster = {words.name_key(p.name): p for p in state.people.values()}
    added: dict[str, _Known] = {}
    taken = set(state.people)
    number = len(state.people)
    for row in table.rows:
        problems: list[Problem] = []
        name = row["name"]
        key = words.name_key(name.text)
        if not key:
            result.problems.append(name.problem("the name is missing"))
            continue
        roles = _roles(row, problems)
        on_roster = roster.get(key)
        earlier = added.get(key)
        if on_roster is not None:
            person_id = on_roster.person_id
            strange = [r for r in roles if r not in on_roster.roles]
            if strange:
                problems.append(
                    row["role"].problem(
                        f"{on_roster.label} is already on the roster; a new role "
                        f"({', '.join(ROLE_NAMES[r] for r in strange)}) is not an import"
                    )
                )
        elif earlier is not None:
            person_id = earlier.person_id
            if roles and roles != earlier.roles:
                problems.append(
                    row["role"].problem(f"line {earlier.line} gives {name.text} other roles")
                )
        else:
            number += 1
            while f"person-{number}" in taken:
                number += 1
            person_id = f"person-{number}"
            taken.add(person_id)
            if not roles and not problems:
                problems.append(
                    row["role"].problem(
                        f"{name.text} is new: give their role ({', '.join(words.ROLES)})"
                    )
                )
            unit = words.unit(row["unit"], state)
            if isinstance(unit, Problem):
                problems.append(unit)
            if not problems and not isinstance(unit, Problem):
                added[key] = _Known(person_id, row.line, roles)
                listed = ", ".join(ROLE_NAMES[r] for r in roles)
                where = "" if unit == "main" else f", at {state.unit_label(unit)}"
                result.add(
                    row,
                    AddPerson(" ".join(name.text.split()), roles, person_id=person_id, unit=unit),
                    f"add {name.text} ({listed}) to the roster as {person_id}{where}",
                    person_id,
                )
        training = _training(row, person_id, name.text, problems)
        if problems and key not in added and on_roster is None:
            result.withheld.add(name.text)
        result.problems += problems
        if training is not None and not problems:
            result.add(row, *training)
    return result


def _roles(row: Row, problems: list[Problem]) -> tuple[str, ...]:
    cell = row["role"]
    roles: list[str] = []
    for part in words.split_list(cell.text):
        found = words.one_of(Cell(part, cell.line, cell.column, cell.header), words.ROLES, "role")
        if isinstance(found, Problem):
            problems.append(found)
        elif found not in roles:
            roles.append(found)
    return tuple(roles)


def _training(
    row: Row, person_id: str, name: str, problems: list[Problem]
) -> tuple[RecordTraining, str] | None:
    course_text = row.text("training")
    if not course_text:
        for column in ("completed", "expires"):
            if row.text(column):
                problems.append(row[column].problem("a date with no course: name the training"))
        return None
    completed = words.iso_date(row["completed"], "completion date")
    expires = words.iso_date(row["expires"], "expiry date", required=False)
    for found in (completed, expires):
        if isinstance(found, Problem):
            problems.append(found)
    if isinstance(completed, Problem) or isinstance(expires, Problem) or completed is None:
        return None
    if expires is not None and expires < completed:
        problems.append(row["expires"].problem(f"it expires before it was completed ({completed})"))
        return None
    course = words.course(course_text)
    until = f", valid until {expires}" if expires else ", no expiry"
    return (
        RecordTraining(person_id, course, completed, expires),
        f"record {name}'s {course} training, completed {completed}{until}",
    )
