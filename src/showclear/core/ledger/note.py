"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys.

A signed note is UTF-8 text ending in a newline, a blank line, then one line per signature::

    — <key name> <base64(key hash (4 bytes) || Ed25519 signature (64 bytes))>

The key hash is the first four bytes of ``SHA-256(name || "\\n" || 0x01 || public key)``. A
verifier key is written ``<name>+<key hash hex>+<base64(0x01 || public key)>`` and a signer
key ``PRIVATE+KEY+<name>+<key hash hex>+<base64(0x01 || seed)>``, exactly as Go's
``golang.org/x/mod/sumdb/note`` does, so any implementation of the format can check
Showclear's notes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALGORITHM_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space
MAX_SIGNATURES = 100
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class NoteError(ValueError):
    """A note, key or signature is malformed, or does not verify."""


class UnknownKeyError(NoteError):
    """The note carries no signature by the key it was checked against."""


_NAME = re.compile(r"[^\s+]+")


def _valid_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name))


def key_hash(name: str, public_key: bytes) -> bytes:
    """The 4-byte key hash that tags a signature with the key that made it."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALGORITHM_ED25519]) + public_key).digest()[
        :4
    ]


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class NoteVerifier:
    """Checks signatures made by one named Ed25519 key."""

    name: str
    public_key: bytes

    def __post_init__(self) -> None:
        if not _valid_name(self.name):
            raise NoteError(f"key name {self.name!r} is empty or holds a space or '+'")
        if len(self.public_key) != 32:
            raise NoteError("an Ed25519 public key is 32 bytes")

    @property
    def key_hash(self) -> bytes:
        """The 4-byte tag of this key."""
        return key_hash(self.name, self.public_key)

    @property
    def key_id(self) -> str:
        """The key hash in hex, as a verifier key shows it."""
        return self.key_hash.hex()

    def verifier_key(self) -> str:
        """The standard verifier key text: ``name+hash+base64(0x01 || key)``."""
        encoded = base64.b64encode(bytes([ALGORITHM_ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> NoteVerifier:
        """The verifier named by verifier key text; NoteError if it is malformed."""
        parts = text.strip().split("+", 2)  # base64 may itself hold '+'
        if len(parts) != 3:
            raise NoteError("a verifier key reads name+keyhash+key")
        name, hash_hex, encoded = parts
        try:
            raw = base64.b64decode(encoded, validate=True)
            wanted_hash = bytes.fromhex(hash_hex)
        except (binascii.Error, ValueError) as error:
            raise NoteError("the verifier key is not valid hex and base64") from error
        if len(hash_hex) != 8 or len(wanted_hash) != 4:
            raise NoteError("the key hash of a verifier key is 8 hex digits")
        if len(raw) != 33 or raw[0] != ALGORITHM_ED25519:
            raise NoteError("the verifier key is not an Ed25519 key")
        verifier = cls(name=name, public_key=raw[1:])
        if verifier.key_hash != wanted_hash:
            raise NoteError("the verifier key's hash does not match its name and key")
        return verifier

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class NoteSigner:
    """Signs notes with one named Ed25519 private key. Never printed, never logged."""

    name: str
    private_key: Ed25519PrivateKey

    def __post_init__(self) -> None:
        if not _valid_name(self.name):
            raise NoteError(f"key name {self.name!r} is empty or holds a space or '+'")

    def __repr__(self) -> str:
        return f"NoteSigner(name={self.name!r}, key=<hidden>)"

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        """A signer with a new random key."""
        return cls(name=name, private_key=Ed25519PrivateKey.generate())

    @cached_property
    def verifier(self) -> NoteVerifier:
        """The verifier for this signer's key (computed once: signing is on every append)."""
        return NoteVerifier(self.name, _raw_public(self.private_key.public_key()))

    def signer_key(self) -> str:
        """The secret signer key text, to be stored with owner-only permissions."""
        seed = self.private_key.private_bytes_raw()
        encoded = base64.b64encode(bytes([ALGORITHM_ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> NoteSigner:
        """The signer named by signer key text; NoteError if it is malformed."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a signer key reads PRIVATE+KEY+name+keyhash+key")
        _, _, name, hash_hex, encoded = parts
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as error:
            raise NoteError("the signer key is not valid base64") from error
        if len(raw) != 33 or raw[0] != ALGORITHM_ED25519:
            raise NoteError("the signer key is not an Ed25519 key")
        signer = cls(name=name, private_key=Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.verifier.key_id != hash_hex:
            raise NoteError("the signer key's hash does not match its name and key")
        return signer

    def sign(self, text: str) -> str:
        """The signed note of ``text`` (which must end in a newline and hold no blank line)."""
        _check_text(text)
        signature = self.private_key.sign(text.encode("utf-8"))
        encoded = base64.b64encode(self.verifier.key_hash + signature).decode()
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {encoded}\n"


def _check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("note text must end in a newline and hold no blank line")
    if _CONTROL.search(text):
        raise NoteError("note text holds a control character")


@dataclass(frozen=True)
class Signature:
    """One signature line of a note."""

    name: str
    key_hash: bytes
    signature: bytes


def split_note(message: str) -> tuple[str, list[Signature]]:
    """The text and signature lines of a signed note, checked for form but not verified."""
    text, sep, block = message.rpartition("\n\n")
    if not sep:
        raise NoteError("a signed note has its text, a blank line, then signatures")
    text += "\n"
    _check_text(text)
    if not block.endswith("\n"):
        raise NoteError("a signed note ends in a newline")
    signatures: list[Signature] = []
    for line in block[:-1].split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError(f"{line[:40]!r} is not a signature line")
        fields = line[len(SIGNATURE_PREFIX) :].split(" ")
        if len(fields) != 2 or not _valid_name(fields[0]):
            raise NoteError("a signature line reads '— name signature'")
        try:
            raw = base64.b64decode(fields[1], validate=True)
        except binascii.Error as error:
            raise NoteError("a signature is not valid base64") from error
        if len(raw) < 5:
            raise NoteError("a signature is too short")
        signatures.append(Signature(fields[0], raw[:4], raw[4:]))
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError("a note carries too many signatures")
    return text, signatures


def open_note(message: str, verifier: NoteVerifier) -> str:
    """The text of ``message`` once its signature by ``verifier``'s key checks out.

    Raises UnknownKeyError when no signature line names this key, NoteError when the note is
    malformed or the signature is wrong.
    """
    text, signatures = split_note(message)
    mine = [
        sig for sig in signatures if sig.name == verifier.name and sig.key_hash == verifier.key_hash
    ]
    if not mine:
        found = ", ".join(f"{sig.name}+{sig.key_hash.hex()}" for sig in signatures)
        raise UnknownKeyError(
            f"the note is not signed by {verifier.name}+{verifier.key_id} (it is signed by {found})"
        )
    for sig in mine:
        if not verifier.verify(text.encode("utf-8"), sig.signature):
            raise NoteError(f"the signature by {verifier.name}+{verifier.key_id} is not valid")
    return text
