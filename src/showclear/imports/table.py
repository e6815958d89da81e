"""Reading a spreadsheet's CSV: bytes to rows of named cells, every problem placed by line and
column.

The file must be UTF-8 (a byte-order mark is fine); anything else is refused with each line that
cannot be read, rather than guessed at (a wrong guess would put a mangled name in the ledger).
The delimiter is a comma, or a semicolon or a tab when the header line uses one instead (a
European spreadsheet's "CSV"). Columns are matched by their header, whatever their order, through
the aliases each import lists (see ``docs/imports.md``): a header is compared with its case,
spacing and punctuation ignored, so ``Serial #``, ``serial_no`` and ``SERIAL NO.`` are one.
Columns nobody asked for are ignored and listed.

A cell our own exports wrote as ``'=...`` (a quote guarding a formula, see
:mod:`showclear.reports.cells`) is read back without its guard.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

GUARDED = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as a formula when a cell starts with it."""


def needs_guard(text: str) -> bool:
    """Whether an exported cell gets a leading apostrophe: when it starts with what a spreadsheet
    may run (:data:`GUARDED`), or with apostrophes before that (so that the apostrophe taken
    off on import is always the one the export added: ``'=x`` is written ``''=x``)."""
    return text.lstrip("'").startswith(GUARDED)


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in the file, where it is: line 1 is the header line."""

    line: int
    column: int = 0
    """The column's number from 1 (0 when the problem is the whole line or the file)."""
    header: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "the file"
        if self.column:
            where += f", column {self.column}"
            if self.header:
                where += f" ({self.header})"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Column:
    """A column an import reads: its name in ``docs/imports.md`` and the headers it answers to."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def answers_to(self, header: str) -> bool:
        """Whether a header in a file means this column."""
        wanted = header_key(header)
        return wanted in {header_key(self.name), *(header_key(a) for a in self.aliases)}


def header_key(text: str) -> str:
    """A header with its case, spacing and punctuation ignored: ``"Serial #"`` -> ``"serial"``."""
    return " ".join(re.findall(r"[0-9a-z]+", text.casefold()))


@dataclass(frozen=True)
class Cell:
    """One cell's text (trimmed, guard removed) and where it is."""

    text: str
    line: int
    column: int
    header: str

    def problem(self, message: str) -> Problem:
        """A problem with this cell."""
        return Problem(self.line, self.column, self.header, message)


@dataclass(frozen=True)
class Row:
    """One data line: its cells by column name (a column the file lacks reads as empty)."""

    line: int
    cells: Mapping[str, Cell]

    def __getitem__(self, name: str) -> Cell:
        found = self.cells.get(name)
        return found if found is not None else Cell("", self.line, 0, name)

    def text(self, name: str) -> str:
        """The trimmed text of column ``name`` (empty when the file has no such column)."""
        return self[name].text

    def problem(self, message: str) -> Problem:
        """A problem with the whole line."""
        return Problem(self.line, 0, "", message)


@dataclass
class Table:
    """A whole file read: its rows, the headers it ignored, and every problem found so far."""

    rows: list[Row] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    """The names of the columns the file has."""


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """The file's text, or the problems that stop it being read as UTF-8 (each line named)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", [
            Problem(
                1,
                0,
                "",
                "the file is UTF-16 (Excel's 'Unicode text'); save it as 'CSV UTF-8' and import "
                "that",
            )
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    problems = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            character = len(raw[: error.start].decode("utf-8", "replace")) + 1
            problems.append(
                Problem(
                    number,
                    0,
                    "",
                    f"byte 0x{raw[error.start]:02X} (character {character}) is not UTF-8 text: "
                    "the file is in another encoding (Windows-1252 or Latin-1?). Save it as "
                    "'CSV UTF-8' and import that",
                )
            )
    return "", problems


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {mark: first.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] > counts[","] else ","


def _unguarded(text: str) -> str:
    """A cell as it was before an export guarded it (see :func:`needs_guard`)."""
    return text[1:] if text.startswith("'") and needs_guard(text) else text


def read(data: bytes, columns: tuple[Column, ...]) -> Table:
    """Read ``data`` as a CSV with ``columns``; problems are collected, never raised."""
    table = Table()
    text, problems = decode(data)
    if problems:
        table.problems += problems
        return table
    if not text.strip():
        table.problems.append(Problem(1, 0, "", "the file is empty: it needs a header line"))
        return table
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows = _physical(reader, table)
    try:
        header_line, header = next(rows)
    except StopIteration:
        table.problems.append(Problem(1, 0, "", "the file has no header line"))
        return table
    by_index = _match_headers(header_line, header, columns, table)
    if any(p.line == header_line for p in table.problems):
        return table
    width = len(header)
    for line, cells in rows:
        if not any(_unguarded(cell).strip() for cell in cells):
            continue  # a blank line between blocks (a guarded tab alone is blank too)
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            table.problems.append(
                Problem(
                    line,
                    width + 1,
                    "",
                    f"this line has {len(cells)} cells but the header names {width} columns "
                    "(a comma inside a cell needs the cell in double quotes)",
                )
            )
            continue
        named = {
            name: Cell(_unguarded(cells[index]).strip(), line, index + 1, header[index].strip())
            for index, name in by_index.items()
            if index < len(cells)
        }
        table.rows.append(Row(line, named))
    return table


def _physical(reader: Any, table: Table) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            table.problems.append(Problem(line, 0, "", f"this line is not valid CSV: {error}"))
            return
        yield line, cells
        line = reader.line_num + 1


def _match_headers(
    line: int, header: list[str], columns: tuple[Column, ...], table: Table
) -> dict[int, str]:
    by_index: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, title in enumerate(header):
        column = next((c for c in columns if c.answers_to(title)), None)
        if column is None:
            if title.strip():
                table.ignored.append(title.strip())
            continue
        if column.name in seen:
            first = seen[column.name]
            table.problems.append(
                Problem(
                    line,
                    index + 1,
                    title.strip(),
                    f"this column and column {first + 1} ({header[first].strip()}) both mean "
                    f"'{column.name}': keep one",
                )
            )
            continue
        seen[column.name] = index
        by_index[index] = column.name
    table.present = set(seen)
    for column in columns:
        if column.required and column.name not in seen:
            names = ", ".join(repr(a) for a in (column.name, *column.aliases))
            table.problems.append(
                Problem(
                    line,
                    0,
                    "",
                    f"the column '{column.name}' is missing: the header needs one of {names}",
                )
            )
    return by_index
