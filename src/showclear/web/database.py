"""Django's DATABASES entry from Showclear's database URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from showclear.config import owner_only_database


def django_database(url: str) -> dict[str, Any]:
    """The Django database settings for ``sqlite:///path`` or ``postgres://...``.

    SQLite runs in WAL mode with ``synchronous=FULL`` (a commit is on disk before it returns)
    and ``BEGIN IMMEDIATE`` transactions (a writer takes the lock up front instead of failing
    half-way with "database is locked").
    """
    if url.startswith("sqlite:///"):
        # Made owner-only before Django's first connection could create it with the umask's mode.
        owner_only_database(Path(url.removeprefix("sqlite:///")))
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": url.removeprefix("sqlite:///"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                "PRAGMA busy_timeout=30000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # Keep each thread's connection between requests: opening one and running the
            # pragmas above cost every request about a millisecond.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"unsupported database URL scheme {parts.scheme!r}")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "showclear",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }
