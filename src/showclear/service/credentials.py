"""The secrets people confirm in person with: badge codes and PINs, kept out of the ledger.

A performer or a first AD proves they are *there* with something only they hold: the badge
printed for them, or the PIN they chose. Anything the ledger holds is read by every token of the
production and by every investigator holding an export bundle, so no secret goes into it. The
ledger records only that a badge or PIN was issued or revoked, by whom, and a non-secret id
(the badge's printed serial, a PIN's id); the secrets are kept beside it in the credential store
(:mod:`showclear.store.credentials`) as keyed slow hashes:

    argon2id( HMAC-SHA256(pepper, production origin | person | kind | secret) )

The pepper is 32 random bytes in ``<data dir>/keys/credentials.pepper`` (owner-only, beside the
signing keys and, like them, not in a database backup): a copy of the database alone cannot
be used to guess a 4-digit PIN offline. Binding the person and production into the keyed input
means a hash row copied from one person to another verifies for no one.

A badge code is ``<serial>-<secret>``: six characters of serial (which the ledger, the labels
and the roster show) and 14 of secret, 70 random bits from :mod:`secrets`, in Crockford's base32
(upper case and digits: the QR code stays in its densest mode, and a code typed by hand forgives
``O`` for ``0`` and ``I``/``L`` for ``1``). The whole code is shown once, when it is printed.

No Django, no database here: the application service (:mod:`showclear.service`) is the only
code that issues or checks a credential.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PIN = "pin"
BADGE = "badge"
KINDS = (PIN, BADGE)

# How a person confirmed, as each confirming event records it.
PIN_TYPED = "pin-typed"
BADGE_SCANNED = "badge-scanned"
BADGE_TYPED = "badge-typed"
METHODS = (PIN_TYPED, BADGE_SCANNED, BADGE_TYPED)
KEYED = frozenset({PIN_TYPED, BADGE_TYPED})
"""Methods where the secret was typed by hand (by the person, or by whoever holds the phone)."""

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O or U to misread."""
_TYPED_ALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})
SERIAL_LENGTH = 6
SECRET_LENGTH = 14
"""14 characters of base32: 70 random bits, far past guessing at any throttle."""
SCAN_PREFIX = "SC1:B:"
"""A badge label's QR code holds its code after this prefix (see :mod:`showclear.service.codes`)."""
PRESENCE_PREFIX = "SCP-"
"""A presence token (see :meth:`showclear.service.Service.confirm_in_person`)."""

PIN_MIN, PIN_MAX = 4, 12

# OWASP's argon2id profile (19 MiB, 2 passes): about 40 ms a check on a set laptop. With the
# pepper, a copied hash is useless without the key file as well.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


class CredentialError(ValueError):
    """A PIN or badge code that cannot be one (a sentence for the person typing it)."""


@dataclass(frozen=True)
class Presented:
    """What a person presented to confirm, read: which kind, the badge serial, the secret, and
    how it came (typed PIN, scanned or typed badge, or a presence token from an earlier check)."""

    kind: str
    serial: str
    secret: str
    method: str


def new_serial() -> str:
    """A badge's printed serial (not secret: shown on the roster and in the ledger)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SERIAL_LENGTH))


def new_badge_code(serial: str) -> str:
    """A fresh badge code for ``serial``: ``K7Q2DX-XW4M3HD-KP7TR2A``."""
    secret = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
    return f"{serial}-{secret[:7]}-{secret[7:]}"


def new_pin_id() -> str:
    """The non-secret id of one issued PIN (``P-`` and a serial)."""
    return f"P-{new_serial()}"


def check_pin_form(pin: str) -> str:
    """The PIN, or :class:`CredentialError` when it is not 4 to 12 digits."""
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise CredentialError(f"A PIN is {PIN_MIN} to {PIN_MAX} digits.")
    return pin


def read(presented: str) -> Presented | None:
    """What ``presented`` is: a PIN (digits), a badge code (scanned with its ``SC1:B:`` prefix,
    or typed), or a presence token; ``None`` when it can be none of them."""
    text = presented.strip()
    if text.startswith(PRESENCE_PREFIX):
        return Presented("presence", "", text, "")
    if text.isascii() and text.isdigit():
        return Presented(PIN, "", text, PIN_TYPED) if PIN_MIN <= len(text) <= PIN_MAX else None
    method = BADGE_TYPED
    if text.upper().startswith(SCAN_PREFIX):
        text, method = text[len(SCAN_PREFIX) :], BADGE_SCANNED
    code = "".join(text.upper().split()).replace("-", "").translate(_TYPED_ALIKE)
    if len(code) != SERIAL_LENGTH + SECRET_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return Presented(BADGE, code[:SERIAL_LENGTH], code[SERIAL_LENGTH:], method)


def badge_serial(presented: str) -> str:
    """The serial of a badge code as scanned or typed (``""`` if it is not a badge code)."""
    found = read(presented)
    return found.serial if found is not None and found.kind == BADGE else ""


class Pepper:
    """The credential store's secret key, kept in ``<data dir>/keys/``, owner-only."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def kept_in(cls, keys_directory: Path) -> Pepper:
        """The pepper kept in ``keys_directory``, made there (0600) the first time."""
        path = keys_directory / "credentials.pepper"
        try:
            return cls._read(path)
        except FileNotFoundError:
            pass
        keys_directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return cls._read(path)
        key = secrets.token_bytes(32)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return cls(key)

    @classmethod
    def _read(cls, path: Path) -> Pepper:
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise CredentialError(
                f"the credential key at {path} can be read by other users; "
                f"run 'chmod 600 {path}' and issue every badge and PIN again"
            )
        text = path.read_text().strip()
        try:
            key = bytes.fromhex(text)
        except ValueError as error:
            raise CredentialError(f"the credential key at {path} is damaged") from error
        if len(key) < 32:
            raise CredentialError(f"the credential key at {path} is damaged")
        return cls(key)

    def _keyed(self, origin: str, person_id: str, kind: str, secret: str) -> str:
        message = "\x1f".join((origin, person_id, kind, secret)).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def digest(self, origin: str, person_id: str, kind: str, secret: str) -> str:
        """The stored form of ``secret``: argon2id of its keyed hash (salted afresh)."""
        return _HASHER.hash(self._keyed(origin, person_id, kind, secret))

    def matches(self, digest: str, origin: str, person_id: str, kind: str, secret: str) -> bool:
        """Whether ``secret`` is the one ``digest`` was made from (slow, on purpose)."""
        try:
            return _HASHER.verify(digest, self._keyed(origin, person_id, kind, secret))
        except (VerificationError, InvalidHashError):
            return False

    def token_digest(self, token: str) -> str:
        """The stored form of a presence token (random, so a keyed fast hash is enough)."""
        return hmac.new(self._key, token.encode(), hashlib.sha256).hexdigest()


def new_presence_token() -> str:
    """A presence token: 128 random bits."""
    return PRESENCE_PREFIX + secrets.token_urlsafe(16)
