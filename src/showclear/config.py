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

    A missing database file is made here, 0600, before SQLite would make it with the umask's
    mode: SQLite then gives every file it makes beside it the database's mode. A file left
    wider by an older version is narrowed. The ledger, the logins' password hashes and the
    hooks' (encrypted) secrets are in it; only the server's own user has any business reading
    them.

    The database file itself is never opened here: closing any descriptor of a file drops
    every POSIX lock this process holds on it, and SQLite's connections in this process (the
    store's, Django's) lock it so. The new file is made under another name and linked into
    place, and an existing one is narrowed by its path.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        made = path.with_name(f".{path.name}.{secrets.token_hex(6)}.new")
        try:
            os.close(os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, OWNER_ONLY))
            os.link(made, path)  # fails when another process made it first: theirs stands
        except OSError:
            pass  # read-only media, or made meanwhile: narrowed below, or SQLite will say so
        finally:
            made.unlink(missing_ok=True)
    for beside in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDECARS)):
        try:
            if beside.stat().st_mode & 0o777 != OWNER_ONLY:
                beside.chmod(OWNER_ONLY)
        except (FileNotFoundError, PermissionError):
            pass  # not there, or another user's file: left as its owner set it


def database_url() -> str:
    """Where the ledger and the web app's tables live."""
    configured = os.environ.get("SHOWCLEAR_DATABASE_URL", "").strip()
    if configured.startswith("memory:"):
        # The in-memory store is for tests: a ledger Showclear runs on must outlive the process.
        raise ValueError("SHOWCLEAR_DATABASE_URL cannot be memory: (nothing would be kept)")
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
