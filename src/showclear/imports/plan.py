"""What an import would record: one step per command, each tied to the line it came from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from showclear.core.commands import Command
from showclear.imports.table import Cell, Problem, Row

FIELD_COLUMNS = {
    "firearm_type": "type",
    "lot_kind": "type",
    "firearm_class": "class",
    "title": "description",
    "performers": "cast",
    "pointing": "pointing",
}
"""A command's field, by the column an import reads it from, where the names differ (otherwise
the field's name with spaces for underscores: ``delivered_on`` is ``delivered on``)."""


@dataclass(frozen=True)
class Step:
    """One command an import gives, the line it came from, and what it records in words."""

    line: int
    command: Command
    says: str
    cells: Mapping[str, Cell] = field(default_factory=dict)
    defines: str = ""
    """What the step puts on the production (a tag, a name, a day), for later lines to name."""

    def place(self, subject: str, message: str, *, field: bool = False) -> Problem:
        """A refusal of this step, placed on the cell its message names (other than the
        subject's own, when it names one), else on the subject's cell, else on the line.
        With ``field`` the subject is the command's field (an R-INPUT refusal: a text over its
        limit, a tag outside the safe characters): placed on that field's column."""
        if field:
            name = subject.split("[")[0].rsplit(".", 1)[-1]
            cell = self.cells.get(FIELD_COLUMNS.get(name, name.replace("_", " ")))
            if cell is not None and cell.column:
                return cell.problem(message)
        named = [c for c in self.cells.values() if c.column and names_in(message, c.text)]
        others = [c for c in named if c.text != subject]
        if others:
            return others[0].problem(message)
        if named:
            return named[0].problem(message)
        return Problem(self.line, 0, "", message)


def names_in(message: str, text: str) -> bool:
    """Whether ``message`` names ``text`` as a whole word (a tag, a name, a serial)."""
    if len(text) < 2:
        return False
    return re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", message) is not None


@dataclass
class Plan:
    """The steps of a whole file, the problems found reading it, and its ignored columns."""

    kind: str
    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Lines read but with nothing for Showclear to record (said in words)."""
    withheld: set[str] = field(default_factory=set)
    """What lines with problems would have put on the production (tags, names): a refusal of
    another line for naming one of them follows from that problem and is not listed again."""

    def add(self, row: Row, command: Command, says: str, defines: str = "") -> None:
        """A step from ``row``, putting ``defines`` on the production."""
        self.steps.append(Step(row.line, command, says, row.cells, defines))
