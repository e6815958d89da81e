"""Check a Showclear export bundle offline: ``python verify.py BUNDLE`` (or ``showclear-verify``).

This file is the whole verifier. It needs Python 3.11+ and the ``cryptography`` package, and
nothing else: no Showclear, no Django, no database, no network. Copy it anywhere and run it::

    python3 -m venv v && v/bin/pip install cryptography && v/bin/python verify.py BUNDLE

It is deliberately an **independent implementation** of the ledger format written from
``docs/ledger-format.md``: it imports nothing from Showclear and shares no code with
``showclear.core.ledger`` (its own RFC 8785 check, RFC 6962 tree, RFC 9162 proof check, C2SP
signed-note and checkpoint reader), so that a bug in one is caught by the other. The test suite
checks that both agree on the RFC 6962 test vectors, on every tree size, and on every tampered
bundle.

What it checks, in this order, stopping at the first fault in log order:

1. the verifier key (the bundle's, or the one given with ``--key``) and entry 0, which must
   create this ledger and name that same key;
2. every line of ``log.jsonl``: an entry of this ledger whose ``seq`` is its position;
3. every leaf hash and the RFC 6962 tree head at the size of every checkpoint, recomputed from
   the entry bytes alone, against every checkpoint's Ed25519 signature and root;
4. that the newest checkpoint seals every entry, and that ``checkpoint.txt`` is that checkpoint;
5. every inclusion proof in ``proofs.jsonl``;
6. with ``--against FILE``, a checkpoint kept by a witness outside the production;
7. that no entry carries a credential: a bundle of a **format 1** ledger, whose ``person.added``
   or ``person.badge-issued`` entries hold badge codes or PIN hashes, is refused after its proof
   was checked (as ``showclear verify`` refuses such a ledger), naming the entries.

Exit status: 0 intact; 1 not intact (the first failing entry, by line and seq, or checkpoint
is named); 2 the input cannot be used (not a bundle, an unreadable file, a malformed ``--key``,
or a format-1 ledger: its proof holds, but it carries secrets and is not reported intact).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import bisect
import hashlib
import json
import os
import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BUNDLE_FORMAT = "showclear-bundle"
BUNDLE_VERSION = 1
LOG, CHECKPOINTS, KEY, LATEST, PROOFS, MANIFEST = (
    "log.jsonl",
    "checkpoints.jsonl",
    "verifier-key.txt",
    "checkpoint.txt",
    "proofs.jsonl",
    "bundle.json",
)
REQUIRED = (MANIFEST, LOG, CHECKPOINTS, KEY, LATEST, PROOFS)

INTACT, NOT_INTACT, UNUSABLE = 0, 1, 2

CHUNK = 1 << 14
"""Leaves hashed into one subtree at a time; a power of two, so a whole chunk is perfect."""

READ_SIZE = 1 << 22
"""Bytes of the log handed out at a time (cut at the end of a line): one task for a worker."""

PARALLEL_FROM = 16 * READ_SIZE  # about 250,000 entries
"""Shorter logs are checked in this process: starting workers would cost more than it saves."""

GENESIS = "production.created"
MAX_INTEGER = 2**53 - 1
ALGORITHM_ED25519 = 0x01
SIGNATURE_START = "\u2014 "  # an em dash and a space begins every signature line

_sha256 = hashlib.sha256
_KIND = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*)+"
_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z"
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_SHAPE = re.compile(
    rb'\{"device":' + _STRING + rb',"kind":"' + _KIND.encode() + rb'","log":(' + _STRING + rb")"
    rb',"payload":\{.*\},"person":' + _STRING + rb',"recorded_at":"' + _TIME.encode() + rb'"'
    rb',"seq":(0|[1-9][0-9]{0,15}),"v":1\}',
    re.DOTALL,
)
"""The shape of a canonical entry, members in canonical order (RFC 8785 sorts them).

Used to say why a line is not the entry it should be; the check of every line is a faster
test of the same two facts it must hold (its seq, its ledger). Entry 0, and any entry blamed
for a fault, are also decoded in full and must re-encode to the same bytes.
"""
_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")
_KEY_NAME = re.compile(r"[^\s+]+")


class FormatError(ValueError):
    """Bytes or text are not what the format says (an entry, a key, a note, a proof)."""


class Fault(Exception):
    """The bundle is not intact: ``where`` names the entry or checkpoint, ``reason`` says why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class Unusable(Exception):
    """The input cannot be checked at all (not a bundle, unreadable, a malformed argument)."""


class OldFormat(Unusable):
    """The bundle's proof holds, but its ledger is of format 1: entries carry credentials."""

    def __init__(self, production: str, seqs: list[int]) -> None:
        self.seqs = seqs
        shown = ", ".join(str(seq) for seq in seqs[:10]) + (", ..." if len(seqs) > 10 else "")
        super().__init__(
            f"{production!r} is a ledger of format 1: {len(seqs)} "
            f"entr{'y' if len(seqs) == 1 else 'ies'} ({shown}) carry badge codes or PIN hashes, "
            "readable by anyone holding this bundle. Its hashes and signatures were checked and "
            "hold, but it is not reported intact: treat every badge and PIN in it as disclosed, "
            "keep the bundle as it is, for investigators only, and see docs/ledger-format.md"
        )


