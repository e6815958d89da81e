"""A production under test for imports and reports, every change through the real service.

Files are written as a spreadsheet writes them (a header line, then a line per row) with
:func:`csv_file`; :meth:`Paperwork.imported` and :meth:`Paperwork.refused` run an import through
:func:`showclear.imports.run` and check what it recorded (or that it recorded nothing at all).
"""

from __future__ import annotations

import copy
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from showclear import imports
from showclear.core.commands import Command
from showclear.core.decide import Context, Refused
from showclear.core.state import ProductionState
from showclear.service import GENESIS_PERSON, Service
from showclear.service.keyring import Keyring
from showclear.store import Production

PRODUCTION = "Red Mesa"
KEY_ARMORER = "Hannah Reed"
START = datetime(2026, 10, 12, 7, 0, tzinfo=UTC)

MANIFEST = """\
Tag,Type,Make,Model,Calibre,Serial #,Class,Chambers,Rental house,Qty,Supplier,Delivery note,Delivery date,Load,For
R-01,Revolver,Colt,Single Action Army,.45 LC,SA-41872,firing,6,Western Prop Rentals,,,,,,
R-02,Revolver,Uberti,1873 Cattleman,45 Colt,UB-30117,blank firing,6,Western Prop Rentals,,,,,,
W-06,lever-action rifle,Winchester,1892,.44-40,WN-19044,firing,10,Western Prop Rentals,,,,,,
P-08,revolver,Denix,Peacemaker replica,.45 Colt,DX-1106,replica,,Western Prop Rentals,,,,,,
D-01,Dummies,,,.45 Colt,,,,,"1,000",Acme Dummy Cartridge Co.,invoice INV-1042,2026-10-09,,
B-01,Blanks,,,.45 Colt,,,,,60,Stembridge Gun Rentals,delivery note DN-5532,10 Oct 2026,half,R-02
"""

PEOPLE = """\
Full name,Department,Badge #,Course,Date completed,Expiry date
Sam Ortiz,assistant armorer,DI-SAM,Firearm safety,2026-06-18,2028-06-18
Sam Ortiz,,,Armorer licence,2025-02-03,2028-02-03
Dana Hale,1st AD,DI-DANA,Firearm safety,2026-06-18,2028-06-18
Jo Carver,actor,DI-JO,Firearm safety,2026-06-18,2028-06-18
Eli Stone,cast,DI-ELI,Firearm safety,2026-06-18,2028-06-18
Kit Brannigan,stunts,DI-KIT,Firearm safety,2026-06-18,2028-06-18
Hal Rivera,camera,,Firearm safety,2026-06-18,2028-06-18
"""

SCHEDULE = """\
Shoot day,Date,Scene #,Description,Cast,Props/Weapons,Condition,Rounds,Crew near firearms,Stand-off (m),PPE
1,2026-10-13,12,Saloon stand-off,Jo Carver; Eli Stone,R-01,cold,,Hal Rivera,,
1,2026-10-13,13,Walk to the livery,Jo Carver,,,,,,
1,,21,Shots in Main Street,Eli Stone,R-02,hot,2,Hal Rivera,8,eye; ear
2,2026-10-14,30,Ride into Red Mesa,Kit Brannigan,W-06; DX-1106,cold,,,,
"""


def csv_file(text: str, encoding: str = "utf-8") -> bytes:
    """A CSV file as a spreadsheet saves it (``\\r\\n`` line ends)."""
    return text.replace("\n", "\r\n").encode(encoding)


class Clock:
    """A clock moving one minute per reading."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        now = self.now
        self.now += timedelta(minutes=1)
        return now


@dataclass
class Paperwork:
    """One production under test."""

    database: Any
    service: Service
    production: Production
    refusals: list[tuple[str, Refused]] = field(default_factory=list)

    @property
    def state(self) -> ProductionState:
        return self.service.state(self.production)

    @property
    def size(self) -> int:
        return self.service.store.size(self.production)

    @property
    def checkpoints(self) -> int:
        return len(self.service.store.checkpoint_sizes(self.production))

    def imported(
        self, kind: str, data: bytes, *, by: str = GENESIS_PERSON, dry_run: bool = False
    ) -> imports.Imported:
        """Import ``data``; a refusal fails the test with every problem."""
        try:
            return imports.run(
                self.service, self.production, kind, data, person_id=by, dry_run=dry_run
            )
        except imports.ImportRefused as refused:
            pytest.fail(str(refused))

    def refused(self, kind: str, data: bytes, *, by: str = GENESIS_PERSON) -> list[str]:
        """Import ``data`` expecting it refused whole; return the problems as printed, after
        checking that nothing was recorded and nothing changed."""
        before = copy.deepcopy(self.state)
        size, checkpoints = self.size, self.checkpoints
        with pytest.raises(imports.ImportRefused) as refusal:
            imports.run(self.service, self.production, kind, data, person_id=by)
        assert self.size == size, "a refused import recorded entries"
        assert self.checkpoints == checkpoints, "a refused import sealed a checkpoint"
        assert self.state == before, "a refused import changed the state"
        return [str(problem) for problem in refusal.value.problems]

    def hear_refusals(self) -> None:
        """Listen to the service's refusals (as the refusal log does)."""

        def heard(
            production: Production, command: Command, context: Context, refused: Refused
        ) -> None:
            self.refusals.append((type(command).__name__, refused))

        self.service.refusal_listeners.append(heard)

    def stocked(self) -> None:
        """The people, the manifest and the schedule above, imported."""
        self.imported("people", csv_file(PEOPLE))
        self.imported("manifest", csv_file(MANIFEST))
        self.imported("schedule", csv_file(SCHEDULE))

    def person(self, name: str) -> str:
        """The person id of the one person called ``name``."""
        return next(p.person_id for p in self.state.people.values() if p.name == name)


def open_service(database: Any) -> Service:
    """A service with its own store connection on ``database``."""
    return Service(
        store=database.open_store(),
        keyring=Keyring(database.data_dir),
        device="test",
        clock=Clock(),
    )


def open_paperwork(database: Any) -> Paperwork:
    """A new production on ``database``: its key armorer is ``person-1``."""
    service = open_service(database)
    production, _ = service.create_production(PRODUCTION, KEY_ARMORER)
    return Paperwork(database, service, production)


@dataclass(frozen=True)
class Ran:
    """What one ``showclear`` process did."""

    code: int
    out: str
    err: str


def showclear(database: Any, *args: str, cwd: Any = None) -> Ran:
    """Run ``showclear ARGS`` as a process on ``database``."""
    done = subprocess.run(
        [sys.executable, "-m", "showclear", *args],
        env=database.environment(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)
