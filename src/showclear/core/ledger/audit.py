"""The audit of a whole ledger: what ``showclear verify`` and an offline verifier run.

It recomputes every entry's leaf hash and the whole tree from the entry bytes alone, checks
every stored checkpoint's signature and that its root is the recomputed root at its size, and
optionally does the same for a checkpoint kept by a witness outside the database. Because each
checkpoint is checked against the tree recomputed from the entries, every pair of checkpoints
is consistent whenever the audit passes: a consistency proof between two of them would only
re-derive hashes the audit already recomputed.

It stops at the first fault in log order and names it: the entry or checkpoint, and why.

The audit reads entries in aligned batches (:data:`BATCH`) and hashes each batch's tree level
by level, which keeps the pure-Python cost near two SHA-256 calls per entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from showclear.core.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    read_unverified,
)
from showclear.core.ledger.entry import EncodingError, decode_entry
from showclear.core.ledger.merkle import Frontier, fold_nodes, range_nodes
from showclear.core.ledger.note import NoteVerifier

BATCH = 1 << 13
"""Entries per batch; a power of two so that every batch is a perfect subtree."""

GENESIS_KIND = "production.created"

_sha256 = hashlib.sha256


class LedgerFault(Exception):
    """The ledger is not intact. ``where`` names the first entry or checkpoint that fails."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class AuditReport:
    """What an audit proved."""

    entries: int
    checkpoints: int
    root: bytes
    latest: Checkpoint | None
    witness: Checkpoint | None = None


StoredLeaves = Callable[[int, int], Sequence[bytes | None]]
"""Reads the leaf hashes stored for entries ``[start, end)`` (None where none is stored)."""


@dataclass(frozen=True)
class BatchDigest:
    """What the audit needs from one aligned batch of entries, without the entries.

    ``root`` is the batch's perfect-subtree hash when the batch is full; ``heads`` maps each
    checkpoint size inside the batch to the hashes of the batch's perfect subtrees below that
    size (:func:`~showclear.core.ledger.merkle.range_nodes`), which with the frontier of the
    batches before give the tree head at that size. Batches can be digested in any order, on
    any core; the audit combines them in log order.
    """

    start: int
    count: int
    root: bytes | None
    heads: dict[int, list[bytes]]


def _hash_levels(leaves: list[bytes]) -> list[list[bytes]]:
    levels = [leaves]
    current = leaves
    while len(current) > 1:
        current = [
            _sha256(b"\x01" + left + right).digest()
            for left, right in zip(current[0::2], current[1::2], strict=False)
        ]
        levels.append(current)
    return levels


def batch_leaves(bodies: Sequence[bytes]) -> list[bytes]:
    """The leaf hashes of a batch of entries."""
    return [_sha256(b"\x00" + body).digest() for body in bodies]


def digest_batch(start: int, bodies: Sequence[bytes], sizes: Iterable[int]) -> BatchDigest:
    """Digest the batch of entries beginning at ``start`` (a multiple of :data:`BATCH`).

    ``sizes`` are the checkpoint sizes to prepare heads for; those outside the batch are
    ignored.
    """
    levels = _hash_levels(batch_leaves(bodies))
    end = start + len(bodies)
    heads = {
        size: [levels[level][index - (start >> level)] for level, index in range_nodes(start, size)]
        for size in sizes
        if start < size <= end
    }
    full = len(bodies) == BATCH
    return BatchDigest(start, len(bodies), levels[-1][0] if full else None, heads)


def digest_batches(batches: Iterable[list[bytes]], sizes: Sequence[int]) -> Iterator[BatchDigest]:
    """Digest consecutive batches in this process (the serial path)."""
    start = 0
    for bodies in batches:
        if bodies:
            yield digest_batch(start, bodies, sizes)
            start += len(bodies)


