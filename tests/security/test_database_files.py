"""The SQLite database and the -wal and -shm files beside it are readable and writable by their
owner only (0600), whatever the umask and whatever the data directory's own mode: they hold
the ledger, the logins' password hashes and the hooks' encrypted secrets."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from served_process import environment
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store

FILES = ("showclear.sqlite3", "showclear.sqlite3-wal", "showclear.sqlite3-shm")


@pytest.fixture
def wide_open(tmp_path: Path) -> Iterator[Path]:
    """A data directory anyone may write in, under a umask that takes nothing away."""
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o777)
    before = os.umask(0)
    try:
        yield data
    finally:
        os.umask(before)


def modes(data: Path) -> dict[str, str]:
    return {name: oct(stat.S_IMODE((data / name).stat().st_mode)) for name in FILES}


def test_the_ledger_store_makes_its_database_and_its_wal_and_shm_files_owner_only(
    wide_open: Path,
) -> None:
    service = Service(
        store=open_store(f"sqlite:///{wide_open / 'showclear.sqlite3'}"),
        keyring=Keyring(wide_open),
        device="test",
    )
    try:
        service.store.create_schema()
        service.create_production("Dust Road", "Hannah Reed")
        assert modes(wide_open) == dict.fromkeys(FILES, "0o600")
    finally:
        service.store.close()


def test_showclear_init_under_a_permissive_umask_leaves_no_database_file_readable_by_others(
    wide_open: Path,
) -> None:
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "showclear",
            "init",
            "--production",
            "Dust Road",
            "--armorer",
            "H R",
        ],
        env=environment(wide_open),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    database = wide_open / "showclear.sqlite3"
    assert oct(stat.S_IMODE(database.stat().st_mode)) == "0o600"
    for beside in wide_open.glob("showclear.sqlite3-*"):
        assert oct(stat.S_IMODE(beside.stat().st_mode)) == "0o600", beside.name


def test_a_database_left_readable_by_an_older_version_is_narrowed_when_opened(
    wide_open: Path,
) -> None:
    for name in FILES:
        (wide_open / name).touch()
        (wide_open / name).chmod(0o666)
    store = open_store(f"sqlite:///{wide_open / 'showclear.sqlite3'}")
    try:
        store.create_schema()
        assert modes(wide_open) == dict.fromkeys(FILES, "0o600")
    finally:
        store.close()
