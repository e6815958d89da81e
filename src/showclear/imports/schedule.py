"""A shooting schedule or scene breakdown, as scheduling software exports it: one scene a line.

Each shoot day named for the first time is planned with its date; each scene that lists
firearms is planned with them, its performers (cast and stunt, by name), the crew near its
firearms, its condition (cold, dummies, hot), its rounds, its blank-fire plan, its pointing, and
the rounds a performer may wear in gun belts and bags (how many, from which lots).
A scene without firearms is none of Showclear's business and is skipped (and said so).

A scene already on the schedule is refused, unless its line says why its plan changes (the
``change reason`` column): it is then re-planned whole (``ReplanScene``), and its safety
meeting must be held again before any firearm is issued for it (R-PLAN, R-MEETING).
"""

from __future__ import annotations

from typing import Any

from showclear.core.commands import BlankFirePlan, FirearmFor, PlanScene, PlanShootDay, ReplanScene
from showclear.core.limits import TAG_LENGTH, tag_problem
from showclear.core.state import Person, ProductionState
from showclear.core.vocabulary import COLD, HOT
from showclear.imports import words
from showclear.imports.plan import Plan
from showclear.imports.table import Cell, Column, Problem, Row, read

KIND = "schedule"

COLUMNS = (
    Column("day", ("shoot day", "day number", "day no", "day of", "sd"), required=True),
    Column("date", ("shoot date", "date of shoot", "day date")),
    Column("scene", ("scene number", "scene no", "sc", "sc no", "scenes"), required=True),
    Column(
        "description",
        ("title", "scene description", "synopsis", "set", "slugline", "scene title"),
    ),
    Column("cast", ("performers", "cast members", "talent", "actors")),
    Column(
        "firearms",
        ("weapons", "props weapons", "props", "guns", "armory", "firearm tags", "weapon tags"),
    ),
    Column("condition", ("firearm condition", "weapon condition", "hot cold", "loaded")),
    Column("rounds", ("round count", "number of rounds", "blanks", "rounds needed")),
    Column("crew", ("crew near firearms", "crew near weapons", "near firearms")),
    Column(
        "stand-off",
        ("stand off m", "standoff", "min distance m", "minimum distance m", "distance m"),
    ),
    Column("protection", ("ppe", "shields eye ear", "safety equipment")),
    Column("pointing", ("pointing at", "pointing plan", "pointed at")),
    Column(
        "worn rounds",
        ("belt rounds", "rounds worn", "gun belt rounds", "rounds in belts", "worn"),
    ),
    Column("worn lots", ("belt lots", "lots worn", "gun belt lots", "lots in belts")),
    Column("unit", words.UNIT_ALIASES),
    Column("assigned", ("firearm to", "firearms to", "who carries what", "assignments")),
    Column(
        "change reason",
        ("reason for change", "why changed", "plan change", "change of plan", "revision reason"),
    ),
)

PROTECTION = {
    "shields": ("shield", "shields", "plexiglass", "lexan"),
    "eye": ("eye", "eyes", "eye protection", "goggles", "glasses"),
    "ear": ("ear", "ears", "ear protection", "earplugs", "ear defenders"),
    "close-range": ("close range", "close-range load", "close range load"),
}


