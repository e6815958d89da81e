"""Backups taken while Showclear serves, and restores that never leave half a database.

A backup is the whole database: every production's ledger and checkpoints, and the web app's
tables (logins, device tokens, webhooks). It is one consistent moment even while the server
records:

- **SQLite**: SQLite's online backup API copies every page in one step under one read
  transaction, while the server goes on appending (WAL). The copy is an ordinary SQLite file.
- **PostgreSQL**: ``pg_dump --format=custom`` of the database's schema, run on a snapshot that
  Showclear exported and read the checkpoints from, so the checkpoints it names are exactly the
  ones in the dump.

The file is written beside ``--out`` under a temporary name, owner-only (it holds password and
PIN hashes), flushed to disk, and only then renamed into place. It does NOT hold the signing
keys (``<data dir>/keys/``): they are kept apart on purpose, so that a copied backup cannot sign
a forged checkpoint. Keep a copy of them elsewhere too (``docs/operations.md``).

A restore refuses to run while a Showclear server uses the data directory (the lock it holds,
:func:`hold_serving_lock`) or, on PostgreSQL, while any other session is connected to the
database; and refuses a database that already holds a production or a login unless forced.

- **SQLite**: the backup is copied to a scratch file and checked there (``PRAGMA
  integrity_check``, then every ledger audited as ``showclear verify`` does) before the live
  database is touched; then it is copied into the live file by the backup API, in one write
  transaction: a crash part way leaves the database as it was.
- **PostgreSQL**: ``pg_restore --single-transaction --clean``: the old contents are dropped and
  the backup's loaded in one transaction, committed whole or not at all; every ledger is then
  audited.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from showclear.archive.backup.common import (
    BackupError,
    Sealed,
    _count,
    refuse_if_in_use,
)
from showclear.core.ledger.audit import AuditReport, LedgerFault
from showclear.service.keyring import Keyring
from showclear.store import LedgerStore, Production, StoreError, open_store

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SERVING_LOCK = "serving.lock"


class NotIntactError(BackupError):
    """A ledger in the backup, or restored from it, does not verify."""


@dataclass(frozen=True)
class Restored:
    """One production's ledger after a restore, audited."""

    name: str
    report: AuditReport
    checkpoint: str
    key_missing: bool

    def line(self) -> str:
        root = base64.b64encode(self.report.root).decode()
        return (
            f"intact: {self.name!r}: {_count(self.report.entries, 'entry', 'entries')}, "
            f"{_count(self.report.checkpoints, 'signed checkpoint', 'signed checkpoints')} "
            f"verified, root {root}"
        )


# -- the serving lock ---------------------------------------------------------------------------


