"""Every PDF report of the demo production, made by ``showclear report`` as a process, turned
into PNG pages with ``pdftoppm`` and read back with ``pdftotext`` for its key text: serials,
names and counts from the demo's own script. The first page of each is saved under
``test-artifacts/reports/`` for a person to look at (the run prints the folder).

``pdftoppm`` and ``pdftotext`` are Debian's poppler-utils, installed by the README's test
command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from demo_with_incident import ARTIFACTS, DemoWithIncident
from PIL import Image

from showclear.cli import demo as script
from showclear.core.vocabulary import barrels, revolver_chambers

SERIALS = {tag: serial for tag, serial, *_ in script.FIREARMS}
ROSTER = {key: name for key, name, *_ in script.ROSTER}

# What the demo's script does on shoot day one (demo.py, _Shoot.day_one): rounds loaded (R-01's
# six chambers with dummies for scene 14; two blanks each in; both barrels of S-07)
# and fired (the blanks of and S-07).
DAY_ONE_LOADED = len(revolver_chambers(6)) + 2 + 2 + len(barrels(2))
DAY_ONE_FIRED = 2 + 2 + len(barrels(2))
# What the prep day verified: every round of every lot, tray by tray.
PREP_DAY_VERIFIED = sum(count for _, _, _, count, *_ in script.LOTS)
BLANKS_LEFT = {
    tag: count - (4 if tag == "B-01" else 2)
    for tag, kind, _, count, *_ in script.LOTS
    if kind == "blank"
}

REPORTS = {
    "daily-log": (
        ("daily-log", "--day", "day-1"),
        [
            "Armorer's log",
            "Tuesday 13 October 2026",
            f"{DAY_ONE_LOADED} rounds",
            f"{DAY_ONE_FIRED} rounds",
            script.KEY_ARMORER,
            ROSTER["jo"],
            ROSTER["eli"],
            ROSTER["first_ad"],
            "R-01",
            "S-07",
            "Shown hot (2 blanks) for scene 21",
        ],
    ),
    "meeting-sheet": (
        ("meeting-sheet", "--day", "2026-10-13"),
        [
            "Safety meeting sign-in",
            "Saloon stand-off",
            "The coach ambush",
            "Signature",
            "valid until 2028-06-18",
            ROSTER["lee"],
            ROSTER["kit"],
            ROSTER["camera"],
            "at least 9 m from the muzzle, shields, eye protection, ear protection",
        ],
    ),
    "wrap": (
        ("wrap", "--day", "day-1"),
        [
            "Wrap reconciliation",
            "balanced",
            "Every firearm and every round is accounted for.",
            *SERIALS.values(),
            *(f"{left} {left} matches" for left in BLANKS_LEFT.values()),
        ],
    ),
    "compliance": (
        ("compliance", "--day", "day-2"),
        [
            "Compliance summary",
            "Wednesday 14 October 2026",
            "Rounds verified, loaded and fired per day",
            "Refusals, warnings and overrides per day",
            str(PREP_DAY_VERIFIED),
            str(script.LATE_LOT_VERIFIED),
            "R-LIVE",
            "R-INCIDENT",
            "incident-1",
            "Revolver R-04 fired from chamber 1, which held no blank",
        ],
    ),
    "firearm": (
        ("firearm", "R-01"),
        [
            "Firearm history: Revolver R-01",
            SERIALS["R-01"],
            "Colt Single Action Army",
            "Western Prop Rentals",
            ROSTER["jo"],
            "Armory safe SAFE-1",
            "Loaded 6 rounds of lot D-01",
        ],
    ),
    "incident": (
        ("incident", "incident-1"),
        [
            "Incident report: incident-1",
            "Revolver R-04 fired from chamber 1, which held no blank",
            SERIALS["R-04"],
            ROSTER["eli"],
            "OUTSIDE A PLANNED TAKE",
            "the signature holds",
            "the proof holds",
            "showclear/dust-and-iron",
            "It went off during the walk-through, pointed at the ground.",
        ],
    ),
}


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: install Debian's poppler-utils (see the README)"
    return found


def _text(pdf: Path) -> str:
    done = subprocess.run(
        [_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def rendered(western: DemoWithIncident, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every report's PDF, made by ``showclear report`` into one folder."""
    folder = tmp_path_factory.mktemp("pdf")
    for name, (args, _) in REPORTS.items():
        made = western.showclear("report", *args, "--out", str(folder / f"{name}.pdf"))
        assert made.returncode == 0, made.stdout + made.stderr
        assert f"Wrote {folder / name}.pdf" in made.stdout
    return folder


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_pdf_report_of_the_demo_renders_to_png_pages_with_its_key_text(
    rendered: Path, name: str
) -> None:
    pdf = rendered / f"{name}.pdf"
    text = _text(pdf)
    pages = text.count("\f")
    flat = " ".join(text.split())

    missing = [wanted for wanted in REPORTS[name][1] if " ".join(wanted.split()) not in flat]

    assert missing == [], f"{name}.pdf does not say {missing}"
    assert pages >= 1
    assert f"Page {pages} of {pages}" in flat, "every page says which page of how many"
    assert "sealed by its signed checkpoint of size" in flat
    prefix = rendered / f"{name}-page"
    subprocess.run([_tool("pdftoppm"), "-r", "40", "-png", str(pdf), str(prefix)], check=True)
    images = sorted(rendered.glob(f"{name}-page-*.png"))
    assert len(images) == pages, "pdftoppm drew every page"
    for image in images:
        with Image.open(image) as page:
            assert page.width > page.height * 0.6, "a page, not a sliver"
            darkest, lightest = page.convert("L").getextrema()
            # Ink on paper: a page holding only a grey proof block and its footer (a ledger whose
            # size just passed a power of two has one more proof line) is drawn, not blank.
            assert darkest < 160 < lightest, f"{image.name} is blank"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(ARTIFACTS / name)],
        check=True,
    )  # fmt: skip
    assert (ARTIFACTS / f"{name}.png").is_file()


def test_a_report_on_us_letter_paper_is_letter_sized(
    western: DemoWithIncident, tmp_path: Path
) -> None:
    made = western.showclear(
        "report", "wrap", "--day", "day-1", "--paper", "letter", "--out", str(tmp_path / "w.pdf")
    )
    assert made.returncode == 0, made.stderr

    info = subprocess.run(
        [_tool("pdfinfo"), str(tmp_path / "w.pdf")], capture_output=True, text=True, check=True
    ).stdout

    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (612, 792)