def plan(data: bytes, state: ProductionState) -> Plan:
    """What the schedule in ``data`` would record on ``state``, and every problem in it."""
    table = read(data, COLUMNS)
    result = Plan(KIND, problems=list(table.problems), ignored=table.ignored)
    if result.problems:
        return result
    roster: dict[str, Person] = {}
    for person in state.people.values():
        roster.setdefault(words.name_key(person.name), person)
        roster.setdefault(words.name_key(person.person_id), person)
    serials = {f.serial.casefold(): f.tag for f in state.firearms.values() if f.active}
    days: dict[str, tuple[str, int]] = {}
    scenes: dict[str, int] = {}
    planned_days: set[str] = set()
    for row in table.rows:
        problems: list[Problem] = []
        tags = _firearms(row["firearms"], state, serials, problems)
        scene = row["scene"]
        if not tags and not problems:
            result.skipped.append(
                f"line {row.line}: scene {scene.text or '?'} lists no firearm: nothing to record"
            )
            continue
        day = _day(row, state, days, problems)
        if not scene.text:
            problems.append(scene.problem("the scene number is missing"))
        elif scene.text in scenes:
            problems.append(
                scene.problem(f"scene {scene.text} is already on line {scenes[scene.text]}")
            )
        elif scene.text in state.scenes and not row.text("change reason"):
            problems.append(
                scene.problem(
                    f"scene {scene.text} is already on the schedule: to change its plan, say why "
                    "in a 'change reason' column (its safety meeting is then held again)"
                )
            )
        elif unsafe := tag_problem(scene.text):
            problems.append(scene.problem(f"the scene number {scene.text[:TAG_LENGTH]!r} {unsafe}"))
        scenes.setdefault(scene.text, row.line)
        cast = _people(row["cast"], roster, problems, performers=True)
        crew = _people(row["crew"], roster, problems, performers=False)
        condition = words.one_of(row["condition"], words.CONDITIONS, "condition")
        if isinstance(condition, Problem):
            problems.append(condition)
        rounds = 0
        if row.text("rounds"):
            counted = words.whole_number(row["rounds"], "number of rounds")
            if isinstance(counted, Problem):
                problems.append(counted)
            else:
                rounds = counted
        blank_fire = _blank_fire(row, condition == HOT, problems)
        worn_rounds, worn_lots = _worn(row, state, problems)
        unit = words.unit(row["unit"], state)
        if isinstance(unit, Problem):
            problems.append(unit)
        assigned = _assigned(row["assigned"], state, serials, roster, problems)
        result.problems += problems
        if problems or isinstance(condition, Problem) or isinstance(unit, Problem) or day is None:
            continue
        if day[1] and day[0] not in planned_days:  # a new day, planned before its first scene
            planned_days.add(day[0])
            result.add(
                row, PlanShootDay(day[0], day[1]), f"plan shoot day {day[0]} on {day[1]}", day[0]
            )
        fields: dict[str, Any] = {
            "scene": scene.text,
            "day": day[0],
            "title": row.text("description"),
            "firearms": tags,
            "performers": tuple(p.person_id for p in cast),
            "condition": condition,
            "rounds": rounds,
            "crew": tuple(p.person_id for p in crew),
            "blank_fire": blank_fire,
            "pointing": tuple(words.split_list(row.text("pointing"))),
            "worn_rounds": worn_rounds,
            "worn_lots": worn_lots,
            "unit": unit,
            "assigned": assigned,
        }
        said = condition if condition == COLD else f"{condition}, {rounds} rounds"
        where = "" if unit == "main" else f" at {state.unit_label(unit)}"
        what = (
            f"{scene.text} on {day[0]}{where} ({said}): {', '.join(tags)} with "
            f"{', '.join(p.name for p in cast) or 'no performer'}"
        )
        if scene.text in state.scenes:
            reason = row.text("change reason")
            result.add(
                row,
                ReplanScene(reason=reason, **fields),
                f"change the plan of scene {what} ({reason}); hold its safety meeting again",
            )
        else:
            result.add(row, PlanScene(**fields), f"plan scene {what}")
    return result


def _worn(row: Row, state: ProductionState, problems: list[Problem]) -> tuple[int, tuple[str, ...]]:
    """How many rounds each performer may wear in belts and bags, and from which lots (R-PLAN):
    both or neither."""
    rounds = 0
    if row.text("worn rounds"):
        counted = words.whole_number(row["worn rounds"], "number of rounds worn")
        if isinstance(counted, Problem):
            problems.append(counted)
        else:
            rounds = counted
    cell = row["worn lots"]
    lots: list[str] = []
    for item in words.split_list(cell.text):
        if item not in state.lots:
            problems.append(cell.problem(f"no ammunition lot is tagged {item!r} on the production"))
        elif item not in lots:
            lots.append(item)
    if bool(rounds) != bool(words.split_list(cell.text)):
        problems.append(
            cell.problem("say how many rounds a performer may wear and from which lots, or neither")
        )
    return rounds, tuple(lots)


