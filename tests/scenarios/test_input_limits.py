"""Every text a command carries has a documented limit, checked in the core before any rule:
over it, the command is refused naming the field and the limit, and nothing is recorded. New
tags and ids keep to the safe characters. The list of fields comes from the dataclasses, so a
field added without a limit fails here."""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path

import pytest
from shoot import shoot

from showclear.core.commands import (
    AddPerson,
    Command,
    Complain,
    Confirmation,
    HandOver,
    PlanScene,
    PlanShootDay,
    ReceiveFirearm,
    RegisterContainer,
    ResumeWork,
    StopWork,
)
from showclear.core.limits import LIMITS, TAG_LENGTH, Limit, check, tag_problem
from showclear.core.vocabulary import FIRING

PAGE = Path(__file__).resolve().parents[2] / "docs" / "rules" / "R-INPUT.md"


def records() -> list[type]:
    """Every command type (every subclass of Command, wherever defined), and every record a
    command's fields hold (a confirmation, a lot count, a blank-fire plan)."""
    found: list[type] = []
    waiting = list(Command.__subclasses__())
    while waiting:
        kind = waiting.pop()
        if kind in found:
            continue
        found.append(kind)
        waiting += kind.__subclasses__()
        for hint in typing.get_type_hints(kind).values():
            waiting += [held for held in held_records(hint) if held not in found]
    assert len(found) > 45
    return found


