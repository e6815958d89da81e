"""C2SP tlog checkpoints (https://c2sp.org/tlog-checkpoint): a signed tree head.

The body is three lines, then optional extension lines::

    <origin>
    <tree size, decimal>
    <root hash, base64>

signed as a C2SP signed note by the production's key, named after the origin.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from showclear.core.ledger.merkle import HASH_SIZE
from showclear.core.ledger.note import NoteError, NoteSigner, NoteVerifier, open_note, split_note

_SIZE = re.compile(r"^(0|[1-9][0-9]{0,19})$")
_ORIGIN = re.compile(r"[^\s+]+")


class CheckpointError(ValueError):
    """Text is not a checkpoint, or its signature does not hold."""


@dataclass(frozen=True)
class Checkpoint:
    """The head of a production's log at one size: its origin, size and root hash."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _ORIGIN.fullmatch(self.origin):
            raise CheckpointError(f"origin {self.origin!r} is empty or holds a space or '+'")
        if self.size < 0:
            raise CheckpointError("a tree size is never negative")
        if len(self.root) != HASH_SIZE:
            raise CheckpointError("a root hash is 32 bytes")
        if any(not line or "\n" in line for line in self.extensions):
            raise CheckpointError("extension lines are non-empty single lines")

    def body(self) -> str:
        """The checkpoint's note text."""
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "\n".join(lines) + "\n"

    def sign(self, signer: NoteSigner) -> str:
        """The signed checkpoint, as stored and as given to witnesses."""
        return signer.sign(self.body())


def parse_body(text: str) -> Checkpoint:
    """The checkpoint whose body is ``text``."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise CheckpointError("a checkpoint body has an origin, a size and a root hash, one a line")
    origin, size, root, *extensions = lines[:-1]
    if not _SIZE.fullmatch(size):
        raise CheckpointError(f"{size[:30]!r} is not a tree size")
    try:
        raw_root = base64.b64decode(root, validate=True)
    except binascii.Error as error:
        raise CheckpointError("the root hash is not valid base64") from error
    return Checkpoint(origin, int(size), raw_root, tuple(extensions))


def read_unverified(message: str) -> Checkpoint:
    """The checkpoint in a signed note, checked for form only (to say whose it is)."""
    try:
        text, _ = split_note(message)
    except NoteError as error:
        raise CheckpointError(f"not a signed checkpoint: {error}") from error
    return parse_body(text)


def open_checkpoint(message: str, verifier: NoteVerifier) -> Checkpoint:
    """The checkpoint in ``message`` once its signature by ``verifier`` checks out."""
    try:
        text = open_note(message, verifier)
    except NoteError as error:
        raise CheckpointError(str(error)) from error
    checkpoint = parse_body(text)
    if checkpoint.origin != verifier.name:
        raise CheckpointError(f"the checkpoint is for {checkpoint.origin!r}, not {verifier.name!r}")
    return checkpoint