def audit(
    *,
    origin: str,
    verifier: NoteVerifier,
    size: int,
    first_entry: bytes | None,
    digests: Iterable[BatchDigest],
    checkpoints: Iterable[tuple[int, str]],
    read_batch: Callable[[int], list[bytes]],
    witness: str | None = None,
    stored_leaves: StoredLeaves | None = None,
    progress: Callable[[int], None] | None = None,
) -> AuditReport:
    """Audit a ledger of ``size`` entries; raise :class:`LedgerFault` at the first fault.

    ``digests`` are the :class:`BatchDigest` of every batch in log order, prepared for every
    size in ``checkpoints`` (and the witness's). ``checkpoints`` yields ``(size, signed
    note)`` in increasing size. ``read_batch(start)`` returns a batch's entries again, to
    name the exact entry when a checkpoint does not match. ``witness`` is a signed checkpoint
    kept elsewhere.
    """
    if verifier.name != origin:
        raise LedgerFault("key", f"the verifier key is named {verifier.name!r}, not {origin!r}")
    if size == 0 or first_entry is None:
        raise LedgerFault("entry 0", "the ledger is empty: its first entry is missing")
    _check_genesis(first_entry, origin, verifier)
    pending = _checkpoint_stream(checkpoints, verifier, size)
    witnessed = _witness(witness, verifier, origin, size) if witness is not None else None
    top = Frontier()  # its leaves are whole batches
    read = 0
    last_good = 0
    count = 0
    latest: Checkpoint | None = None
    next_checkpoint = next(pending, None)

    for digest in digests:
        if digest.start != read:
            raise LedgerFault(f"entry {read}", "it is missing from the log: entries were deleted")
        end = read + digest.count
        if end > size:
            raise LedgerFault(f"entry {size}", "more entries were read than the log holds")
        while next_checkpoint is not None and next_checkpoint.size <= end:
            inner = digest.heads.get(next_checkpoint.size)
            if inner is None or fold_nodes(top.hashes + inner) != next_checkpoint.root:
                where, why = _diagnose(
                    last_good, next_checkpoint.size, digest.start, read_batch, stored_leaves, origin
                )
                raise LedgerFault(
                    where,
                    f"{why} (the log no longer matches the checkpoint signed at size "
                    f"{next_checkpoint.size})",
                )
            last_good = next_checkpoint.size
            latest = next_checkpoint
            count += 1
            next_checkpoint = next(pending, None)
        if witnessed is not None and read < witnessed.size <= end:
            inner = digest.heads.get(witnessed.size)
            if inner is None or fold_nodes(top.hashes + inner) != witnessed.root:
                raise LedgerFault(
                    "witness checkpoint",
                    f"the first {witnessed.size} entries differ from what the witness saw: "
                    "history before that point was rewritten",
                )
        if digest.root is not None:
            top.append(digest.root)
        elif end != size:
            raise LedgerFault(f"entry {end}", "only the last batch of entries may be short")
        read = end
        if progress is not None:
            progress(end)

    if read != size:
        raise LedgerFault(f"entry {read}", f"the log holds {size} entries but {read} were read")
    if next_checkpoint is not None:
        raise LedgerFault(
            f"checkpoint at size {next_checkpoint.size}",
            f"it seals {next_checkpoint.size} entries but the log holds only {size}: "
            f"entries {size} to {next_checkpoint.size - 1} were removed",
        )
    if latest is None or latest.size != size:
        sealed = latest.size if latest else 0
        raise LedgerFault(
            f"entry {sealed}",
            f"entries {sealed} to {size - 1} are not sealed by any signed checkpoint: "
            "they were added outside Showclear",
        )
    return AuditReport(
        entries=size, checkpoints=count, root=latest.root, latest=latest, witness=witnessed
    )


def audit_bodies(
    *,
    origin: str,
    verifier: NoteVerifier,
    bodies: Sequence[bytes],
    checkpoints: Sequence[tuple[int, str]],
    witness: str | None = None,
) -> AuditReport:
    """Audit a log held in memory (an export bundle, a test): the same checks, one core."""
    sizes = [size for size, _ in checkpoints]
    if witness is not None:
        try:
            sizes.append(read_unverified(witness).size)
        except CheckpointError as error:
            raise LedgerFault("witness checkpoint", str(error)) from error
    batches = [list(bodies[i : i + BATCH]) for i in range(0, len(bodies), BATCH)]
    return audit(
        origin=origin,
        verifier=verifier,
        size=len(bodies),
        first_entry=bodies[0] if bodies else None,
        digests=digest_batches(batches, sorted(set(sizes))),
        checkpoints=checkpoints,
        read_batch=lambda start: list(bodies[start : start + BATCH]),
        witness=witness,
    )


