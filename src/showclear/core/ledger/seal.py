"""Which stored entries Showclear wrote: those sealed by a checkpoint it can verify.

Every append and the checkpoint that seals it commit in one transaction, so a stored log that
Showclear alone wrote always ends exactly at its newest signed checkpoint. Anything else is an
intrusion by someone with write access to the database: an entry beyond the newest checkpoint
(inserted without the signing key), a checkpoint whose signature does not hold, a Merkle node
whose tree no longer has the checkpoint's root, a tail of entries deleted. The writer checks
this before it decides and appends (so it never signs over a forged entry), and catch-up folds
only entries whose leaf hashes rebuild the root of a verified checkpoint (so nothing forged is
ever acted on). Pure: the store reads, this module judges.

What these checks cannot see, ``showclear verify`` sees (every entry and every checkpoint from
the first) and only a checkpoint kept outside the database can prove (the whole database
replaced by an older copy, or rewritten and re-signed by someone holding the key).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from showclear.core.ledger.audit import LedgerFault
from showclear.core.ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from showclear.core.ledger.merkle import Frontier, NodeId, fold_nodes, frontier_nodes, leaf_hash
from showclear.core.ledger.note import NoteVerifier


class LedgerTampered(LedgerFault):
    """The stored ledger holds what Showclear did not write: nothing more may be recorded.

    ``where`` names the entry, checkpoint or node, ``reason`` says what was found; ``seq`` is
    the first entry concerned (for the alarm and the ``ledger.tampered`` webhook).
    """

    def __init__(self, where: str, reason: str, seq: int) -> None:
        super().__init__(where, reason)
        self.seq = seq

    @property
    def alarm(self) -> str:
        """One sentence for a page, a refusal and a webhook."""
        return (
            f"The ledger was tampered with ({self.where}: {self.reason}). Nothing more is "
            "recorded until it is restored from the last good backup and verified against a "
            "witness checkpoint."
        )


@dataclass(frozen=True)
class Head:
    """The end of a stored log, as read in one snapshot.

    ``size``: one more than the highest stored ``seq``; ``newest``: the newest stored
    checkpoint row ``(size it is filed at, signed note)``, if any; ``nodes``: the stored
    perfect-subtree hashes of the tree at the newest checkpoint's size (its right edge).
    """

    size: int
    newest: tuple[int, str] | None
    nodes: Mapping[NodeId, bytes] = field(default_factory=dict)


def wanted_nodes(newest: tuple[int, str] | None) -> list[NodeId]:
    """The stored nodes a :class:`Head` needs for ``newest`` (the tree's right edge)."""
    return frontier_nodes(newest[0]) if newest is not None and newest[0] > 0 else []


def open_sealing(size: int, note: str, verifier: NoteVerifier) -> Checkpoint:
    """The checkpoint filed at ``size``, once its signature and size check out."""
    where = f"checkpoint at size {size}"
    try:
        checkpoint = open_checkpoint(note, verifier)
    except CheckpointError as error:
        raise LedgerTampered(
            where,
            f"its signature does not hold ({error}): it was not written by Showclear",
            size,
        ) from error
    if checkpoint.size != size:
        raise LedgerTampered(
            where, f"it is filed at size {size} but its signed text says {checkpoint.size}", size
        )
    return checkpoint


def check_head(head: Head, verifier: NoteVerifier, known: Checkpoint | None) -> Checkpoint:
    """The newest checkpoint of ``head``, once the stored log is proved to end exactly there.

    ``known`` is the newest checkpoint this process verified before (the log never shrinks,
    so one smaller than it is a deleted tail). Raises :class:`LedgerTampered` naming what
    Showclear did not write.
    """
    if head.newest is None:
        if head.size > 0:
            raise LedgerTampered(
                "entry 0",
                f"entries 0 to {head.size - 1} are not sealed by any signed checkpoint",
                0,
            )
        raise LedgerTampered("checkpoint", "the ledger has no signed checkpoint at all", 0)
    checkpoint = open_sealing(*head.newest, verifier)
    if known is not None and checkpoint.size < known.size:
        raise LedgerTampered(
            f"entry {checkpoint.size}",
            f"this server saw the ledger signed at size {known.size}, but it now ends at "
            f"{checkpoint.size}: entries {checkpoint.size} to {known.size - 1} and their "
            "checkpoints were deleted (or the database was replaced by an older copy)",
            checkpoint.size,
        )
    if head.size > checkpoint.size:
        raise LedgerTampered(
            f"entry {checkpoint.size}",
            f"entries {checkpoint.size} to {head.size - 1} are not sealed by a signed "
            "checkpoint: they were added outside Showclear",
            checkpoint.size,
        )
    if head.size < checkpoint.size:
        raise LedgerTampered(
            f"entry {head.size}",
            f"the checkpoint seals {checkpoint.size} entries but the log holds only "
            f"{head.size}: entries {head.size} to {checkpoint.size - 1} were deleted",
            head.size,
        )
    nodes = wanted_nodes(head.newest)
    missing = [node for node in nodes if node not in head.nodes]
    if missing or fold_nodes([head.nodes[node] for node in nodes]) != checkpoint.root:
        level, index = missing[0] if missing else nodes[0]
        raise LedgerTampered(
            f"Merkle node ({level}, {index})" if missing else f"the tree at size {head.size}",
            "a stored node is missing" if missing else (
                "its stored Merkle nodes no longer hash to the root the checkpoint signed: "
                "a node was changed"
            ),
            index << level,
        )  # fmt: skip
    if known is not None and checkpoint.size == known.size and checkpoint.root != known.root:
        raise LedgerTampered(
            f"checkpoint at size {checkpoint.size}",
            "it differs from the one this server verified at the same size: the ledger was "
            "rewritten and re-signed",
            checkpoint.size,
        )
    return checkpoint


@dataclass
class Sealed:
    """The tree of the entries a process has folded, and the checkpoint that sealed them."""

    tree: Frontier = field(default_factory=Frontier)
    checkpoint: Checkpoint | None = None

    @property
    def size(self) -> int:
        """How many entries were folded."""
        return self.tree.size


def seal_bodies(
    sealed: Sealed, bodies: Sequence[bytes], checkpoints: Sequence[Checkpoint]
) -> tuple[Sealed, int, LedgerTampered | None]:
    """Extend ``sealed`` by ``bodies`` (the entries that follow it), checkpoint by checkpoint.

    ``checkpoints`` are verified checkpoints in increasing size, each within ``bodies``. The
    tree is grown leaf by leaf and compared with each checkpoint's root at its size. Returns
    the tree sealed by the last checkpoint that matched, how many of ``bodies`` it covers, and
    the :class:`LedgerTampered` of the first checkpoint that did not match (None when all
    did): the entries before it are Showclear's, the range up to it is not. ``sealed`` itself
    is left as it was.
    """
    good, count = sealed, 0
    tree = Frontier(sealed.tree.size, list(sealed.tree.hashes))
    for checkpoint in checkpoints:
        wanted = checkpoint.size - sealed.size
        if wanted < count or wanted > len(bodies):
            fault = LedgerTampered(
                f"checkpoint at size {checkpoint.size}",
                f"it cannot seal entries {good.size} to {sealed.size + len(bodies) - 1}",
                good.size,
            )
            return good, count, fault
        for body in bodies[tree.size - sealed.size : wanted]:
            tree.append(leaf_hash(body))
        if tree.root() != checkpoint.root:
            last = checkpoint.size - 1
            fault = LedgerTampered(
                f"entry {last}" if last == good.size else f"entries {good.size} to {last}",
                f"the stored entries do not hash to the root the checkpoint at size "
                f"{checkpoint.size} signed: "
                + ("it was" if last == good.size else "one of them was")
                + " changed after it was recorded",
                good.size,
            )
            return good, count, fault
        good, count = Sealed(Frontier(tree.size, list(tree.hashes)), checkpoint), wanted
    return good, count, None
