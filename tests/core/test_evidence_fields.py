"""The evidence rule reads the fields of every command that name a firearm, lot or container:
every field of every command (and of the values inside them) is placed on purpose, as naming
one or as naming none, so a new command or field cannot slip past R-EVIDENCE unnoticed."""

from __future__ import annotations

import dataclasses
import typing

from showclear.core import commands
from showclear.core.commands import Command, CountAndReconcile, LotCount, PutIn
from showclear.core.decide.evidence import PLAIN_FIELDS, REFERENCES, named


def _dataclasses_in_commands() -> set[type]:
    found: set[type] = set()
    pending = [
        kind
        for kind in vars(commands).values()
        if isinstance(kind, type) and issubclass(kind, Command)
    ]
    while pending:
        kind = pending.pop()
        if kind in found or not dataclasses.is_dataclass(kind):
            continue
        found.add(kind)
        for hint in typing.get_type_hints(kind).values():
            for inner in (hint, *typing.get_args(hint)):
                if isinstance(inner, type) and dataclasses.is_dataclass(inner):
                    pending.append(inner)
    return found


def test_every_field_of_every_command_either_names_a_thing_on_record_or_names_none() -> None:
    kinds = _dataclasses_in_commands()
    assert LotCount in kinds
    unplaced = {
        f"{kind.__name__}.{f.name}"
        for kind in kinds
        for f in dataclasses.fields(kind)
        if f.name not in REFERENCES and f.name not in PLAIN_FIELDS
    }
    assert not unplaced, f"place these fields in core/decide/evidence.py: {sorted(unplaced)}"
    assert not set(REFERENCES) & PLAIN_FIELDS
    every = {f.name for kind in kinds for f in dataclasses.fields(kind)}
    assert set(REFERENCES) | PLAIN_FIELDS == every, "no field is listed that no command has"


def test_what_a_command_names_includes_the_values_inside_it() -> None:
    count = CountAndReconcile(("R-01", "R-02"), (LotCount("D-01", 3, container="BELT-1"),))
    assert list(named(count)) == ["R-01", "R-02", "D-01", "BELT-1"]
    assert list(named(PutIn("SAFE-1", "R-01"))) == ["SAFE-1", "R-01"]
