"""A report as a document: sections of paragraphs, facts, tables, charts and preformatted text.

Every report is built once as a :class:`Document` and drawn twice, by the same rules: as HTML by
one Django template (:mod:`showclear.reports.html`) and as PDF by fpdf2
(:mod:`showclear.reports.pdf`). So the PDF an insurer files and the page an armorer reads on a
phone never say different things. Nothing here knows about Django, fpdf2 or the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

NORMAL = ""
MUTED = "muted"
ALERT = "alert"
GOOD = "good"


@dataclass(frozen=True)
class Paragraph:
    """A sentence or two; ``tone`` is :data:`NORMAL`, :data:`MUTED`, :data:`ALERT` or
    :data:`GOOD`."""

    kind: ClassVar[str] = "paragraph"
    text: str
    tone: str = NORMAL


@dataclass(frozen=True)
class Facts:
    """Label and value pairs (``Serial``: ``SA-41872``)."""

    kind: ClassVar[str] = "facts"
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table: its column titles, relative widths, rows of text and a tone per row.

    ``blank_rows`` adds empty ruled rows (a sign-in sheet's lines to sign on paper).
    """

    kind: ClassVar[str] = "table"
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    tones: tuple[str, ...] = ()
    empty: str = "Nothing recorded."
    blank_rows: int = 0

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row of {len(row)} cells in a table of {len(self.columns)}")

    @property
    def shares(self) -> tuple[float, ...]:
        """Each column's share of the width (equal when no widths were given)."""
        widths = self.widths or tuple(1.0 for _ in self.columns)
        total = sum(widths)
        return tuple(w / total for w in widths)

    def tone(self, index: int) -> str:
        """The tone of row ``index``."""
        return self.tones[index] if index < len(self.tones) else NORMAL

    @property
    def toned_rows(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(tone, row)`` for each row (for templates)."""
        return [(self.tone(i), row) for i, row in enumerate(self.rows)]

    @property
    def labelled_rows(self) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        """``(tone, ((column, cell), ...))`` for each row: at phone width each row is a card whose
        cells say their column (for templates)."""
        return [
            (tone, tuple(zip(self.columns, row, strict=False))) for tone, row in self.toned_rows
        ]

    @property
    def blanks(self) -> range:
        """The empty ruled rows to draw (for templates)."""
        return range(self.blank_rows)


@dataclass(frozen=True)
class Series:
    """One coloured series of a chart: a value per label."""

    name: str
    values: tuple[int, ...]
    colour: str
    """``#rrggbb``."""


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: one group of bars per label (a day), one bar per series."""

    kind: ClassVar[str] = "chart"
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    note: str = ""

    @property
    def rows(self) -> list[tuple[str, tuple[int, ...]]]:
        """``(label, a value per series)`` for each label: the chart as a table."""
        return [
            (label, tuple(s.values[i] if i < len(s.values) else 0 for s in self.series))
            for i, label in enumerate(self.labels)
        ]

    @property
    def highest(self) -> int:
        """The tallest bar's value (at least 1)."""
        return max([1, *(v for s in self.series for v in s.values)])


@dataclass(frozen=True)
class Preformatted:
    """Text kept exactly, in a fixed-width font (a signed checkpoint, a proof)."""

    kind: ClassVar[str] = "preformatted"
    text: str


Block = Paragraph | Facts | Table | Chart | Preformatted


@dataclass(frozen=True)
class Section:
    """A heading and its blocks."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A whole report."""

    kind: str
    """``daily-log``, ``meeting-sheet``, ``wrap``, ``compliance``, ``firearm``, ``incident``."""
    title: str
    production: str
    subtitle: str
    sections: tuple[Section, ...]
    sealed: str = ""
    """Which ledger it was drawn from: entries and the checkpoint (the footer of every page)."""
    name: str = "report"
    """A file name stem (``daily-log-2026-10-13``)."""
    landscape: bool = False
