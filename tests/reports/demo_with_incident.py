"""The demo production as ``showclear demo`` builds it, plus an incident on its second day.

Day two's showdown is under way (R-01 and R-04 loaded with dummies, with Jo Carver and Eli
Stone); at 11:05 Eli Stone reports that R-04 went off from chamber 1 outside a planned take,
through the application service as the Stop page would send it. That is the incident the
incident report is drawn for. Every report is then made by ``showclear report`` as a process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from served_process import environment
from showclear.core.commands import ReportDischarge
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
"""Where one rendered page of each report is kept for review (git ignores the folder)."""

INCIDENT_AT = datetime(2026, 10, 14, 11, 5, tzinfo=UTC)


@dataclass(frozen=True)
class DemoWithIncident:
    """The data directory, the demo's logins, and Eli Stone's person id."""

    data_dir: Path
    credentials: dict[str, object]
    eli: str

    def showclear(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``showclear ARGS`` as a process on this data directory."""
        return subprocess.run(
            [sys.executable, "-m", "showclear", *args],
            env=environment(self.data_dir),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def service(self) -> Service:
        """A service of this process on the demo's database (close its store when done)."""
        return Service(
            store=open_store(f"sqlite:///{self.data_dir / 'showclear.sqlite3'}"),
            keyring=Keyring(self.data_dir),
            device="test",
        )


def build_demo_with_incident(data_dir: Path) -> DemoWithIncident:
    """``showclear demo --no-serve`` into ``data_dir``, then the unplanned discharge."""
    data_dir.mkdir(parents=True, mode=0o700)
    built = subprocess.run(
        [sys.executable, "-m", "showclear", "demo", "--no-serve", "--day-two", "2026-10-14"],
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    credentials = json.loads((data_dir / "demo-logins.json").read_text(encoding="utf-8"))
    eli = next(b["person_id"] for b in credentials["badges"] if b["name"] == "Eli Stone")
    demo = DemoWithIncident(data_dir, credentials, eli)
    service = demo.service()
    try:
        service.clock = lambda: INCIDENT_AT
        service.execute(
            service.production(),
            ReportDischarge(
                "R-04",
                ("chamber 1",),
                planned=False,
                scene="34",
                description="It went off during the walk-through, pointed at the ground.",
            ),
            person_id=eli,
        )
    finally:
        service.store.close()
    return demo
