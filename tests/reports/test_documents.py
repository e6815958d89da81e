"""Reports as documents: the HTML ``showclear report --format html`` writes draws every word
the document holds (the PDF is checked in ``test_rendered_reports.py``), the incident report's
proofs hold when checked again from what it prints, a tampered entry makes it say so, and the
sheets say what is missing.

Each test works on its own copy of the demo with its incident (``conftest.py``). Django is set
up only in the ``showclear`` processes, never in the test process.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from demo_with_incident import DemoWithIncident

from showclear import reports
from showclear.core.commands import HoldSafetyMeeting
from showclear.core.ledger.checkpoint import open_checkpoint
from showclear.core.ledger.merkle import leaf_hash, verify_inclusion
from showclear.reports import reading
from showclear.reports.compliance import Refusal
from showclear.reports.document import Chart, Document, Facts, Paragraph, Preformatted, Table
from showclear.service import Service

DAY_ONE, DAY_TWO = date(2026, 10, 13), date(2026, 10, 14)


@pytest.fixture
def copy_dir(western: DemoWithIncident, tmp_path: Path) -> DemoWithIncident:
    """A copy of the demo's data (a test may record more on it)."""
    data = tmp_path / "data"
    shutil.copytree(western.data_dir, data)
    return DemoWithIncident(data, western.credentials, western.eli)


@pytest.fixture
def copy_of(copy_dir: DemoWithIncident) -> Iterator[Service]:
    """A service on the copy."""
    service = copy_dir.service()
    yield service
    service.store.close()


# The reports the CLI draws, as (its arguments, what the document is built with).
EVERY = [
    *(((kind, "--day", "day-1"), (kind, {"day": DAY_ONE})) for kind in reports.DAILY),
    *(((kind, "--day", "day-2"), (kind, {"day": DAY_TWO})) for kind in reports.DAILY),
    (("firearm", "R-04"), ("firearm", {"tag": "R-04"})),
    (("incident",), ("incident", {})),
]


def _texts(document: Document) -> list[str]:
    found = [document.title, document.subtitle, document.sealed]
    for section in document.sections:
        found.append(section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph | Preformatted):
                found.append(block.text)
            elif isinstance(block, Facts):
                found += [text for pair in block.pairs for text in pair]
            elif isinstance(block, Table):
                found += [*block.columns, *(cell for row in block.rows for cell in row)]
                found += [] if block.rows else [block.empty]
            elif isinstance(block, Chart):
                found += [block.title, *block.labels, *(s.name for s in block.series)]
    return [text for text in found if text]


@pytest.mark.parametrize(("args", "built"), EVERY, ids=[" ".join(a) for a, _ in EVERY])
def test_the_html_of_every_report_draws_every_word_of_its_document(
    copy_dir: DemoWithIncident,
    copy_of: Service,
    tmp_path: Path,
    args: tuple[str, ...],
    built: tuple[str, dict[str, object]],
) -> None:
    kind, options = built
    refusals: list[Refusal] = []  # the demo's refusal log is empty
    document = reports.document(
        reading.snapshot(copy_of, copy_of.production()),
        kind,
        refusals=refusals,
        **options,  # type: ignore[arg-type]
    )
    out = tmp_path / "report.html"
    made = copy_dir.showclear("report", *args, "--format", "html", "--out", str(out))
    assert made.returncode == 0, made.stderr
    page = html.unescape(re.sub(r"<br>\s*", "\n", out.read_text(encoding="utf-8")))

    missing = [text for text in _texts(document) if text not in page]

    assert missing == [], f"{document.name}: the HTML leaves out {missing[:3]}"
    assert page.count("<svg") == sum(
        isinstance(block, Chart) for section in document.sections for block in section.blocks
    )
    assert "<style>" in page, "one file, its stylesheet inlined"


