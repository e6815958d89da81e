"""The export bundle: a production's whole ledger as plain files anyone can check offline.

A bundle is a folder (its format: ``docs/ledger-format.md``, "Export bundles")::

    log.jsonl           every entry's canonical bytes, one a line, byte for byte as stored
    checkpoints.jsonl   every signed checkpoint, smallest first: {"note": ..., "size": N}
    checkpoint.txt      the newest signed checkpoint, as a witness keeps it
    verifier-key.txt    the production's verifier key
    proofs.jsonl        inclusion proofs of the chosen entries in the newest checkpoint's tree
    bundle.json         the format and version, the production and when it was exported
    README.txt          how to check it, for a person and for a programmer
    verify.py           a copy of the offline verifier (:mod:`showclear.archive.verify`)

Everything is read from one snapshot of the store, written to a hidden folder beside the
target, and renamed into place only when complete: an export that fails leaves nothing. The
export copies what the store holds without judging it; checking is the verifier's job, so a
ledger altered in the database exports as a bundle that does not verify.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import IO

from showclear import __version__
from showclear.archive import verify as checker
from showclear.core.ledger.checkpoint import CheckpointError, read_unverified
from showclear.core.ledger.merkle import ProofError, leaf_hash, prove_inclusion
from showclear.core.ledger.note import NoteVerifier
from showclear.store import LedgerStore, Production

WRITE_BATCH = 1 << 13
"""Entries read from the store and written at a time."""

_RANGE = re.compile(r"(\d+)(?:\s*-\s*(\d+))?")


class ExportError(Exception):
    """The export cannot be made; nothing was written."""


@dataclass(frozen=True)
class Exported:
    """What one export wrote."""

    directory: Path
    entries: int
    checkpoints: int
    latest_size: int
    root: bytes
    proofs: tuple[int, ...]
    verifier_key: str


def parse_entries(text: str) -> list[tuple[int, int]]:
    """The runs of entries named by ``12,40-45`` as ``[(12, 12), (40, 45)]``, in order."""
    runs: list[tuple[int, int]] = []
    for item in text.split(","):
        match = _RANGE.fullmatch(item.strip())
        if match is None:
            raise ExportError(
                f"--entries: {item.strip()!r} is not an entry number or a range "
                "(write them like 12,40-45)"
            )
        low = int(match[1])
        high = int(match[2]) if match[2] is not None else low
        if high < low:
            raise ExportError(f"--entries: the range {item.strip()} runs backwards")
        runs.append((low, high))
    return sorted(runs)


def describe(seqs: Sequence[int]) -> str:
    """``12, 40 to 45`` for entries 12 and 40 to 45."""
    runs: list[list[int]] = []
    for seq in sorted(set(seqs)):
        if runs and seq == runs[-1][1] + 1:
            runs[-1][1] = seq
        else:
            runs.append([seq, seq])
    return ", ".join(str(a) if a == b else f"{a} to {b}" for a, b in runs)


def _target(out: Path) -> None:
    """Refuse a target that is not a new or empty folder in an existing one."""
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise ExportError(f"{out} exists and is not a folder: choose a new folder")
        if any(out.iterdir()):
            raise ExportError(
                f"{out} already exists and is not empty: choose a new folder (nothing was written)"
            )
    if not out.parent.is_dir():
        raise ExportError(f"the folder {out.parent} does not exist")


def _write(path: Path, data: bytes | str) -> None:
    with open(path, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        _sync(handle)


def _sync(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _sync_folder(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def export_bundle(
    store: LedgerStore,
    production: Production,
    verifier: NoteVerifier,
    out: Path,
    *,
    entries: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Exported:
    """Write ``production``'s ledger as a bundle at ``out`` (a new or empty folder).

    ``entries`` names the entries to prove (``12,40-45``); ``progress`` is told how many
    entries are written so far. Raises :class:`ExportError` (nothing written) when it cannot.
    """
    runs = parse_entries(entries) if entries is not None else []
    _target(out)
    staging = out.parent / f".{out.name}.export-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        exported = _write_bundle(store, production, verifier, staging, runs, progress)
        _sync_folder(staging)
        try:
            staging.rename(out)  # atomic; replaces only an empty folder
        except OSError as error:
            raise ExportError(
                f"cannot put the bundle at {out}: {error.strerror} (nothing was written)"
            ) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _sync_folder(out.parent)
    return Exported(out, *exported)


def _write_bundle(
    store: LedgerStore,
    production: Production,
    verifier: NoteVerifier,
    folder: Path,
    runs: list[tuple[int, int]],
    progress: Callable[[int], None] | None,
) -> tuple[int, int, int, bytes, tuple[int, ...], str]:
    latest: tuple[int, str] | None = None
    with store.snapshot():
        size = store.size(production)
        beyond = [high for _, high in runs if high >= size]
        if beyond:
            raise ExportError(
                f"--entries: there is no entry {beyond[0]}: the ledger holds entries 0 to {size - 1}"
            )
        written = 0
        with open(folder / checker.LOG, "wb") as log:
            for start in range(0, size, WRITE_BATCH):
                bodies = store.entry_range(production, start, start + WRITE_BATCH)
                log.write(b"".join(body + b"\n" for body in bodies))
                written += len(bodies)
                if progress is not None:
                    progress(min(start + WRITE_BATCH, size))
            _sync(log)
        count = 0
        with open(folder / checker.CHECKPOINTS, "wb") as lines:
            for checkpoint_size, note in store.checkpoints(production):
                line = json.dumps({"note": note, "size": checkpoint_size}, ensure_ascii=False)
                lines.write(line.encode("utf-8") + b"\n")
                count, latest = count + 1, (checkpoint_size, note)
            _sync(lines)
        if latest is None:
            raise ExportError(f"{production.name!r} has no signed checkpoint to export")
        proved = sorted({seq for low, high in runs for seq in range(low, high + 1)})
        _write(folder / checker.PROOFS, _proofs(store, production, proved, latest[0]))
    latest_size, latest_note = latest
    try:
        root = read_unverified(latest_note).root
    except CheckpointError:
        root = b""  # an altered checkpoint still exports; the verifier names it
    key = verifier.verifier_key()
    _write(folder / checker.KEY, key + "\n")
    _write(folder / checker.LATEST, latest_note)
    exported_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest = {
        "format": checker.BUNDLE_FORMAT,
        "version": checker.BUNDLE_VERSION,
        "production": production.name,
        "origin": production.origin,
        "exported_at": exported_at,
        "exported_by": f"showclear {__version__}",
    }
    _write(folder / checker.MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    _write(
        folder / "verify.py",
        resources.files("showclear.archive").joinpath("verify.py").read_bytes(),
    )
    _write(
        folder / "README.txt",
        readme(production, key, written, count, latest_size, root, proved, exported_at),
    )
    return written, count, latest_size, root, tuple(proved), key


def _proofs(store: LedgerStore, production: Production, seqs: list[int], tree_size: int) -> bytes:
    """One JSON line per entry: its leaf hash and its inclusion proof at ``tree_size``."""

    def read(wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        return store.read_nodes(production, wanted)

    lines = []
    for seq in seqs:
        if seq >= tree_size:
            raise ExportError(
                f"entry {seq} is not sealed by a checkpoint yet (the newest seals {tree_size})"
            )
        body = store.entry(production, seq)
        if body is None:
            raise ExportError(
                f"entry {seq} is missing from the database: run 'showclear verify' (nothing was "
                "written)"
            )
        try:
            path = prove_inclusion(seq, tree_size, read)
        except ProofError as error:
            raise ExportError(f"cannot prove entry {seq}: {error}") from error
        proof = {
            "leaf_hash": base64.b64encode(leaf_hash(body)).decode(),
            "path": [base64.b64encode(node).decode() for node in path],
            "seq": seq,
            "tree_size": tree_size,
        }
        lines.append(json.dumps(proof, separators=(",", ":")) + "\n")
    return "".join(lines).encode("utf-8")


def readme(
    production: Production,
    key: str,
    entries: int,
    checkpoints: int,
    latest_size: int,
    root: bytes,
    proved: Sequence[int],
    exported_at: str,
) -> str:
    """The bundle's README.txt: how a person, and a programmer, checks it."""
    key_id = key.split("+")[1] if key.count("+") >= 2 else "?"
    proofs = (
        f"inclusion proofs of entries {describe(proved)}"
        if proved
        else "inclusion proofs of chosen entries (none were chosen for this export)"
    )
    root_text = base64.b64encode(root).decode()
    return f"""SHOWCLEAR LEDGER EXPORT: {production.name}

This folder is a copy of the firearms safety and chain-of-custody ledger of the production
"{production.name}" (ledger {production.origin}), exported {exported_at}.
It holds {entries:,} entries sealed by {checkpoints:,} signed checkpoints. The newest checkpoint
seals entries 0 to {latest_size - 1} with the root hash
    {root_text}
and is signed with the production's key {key_id}.

Anyone can check that no entry was changed, removed, added or reordered since it was signed,
without trusting the production or Showclear, and without the internet.

WHAT IS IN THIS FOLDER

  log.jsonl          every entry, one per line, oldest first (line 1 is entry 0)
  checkpoints.jsonl  every signed checkpoint, oldest first
  checkpoint.txt     the newest signed checkpoint, as a witness keeps it
  verifier-key.txt   the production's public verifier key
  proofs.jsonl       {proofs}
  bundle.json        the format of this folder (showclear-bundle, version 1)
  verify.py          a copy of the Showclear verifier, one file
  README.txt         this page

HOW TO CHECK IT (no programming needed)

  1. You need Python 3.11 or newer (https://www.python.org). Open a terminal in this folder.
  2. Prepare a private Python with the one library the check needs (once):
         python3 -m venv check
         check/bin/pip install cryptography
     (on Windows: py -m venv check, then check\\Scripts\\pip install cryptography)
  3. Run the check:
         check/bin/python verify.py .
     (on Windows: check\\Scripts\\python verify.py .)
  4. It ends with INTACT when every entry is exactly as it was signed. Otherwise it prints
     NOT INTACT and names the first entry (its line in log.jsonl and its number) or
     checkpoint that fails, and why.
  5. The check is only as good as the key it uses. Compare the key id it prints ({key_id})
     with the verifier key the production gave you ('showclear init' and 'showclear key'
     print it), or give that key yourself:
         check/bin/python verify.py . --key 'THE KEY THE PRODUCTION GAVE YOU'
  6. If you kept a signed checkpoint (for example the one sent to you at wrap), prove this
     folder holds everything it sealed:
         check/bin/python verify.py . --against the-checkpoint-you-kept.txt
     This is what catches a ledger that was rolled back, or rewritten and signed again.

  The verify.py in this folder came with the folder. If you do not trust whoever gave you the
  folder, use a verifier from elsewhere: Showclear's own (src/showclear/archive/verify.py in its
  source), or one written from the format below. Exit status: 0 intact, 1 not intact, 2 the
  folder or an argument cannot be used.

FOR A PROGRAMMER

  The format is documented in Showclear's docs/ledger-format.md ("Export bundles"), enough to
  write your own verifier. In short:
  - Each line of log.jsonl is one entry's exact signed bytes (RFC 8785 canonical JSON, UTF-8)
    and a newline; line n+1 holds the entry whose "seq" is n.
  - Leaf hash SHA-256(0x00 || entry bytes); the tree is RFC 6962's (interior nodes
    SHA-256(0x01 || left || right)).
  - Each line of checkpoints.jsonl is {{"note": "...", "size": N}}: the note is a C2SP signed
    note (https://c2sp.org/signed-note) of a C2SP checkpoint, "<origin>\\n<size>\\n<base64
    root>\\n", Ed25519-signed by the key in verifier-key.txt (Go's note verifier key form:
    name+keyhash+base64(0x01 || public key)). Recompute the root at every size and compare.
  - Each line of proofs.jsonl is {{"leaf_hash", "path", "seq", "tree_size"}} with base64
    hashes: an RFC 9162 (section 2.1.3.2) inclusion proof of entry seq in the tree of
    tree_size entries, whose root a checkpoint signs.
  - Entry 0 creates the production and names the verifier key in its payload.

PRIVACY

  This folder holds everything the production recorded: names, times, places, firearms and
  ammunition. Share it as you would the paper records.
"""