def hold_serving_lock(data_dir: Path) -> int:
    """Take the data directory's serving lock, shared, for as long as this process (and the
    processes it forks) lives; return its file descriptor. ``showclear serve`` holds it."""
    descriptor = os.open(data_dir / SERVING_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    return descriptor


@contextmanager
def no_server(data_dir: Path) -> Iterator[None]:
    """Hold the serving lock exclusively, or refuse: a server is using this data directory."""
    descriptor = os.open(data_dir / SERVING_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"a Showclear server is running on {data_dir}: stop it before restoring "
                "(a restore replaces the database under it)"
            ) from None
        yield
    finally:
        os.close(descriptor)


# -- writing a file safely ----------------------------------------------------------------------


def _partial(out: Path) -> Path:
    """A new owner-only file beside ``out``, for the backup to be written into."""
    if out.is_dir():
        raise BackupError(f"{out} is a directory: name the backup file")
    if not out.parent.is_dir():
        raise BackupError(f"there is no directory {out.parent}")
    partial = out.with_name(f".{out.name}.{secrets.token_hex(6)}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return partial


def _settle(partial: Path, out: Path) -> None:
    """Flush ``partial`` to disk and rename it to ``out`` (atomically), flushing the directory."""
    with partial.open("rb") as written:
        os.fsync(written.fileno())
    os.replace(partial, out)
    directory = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _kind(path: Path) -> str:
    """``sqlite`` or ``postgres``: what kind of backup the file at ``path`` is."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror or error}") from error
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgres"
    raise BackupError(
        f"{path} is not a Showclear backup (neither a SQLite database nor a pg_dump archive)"
    )


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgres`` for a database URL."""
    return "postgres" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


# -- backup -------------------------------------------------------------------------------------


def backup(url: str, out: Path) -> list[Sealed]:
    """Back the database at ``url`` up into the file ``out``; what each ledger holds in it."""
    partial = _partial(out)
    try:
        if backend_of(url) == "postgres":
            from showclear.archive.backup.postgres import dump

            sealed = dump(url, partial)
        else:
            sealed = _sqlite_backup(Path(url.removeprefix("sqlite:///")), partial)
        _settle(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return sealed


def _sqlite_backup(path: Path, partial: Path) -> list[Sealed]:
    if not path.exists():
        raise BackupError(f"there is no database at {path}")
    try:
        with closing(sqlite3.connect(path, timeout=30)) as source:
            source.execute("PRAGMA busy_timeout = 30000")
            with closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)  # every page in one step: one consistent moment
                # One self-contained file: no write-ahead log beside it to lose or ignore.
                copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"the database {path} could not be backed up: {error}") from error
    with closing(_read_only(partial)) as copy:
        return _sealed(copy)


def _read_only(path: Path) -> sqlite3.Connection:
    """``path`` opened for reading only."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _sealed(connection: sqlite3.Connection) -> list[Sealed]:
    """Every production's size and latest checkpoint, read through ``connection`` (SQLite)."""
    try:
        rows = connection.execute(
            "SELECT p.name, c.size, c.note FROM ledger_production p JOIN ledger_checkpoint c "
            "ON c.production_id = p.id WHERE c.size = (SELECT MAX(size) FROM ledger_checkpoint "
            "WHERE production_id = p.id) ORDER BY p.id"
        ).fetchall()
    except sqlite3.Error as error:
        raise BackupError(f"the database holds no Showclear ledger: {error}") from error
    return [Sealed(str(name), int(size), str(note)) for name, size, note in rows]


# -- restore ------------------------------------------------------------------------------------


def restore(url: str, source: Path, data_dir: Path, *, force: bool) -> list[Restored]:
    """Replace the database at ``url`` with the backup ``source``; each ledger, audited."""
    kind, target = _kind(source), backend_of(url)
    if kind != target:
        raise BackupError(
            f"{source} is a {_backend_name(kind)} backup, but Showclear is set up for "
            f"{_backend_name(target)} (SHOWCLEAR_DATABASE_URL): restore it where it came from"
        )
    with no_server(data_dir):
        if target == "postgres":
            from showclear.archive.backup.postgres import load

            load(url, source, force=force)
            try:
                return audit(url, data_dir)
            except NotIntactError as error:
                raise NotIntactError(f"restored, but the ledger is {error}") from error
        return _sqlite_restore(Path(url.removeprefix("sqlite:///")), source, data_dir, force)


def _backend_name(kind: str) -> str:
    return "PostgreSQL" if kind == "postgres" else "SQLite"


def _sqlite_restore(path: Path, source: Path, data_dir: Path, force: bool) -> list[Restored]:
    if not force:
        refuse_if_in_use(_sqlite_holdings(path), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.restore-{secrets.token_hex(6)}")
    try:
        try:
            with (
                closing(_read_only(source)) as backed_up,
                closing(sqlite3.connect(scratch)) as copy,
            ):
                checked = backed_up.execute("PRAGMA integrity_check").fetchone()[0]
                if checked != "ok":
                    raise BackupError(f"{source} is damaged ({checked}); nothing was restored")
                backed_up.backup(copy)
        except sqlite3.Error as error:
            raise BackupError(f"{source} cannot be read: {error}; nothing was restored") from error
        try:  # the backup itself, before the database is touched
            audit(f"sqlite:///{scratch}", data_dir)
        except NotIntactError as error:
            raise NotIntactError(f"the backup's ledger is {error}; nothing was restored") from error
        try:
            with (
                closing(sqlite3.connect(scratch)) as checked_copy,
                closing(sqlite3.connect(path, timeout=30)) as live,
            ):
                live.execute("PRAGMA busy_timeout = 30000")
                checked_copy.backup(live)  # one write transaction on the live database
        except sqlite3.Error as error:
            raise BackupError(
                f"the database {path} could not be replaced ({error}); it is as it was"
            ) from error
    finally:
        for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
            leftover.unlink(missing_ok=True)
    return audit(f"sqlite:///{path}", data_dir)


def _sqlite_holdings(path: Path) -> tuple[int, int]:
    """How many productions and logins the SQLite database at ``path`` holds."""
    if not path.exists():
        return 0, 0
    try:
        with closing(sqlite3.connect(path, timeout=30)) as connection:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            counted = [
                connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608  (fixed names)
                if table in tables
                else 0
                for table in ("ledger_production", "auth_user")
            ]
    except sqlite3.Error as error:
        raise BackupError(f"cannot read the database {path}: {error}") from error
    return int(counted[0]), int(counted[1])


def audit(url: str, data_dir: Path) -> list[Restored]:
    """Audit every ledger of the database at ``url`` as ``showclear verify`` does; raise
    :class:`NotIntactError` at the first fault."""
    from showclear.service import InputError, Service

    try:
        store = open_store(url)
    except StoreError as error:
        raise BackupError(str(error)) from error
    try:
        service = Service(store=store, keyring=Keyring(data_dir))
        restored = []
        for production in store.productions():
            missing = not service.keyring.exists(production.slug)
            # Without its signing key (kept apart from backups), check the checkpoints with the
            # verifier key the ledger's first entry names.
            key = _genesis_key(store, production) if missing else None
            try:
                report = service.verify(production, verifier_key=key)
            except LedgerFault as fault:
                raise NotIntactError(
                    f"NOT INTACT: {production.name!r}: {fault.where}: {fault.reason}"
                ) from fault
            except InputError as error:
                raise BackupError(f"{production.name!r}: {error}") from error
            note = store.latest_checkpoint(production) or ""
            restored.append(Restored(production.name, report, note, missing))
        return restored
    finally:
        store.close()


def _genesis_key(store: LedgerStore, production: Production) -> str | None:
    """The verifier key named by the ledger's first entry (``production.created``), if any."""
    first = store.entry_range(production, 0, 1)
    try:
        key = json.loads(first[0])["payload"]["verifier_key"]
    except (IndexError, ValueError, KeyError, TypeError):
        return None
    return str(key) if isinstance(key, str) else None
