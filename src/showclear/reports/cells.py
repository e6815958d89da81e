"""CSV a spreadsheet opens safely: no cell is ever read as a formula.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is a formula to
Excel, LibreOffice and Google Sheets, and a crafted one can run commands or leak the sheet
("CSV injection"). Such a cell is written with a leading apostrophe, which every spreadsheet
shows as text and Showclear's imports read back without (:mod:`showclear.imports.table`), so an
exported file still round-trips.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from showclear.imports.table import needs_guard


def guarded(value: object) -> str:
    """``value`` as a cell's text that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if needs_guard(text) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV file (UTF-8 text, ``\\r\\n`` line ends as RFC 4180 asks), every cell guarded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guarded(title) for title in header])
    for row in rows:
        writer.writerow([guarded(cell) for cell in row])
    return out.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """:func:`csv_text` as UTF-8 with a byte-order mark, so Excel opens accents correctly."""
    return csv_text(header, rows).encode("utf-8-sig")
