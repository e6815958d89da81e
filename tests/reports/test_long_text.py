"""Long text on paper: wrapped in one pass, never lost, never off the page.

An 8,000-letter word took 50 s in the day's log (every cut of it was measured again from its
start). Now each character's width is looked up once, a row or a paragraph taller than a page
goes on over the next pages, and the day with every text at its limit draws in a moment
(measured in ``bench/reports.py``; here a generous bound only).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given
from hypothesis import strategies as st
from longest_day import DAY, record_the_longest_day

from showclear import reports
from showclear.core import limits
from showclear.core.commands import Complain
from showclear.reports import pdf as drawing
from showclear.reports import reading
from showclear.reports.document import Document, Facts, Paragraph, Section, Table
from showclear.reports.pdf import LONGEST, render_pdf
from showclear.service import GENESIS_PERSON


def a_sheet() -> FPDF:
    sheet = FPDF(unit="mm", format="A4")
    sheet.add_page()
    sheet.set_font("Helvetica", "", 8.5)
    return sheet


@given(
    st.text(alphabet=st.sampled_from("Wil. -\nMm0"), max_size=400),
    st.floats(min_value=2.0, max_value=120.0),
)
def test_every_wrapped_line_fits_its_width_and_no_letter_is_lost(text: str, width: float) -> None:
    sheet = a_sheet()
    lines = drawing._wrapped(sheet, text, width)
    for line in lines:
        assert len(line) <= 1 or sheet.get_string_width(line) <= width + 1e-6, (line, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_a_long_word_is_measured_once_per_letter_not_once_per_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sheet = a_sheet()
    measured: list[str] = []
    real = FPDF.get_string_width

    def counting(self: FPDF, text: str, *args: object, **kwargs: object) -> float:
        measured.append(text)
        return real(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(FPDF, "get_string_width", counting)
    monkeypatch.setattr(drawing, "WIDTHS", {})
    lines = drawing._wrapped(sheet, "Wq" * 40_000, 60.0)
    assert len(lines) > 500
    assert sorted(measured) == [" ", "W", "q"]


def page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf")], check=True, timeout=60)
    return (tmp_path / "r.txt").read_text(encoding="utf-8").split("\f")


def test_a_cell_a_fact_and_a_paragraph_longer_than_a_page_go_on_over_the_next_pages(
    tmp_path: Path,
) -> None:
    words = " ".join(f"w{n:05d}" for n in range(3000))
    document = Document(
        "daily-log",
        "Armorer's log",
        "Long Words",
        "a long day",
        (
            Section("Facts", (Facts((("Notes", words),)),)),
            Section("Table", (Table(("Entry", "What happened"), (("1", words),)),)),
            Section("Paragraph", (Paragraph(words),)),
        ),
    )
    pages = page_texts(render_pdf(document), tmp_path)
    assert len(pages) > 6
    text = " ".join(pages)
    for n in (0, 1, 1499, 2999):
        assert text.count(f"w{n:05d}") == 3  # each once in the fact, the cell, the paragraph
    assert all("Page" in page for page in pages if page.strip())


def test_a_text_recorded_before_its_limit_is_printed_up_to_a_bound_and_says_how_much_more() -> None:
    huge = "x" * 2_400_000
    document = Document("daily-log", "t", "p", "s", (Section("h", (Paragraph(huge),)),))
    started = time.perf_counter()
    pdf = render_pdf(document, compress=False)
    assert time.perf_counter() - started < 10
    assert b"2,370,000 more characters in the ledger" in pdf
    assert pdf.count(b"x") < LONGEST + 1000


def test_the_days_log_with_every_text_at_its_limit_draws_in_a_moment(tmp_path: Path) -> None:
    service, production = record_the_longest_day(tmp_path / "data")
    try:
        snap = reading.snapshot(service, production)
        started = time.perf_counter()
        document = reports.document(snap, "daily-log", day=DAY.date())
        pdf = render_pdf(document)
        took = time.perf_counter() - started
    finally:
        service.store.close()
    assert took < 10, f"{took:.1f} s (target under 2 s: bench/reports.py measures it)"
    pages = page_texts(pdf, tmp_path)
    assert "Long Words" in pages[0]
    assert "W" * 20 in " ".join(pages)  # the unbroken words are drawn, broken by width


def test_a_two_megabyte_complaint_recorded_before_the_limits_is_reported_in_a_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, production = record_the_longest_day(tmp_path / "data", rounds=0)
    try:
        with monkeypatch.context() as before_the_limits:
            before_the_limits.setattr(limits, "check", lambda command: [])
            service.execute(production, Complain("x" * 2_400_000), person_id=GENESIS_PERSON)
        snap = reading.snapshot(service, production)
        started = time.perf_counter()
        drawn = [
            render_pdf(reports.document(snap, "incident")),
            render_pdf(reports.document(snap, "daily-log", day=DAY.date())),
        ]
        took = time.perf_counter() - started
    finally:
        service.store.close()
    assert took < 10, f"{took:.1f} s (it kept a worker busy for over 10 minutes)"
    for pdf in drawn:
        pages = page_texts(pdf, tmp_path)
        assert len(pages) < 40
        assert "more characters in the ledger" in " ".join(pages)
