"""The label sheet: a printable PDF of QR labels for every firearm, lot, container and badge.

Each label is a QR code (segno) holding the code of :mod:`showclear.service.codes`, with the tag or the
person's name below it in large type and what it is in small type, inside a light cut line. The
sheet is laid out for A4 or US Letter (fpdf2; no system packages, no fonts to install). QR codes
are full-size QR (never Micro QR, which phone cameras do not read) at error correction level Q,
so a label still scans with a quarter of it scuffed or taped over.

No Django here: the web page and any future CLI command call :func:`production_labels` (or
:func:`badge_labels` with badges just issued by the service) and :func:`label_sheet`.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import segno
from fpdf import FPDF
from PIL import Image

from showclear.core.state import ProductionState
from showclear.core.vocabulary import BLANK, ROLE_NAMES
from showclear.service.codes import BADGE, CONTAINER, FIREARM, LOT, encode

PAPERS: dict[str, str] = {"a4": "A4", "letter": "Letter"}
"""Paper sizes the sheet is laid out for, by the name a form or URL uses."""

COLUMNS = 3
MARGIN_MM = 10.0
FOOTER_MM = 8.0
LABEL_HEIGHT_MM = 53.0
QR_MM = 32.0
MODULE_PIXELS = 8
"""Pixels per QR module in the embedded image: sharp in any viewer, still a few KB a label."""


@dataclass(frozen=True)
class Label:
    """One label: the code its QR holds, the large ``title`` and the small ``caption``."""

    code: str
    title: str
    caption: str


def production_labels(state: ProductionState) -> list[Label]:
    """A label for every firearm, lot and container of the production (badges are printed only
    as they are issued: see :func:`badge_labels`)."""
    labels = [
        Label(
            encode(FIREARM, firearm.tag),
            firearm.tag,
            f"{firearm.make} {firearm.model} ({firearm.firearm_type})".strip(),
        )
        for firearm in sorted(state.firearms.values(), key=lambda f: f.tag)
    ]
    labels += [
        Label(
            encode(LOT, lot.tag),
            lot.tag,
            f"{'Blank' if lot.lot_kind == BLANK else 'Dummy'} lot, {lot.calibre}",
        )
        for lot in sorted(state.lots.values(), key=lambda lot: lot.tag)
    ]
    labels += [
        Label(
            encode(CONTAINER, box.tag),
            box.tag,
            box.label.removesuffix(f" {box.tag}"),
        )
        for box in sorted(state.containers.values(), key=lambda box: box.tag)
    ]
    return labels


def badge_labels(state: ProductionState, issued: list[tuple[str, str]]) -> list[Label]:
    """A label for each badge just issued, ``(person_id, code)``: the only time a badge's code
    is ever printed (Showclear keeps only its hash), with its serial to tell copies apart."""
    labels = []
    for person_id, code in issued:
        person = state.people[person_id]
        roles = ", ".join(ROLE_NAMES.get(role, role) for role in sorted(person.roles))
        labels.append(Label(encode(BADGE, code), person.name, f"Badge {person.badge_id}, {roles}"))
    return labels


def qr_image(code: str) -> Image.Image:
    """The QR code of ``code`` as a greyscale image with its quiet zone (4 modules)."""
    qr = segno.make_qr(code, error="q")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=MODULE_PIXELS, border=4)
    png.seek(0)
    return Image.open(png).convert("L")


def label_sheet(
    production: str, labels: list[Label], *, paper: str = "a4", compress: bool = True
) -> bytes:
    """The PDF sheet of ``labels`` on ``paper`` (a key of :data:`PAPERS`), page after page.

    ``compress=False`` leaves the page content readable as text (tests read the tags from it).
    """
    pdf = FPDF(orientation="portrait", unit="mm", format=PAPERS[paper])
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_title(_printable(f"{production}: Showclear labels"))
    pdf.set_creator("Showclear")
    pdf.alias_nb_pages()
    width = (pdf.w - 2 * MARGIN_MM) / COLUMNS
    usable = pdf.h - 2 * MARGIN_MM - FOOTER_MM
    rows = max(1, int(usable // LABEL_HEIGHT_MM))
    height = usable / rows  # fill the page: taller labels on Letter, same QR size
    per_page = rows * COLUMNS
    for index, label in enumerate(labels or [None]):
        if index % per_page == 0:
            pdf.add_page()
            _footer(pdf, production)
        if label is None:
            _nothing(pdf)
            break
        row, column = divmod(index % per_page, COLUMNS)
        _label(pdf, label, MARGIN_MM + column * width, MARGIN_MM + row * height, width, height)
    return bytes(pdf.output())


def _label(pdf: FPDF, label: Label, x: float, y: float, width: float, height: float) -> None:
    pdf.set_draw_color(170)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.rect(x, y, width, height)
    pdf.set_dash_pattern()
    y += (height - LABEL_HEIGHT_MM) / 2  # the QR and text centred in a taller label
    pdf.image(qr_image(label.code), x=x + (width - QR_MM) / 2, y=y + 3, w=QR_MM, h=QR_MM)
    pdf.set_text_color(0)
    inner = width - 6
    _fitted(pdf, label.title, "B", 15, inner)
    pdf.set_xy(x + 3, y + QR_MM + 4)
    pdf.cell(inner, 7, _printable(label.title), align="C")
    pdf.set_font("Helvetica", "", 8)
    pdf.set_xy(x + 3, y + QR_MM + 11)
    pdf.cell(inner, 4, _shortened(pdf, label.caption, inner), align="C")


def _fitted(pdf: FPDF, text: str, style: str, size: float, width: float) -> None:
    """Set the largest font size up to ``size`` at which ``text`` fits in ``width``."""
    pdf.set_font("Helvetica", style, size)
    while size > 7 and pdf.get_string_width(_printable(text)) > width:
        size -= 0.5
        pdf.set_font("Helvetica", style, size)


def _shortened(pdf: FPDF, text: str, width: float) -> str:
    # A label's line holds well under 200 characters: cut there first, so that shortening a
    # long caption letter by letter never costs its length squared.
    printable = _printable(text if len(text) <= 200 else text[:200] + "...")
    while printable and pdf.get_string_width(printable) > width:
        printable = printable[:-4] + "..."
    return printable


def _footer(pdf: FPDF, production: str) -> None:
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(80)
    pdf.set_xy(MARGIN_MM, pdf.h - MARGIN_MM - FOOTER_MM + 2)
    text = f"{production}: Showclear labels. Cut along the dashed lines. Page {pdf.page_no()} of {{nb}}"
    pdf.cell(pdf.w - 2 * MARGIN_MM, 5, _printable(text), align="C")


def _nothing(pdf: FPDF) -> None:
    pdf.set_font("Helvetica", "", 12)
    pdf.set_xy(MARGIN_MM, MARGIN_MM)
    pdf.cell(0, 8, "No firearm, lot, container or badge on this production yet.")


def _printable(text: str) -> str:
    """``text`` in the sheet's built-in font (Latin-1): accents kept, other letters spelled
    without their marks, anything else as ``?``. The QR code always holds the exact text."""
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.encode("latin-1", "replace").decode("latin-1")