def test_the_incident_reports_proofs_hold_when_checked_again_from_what_it_prints(
    copy_of: Service,
) -> None:
    production = copy_of.production()
    document = reports.document(reading.snapshot(copy_of, production), "incident")
    blocks = [b for s in document.sections if s.heading == "Seal" for b in s.blocks]
    checkpoint = next(b.text for b in blocks if isinstance(b, Preformatted)) + "\n"
    proofs = [b.text for b in blocks if isinstance(b, Preformatted) and b.text.startswith("entry")]
    sealed = open_checkpoint(checkpoint, copy_of.verifier(production))  # its signature holds

    checked = []
    for proof in proofs:
        seq = int(re.match(r"entry (\d+)", proof).group(1))  # type: ignore[union-attr]
        leaf = base64.b64decode(re.search(r"^leaf\s+(\S+)", proof, re.M).group(1))  # type: ignore[union-attr]
        path = [base64.b64decode(h) for h in re.findall(r"^proof\s+\d+ (\S+)", proof, re.M)]
        body = copy_of.store.entry(production, seq)
        assert body is not None
        assert leaf == leaf_hash(body), "the printed leaf is the entry's"
        verify_inclusion(seq, sealed.size, leaf, path, sealed.root)
        checked.append(seq)

    incident = copy_of.state(production).incidents["incident-1"]
    assert incident.seq in checked, "the entry opening the incident is proven"
    assert len(checked) >= 3, "the discharge, the incident and what came with them"


def test_a_report_over_a_tampered_entry_stops_before_it_and_says_so_on_every_page(
    western: DemoWithIncident, tmp_path: Path
) -> None:
    import sqlite3

    data = tmp_path / "data"
    shutil.copytree(western.data_dir, data)
    service = DemoWithIncident(data, western.credentials, western.eli).service()
    try:
        production = service.production()
        seq = service.state(production).incidents["incident-1"].seq
        with sqlite3.connect(data / "showclear.sqlite3") as raw:  # an attacker with the file
            for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
                raw.execute(f"DROP TRIGGER {name}")
            raw.execute(
                "UPDATE ledger_entry SET body = replace(body, 'which held no blank', "
                "'which held a blank') WHERE seq = ?",
                (seq,),
            )
        fresh = DemoWithIncident(data, western.credentials, western.eli).service()
        try:
            snap = reading.snapshot(fresh, production)
            day = reading.day_of("today", snap.state)
            document = reports.document(snap, "daily-log", day=day)
        finally:
            fresh.store.close()
    finally:
        service.store.close()

    # The restarted process folds nothing from the changed entry on: the incident is not
    # drawn from a record that does not hold, and every page's footer says why.
    # (the changed entry was recorded in one append with others: the state stops before it)
    assert snap.size <= seq
    assert "incident-1" not in snap.state.incidents
    assert document.sealed.startswith("THE LEDGER WAS TAMPERED WITH (entr")
    fault = fresh.tampered(production)
    assert fault is not None
    assert fault.seq == snap.size <= seq  # the range it names starts where the state stops
    assert fault.where in document.sealed
    assert f"stops at entry {snap.size - 1}" in document.sealed


def test_the_compliance_summary_counts_refusals_from_the_log_and_says_when_there_is_none(
    copy_of: Service,
) -> None:
    snap = reading.snapshot(copy_of, copy_of.production())
    refused = Refusal(
        datetime(2026, 10, 14, 10, 40, tzinfo=UTC),
        "person-1",
        "web:marta",
        "HandOver",
        ("R-SHOW-CLEAR",),
        "Revolver R-04 was not shown clear to Eli Stone (cast).",
    )

    kept = reports.document(snap, "compliance", day=DAY_TWO, refusals=[refused])
    none = reports.document(snap, "compliance", day=DAY_TWO, refusals=None)

    kept_words = " ".join(_texts(kept))
    assert "Revolver R-04 was not shown clear to Eli Stone (cast)." in kept_words
    rules = next(b for s in kept.sections if s.heading == "Rules applied" for b in s.blocks)
    assert isinstance(rules, Table)
    row = next(r for r in rules.rows if r[0] == "R-SHOW-CLEAR")
    assert row[3] == "1", "one refusal of R-SHOW-CLEAR"
    chart = next(
        b for s in kept.sections for b in s.blocks if isinstance(b, Chart) and "Refusals" in b.title
    )
    assert dict(chart.rows)["Oct 14"][0] == 1
    assert "refusals are NOT counted here" in " ".join(_texts(none))


