"""What a backup and its PostgreSQL half share: the error, a sealed ledger's summary, the
emptiness check before a restore, and finding PostgreSQL's client programs.

Here so that :mod:`showclear.archive.backup` and :mod:`showclear.archive.backup.postgres` both
import it, and neither imports the other's caller.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from dataclasses import dataclass

from showclear.core.ledger.checkpoint import CheckpointError, read_unverified


class BackupError(Exception):
    """A backup or restore cannot be done (a clear message; nothing was changed)."""


@dataclass(frozen=True)
class Sealed:
    """A production's ledger as a backup holds it: its size and latest signed checkpoint."""

    name: str
    size: int
    checkpoint: str

    @property
    def root(self) -> str:
        """The checkpoint's root hash (base64), as ``showclear verify`` prints it."""
        try:
            return base64.b64encode(read_unverified(self.checkpoint).root).decode()
        except CheckpointError:
            return "(unreadable checkpoint)"

    def line(self) -> str:
        return (
            f"{self.name!r}: {_count(self.size, 'entry', 'entries')}, checkpoint root {self.root}"
        )


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def refuse_if_in_use(holdings: tuple[int, int], where: str) -> None:
    """Refuse to restore over a database holding a production or a login."""
    productions, logins = holdings
    if productions or logins:
        raise BackupError(
            f"the database {where} is not empty ({productions} productions, {logins} logins): "
            "a restore would replace them. Back it up first, then run restore with --force"
        )


# -- tools --------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """The path of a PostgreSQL client program, or a clear error."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs of the server's "
            "version (Debian: apt install postgresql-client)"
        )
    return found


def tool_major(path: str) -> int:
    """The major version of a PostgreSQL client program (``pg_dump (PostgreSQL) 15.2`` -> 15)."""
    said = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", said.stdout)
    if said.returncode != 0 or found is None:
        raise BackupError(f"cannot tell the version of {path}: {said.stdout or said.stderr}")
    return int(found.group(1))