FORMAT_1_KINDS = ("person.added", "person.badge-issued")
SECRET_FIELDS = ("badge", "pin_hash")
"""Where a format-1 entry held a secret (``docs/ledger-format.md``, "format 1")."""


def _span(first: int, last: int) -> str:
    """``entry 7 is`` or ``entries 7 to 9 are``."""
    return f"entry {first} is" if first == last else f"entries {first} to {last} are"


def _entry_at(seq: int) -> str:
    return f"{LOG} line {seq + 1} (entry {seq})"


def _checkpoint_at(line: int, size: int | None) -> str:
    return f"{CHECKPOINTS} line {line}" + (
        f" (checkpoint at size {size})" if size is not None else ""
    )


# -- RFC 8785 canonical JSON, as far as ledger entries use it ------------------------------------

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def canonical(value: Any) -> bytes:
    """The RFC 8785 bytes of a JSON value holding no floats (ValueError otherwise)."""
    parts: list[str] = []
    _write(value, parts)
    try:
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as error:
        raise FormatError("a string holds a lone surrogate, which is not valid Unicode") from error


def _write(value: Any, parts: list[str]) -> None:
    if value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        if abs(value) > MAX_INTEGER:
            raise FormatError(f"the integer {value} is beyond what an entry may hold")
        parts.append(str(value))
    elif isinstance(value, str):
        parts.append('"' + _NEEDS_ESCAPE.sub(_escape, value) + '"')
    elif isinstance(value, list):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _write(item, parts)
        parts.append("]")
    elif isinstance(value, dict):
        parts.append("{")
        # RFC 8785 orders members by the UTF-16 code units of their names.
        for index, name in enumerate(sorted(value, key=lambda key: key.encode("utf-16-be"))):
            if index:
                parts.append(",")
            _write(name, parts)
            parts.append(":")
            _write(value[name], parts)
        parts.append("}")
    else:
        raise FormatError(f"a {type(value).__name__} cannot be in an entry")


def _no_float(text: str) -> Any:
    raise FormatError(f"the number {text} is not an integer")


def _no_constant(text: str) -> Any:
    raise FormatError(f"{text} is not allowed in an entry")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for name, value in pairs:
        if name in members:
            raise FormatError(f"the member {name!r} appears twice")
        members[name] = value
    return members


ENTRY_MEMBERS = ("device", "kind", "log", "payload", "person", "recorded_at", "seq", "v")


