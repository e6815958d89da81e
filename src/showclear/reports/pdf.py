"""A :class:`~showclear.reports.document.Document` drawn as PDF with fpdf2.

A4 (or US Letter) in the core Helvetica and Courier fonts, so nothing is installed or embedded:
text is drawn in Latin-1, with accented letters kept and other letters spelled without their
marks (the HTML keeps the exact text). Every page carries the production, the report, where it
was drawn from (the ledger entries and the checkpoint sealing them) and its page number. Tables
repeat their headings on every page; a chart is drawn with the same layout as the HTML's SVG.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from fpdf import FPDF

from showclear.reports.charts import Layout, layout
from showclear.reports.document import (
    ALERT,
    GOOD,
    MUTED,
    Chart,
    Document,
    Facts,
    Paragraph,
    Preformatted,
    Table,
)

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN = 14.0
INK = (20, 20, 20)
GREY = (105, 105, 105)
PAPER = (255, 255, 255)
TONES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int] | None]] = {
    ALERT: ((155, 28, 28), (253, 232, 232)),
    GOOD: ((22, 101, 52), (232, 246, 236)),
    MUTED: (GREY, None),
}
TYPOGRAPHY = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "→": "->"}
)


def latin1(text: str) -> str:
    """``text`` in the core fonts' Latin-1: accents kept, other marks dropped, else ``?``;
    beyond :data:`LONGEST` characters, said how many more the ledger holds."""
    if len(text) > LONGEST:
        text = f"{text[:LONGEST]} [... {len(text) - LONGEST:,} more characters in the ledger]"
    text = text.translate(TYPOGRAPHY)
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.encode("latin-1", "replace").decode("latin-1")


def _shortened(text: str, most: int) -> str:
    """``text``, cut to ``most`` characters with ``...`` when longer (for the running footer,
    which names the report on every page and must stay one or two lines)."""
    return text if len(text) <= most else text[: most - 3].rstrip() + "..."


class _Sheet(FPDF):
    """Pages with the report's running footer."""

    def __init__(self, document: Document, paper: str) -> None:
        super().__init__(
            orientation="landscape" if document.landscape else "portrait",
            unit="mm",
            format=PAPERS[paper],
        )
        self.document = document
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 8)
        self.alias_nb_pages()

    def footer(self) -> None:
        """The running footer, wrapped by :func:`_wrapped` and drawn a line at a time with
        ``cell`` (which fills in the page count): fpdf2's ``multi_cell`` measures each line
        again for every letter added to it, which on a long report cost more than its pages."""
        self.set_y(-(MARGIN + 6))
        self.set_font("Helvetica", "", 7)
        self.set_text_color(*GREY)
        doc = self.document
        text = latin1(
            f"{_shortened(doc.production, 120)} - {_shortened(doc.title, 120)} - "
            f"{_shortened(doc.subtitle, 160)}. {doc.sealed} Page {self.page_no()} of {{nb}}."
        )
        width = self.w - self.l_margin - self.r_margin
        for line in _wrapped(self, text, width - 2 * self.c_margin):
            self.cell(width, 3.2, line, new_x="LMARGIN", new_y="NEXT")


def render_pdf(document: Document, *, paper: str = "a4", compress: bool = True) -> bytes:
    """The PDF of ``document`` on ``paper`` (``a4`` or ``letter``)."""
    pdf = _Sheet(document, paper)
    pdf.set_compression(compress)
    pdf.set_title(latin1(f"{document.production}: {document.title}"))
    pdf.set_subject(latin1(document.subtitle))
    pdf.set_creator("Showclear")
    pdf.add_page()
    pdf.set_text_color(*INK)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 18)
    _row(
        pdf, [latin1(document.title)], [width], INK, None, 0.0, lambda: None, line=8.0, ruled=False
    )
    pdf.set_font("Helvetica", "", 11)
    heading = latin1(f"{document.production} - {document.subtitle}")
    _row(pdf, [heading], [width], INK, None, 0.0, lambda: None, line=6.0, ruled=False)
    pdf.ln(2)
    for section in document.sections:
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 12.5)
        pdf.set_text_color(*INK)
        pdf.ln(2)
        pdf.multi_cell(0, 7, latin1(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(180, 180, 180)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.5)
        for block in section.blocks:
            _block(pdf, block)
            pdf.ln(2)
    return bytes(pdf.output())


def _block(pdf: FPDF, block: Paragraph | Facts | Table | Chart | Preformatted) -> None:
    if isinstance(block, Paragraph):
        _paragraph(pdf, block)
    elif isinstance(block, Facts):
        _facts(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Chart):
        _chart(pdf, block)
    else:
        _preformatted(pdf, block)


def _paragraph(pdf: FPDF, block: Paragraph) -> None:
    colour, fill = TONES.get(block.tone, (INK, None))
    pdf.set_font("Helvetica", "B" if block.tone == ALERT else "", 9.5)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    _row(pdf, [latin1(block.text)], [width], colour, fill, 0.0, lambda: None, line=5.0, ruled=False)
    pdf.set_text_color(*INK)


def _facts(pdf: FPDF, block: Facts) -> None:
    """Label and value pairs, a quarter and three quarters of the width, unruled; a value longer
    than a page goes on over the next (drawn as table rows are, see :func:`_row`)."""
    pdf.set_font("Helvetica", "", 9.5)
    pdf.set_text_color(*INK)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    widths = [width / 4, width * 3 / 4]
    faces = [("B", GREY), ("", INK)]
    for label, value in block.pairs:
        _row(
            pdf,
            [latin1(label), latin1(value)],
            widths,
            INK,
            None,
            0.0,
            on_new_page=lambda: None,
            faces=faces,
            line=5.0,
            ruled=False,
        )


LINE = 4.2
"""A table line's height (mm)."""
PAD_X, PAD_Y = 1.2, 0.9
HEAD_FILL = (236, 236, 236)
RULE = (200, 200, 200)
LONGEST = 30_000
"""The most characters of one text drawn on paper. The core keeps what is recorded far shorter
(``docs/rules/R-INPUT.md``), but an entry recorded before its limit stays in the ledger for
ever: beyond this, the report says how much more the ledger holds rather than print it."""


def _table(pdf: FPDF, block: Table) -> None:
    """Rows of wrapped cells, the heading repeated on each new page.

    Drawn line by line with ``text`` and ``rect`` rather than fpdf2's ``table()``, which lays
    out every cell character by character: a shoot day's log of a thousand entries took seconds
    more that way. A row taller than what is left of the page goes on over the next pages.
    """
    width = pdf.w - pdf.l_margin - pdf.r_margin
    widths = [share * width for share in block.shares]
    tall = 8.0 if block.blank_rows else 0.0

    def heading() -> None:
        pdf.set_font("Helvetica", "B", 8.5)
        _row(pdf, [latin1(t) for t in block.columns], widths, INK, HEAD_FILL, 0.0)
        pdf.set_font("Helvetica", "", 8.5)

    heading()
    if not block.rows and not block.blank_rows:
        _row(pdf, [latin1(block.empty)], [width], GREY, None, 0.0, on_new_page=heading)
    for tone, cells in block.toned_rows:
        colour, fill = TONES.get(tone, (INK, None))
        _row(pdf, [latin1(c) for c in cells], widths, colour, fill, tall, on_new_page=heading)
    for _ in block.blanks:
        _row(pdf, ["" for _ in widths], widths, INK, None, tall, on_new_page=heading)
    pdf.set_text_color(*INK)


def _row(
    pdf: FPDF,
    cells: list[str],
    widths: list[float],
    colour: tuple[int, int, int],
    fill: tuple[int, int, int] | None,
    tall: float,
    on_new_page: Callable[[], None] | None = None,
    *,
    faces: list[tuple[str, tuple[int, int, int]]] | None = None,
    line: float = LINE,
    ruled: bool = True,
) -> None:
    """One row of wrapped cells (each in its ``faces`` style and colour, else the current style
    in ``colour``). A row that does not fit below starts on a new page (``on_new_page`` draws
    what heads it there); a row taller than a page is drawn a page's worth of lines at a time."""
    style, size = pdf.font_style, pdf.font_size_pt
    faces = faces or [(style, colour) for _ in cells]
    wrapped = []
    for text, w, (face, _) in zip(cells, widths, faces, strict=True):
        pdf.set_font(style=face)
        wrapped.append(_wrapped(pdf, text, w - 2 * PAD_X))
    pdf.set_font(style=style, size=size)
    count = max(len(lines) for lines in wrapped)
    height = max(tall, count * line + 2 * PAD_Y)
    # A row that fits a page is never split: it starts on the next page if it must. A row
    # taller than a page starts here and goes on over as many pages as it needs.
    fits_a_page = height <= (pdf.page_break_trigger - pdf.t_margin) * 0.8
    if pdf.get_y() + height > pdf.page_break_trigger and on_new_page is not None and fits_a_page:
        _next_page(pdf, on_new_page)
    done = 0
    while True:
        room = int((pdf.page_break_trigger - pdf.get_y() - 2 * PAD_Y) // line)
        if room < 1:  # not one more line fits on this page
            _next_page(pdf, on_new_page)
            room = max(1, int((pdf.page_break_trigger - pdf.get_y() - 2 * PAD_Y) // line))
        end = min(count, done + room)
        last = end == count
        high = max(tall if done == 0 else 0.0, (end - done) * line + 2 * PAD_Y)
        _piece(pdf, [lines[done:end] for lines in wrapped], widths, faces, fill, high, line, last)
        pdf.set_font(style=style, size=size)
        if last:
            if not ruled:
                return
            pdf.set_draw_color(*RULE)
            pdf.set_line_width(0.2)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + sum(widths), pdf.get_y())
            return
        done = end
        _next_page(pdf, on_new_page)


def _next_page(pdf: FPDF, on_new_page: Callable[[], None] | None) -> None:
    pdf.add_page()
    if on_new_page is not None:
        on_new_page()


def _piece(
    pdf: FPDF,
    wrapped: list[list[str]],
    widths: list[float],
    faces: list[tuple[str, tuple[int, int, int]]],
    fill: tuple[int, int, int] | None,
    height: float,
    line: float,
    last: bool,
) -> None:
    """Lines of one row's cells, drawn at the current position on one page."""
    x, y = pdf.l_margin, pdf.get_y()
    if fill is not None:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, sum(widths), height, style="F")
    for lines, w, (face, ink) in zip(wrapped, widths, faces, strict=True):
        pdf.set_font(style=face)
        pdf.set_text_color(*ink)
        for number, text in enumerate(lines):
            pdf.text(x + PAD_X, y + PAD_Y + number * line + line * 0.74, text)
        x += w
    pdf.set_y(y + height if last else pdf.page_break_trigger)


class _Widths(dict[str, float]):
    """The width (mm) of each character of one font at one size, measured once when first met."""

    def __init__(self) -> None:
        super().__init__()
        self.pdf: FPDF | None = None

    def __missing__(self, character: str) -> float:
        assert self.pdf is not None
        width = self[character] = self.pdf.get_string_width(character)
        return width


WIDTHS: dict[tuple[str, str, float], _Widths] = {}
"""Character widths by font and size: the core fonts' widths never change, so each character is
measured once (fpdf2's measure of a string costs far more than a sum over a table)."""


def _measure(pdf: FPDF) -> _Widths:
    """The character widths of the current font."""
    known = WIDTHS.setdefault((pdf.font_family, pdf.font_style, pdf.font_size_pt), _Widths())
    known.pdf = pdf
    return known


def _wrapped(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (at spaces, or inside a word too long
    for a line), keeping its own line breaks.

    One pass, each character's width looked up once: a long unbroken word costs what its length
    costs (an 8,000-letter word took 50 s when every cut was measured again from its start).
    """
    widths = _measure(pdf)
    of = widths.__getitem__
    space = of(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            wide = sum(map(of, word))
            needed = wide + (space if words else 0.0)
            if used + needed <= width:
                words.append(word)
                used += needed
                continue
            if words:
                lines.append(" ".join(words))
            if wide > width:
                word, wide = _broken(word, width, of, lines)
            words, used = [word], wide
        lines.append(" ".join(words))
    return lines or [""]


def _broken(
    word: str, width: float, of: Callable[[str], float], lines: list[str]
) -> tuple[str, float]:
    """Put the full lines of a word wider than ``width`` on ``lines``; its last part and that
    part's width. The running widths are summed once and each cut found by bisection."""
    ends = list(accumulate(map(of, word)))
    start, before = 0, 0.0
    while ends[-1] - before > width:
        cut = max(bisect_right(ends, before + width, lo=start), start + 1)
        lines.append(word[start:cut])
        start, before = cut, ends[cut - 1]
    return word[start:], ends[-1] - before


def _preformatted(pdf: FPDF, block: Preformatted) -> None:
    pdf.set_font("Courier", "", 8)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    _row(
        pdf,
        [latin1(block.text)],
        [width],
        INK,
        (246, 246, 246),
        0.0,
        lambda: None,
        line=3.8,
        ruled=False,
    )
    pdf.set_font("Helvetica", "", 9)


def _chart(pdf: FPDF, chart: Chart) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    placed = layout(chart, width=width)
    if pdf.will_page_break(placed.height + 8):
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 5, latin1(chart.title), new_x="LMARGIN", new_y="NEXT")
    _draw(pdf, placed, pdf.l_margin, pdf.get_y())
    pdf.set_y(pdf.get_y() + placed.height)
    if chart.note:
        pdf.set_font("Helvetica", "", 7.5)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 4, latin1(chart.note), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*INK)


def _draw(pdf: FPDF, placed: Layout, x0: float, y0: float) -> None:
    pdf.set_line_width(0.15)
    pdf.set_font("Helvetica", "", 6.5)
    for tick in placed.ticks:
        pdf.set_draw_color(215, 215, 215)
        pdf.line(x0 + placed.left, y0 + tick.y, x0 + placed.right, y0 + tick.y)
        pdf.set_text_color(*GREY)
        value = str(tick.value)
        pdf.text(x0 + placed.tick_x - pdf.get_string_width(value), y0 + tick.y + 1.0, value)
    pdf.set_font("Helvetica", "", 5.5)
    for bar in placed.bars:
        if bar.value <= 0:
            continue
        pdf.set_fill_color(*_rgb(bar.colour))
        pdf.rect(x0 + bar.x, y0 + bar.y, bar.width, bar.height, style="F")
        number = str(bar.value)
        pdf.text(
            x0 + bar.x + (bar.width - pdf.get_string_width(number)) / 2, y0 + bar.y - 0.8, number
        )
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_draw_color(90, 90, 90)
    pdf.line(x0 + placed.left, y0 + placed.bottom, x0 + placed.right, y0 + placed.bottom)
    pdf.set_text_color(*INK)
    for label in placed.labels:
        text = latin1(label.text)
        pdf.text(x0 + label.x - pdf.get_string_width(text) / 2, y0 + placed.label_y, text)
    pdf.set_font("Helvetica", "", 7)
    for key in placed.keys:
        pdf.set_fill_color(*_rgb(key.colour))
        pdf.rect(x0 + key.x, y0 + placed.swatch_y, 3, 3, style="F")
        pdf.text(x0 + key.text_x, y0 + placed.key_y, latin1(key.name))


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