def _assigned(
    cell: Cell,
    state: ProductionState,
    serials: dict[str, str],
    roster: dict[str, Person],
    problems: list[Problem],
) -> tuple[FirearmFor, ...]:
    """``R-01: Jo Carver; R-04: Eli Stone``: which performer each firearm goes to (R-PLAN)."""
    found: list[FirearmFor] = []
    for item in words.split_list(cell.text):
        firearm, colon, name = item.partition(":")
        tag = firearm.strip() if firearm.strip() in state.firearms else None
        tag = tag or serials.get(firearm.strip().casefold())
        person = roster.get(words.name_key(name))
        if not colon or tag is None or person is None:
            problems.append(
                cell.problem(
                    f"{item!r} is not a firearm and a performer on record: write "
                    "'R-01: Jo Carver', one per firearm"
                )
            )
        else:
            found.append(FirearmFor(tag, person.person_id))
    return tuple(found)


def _day(
    row: Row, state: ProductionState, days: dict[str, tuple[str, int]], problems: list[Problem]
) -> tuple[str, str] | None:
    """The day's id, and its date when this file plans it (``""`` when already planned)."""
    cell = row["day"]
    if not cell.text:
        problems.append(cell.problem("the shoot day is missing"))
        return None
    day = words.day_id(cell.text)
    if unsafe := tag_problem(day):
        problems.append(cell.problem(f"the shoot day {day[:TAG_LENGTH]!r} {unsafe}"))
        return None
    given = words.iso_date(row["date"], "date", required=False)
    if isinstance(given, Problem):
        problems.append(given)
        return None
    planned = state.days.get(day)
    if planned is not None:
        if given is not None and given != planned:
            problems.append(row["date"].problem(f"shoot day {day} is on {planned}, not {given}"))
        return day, ""
    if day in days:
        date, line = days[day]
        if given is not None and given != date:
            problems.append(row["date"].problem(f"line {line} puts {day} on {date}, not {given}"))
        return day, date
    if given is None:
        problems.append(
            row["date"].problem(f"shoot day {day} is not on the schedule yet: give its date")
        )
        return None
    days[day] = (given, row.line)
    return day, given


def _firearms(
    cell: Cell, state: ProductionState, serials: dict[str, str], problems: list[Problem]
) -> tuple[str, ...]:
    tags: list[str] = []
    for item in words.split_list(cell.text):
        tag = item if item in state.firearms else serials.get(item.casefold())
        if tag is None:
            problems.append(
                cell.problem(
                    f"no firearm is tagged {item!r} (or has that serial) on the production: "
                    "list only firearms here, by tag or serial"
                )
            )
        elif not state.firearms[tag].active:
            problems.append(cell.problem(f"{state.firearms[tag].label} is no longer in use"))
        elif tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _people(
    cell: Cell, roster: dict[str, Person], problems: list[Problem], *, performers: bool
) -> list[Person]:
    found: list[Person] = []
    for name in words.split_list(cell.text):
        person = roster.get(words.name_key(name))
        if person is None:
            problems.append(
                cell.problem(
                    f"no one named {name!r} is on the roster: import the people first "
                    "(showclear import people)"
                )
            )
        elif performers and not person.is_performer:
            problems.append(cell.problem(f"{person.label} is not a performer (cast or stunt)"))
        elif person not in found:
            found.append(person)
    return found


def _blank_fire(row: Row, hot: bool, problems: list[Problem]) -> BlankFirePlan | None:
    distance = row["stand-off"]
    protection = row["protection"]
    if not hot:
        return None
    if not distance.text:
        problems.append(
            distance.problem("a hot scene needs its stand-off in metres (6 or more, R-STAND-OFF)")
        )
        return None
    try:
        metres = float(distance.text.replace(",", ".").removesuffix("m").strip())
    except ValueError:
        problems.append(distance.problem(f"{distance.text!r} is not a distance in metres"))
        return None
    chosen: set[str] = set()
    for item in words.split_list(protection.text):
        kind = words.one_of(
            Cell(item, protection.line, protection.column, protection.header),
            PROTECTION,
            "protection",
        )
        if isinstance(kind, Problem):
            problems.append(kind)
        else:
            chosen.add(kind)
    return BlankFirePlan(
        min_distance_cm=round(metres * 100),
        close_range_load="close-range" in chosen,
        shields="shields" in chosen,
        eye_protection="eye" in chosen,
        ear_protection="ear" in chosen,
    )