def test_the_compliance_summary_counts_the_days_confirmations_in_person_keyed_or_scanned(
    copy_of: Service,
) -> None:
    production = copy_of.production()
    snap = reading.snapshot(copy_of, production)
    # Counted again here from the stored entries themselves, as an outsider would.
    expected: dict[str, int] = {}
    for body in copy_of.store.entry_range(production, 0, snap.size):
        entry = json.loads(body)
        if entry["recorded_at"].startswith(DAY_TWO.isoformat()):
            for name, value in entry["payload"].items():
                if name.endswith("_via") and value:
                    expected[value] = expected.get(value, 0) + 1
    assert expected.get("pin-typed"), "performers type their PINs in the demo"
    assert expected.get("badge-scanned"), "and first ADs scan their badges"

    summary = reports.document(snap, "compliance", day=DAY_TWO, refusals=[])
    section = next(s for s in summary.sections if s.heading == "Confirmations in person")
    table, note = section.blocks
    assert isinstance(table, Table)
    assert isinstance(note, Paragraph)
    assert {row[0]: int(row[1]) for row in table.rows} == {
        "Badge scanned": expected.get("badge-scanned", 0),
        "Badge code typed": expected.get("badge-typed", 0),
        "PIN typed": expected.get("pin-typed", 0),
    }
    keyed = expected.get("pin-typed", 0) + expected.get("badge-typed", 0)
    total = sum(expected.values())
    assert note.text.startswith(f"{keyed} of {total} confirmations were keyed")
    facts = dict(next(b for b in summary.sections[0].blocks if isinstance(b, Facts)).pairs)
    assert facts["Confirmed in person"] == f"{total} ({keyed} keyed: typed by hand)"


def test_the_sign_in_sheet_marks_who_was_expected_and_not_recorded_at_the_meeting(
    copy_of: Service,
) -> None:
    production = copy_of.production()
    state = copy_of.state(production)
    dana = next(p.person_id for p in state.people.values() if p.name == "Dana Hale")
    copy_of.clock = lambda: datetime(2026, 10, 14, 11, 30, tzinfo=UTC)
    copy_of.execute(
        production,
        HoldSafetyMeeting("36", (state.armorer_id, dana), ("the action",)),
        person_id=dana,
    )

    sheet = reports.document(
        reading.snapshot(copy_of, production), "meeting-sheet", day=DAY_TWO, scene="36"
    )

    table = next(b for s in sheet.sections for b in s.blocks if isinstance(b, Table))
    by_name = {row[0]: row for row in table.rows}
    assert by_name["Kit Brannigan"][3] == "NOT RECORDED"
    assert by_name["Marta Velez"][3] == "yes, 05:30 MDT"  # 11:30 UTC in Denver
    assert by_name["Sam Ortiz"][3] == "NOT RECORDED", "an armorer on the roster is expected"


def test_a_day_without_a_count_prints_a_blind_count_sheet(copy_of: Service) -> None:
    sheet = reports.document(reading.snapshot(copy_of, copy_of.production()), "wrap", day=DAY_TWO)

    words = " ".join(_texts(sheet))
    assert "No wrap count is recorded on 2026-10-14" in words
    table = next(b for s in sheet.sections for b in s.blocks if isinstance(b, Table))
    assert table.columns == ("What to count", "Counted", "Counted by")
    assert all(row[1] == "" for row in table.rows), "the sheet never says how many to expect"
