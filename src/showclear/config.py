"""Settings from the environment, with safe defaults. Read here and nowhere else.

- ``SHOWCLEAR_DATA_DIR``: where the database, signing keys and secrets live. Default:
  ``$XDG_DATA_HOME/showclear``, else ``~/.local/share/showclear``.
- ``SHOWCLEAR_DATABASE_URL``: ``postgres://user@host:port/db`` for PostgreSQL, or
  ``sqlite:////absolute/path.sqlite3``. Default: ``showclear.sqlite3`` in the data directory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    """The data directory (created owner-only if missing)."""
    configured = os.environ.get("SHOWCLEAR_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "showclear"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path.resolve()


OWNER_ONLY = 0o600
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database: created with the database file's own mode."""


def owner_only_database(path: Path) -> None:
    """Make the SQLite database at ``path`` (and its ``-wal``, ``-shm`` and ``-journal`` files)
    readable and writable by its owner only, whatever the umask or the directory's mode.

    The file is created here, 0600, before SQLite would create it with the umask's mode: SQLite
    then gives every file it makes beside it the database's mode. A file left wider by an older
    version is narrowed. The ledger, the logins' password hashes and the hooks' (encrypted)
    secrets are in it; only the server's own user has any business reading them.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, OWNER_ONLY)
    except OSError:
        return  # not ours to open (read-only media, another user's file): SQLite will say so
    try:
        if os.fstat(descriptor).st_mode & 0o777 != OWNER_ONLY:
            os.fchmod(descriptor, OWNER_ONLY)
    except PermissionError:
        pass  # another user's file: left as its owner set it
    finally:
        os.close(descriptor)
    for suffix in SQLITE_SIDECARS:
        beside = path.with_name(path.name + suffix)
        try:
            if beside.stat().st_mode & 0o777 != OWNER_ONLY:
                beside.chmod(OWNER_ONLY)
        except (FileNotFoundError, PermissionError):
            pass


def database_url() -> str:
    """Where the ledger and the web app's tables live."""
    configured = os.environ.get("SHOWCLEAR_DATABASE_URL", "").strip()
    if configured:
        return configured
    return f"sqlite:///{data_dir() / 'showclear.sqlite3'}"


def secret_key() -> str:
    """Django's secret key: ``SHOWCLEAR_SECRET_KEY``, else one kept in the data directory."""
    configured = os.environ.get("SHOWCLEAR_SECRET_KEY")
    if configured:
        return configured
    path = data_dir() / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    value = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value + "\n")
    return value
