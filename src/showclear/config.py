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