def held_records(hint: object) -> list[type]:
    """The dataclasses a field of type ``hint`` holds, directly or in a tuple or union."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return [hint]
    return [held for arg in typing.get_args(hint) for held in held_records(arg)]


def carries_text(hint: object) -> bool:
    """Whether a field of type ``hint`` holds text or a list (of text or of records)."""
    if hint is str:
        return True
    origin = typing.get_origin(hint)
    if origin is tuple:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(carries_text(arg) for arg in typing.get_args(hint))
    return False


def text_fields() -> list[tuple[type, str]]:
    return [
        (kind, name)
        for kind in records()
        for name, hint in typing.get_type_hints(kind).items()
        if carries_text(hint)
    ]


def test_every_text_field_of_every_command_has_its_limit_in_the_one_table() -> None:
    missing = [
        f"{kind.__name__}.{name}"
        for kind, name in text_fields()
        if name not in LIMITS.get(kind, {})
    ]
    assert not missing, f"fields with no limit in showclear.core.limits.LIMITS: {missing}"
    assert len(text_fields()) > 100


def test_the_table_names_only_fields_that_exist() -> None:
    for kind, table in LIMITS.items():
        names = {f.name for f in dataclasses.fields(kind)}
        assert set(table) <= names, (kind.__name__, set(table) - names)


def test_every_limit_is_on_the_rules_page() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for kind, table in LIMITS.items():
        for name, limit in table.items():
            assert f"| `{kind.__name__}` | `{name}` | {said(limit)} |" in page, (kind, name)


def said(limit: Limit) -> str:
    if limit.items:
        return f"{limit.items:,} items" + (f" of {limit.chars:,} each" if limit.chars else "")
    return f"{limit.chars:,}" if limit.chars else "(its records' own limits)"


def a_firearm(**changes: object) -> ReceiveFirearm:
    received = ReceiveFirearm(
        "R-09", "SN-9", "Colt", "SAA", "revolver", ".45 Colt", FIRING, ("chamber 1",), "Acme"
    )
    return dataclasses.replace(received, **changes)


def test_a_note_at_its_limit_is_received_and_one_character_more_is_refused_naming_the_field() -> (
    None
):
    most = LIMITS[ReceiveFirearm]["notes"].chars
    assert not check(a_firearm(notes="n" * most))
    day = shoot()
    entries = len(day.log)
    refused = day.refuse("armorer", a_firearm(notes="n" * (most + 1)))
    assert refused.rule_ids == ("R-INPUT",)
    assert refused.violations[0].message == (
        f"notes is {most + 1:,} characters long; at most {most:,} are kept. Shorten it."
    )
    assert refused.violations[0].subject == "notes"
    assert len(day.log) == entries
    day.do("armorer", a_firearm(notes="n" * most))
    assert day.state.firearms["R-09"].notes == "n" * most


def test_a_two_megabyte_complaint_is_refused_before_any_rule_reads_it() -> None:
    day = shoot()
    entries = len(day.log)
    refused = day.refuse("performer", Complain("x" * 2_400_000))
    assert refused.rule_ids == ("R-INPUT",)
    assert "text is 2,400,000 characters long; at most 20,000 are kept" in str(refused)
    assert len(day.log) == entries


def test_a_list_too_long_and_a_too_long_item_of_a_list_are_each_refused() -> None:
    too_many = check(a_firearm(positions=tuple(f"chamber {n}" for n in range(101))))
    assert [b.message for b in too_many] == ["positions lists 101 items; at most 100 are kept."]
    one_long = check(a_firearm(positions=("chamber 1", "c" * 101)))
    assert [b.field for b in one_long] == ["positions[2]"]


def test_a_credential_inside_a_confirmation_is_checked_by_its_own_limit() -> None:
    day = shoot()
    plan = PlanScene("99", "day-1", "t", (), (), "cold")
    assert not check(plan)
    breaches = check(ResumeWork(Confirmation("safety", "b" * 513)))
    assert [b.field for b in breaches] == ["co_signer.presented"]
    assert day.refuse("armorer", ResumeWork(Confirmation("safety", "b" * 513))).rule_ids == (
        "R-INPUT",
    )


def test_stop_work_is_never_refused_for_a_long_reason_it_is_recorded_shortened() -> None:
    day = shoot()
    reason = "live round in the cart " * 1000
    stopped = day.do("performer", StopWork(reason))
    assert day.state.stoppage is not None
    kept = stopped[0].reason  # type: ignore[attr-defined]
    assert len(kept) == LIMITS[StopWork]["reason"].chars
    assert kept.startswith("live round in the cart")
    assert kept.endswith(f"[shortened from {len(reason):,} characters]")


@pytest.mark.parametrize(
    "tag", ["R-01", "SAFE-1", "D-05", "BELT-1", "14", "14A", "14.2", "day-12", "person-12", "a_b"]
)
def test_the_tags_the_demo_and_the_paperwork_use_are_safe(tag: str) -> None:
    assert tag_problem(tag) == ""
    assert not check(RegisterContainer(tag, "lockbox"))


@pytest.mark.parametrize(
    "tag",
    ["R 01", "R-01 ", " R-01", "A/B", "..", ".hidden", "-R", "R\t1", "R\x001", "Ｒ-01", "R?1", "é"],
)
def test_a_new_tag_outside_the_safe_characters_is_refused_and_says_which_are_allowed(
    tag: str,
) -> None:
    day = shoot()
    entries = len(day.log)
    refused = day.refuse("armorer", RegisterContainer(tag, "lockbox"))
    assert refused.rule_ids == ("R-INPUT",)
    assert refused.violations[0].message == (
        f"The tag {tag!r} may use only letters A-Z and a-z, digits, '-', '_' and '.', "
        "starting with a letter or digit."
    )
    assert len(day.log) == entries


def test_a_new_tag_longer_than_the_limit_is_refused_and_says_the_limit() -> None:
    tag = "R" * (TAG_LENGTH + 1)
    assert [b.field for b in check(a_firearm(tag=tag))] == ["tag"]
    assert check(a_firearm(tag="R" * TAG_LENGTH)) == []


def test_new_scene_day_and_person_ids_keep_to_the_safe_characters_too() -> None:
    assert [b.field for b in check(PlanScene("14 B", "day-1", "t", (), (), "cold"))] == ["scene"]
    assert [b.field for b in check(PlanShootDay("day 3", "2026-10-14"))] == ["day"]
    assert [b.field for b in check(AddPerson("Kim Vo", ("cast",), person_id="kim/vo"))] == [
        "person_id"
    ]
    assert check(AddPerson("Kim Vo", ("cast",))) == []  # the core gives the id


def test_a_tag_that_only_names_something_is_looked_up_not_checked_for_characters() -> None:
    day = shoot()
    refused = day.refuse("armorer", HandOver("X 99", "performer", "14"))
    assert "R-INPUT" not in refused.rule_ids
    assert "R-KNOWN" in refused.rule_ids


def test_every_command_is_covered_by_the_table() -> None:
    kinds = [k for k in records() if issubclass(k, Command) and k is not Command]
    assert set(kinds) <= set(LIMITS)