def decode_entry(line: bytes) -> dict[str, Any]:
    """The entry whose canonical bytes are ``line``; ValueError saying why if it is not one."""
    if not line:
        raise FormatError("the line is empty")
    if line.endswith(b"\r"):
        raise FormatError("the line ends in a carriage return (the file was converted to CRLF)")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError("the line is not UTF-8") from error
    try:
        value = json.loads(
            text, parse_float=_no_float, parse_constant=_no_constant, object_pairs_hook=_unique
        )
    except json.JSONDecodeError as error:
        raise FormatError(f"the line is not JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(value, dict):
        raise FormatError("an entry is a JSON object")
    if sorted(value) != list(ENTRY_MEMBERS):
        raise FormatError(f"an entry has exactly the members {', '.join(ENTRY_MEMBERS)}")
    if value["v"] != 1 or value["v"] is True:
        raise FormatError(f"entry format version {value['v']!r} is not 1")
    seq = value["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise FormatError("seq is not a non-negative integer")
    for name in ("device", "kind", "log", "person", "recorded_at"):
        if not isinstance(value[name], str) or not value[name]:
            raise FormatError(f"{name} is not a non-empty string")
    if not re.fullmatch(_KIND, value["kind"]):
        raise FormatError(f"kind {value['kind']!r} is not a dotted lower-case event name")
    if not re.fullmatch(_TIME, value["recorded_at"]):
        raise FormatError(
            f"recorded_at {value['recorded_at']!r} is not YYYY-MM-DDTHH:MM:SS.ffffffZ"
        )
    if not isinstance(value["payload"], dict):
        raise FormatError("payload is not a JSON object")
    if canonical(value) != line:
        raise FormatError("the line is JSON but not in canonical form (RFC 8785)")
    return value


# -- RFC 6962 hashing and RFC 9162 inclusion proofs ----------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry)."""
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def fold(subtrees: Sequence[bytes]) -> bytes:
    """The tree head from the hashes of its perfect subtrees, largest (leftmost) first.

    A tree of n leaves is its left perfect subtree of k leaves (k the largest power of two
    below n) hashed with the tree of the rest, so folding from the right gives RFC 6962's head.
    """
    if not subtrees:
        return _sha256(b"").digest()
    head = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        head = node_hash(left, head)
    return head


def _split(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def root_from_proof(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The tree head an inclusion proof leads to (ValueError when it cannot be one).

    Walks RFC 6962's recursion from the root down to the leaf to learn on which side each
    sibling of the path stands, then hashes from the leaf up.
    """
    if not 0 <= index < size:
        raise FormatError(f"entry {index} is not in a tree of {size} entries")
    sides: list[bool] = []  # True: the sibling is on the right
    low, high = 0, size
    while high - low > 1:
        k = _split(high - low)
        if index < low + k:
            sides.append(True)
            high = low + k
        else:
            sides.append(False)
            low += k
    if len(path) != len(sides):
        raise FormatError(
            f"a proof for entry {index} in a tree of {size} holds {len(sides)} hashes, not {len(path)}"
        )
    head = leaf
    for sibling, on_right in zip(path, reversed(sides), strict=True):
        head = node_hash(head, sibling) if on_right else node_hash(sibling, head)
    return head


# -- C2SP signed notes and checkpoints ------------------------------------------------------------


@dataclass(frozen=True)
class VerifierKey:
    """A signed-note verifier key: ``name+keyhash+base64(0x01 || Ed25519 public key)``."""

    name: str
    key_hash: bytes
    public_key: bytes
    text: str

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """The key written in ``text``; ValueError saying what is wrong."""
        text = text.strip()
        name, plus, rest = text.partition("+")
        hash_hex, plus2, encoded = rest.partition("+")
        if not (plus and plus2) or not _KEY_NAME.fullmatch(name):
            raise FormatError("a verifier key reads name+keyhash+key")
        if not re.fullmatch(r"[0-9a-f]{8}", hash_hex):
            raise FormatError("the key hash of a verifier key is 8 lower-case hex digits")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as error:
            raise FormatError("the key part of a verifier key is not base64") from error
        if len(raw) != 33 or raw[0] != ALGORITHM_ED25519:
            raise FormatError("the verifier key is not an Ed25519 key")
        key = cls(name, bytes.fromhex(hash_hex), raw[1:], text)
        if _sha256(name.encode() + b"\n" + raw).digest()[:4] != key.key_hash:
            raise FormatError("the verifier key's hash does not match its name and key")
        return key

    @property
    def key_id(self) -> str:
        """The key hash in hex."""
        return self.key_hash.hex()

    def check(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Head:
    """A checkpoint: the log's origin, size and root hash, as signed."""

    origin: str
    size: int
    root: bytes
    note: str


def signatures(note: str) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """The signed text of a note and its signatures ``(name, key hash, signature)``."""
    text, blank, block = note.rpartition("\n\n")
    if not blank or not block.endswith("\n"):
        raise FormatError("a signed note is its text, a blank line, then signature lines")
    found = []
    for line in block[:-1].split("\n"):
        name, space, encoded = line.removeprefix(SIGNATURE_START).partition(" ")
        if not line.startswith(SIGNATURE_START) or not space or not _KEY_NAME.fullmatch(name):
            raise FormatError(f"{line[:40]!r} is not a signature line ('— name signature')")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as error:
            raise FormatError("a signature is not base64") from error
        if len(raw) < 5:
            raise FormatError("a signature is too short")
        found.append((name, raw[:4], raw[4:]))
    return text + "\n", found


def read_head(note: str) -> Head:
    """The checkpoint a note carries, its signatures not checked (ValueError if malformed)."""
    text, _ = signatures(note)
    lines = text.split("\n")[:-1]
    if len(lines) < 3:
        raise FormatError("a checkpoint has an origin, a size and a root hash, one a line")
    origin, size, root = lines[:3]
    if not _SIZE.fullmatch(size):
        raise FormatError(f"{size[:30]!r} is not a tree size")
    try:
        raw_root = base64.b64decode(root, validate=True)
    except binascii.Error as error:
        raise FormatError("the root hash is not base64") from error
    if len(raw_root) != 32:
        raise FormatError("a root hash is 32 bytes")
    return Head(origin, int(size), raw_root, note)


def open_head(note: str, key: VerifierKey) -> Head:
    """The checkpoint in ``note`` once ``key``'s signature on it holds (ValueError if not)."""
    text, found = signatures(note)
    mine = [sig for name, tag, sig in found if name == key.name and tag == key.key_hash]
    if not mine:
        others = ", ".join(f"{name}+{tag.hex()}" for name, tag, _ in found) or "nobody"
        raise FormatError(f"it is not signed by key {key.key_id} (it is signed by {others})")
    if not all(key.check(text.encode("utf-8"), sig) for sig in mine):
        raise FormatError(f"its signature by key {key.key_id} does not hold")
    head = read_head(note)
    if head.origin != key.name:
        raise FormatError(f"it is a checkpoint of {head.origin!r}, not of {key.name!r}")
    return head


# -- the log: blocks of lines hashed anywhere, the tree grown here chunk by chunk ---------------


@dataclass
class Block:
    """What the checks need from one block of lines, worked out in any process.

    ``leaves`` holds each line's leaf hash, in order; ``fault`` the first line
    that is not an entry of this ledger at its place, as ``(seq, reason)``; ``opened`` each
    checkpoint sealing a size inside the block, by its line in ``checkpoints.jsonl``: the
    checkpoint once its signature holds, or why it does not.
    """

    start: int
    count: int
    leaves: list[bytes]
    fault: tuple[int, str] | None
    opened: dict[int, Head | str]


def read_block(
    start: int, data: bytes, log: bytes, key: VerifierKey, notes: Sequence[tuple[int, str]]
) -> Block:
    """Hash and check the lines in ``data`` (the first is entry ``start``) and open ``notes``.

    ``log`` is the ledger's origin as a JSON string; ``notes`` are ``(line, signed note)``.
    """
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    leaves = [_sha256(b"\x00" + line).digest() for line in lines]
    # Fast: each line ends with its own seq and names this ledger first after device and kind
    # (neither string can hold '","log":' unescaped, and the payload comes after it). Only if
    # a line fails are the lines read again, slowly, to say which one and why.
    fault = None
    ledger = b'","log":' + log + b',"payload":{'
    ends = [b',"seq":%d,"v":1}' % seq for seq in range(start, start + len(lines))]
    if not all(
        line.endswith(end) and line.find(ledger) == line.find(b'","log":') != -1
        for line, end in zip(lines, ends, strict=True)
    ):
        for offset, line in enumerate(lines):
            reason = _line_fault(start + offset, line, _SHAPE.fullmatch(line), log)
            if reason is not None:
                fault = (start + offset, reason)
                break
    opened: dict[int, Head | str] = {}
    for number, note in notes:
        try:
            opened[number] = open_head(note, key)
        except ValueError as error:
            opened[number] = str(error)
    return Block(start, len(lines), leaves, fault, opened)


def _line_fault(seq: int, line: bytes, match: re.Match[bytes] | None, log: bytes) -> str | None:
    """Why the line at ``seq`` is not entry ``seq`` of this ledger, or None if it is."""
    if match is None:
        try:
            decode_entry(line)
        except ValueError as error:
            return f"it is not a ledger entry: {error}"
        return "it is not a ledger entry in canonical form"
    found = int(match[2])
    if found > seq:
        return (
            f"entry {seq} is missing: this line holds entry {found} (entries were deleted or moved)"
        )
    if found < seq:
        return f"this line holds entry {found}, which belongs earlier: entries were moved or copied"
    if match[1] != log:
        return f"it belongs to another ledger, {match[1].decode('utf-8', 'replace')}"
    return None


def chunk_heads(
    start: int, leaves: list[bytes], sizes: Sequence[int], full: bool
) -> tuple[bytes | None, dict[int, list[bytes]]]:
    """The perfect subtrees of one aligned chunk of leaf hashes beginning at entry ``start``.

    Returns the chunk's root when it is ``full`` (a whole perfect subtree), and for each size
    in ``sizes`` (inside the chunk) the hashes of the perfect subtrees of ``[start, size)``,
    largest first, taken from the chunk's levels for each 1 bit of ``size - start``.
    """
    levels = [leaves]
    while len(levels[-1]) > 1:
        below = levels[-1]
        pairs = zip(below[0::2], below[1::2], strict=False)  # an odd last node waits
        levels.append([_sha256(b"\x01" + left + right).digest() for left, right in pairs])
    heads: dict[int, list[bytes]] = {}
    for size in sizes:
        covered, parts = 0, []
        for level in range((size - start).bit_length() - 1, -1, -1):
            if (size - start) >> level & 1:
                parts.append(levels[level][covered >> level])
                covered += 1 << level
        heads[size] = parts
    return (levels[-1][0] if full else None), heads


def _cut(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """The log in blocks of whole lines: ``(first seq, line count, bytes)``."""
    start = 0
    rest = b""
    with open(path, "rb") as handle:
        while piece := handle.read(READ_SIZE):
            data = rest + piece
            end = data.rfind(b"\n") + 1
            if end == 0:  # no line ends in it yet
                rest = data
                continue
            block, rest = data[:end], data[end:]
            count = block.count(b"\n")
            yield start, count, block
            start += count
    if rest:  # the last line has no newline: still a line
        yield start, 1, rest


def _lines(path: Path, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """Lines ``[start, end)`` of ``path`` as ``(seq, line)``: to blame an entry, read again."""
    with open(path, "rb") as handle:
        for seq, line in enumerate(handle):
            if seq >= end:
                return
            if seq >= start:
                yield seq, line.removesuffix(b"\n")


def _free_cores() -> int:
    """The cores not already busy: on a loaded machine, workers only queue behind others."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        return cores
    return max(1, round(cores - busy))


def _within(values: Sequence[int], low: int, high: int) -> Sequence[int]:
    """The sorted ``values`` in ``(low, high]``."""
    return values[bisect.bisect_right(values, low) : bisect.bisect_right(values, high)]


def _read_blocks(
    path: Path,
    log: bytes,
    key: VerifierKey,
    checkpoints: list[Checkpoint],
    workers: int | None,
) -> Iterator[Block]:
    """Every block of the log read, hashed and checked, in log order, in ``workers`` processes.

    By default (``workers`` None) one per free core, once the log is long enough to pay.
    """
    due = sorted((c.size, c.line, c.note) for c in checkpoints if c.size and not c.problem)
    due_sizes = [size for size, _, _ in due]

    def tasks() -> Iterator[tuple[int, bytes, bytes, VerifierKey, list[tuple[int, str]]]]:
        for start, count, data in _cut(path):
            low = bisect.bisect_right(due_sizes, start)
            high = bisect.bisect_right(due_sizes, start + count)
            yield start, data, log, key, [(line, note) for _, line, note in due[low:high]]

    if workers is None:
        workers = _free_cores() if path.stat().st_size >= PARALLEL_FROM else 1
    if workers < 2:
        for task in tasks():
            yield read_block(*task)
        return
    # A few blocks at a time go out to the workers, so memory holds only a few of them.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        window: deque[Future[Block]] = deque()
        for task in tasks():
            window.append(pool.submit(read_block, *task))
            if len(window) > 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


# -- the bundle -----------------------------------------------------------------------------------


@dataclass
class Checkpoint:
    """One line of ``checkpoints.jsonl`` before its signature is checked."""

    line: int
    size: int | None
    note: str
    problem: str | None = None


@dataclass
class Proof:
    """One line of ``proofs.jsonl``."""

    line: int
    seq: int = -1
    tree_size: int = 0
    leaf: bytes = b""
    path: list[bytes] = field(default_factory=list)
    problem: str | None = None

    @property
    def where(self) -> str:
        return f"{PROOFS} line {self.line}" + (f" (entry {self.seq})" if self.seq >= 0 else "")


@dataclass
class Verified:
    """What a bundle was checked to hold."""

    production: str
    origin: str
    key: VerifierKey
    key_given: bool
    entries: int
    checkpoints: int
    latest: Head
    proofs: list[int]
    witness: Head | None


def _read_text(directory: Path, name: str) -> str:
    try:
        return (directory / name).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise Fault(name, "it is not UTF-8 text: it was damaged or altered") from error
    except OSError as error:
        raise Unusable(f"cannot read {directory / name}: {error.strerror or error}") from error


def _json_lines(directory: Path, name: str) -> Iterator[tuple[int, Any]]:
    """``(line number, value or None)`` for each line of a JSON Lines file of the bundle."""
    text = _read_text(directory, name)
    found = text.split("\n")
    if found[-1] == "":
        found.pop()
    for number, line in enumerate(found, start=1):
        try:
            yield number, json.loads(line)
        except ValueError:
            yield number, None


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _checkpoints(directory: Path) -> list[Checkpoint]:
    found = []
    for number, value in _json_lines(directory, CHECKPOINTS):
        if (
            not isinstance(value, dict)
            or sorted(value) != ["note", "size"]
            or not isinstance(value["note"], str)
            or not _whole_number(value["size"])
        ):
            found.append(Checkpoint(number, None, "", 'it is not {"size": N, "note": "..."}'))
        elif value["size"] == 0:
            found.append(
                Checkpoint(number, 0, value["note"], "a checkpoint seals at least entry 0")
            )
        else:
            found.append(Checkpoint(number, value["size"], value["note"]))
    return found


def _hashes(value: Any) -> list[bytes] | None:
    try:
        hashes = [base64.b64decode(item, validate=True) for item in value]
    except (TypeError, binascii.Error):
        return None
    return hashes if all(len(item) == 32 for item in hashes) else None


def _proofs(directory: Path) -> list[Proof]:
    found = []
    for number, value in _json_lines(directory, PROOFS):
        members = ["leaf_hash", "path", "seq", "tree_size"]
        if not isinstance(value, dict) or sorted(value) != members:
            found.append(Proof(number, problem=f"it is not an object with {', '.join(members)}"))
            continue
        seq, size = value["seq"], value["tree_size"]
        leaf = _hashes([value["leaf_hash"]]) if isinstance(value["leaf_hash"], str) else None
        path = _hashes(value["path"]) if isinstance(value["path"], list) else None
        if not (_whole_number(seq) and _whole_number(size)):
            found.append(Proof(number, problem="seq and tree_size are whole numbers"))
        elif leaf is None or path is None:
            found.append(Proof(number, seq, problem="its hashes are not 32-byte base64 values"))
        else:
            found.append(Proof(number, seq, size, leaf[0], path))
    return found


def _key(directory: Path, key_text: str | None) -> tuple[VerifierKey, bool]:
    given = None
    if key_text is not None:
        try:
            given = VerifierKey.parse(key_text)
        except ValueError as error:
            raise Unusable(f"--key is not a verifier key: {error}") from error
    try:
        bundled = VerifierKey.parse(_read_text(directory, KEY))
    except ValueError as error:
        raise Fault(KEY, f"it is not a verifier key: {error}") from error
    if given is not None and (given.name, given.public_key) != (bundled.name, bundled.public_key):
        raise Fault(
            KEY,
            f"the bundle's key is {bundled.name}+{bundled.key_id}, not the key you gave "
            f"({given.name}+{given.key_id}): its checkpoints were signed by another key",
        )
    return given or bundled, given is not None


def _witness(text: str, key: VerifierKey) -> Head:
    try:
        head = read_head(text)
        _, signed_by = signatures(text)
    except ValueError as error:
        raise Unusable(f"the --against file is not a signed checkpoint: {error}") from error
    if head.origin != key.name:
        raise Unusable(
            f"the --against checkpoint is for another ledger ({head.origin}), not {key.name}"
        )
    if not any(tag == key.key_hash for _, tag, _ in signed_by):
        tags = ", ".join(tag.hex() for _, tag, _ in signed_by)
        raise Fault(
            "witness checkpoint",
            f"it was signed by key {tags}, but this bundle is signed by key {key.key_id}: the "
            "production's signing key was replaced after the witness kept it",
        )
    try:
        return open_head(text, key)
    except ValueError as error:
        raise Unusable(
            f"the --against checkpoint's signature does not hold ({error}): the file was altered "
            "or damaged; use an untouched copy"
        ) from error


def _genesis(directory: Path, key: VerifierKey) -> str:
    """Check entry 0 creates this ledger with this key; return the production's name."""
    with open(directory / LOG, "rb") as handle:
        first = handle.readline().removesuffix(b"\n")
    if not first:
        raise Fault(_entry_at(0), "the log is empty: its first entry is missing")
    try:
        entry = decode_entry(first)
    except ValueError as error:
        raise Fault(_entry_at(0), f"it is not a ledger entry: {error}") from error
    if entry["seq"] != 0:
        raise Fault(_entry_at(0), f"entry 0 is missing: the first line holds entry {entry['seq']}")
    if entry["kind"] != GENESIS:
        raise Fault(
            _entry_at(0), f"the first entry must create the production, not {entry['kind']}"
        )
    if entry["log"] != key.name:
        raise Fault(_entry_at(0), f"it belongs to the ledger {entry['log']!r}, not {key.name!r}")
    if entry["payload"].get("verifier_key") != key.text:
        raise Fault(
            _entry_at(0),
            f"the production was created with another key than {key.name}+{key.key_id}, which "
            "signs these checkpoints: the signing key was replaced",
        )
    name = entry["payload"].get("name")
    return name if isinstance(name, str) else "(unnamed)"


def verify_bundle(
    directory: Path,
    *,
    key_text: str | None = None,
    witness_text: str | None = None,
    workers: int | None = None,
) -> Verified:
    """Check the bundle in ``directory``; raise :class:`Fault` at the first fault in log order.

    ``key_text`` is a verifier key the caller trusts (otherwise the bundle's own is used);
    ``witness_text`` a signed checkpoint kept outside the production. :class:`Unusable` when
    the input cannot be checked at all.
    """
    if not directory.is_dir():
        raise Unusable(f"{directory} is not a folder (give the folder of an export bundle)")
    missing = [name for name in REQUIRED if not (directory / name).is_file()]
    if missing:
        raise Unusable(f"{directory} is not a complete Showclear bundle: {missing[0]} is missing")
    try:
        manifest = json.loads(_read_text(directory, MANIFEST))
    except ValueError as error:
        raise Unusable(f"{MANIFEST} is not JSON: this is not a Showclear bundle") from error
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise Unusable(f"{MANIFEST} does not say format {BUNDLE_FORMAT!r}: not a Showclear bundle")
    if manifest.get("version") != BUNDLE_VERSION:
        raise Unusable(
            f"the bundle is format version {manifest.get('version')!r}; this verifier reads "
            f"version {BUNDLE_VERSION}"
        )
    key, key_given = _key(directory, key_text)
    origin = key.name
    if manifest.get("origin") != origin:
        raise Fault(
            MANIFEST, f"it names the ledger {manifest.get('origin')!r}, but the key is {origin!r}"
        )
    witness = _witness(witness_text, key) if witness_text is not None else None
    checkpoints = _checkpoints(directory)
    proofs = _proofs(directory)
    production = _genesis(directory, key)

    walk = _Walk(directory, key, checkpoints, proofs, witness)
    for block in _read_blocks(directory / LOG, walk.log, key, checkpoints, workers):
        walk.feed(block)
    latest = walk.finish()
    newest = _read_text(directory, LATEST)
    if newest != latest.note:
        try:
            said = f"a checkpoint at size {read_head(newest).size}"
        except ValueError:
            said = "not a checkpoint"
        raise Fault(
            LATEST,
            f"it is {said}, not the newest checkpoint of {CHECKPOINTS} (size {latest.size}): it "
            "was replaced or altered",
        )
    for proof in proofs:
        _check_proof(proof, walk.total, walk.leaves, walk.roots)
    if witness is not None:
        if witness.size > walk.total:
            raise Fault(
                "witness checkpoint",
                f"the witness saw {witness.size} entries but the bundle holds only "
                f"{walk.total}: {_span(walk.total, witness.size - 1)} gone (or the export is "
                "older than the witness's checkpoint)",
            )
        if walk.witnessed != witness.root:
            raise Fault(
                "witness checkpoint",
                f"the first {witness.size} entries differ from what the witness saw: history "
                "before that point was rewritten",
            )
    secrets_at = _entries_with_credentials(directory / LOG)
    if secrets_at:
        raise OldFormat(production, secrets_at)
    return Verified(
        production,
        origin,
        key,
        key_given,
        walk.total,
        walk.count,
        latest,
        [p.seq for p in proofs],
        witness,
    )


def _entries_with_credentials(path: Path) -> list[int]:
    """The seqs of the (already verified) entries of ``path`` that carry a badge code or PIN
    hash. Only lines naming a format-1 kind are parsed, so a long log is read, not decoded."""
    markers = tuple(json.dumps(kind).encode() for kind in FORMAT_1_KINDS)
    found = []
    with path.open("rb") as lines:
        for seq, line in enumerate(lines):
            if not any(marker in line for marker in markers):
                continue
            entry = json.loads(line)
            payload = entry.get("payload")
            if (
                entry.get("kind") in FORMAT_1_KINDS
                and isinstance(payload, dict)
                and any(payload.get(name) for name in SECRET_FIELDS)
            ):
                found.append(seq)
    return found


class _Walk:
    """The tree grown chunk by chunk from the blocks' leaf hashes, checked at each checkpoint.

    Faults are raised in log order: a line's fault at entry ``f`` before any checkpoint of a
    size above ``f``, a checkpoint's before any line at or beyond its size.
    """

    def __init__(
        self,
        directory: Path,
        key: VerifierKey,
        checkpoints: list[Checkpoint],
        proofs: list[Proof],
        witness: Head | None,
    ) -> None:
        self.path = directory / LOG
        self.key = key
        self.log = canonical(key.name)
        self.sizes = sorted(
            {c.size for c in checkpoints if c.size} | ({witness.size} if witness else set())
        )
        self.wanted = sorted({p.seq for p in proofs if p.problem is None})
        self.claimed = {p.seq: p.leaf for p in proofs if p.problem is None}
        self.witness = witness
        self.pending = iter(checkpoints)
        self.upcoming = next(self.pending, None)
        self.opened: dict[int, Head | str] = {}
        self.fault: tuple[int, str] | None = None
        self.buffer: list[bytes] = []
        self.frontier: list[tuple[int, bytes]] = []  # (leaves, hash) of whole chunks
        self.leaves: dict[int, bytes] = {}
        self.roots: dict[int, bytes] = {}
        self.witnessed: bytes | None = None
        self.latest: Head | None = None
        self.total = 0
        self.count = 0

    def feed(self, block: Block) -> None:
        """Take one block's results, and check every chunk it completes."""
        self.opened.update(block.opened)
        if self.fault is None:
            self.fault = block.fault
        self.buffer.extend(block.leaves)
        while len(self.buffer) >= CHUNK:
            self._chunk(self.buffer[:CHUNK], full=True)
            del self.buffer[:CHUNK]

    def finish(self) -> Head:
        """Check the last, short chunk and what may follow the log; return the newest head."""
        if self.buffer:
            self._chunk(self.buffer, full=False)
            self.buffer = []
        upcoming, total = self.upcoming, self.total
        if upcoming is not None:
            where = _checkpoint_at(upcoming.line, upcoming.size)
            if upcoming.problem is not None or upcoming.size is None:
                raise Fault(where, upcoming.problem or "it is malformed")
            self._open(upcoming)
            raise Fault(
                _entry_at(total),
                f"it is missing: the checkpoint signed at size {upcoming.size} ({CHECKPOINTS} "
                f"line {upcoming.line}) seals it, but {LOG} ends before it: "
                f"{_span(total, upcoming.size - 1)} gone",
            )
        sealed = self.latest.size if self.latest else 0
        if self.latest is None or sealed != total:
            raise Fault(
                _entry_at(sealed),
                f"{_span(sealed, total - 1)} not sealed by any signed checkpoint: added after the "
                "last checkpoint, outside Showclear",
            )
        return self.latest

    def _open(self, checkpoint: Checkpoint) -> Head:
        opened = self.opened.pop(checkpoint.line, None)
        if opened is None:  # not opened with its block (its size is out of order): open it here
            try:
                opened = open_head(checkpoint.note, self.key)
            except ValueError as error:
                opened = str(error)
        if isinstance(opened, str):
            raise Fault(
                _checkpoint_at(checkpoint.line, checkpoint.size),
                f"{opened}: the checkpoint was altered or replaced",
            )
        return opened

    def _chunk(self, leaves: list[bytes], *, full: bool) -> None:
        start = self.total
        end = start + len(leaves)
        root, heads = chunk_heads(start, leaves, _within(self.sizes, start, end), full)
        below = [value for _, value in self.frontier]
        fault = self.fault
        while self.upcoming is not None and (
            self.upcoming.size is None or self.upcoming.size <= end
        ):
            upcoming = self.upcoming
            where = _checkpoint_at(upcoming.line, upcoming.size)
            if upcoming.problem is not None or upcoming.size is None:
                raise Fault(where, upcoming.problem or "it is malformed")
            if fault is not None and fault[0] < upcoming.size:
                raise Fault(_entry_at(fault[0]), fault[1])
            if self.latest is not None and upcoming.size <= self.latest.size:
                raise Fault(
                    where,
                    f"it comes after the checkpoint at size {self.latest.size}: "
                    "checkpoints were reordered or copied",
                )
            head = self._open(upcoming)
            if head.size != upcoming.size:
                raise Fault(
                    where,
                    f"it is filed at size {upcoming.size} but signs size {head.size}: "
                    "checkpoints were swapped",
                )
            if fold(below + heads[head.size]) != head.root:
                good = self.latest.size if self.latest else 0
                blamed, reason = _blame(self.path, good, head.size, self.log, self.claimed)
                raise Fault(
                    blamed,
                    f"{reason} (the log no longer matches the checkpoint signed at size "
                    f"{head.size}, {CHECKPOINTS} line {upcoming.line})",
                )
            self.roots[head.size] = head.root
            self.latest = head
            self.count += 1
            self.upcoming = next(self.pending, None)
        if fault is not None and fault[0] < end:
            raise Fault(_entry_at(fault[0]), fault[1])
        if self.witness is not None and start < self.witness.size <= end:
            self.witnessed = fold(below + heads[self.witness.size])
        for seq in _within(self.wanted, start - 1, end - 1):
            self.leaves[seq] = leaves[seq - start]
        if root is not None:
            self.frontier.append((len(leaves), root))
            while len(self.frontier) > 1 and self.frontier[-1][0] == self.frontier[-2][0]:
                (width, left), (_, right) = self.frontier[-2], self.frontier.pop()
                self.frontier[-1] = (2 * width, node_hash(left, right))
        self.total = end


def _check_proof(
    proof: Proof, total: int, leaves: dict[int, bytes], roots: dict[int, bytes]
) -> None:
    if proof.problem is not None:
        raise Fault(proof.where, proof.problem)
    if proof.seq >= total:
        raise Fault(proof.where, f"there is no entry {proof.seq}: the log holds {total} entries")
    if proof.tree_size not in roots:
        raise Fault(proof.where, f"there is no signed checkpoint at size {proof.tree_size}")
    if proof.leaf != leaves[proof.seq]:
        raise Fault(proof.where, f"its leaf hash is not the hash of entry {proof.seq} in {LOG}")
    try:
        reached = root_from_proof(proof.seq, proof.tree_size, proof.leaf, proof.path)
    except ValueError as error:
        raise Fault(proof.where, str(error)) from error
    if reached != roots[proof.tree_size]:
        raise Fault(proof.where, f"it does not lead to the root signed at size {proof.tree_size}")


def _blame(
    path: Path, good: int, bad: int, log: bytes, claimed: dict[int, bytes]
) -> tuple[str, str]:
    """Name the entry in ``[good, bad)`` that no longer matches its checkpoint, if we can."""
    for seq, line in _lines(path, good, bad):
        reason = _line_fault(seq, line, _SHAPE.fullmatch(line), log)
        if reason is None:
            try:
                decode_entry(line)
            except ValueError as error:
                reason = f"its bytes were altered: {error}"
        if reason is None and seq in claimed and claimed[seq] != leaf_hash(line):
            reason = (
                "its contents were changed after it was signed (its inclusion proof still holds "
                "the hash it was signed with)"
            )
        if reason is not None:
            return _entry_at(seq), reason
    if bad - good == 1:
        return _entry_at(good), "its contents were changed after it was signed"
    return (
        f"{LOG} lines {good + 1} to {bad} (entries {good} to {bad - 1})",
        "one of these entries was changed after it was signed (one checkpoint sealed them "
        "together, so which one cannot be told)",
    )


# -- the command ----------------------------------------------------------------------------------


def _number(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _runs(seqs: Sequence[int]) -> str:
    """``12, 40 to 45`` for the entries 12, 40, 41, 42, 43, 44, 45."""
    runs: list[list[int]] = []
    for seq in sorted(set(seqs)):
        if runs and seq == runs[-1][1] + 1:
            runs[-1][1] = seq
        else:
            runs.append([seq, seq])
    return ", ".join(str(a) if a == b else f"{a} to {b}" for a, b in runs)


def report(directory: Path, verified: Verified) -> str:
    """What was verified, in plain words."""
    key = verified.key
    root = base64.b64encode(verified.latest.root).decode()
    lines = [
        f"Showclear bundle {directory}",
        f"  production: {verified.production} (ledger {verified.origin})",
        f"  verifier key: {key.text}",
        f"    key id {key.key_id}, "
        + (
            "the key you gave, which the bundle also names"
            if verified.key_given
            else "as the bundle gives it: compare it with the key the production gave you"
        ),
        f"  entries: {_number(verified.entries, 'entry', 'entries')} (0 to {verified.entries - 1}), "
        "each in its place, each hash recomputed from its bytes",
        f"  checkpoints: {_number(verified.checkpoints, 'signed checkpoint', 'signed checkpoints')}, "
        f"each signature valid under key {key.key_id}, each root equal to the tree recomputed "
        "from the entries",
        f"  newest checkpoint: size {verified.latest.size:,}, root {root} (as in {LATEST})",
    ]
    if verified.proofs:
        lines.append(
            f"  inclusion proofs: {_number(len(verified.proofs), 'proof', 'proofs')} "
            f"(entries {_runs(verified.proofs)}), each leading to its signed root"
        )
    else:
        lines.append("  inclusion proofs: none in this bundle")
    if verified.witness is not None:
        witness_root = base64.b64encode(verified.witness.root).decode()
        lines.append(
            f"  witness checkpoint: size {verified.witness.size:,}, root {witness_root}: "
            "the bundle holds exactly what the witness saw, and more since"
        )
    lines.append(
        "INTACT: every entry is exactly as it was signed, none is missing, none was added."
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``showclear-verify BUNDLE [--key KEY] [--against FILE]``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="showclear-verify",
        description="Check a Showclear export bundle offline. Exit 0: intact; 1: not intact "
        "(the first failing entry or checkpoint is named); 2: the input cannot be used.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle's folder")
    parser.add_argument(
        "--key",
        help="the production's verifier key as the production gave it to you: the bundle must "
        "be signed with exactly this key",
    )
    parser.add_argument(
        "--against",
        type=Path,
        metavar="FILE",
        help="a signed checkpoint kept by a witness: prove the bundle holds what it saw",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="processes hashing in parallel (default: one per free core for a long log)",
    )
    args = parser.parse_args(argv)
    try:
        witness = None
        if args.against is not None:
            try:
                witness = args.against.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise Unusable(f"cannot read {args.against}: {error}") from error
        verified = verify_bundle(
            args.bundle, key_text=args.key, witness_text=witness, workers=args.workers
        )
    except Unusable as error:
        print(f"showclear-verify: {error}", file=sys.stderr)
        return UNUSABLE
    except Fault as fault:
        print(f"NOT INTACT: {args.bundle}: {fault.where}: {fault.reason}")
        return NOT_INTACT
    print(report(args.bundle, verified))
    return INTACT


if __name__ == "__main__":
    sys.exit(main())