def _checkpoint_stream(
    checkpoints: Iterable[tuple[int, str]], verifier: NoteVerifier, size: int
) -> Iterator[Checkpoint]:
    previous = -1
    for stored_size, note in checkpoints:
        where = f"checkpoint at size {stored_size}"
        try:
            checkpoint = open_checkpoint(note, verifier)
        except CheckpointError as error:
            raise LedgerFault(where, f"its signature does not hold: {error}") from error
        if checkpoint.size != stored_size:
            raise LedgerFault(
                where, f"it is filed at size {stored_size} but says {checkpoint.size}"
            )
        if checkpoint.size <= previous:
            raise LedgerFault(where, "checkpoints are out of order")
        previous = checkpoint.size
        yield checkpoint


def _witness(note: str, verifier: NoteVerifier, origin: str, size: int) -> Checkpoint:
    try:
        checkpoint = open_checkpoint(note, verifier)
    except CheckpointError as error:
        raise LedgerFault("witness checkpoint", str(error)) from error
    if checkpoint.size > size:
        raise LedgerFault(
            "witness checkpoint",
            f"the witness saw {checkpoint.size} entries but the log holds only {size}: entries "
            f"{size} to {checkpoint.size - 1} were removed (or the database was restored from an "
            "older backup)",
        )
    return checkpoint


def _check_genesis(body: bytes, origin: str, verifier: NoteVerifier) -> None:
    try:
        entry = decode_entry(body)
    except EncodingError as error:
        raise LedgerFault("entry 0", f"it is not a canonical entry: {error}") from error
    if entry.seq != 0 or entry.kind != GENESIS_KIND:
        raise LedgerFault(
            "entry 0", f"the first entry must record the production, not {entry.kind}"
        )
    if entry.log != origin:
        raise LedgerFault("entry 0", f"it belongs to the ledger {entry.log!r}, not {origin!r}")
    if entry.payload.get("verifier_key") != verifier.verifier_key():
        raise LedgerFault(
            "entry 0",
            "the production was created with another signing key than the one checked against: "
            "the signing key was replaced",
        )


def _diagnose(
    good: int,
    bad: int,
    batch_start: int,
    read_batch: Callable[[int], list[bytes]],
    stored_leaves: StoredLeaves | None,
    origin: str,
) -> tuple[str, str]:
    """Name the entry in ``[good, bad)`` that broke the checkpoint, as closely as we can."""
    bodies = read_batch(batch_start)
    leaves = batch_leaves(bodies)
    low = max(good, batch_start)
    for seq in range(low, min(bad, batch_start + len(bodies))):
        body = bodies[seq - batch_start]
        try:
            entry = decode_entry(body)
        except EncodingError as error:
            return (
                f"entry {seq}",
                f"its bytes were altered and are no longer a valid entry ({error})",
            )
        if entry.seq != seq:
            return (
                f"entry {seq}",
                f"the entry stored here says it is entry {entry.seq}: entries were moved",
            )
        if entry.log != origin:
            return f"entry {seq}", f"it belongs to the ledger {entry.log!r}"
    if stored_leaves is not None:
        stored = stored_leaves(low, bad)
        for seq, kept in zip(range(low, bad), stored, strict=False):
            if (
                kept is not None
                and seq - batch_start < len(leaves)
                and kept != leaves[seq - batch_start]
            ):
                return f"entry {seq}", "its contents were changed after it was recorded"
    if bad - good == 1:
        return f"entry {good}", "its contents were changed after it was recorded"
    return f"entries {good} to {bad - 1}", "one of these entries was changed after it was recorded"
