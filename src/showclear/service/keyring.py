"""Each production's checkpoint signing key, kept in the data directory, owner-only.

The signer key text (C2SP/Go ``PRIVATE+KEY+...`` form) is written once, at ``init``, to
``<data dir>/keys/<slug>.key`` with mode 0600 inside a 0700 directory, and never printed.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from showclear.core.ledger.note import NoteError, NoteSigner


class KeyringError(Exception):
    """A signing key is missing, unreadable, exposed, or already there."""


class Keyring:
    """The signing keys under one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = data_dir / "keys"

    def path(self, slug: str) -> Path:
        """Where the key of the production ``slug`` is kept."""
        return self.directory / f"{slug}.key"

    def exists(self, slug: str) -> bool:
        """Whether a key is kept for ``slug``."""
        return self.path(slug).exists()

    def stage(self, slug: str, signer: NoteSigner) -> Path:
        """Write a new key beside its final place; :meth:`install` puts it there."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.directory, 0o700)
        # A name of its own: two inits racing for one slug must never install each other's key.
        staged = self.directory / f".{slug}.{secrets.token_hex(8)}.key.new"
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(signer.signer_key() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return staged

    def install(self, slug: str, staged: Path) -> None:
        """Move a staged key into place; refuse to replace an existing key."""
        try:
            os.link(staged, self.path(slug))
        except FileExistsError as error:
            raise KeyringError(
                f"a signing key for {slug!r} already exists at {self.path(slug)}; "
                "Showclear never overwrites a signing key"
            ) from error
        finally:
            staged.unlink(missing_ok=True)

    def discard(self, slug: str) -> None:
        """Remove a key installed for a production whose creation did not commit."""
        self.path(slug).unlink(missing_ok=True)

    def load(self, slug: str) -> NoteSigner:
        """The signer of production ``slug``."""
        path = self.path(slug)
        try:
            mode = path.stat().st_mode
            text = path.read_text()
        except FileNotFoundError as error:
            raise KeyringError(f"no signing key at {path}") from error
        except OSError as error:
            raise KeyringError(
                f"cannot read the signing key at {path}: {error.strerror}"
            ) from error
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyringError(
                f"the signing key at {path} can be read by other users; "
                f"run 'chmod 600 {path}' and check who copied it"
            )
        try:
            return NoteSigner.parse(text)
        except NoteError as error:
            raise KeyringError(f"the signing key at {path} is damaged: {error}") from error
