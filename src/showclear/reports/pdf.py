"""A :class:`~showclear.reports.document.Document` drawn as PDF with fpdf2.

A4 (or US Letter) in the core Helvetica and Courier fonts, so nothing is installed or embedded:
text is drawn in Latin-1, with accented letters kept and other letters spelled without their
marks (the HTML keeps the exact text). Every page carries the production, the report, where it
was drawn from (the ledger entries and the checkpoint sealing them) and its page number. Tables
repeat their headings on every page; a chart is drawn with the same layout as the HTML's SVG.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout

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
    """``text`` in the core fonts' Latin-1: accents kept, other marks dropped, else ``?``."""
    text = text.translate(TYPOGRAPHY)
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.encode("latin-1", "replace").decode("latin-1")


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
        self.set_y(-(MARGIN + 6))
        self.set_font("Helvetica", "", 7)
        self.set_text_color(*GREY)
        doc = self.document
        self.multi_cell(
            0,
            3.2,
            latin1(
                f"{doc.production} - {doc.title} - {doc.subtitle}. {doc.sealed} "
                f"Page {self.page_no()} of {{nb}}."
            ),
            align="L",
        )


def render_pdf(document: Document, *, paper: str = "a4", compress: bool = True) -> bytes:
    """The PDF of ``document`` on ``paper`` (``a4`` or ``letter``)."""
    pdf = _Sheet(document, paper)
    pdf.set_compression(compress)
    pdf.set_title(latin1(f"{document.production}: {document.title}"))
    pdf.set_subject(latin1(document.subtitle))
    pdf.set_creator("Showclear")
    pdf.add_page()
    pdf.set_text_color(*INK)
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 8, latin1(document.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0, 6, latin1(f"{document.production} - {document.subtitle}"), new_x="LMARGIN", new_y="NEXT"
    )
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
    pdf.set_text_color(*colour)
    pdf.set_font("Helvetica", "B" if block.tone == ALERT else "", 9.5)
    if fill is not None:
        pdf.set_fill_color(*fill)
    pdf.multi_cell(
        0, 5, latin1(block.text), fill=fill is not None, align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_text_color(*INK)


def _facts(pdf: FPDF, block: Facts) -> None:
    pdf.set_font("Helvetica", "", 9.5)
    pdf.set_text_color(*INK)
    with pdf.table(
        col_widths=(1, 3),
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.NONE,
        text_align="LEFT",
        line_height=5,
        padding=(0.6, 1.5),
    ) as table:
        for label, value in block.pairs:
            row = table.row()
            row.cell(latin1(label), style=FontFace(emphasis="BOLD", color=GREY, fill_color=PAPER))
            row.cell(latin1(value), style=FontFace(fill_color=PAPER))


LINE = 4.2
"""A table line's height (mm)."""
PAD_X, PAD_Y = 1.2, 0.9
HEAD_FILL = (236, 236, 236)
RULE = (200, 200, 200)


def _table(pdf: FPDF, block: Table) -> None:
    """Rows of wrapped cells, the heading repeated on each new page.

    Drawn line by line with ``text`` and ``rect`` rather than fpdf2's ``table()``, which lays
    out every cell character by character: a shoot day's log of a thousand entries took seconds
    more that way.
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
) -> None:
    wrapped = [_wrapped(pdf, text, w - 2 * PAD_X) for text, w in zip(cells, widths, strict=True)]
    height = max(tall, max(len(lines) for lines in wrapped) * LINE + 2 * PAD_Y)
    if pdf.get_y() + height > pdf.page_break_trigger and on_new_page is not None:
        pdf.add_page()
        on_new_page()
    x, y = pdf.l_margin, pdf.get_y()
    if fill is not None:
        pdf.set_fill_color(*fill)
        pdf.rect(x, y, sum(widths), height, style="F")
    pdf.set_text_color(*colour)
    for lines, w in zip(wrapped, widths, strict=True):
        for number, line in enumerate(lines):
            pdf.text(x + PAD_X, y + PAD_Y + number * LINE + LINE * 0.74, line)
        x += w
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + height, pdf.l_margin + sum(widths), y + height)
    pdf.set_y(y + height)


def _wrapped(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (at spaces, or inside a word too long
    for a line), keeping its own line breaks."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if pdf.get_string_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while pdf.get_string_width(word) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines or [""]


def _preformatted(pdf: FPDF, block: Preformatted) -> None:
    pdf.set_font("Courier", "", 8)
    pdf.set_text_color(*INK)
    pdf.set_fill_color(246, 246, 246)
    pdf.multi_cell(0, 3.8, latin1(block.text), fill=True, new_x="LMARGIN", new_y="NEXT")
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
