"""Ledgers and bundles for the export tests, recorded through the real service and store."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from showclear.core.ledger.note import NoteSigner
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import LedgerStore, Production

PRODUCTION = "Dead Man's Gulch"
ARMORER = "Sarah Zachry"

_SCRIPT = Path(sys.executable).with_name("showclear-verify")
VERIFY = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "showclear.archive.verify"]
"""The installed verifier, as an investigator runs it."""

NOTES = [
    'prop table checked, "all clear"',
    "Señora Núñez signed the sheet — 𝄞",
    "box of dummies D-01 rattled, 50 of 50",
]


@dataclass(frozen=True)
class Checked:
    """What one ``showclear-verify`` process did."""

    code: int
    out: str
    err: str


def run_verifier(*args: str | Path) -> Checked:
    """Run ``showclear-verify ARGS`` as a process."""
    done = subprocess.run(
        [*VERIFY, *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )
    return Checked(done.returncode, done.stdout, done.stderr)


def record(
    store: LedgerStore,
    data_dir: Path,
    count: int,
    *,
    per_commit: int = 1,
    name: str = PRODUCTION,
) -> tuple[Service, Production, NoteSigner]:
    """Append ``count`` entries to a production's ledger, ``per_commit`` to a signed commit."""
    service = Service(store=store, keyring=Keyring(data_dir), device="set-phone")
    production = service.production(name)
    signer = service.signer(production)
    start = datetime(2025, 3, 14, 7, 30, tzinfo=UTC)
    written = 0
    while written < count:
        with store.writing(production, signer) as log:
            for _ in range(min(per_commit, count - written)):
                log.append(
                    "test.noted",
                    {"note": NOTES[written % len(NOTES)], "pass": written},
                    person="person-2",
                    device="set-phone",
                    recorded_at=start + timedelta(minutes=written),
                )
                written += 1
    return service, production, signer


def bodies_of(store: LedgerStore, production: Production) -> list[bytes]:
    """Every entry's stored bytes, in order."""
    return [body for batch in store.entry_batches(production) for body in batch]


def lines(path: Path) -> list[bytes]:
    """The lines of a file, without their newlines."""
    return path.read_bytes().split(b"\n")[:-1]


def write_lines(path: Path, values: list[bytes]) -> None:
    """Write lines back, each with its newline."""
    path.write_bytes(b"".join(value + b"\n" for value in values))


def json_lines(path: Path) -> list[Any]:
    """The values of a JSON Lines file."""
    import json

    return [json.loads(line) for line in lines(path)]
