"""RFC 6962 / RFC 9162 Merkle tree hashing, inclusion and consistency proofs.

Leaves are hashed as ``SHA-256(0x00 || entry)`` and interior nodes as
``SHA-256(0x01 || left || right)``; the head of an empty tree is ``SHA-256("")``.

A log of millions of entries never rebuilds its tree to answer a proof. The store keeps the
hash of every *perfect* subtree, addressed as ``(level, index)``: the node at level ``l`` and
index ``i`` covers leaves ``[i * 2**l, (i + 1) * 2**l)``. Any range the RFC's recursion asks
for is a short run of such nodes (:func:`range_nodes`), so a proof at size ``n`` reads
``O(log n)`` stored hashes and hashes ``O(log n)`` times.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeId = tuple[int, int]
"""A perfect subtree: ``(level, index)``."""

Range = tuple[int, int]
"""A run of leaves ``[start, end)``."""

NodeReader = Callable[[Sequence[NodeId]], Mapping[NodeId, bytes]]
"""Reads stored perfect-subtree hashes; returns at least every node asked for."""

_sha256 = hashlib.sha256


class ProofError(ValueError):
    """A proof does not hold, or was asked for sizes that make no sense."""


def leaf_hash(entry: bytes) -> bytes:
    """RFC 6962 leaf hash of an entry's canonical bytes."""
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash."""
    return _sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``): the RFC's ``k``."""
    return 1 << ((n - 1).bit_length() - 1)


def range_nodes(start: int, end: int) -> list[NodeId]:
    """The perfect subtrees whose hashes make up ``MTH(D[start:end])``, left to right.

    Valid for every range the RFC recursion visits: ``start`` is a multiple of a power of two
    at least as large as ``end - start`` rounded down to a power of two.
    """
    nodes: list[NodeId] = []
    while start < end:
        size = end - start
        if size & (size - 1) == 0:
            level = size.bit_length() - 1
        else:
            level = split_point(size).bit_length() - 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def frontier_nodes(size: int) -> list[NodeId]:
    """The perfect subtrees that make up a tree of ``size`` leaves, largest first."""
    return range_nodes(0, size)


def fold_nodes(hashes: Sequence[bytes]) -> bytes:
    """``MTH`` of a range from its perfect subtrees' hashes, as listed by :func:`range_nodes`."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose hashes form ``PATH(index, D[0:size])`` (RFC 9162 2.1.3.1), leaf first."""
    if not 0 <= index < size:
        raise ProofError(f"entry {index} is not in a tree of {size} entries")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start = start + k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The ranges whose hashes form ``PROOF(old_size, D[0:new_size])`` (RFC 9162 2.1.4.1)."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"a tree of {old_size} entries cannot grow into {new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[Range] = []
    start, end, m, complete = 0, new_size, old_size, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
            complete = False
    if not complete:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def read_ranges(ranges: Sequence[Range], read: NodeReader) -> list[bytes]:
    """The hash of each range, reading all the stored nodes they need in one call."""
    per_range = [range_nodes(start, end) for start, end in ranges]
    wanted = sorted({node for nodes in per_range for node in nodes})
    stored = read(wanted) if wanted else {}
    missing = [node for node in wanted if node not in stored]
    if missing:
        raise ProofError(f"the store has no hash for subtree {missing[0]}")
    return [fold_nodes([stored[node] for node in nodes]) for nodes in per_range]


def prove_inclusion(index: int, size: int, read: NodeReader) -> list[bytes]:
    """The inclusion proof of entry ``index`` in the tree of ``size`` entries."""
    return read_ranges(inclusion_ranges(index, size), read)


def prove_consistency(old_size: int, new_size: int, read: NodeReader) -> list[bytes]:
    """The consistency proof from the tree of ``old_size`` entries to that of ``new_size``."""
    return read_ranges(consistency_ranges(old_size, new_size), read)


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` yields for ``leaf`` at ``index`` (RFC 9162 2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"entry {index} is not in a tree of {size} entries")
    if len(leaf) != HASH_SIZE or any(len(item) != HASH_SIZE for item in proof):
        raise ProofError("every hash in a proof is 32 bytes")
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path to the root")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless ``proof`` shows ``leaf`` at ``index`` in the tree ``root``."""
    if root_from_inclusion(index, size, leaf, proof) != root:
        raise ProofError(f"entry {index} is not in the tree of {size} entries with that root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless ``proof`` shows tree ``old_root`` is a prefix of ``new_root``.

    RFC 9162 section 2.1.4.2, including its edge cases: equal sizes need an empty proof and
    equal roots; an empty old tree is consistent with anything.
    """
    if not 0 <= old_size <= new_size:
        raise ProofError(f"a tree of {old_size} entries cannot grow into {new_size}")
    if any(len(item) != HASH_SIZE for item in proof):
        raise ProofError("every hash in a proof is 32 bytes")
    if old_size == new_size:
        if proof:
            raise ProofError("trees of the same size need an empty consistency proof")
        if old_root != new_root:
            raise ProofError(f"two different roots for the same size {old_size}")
        return
    if old_size == 0:
        if proof:
            raise ProofError("an empty tree needs an empty consistency proof")
        return
    if not proof:
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is too short")
    if fr != old_root:
        raise ProofError(f"the proof does not lead to the old root at size {old_size}")
    if sr != new_root:
        raise ProofError(f"the proof does not lead to the new root at size {new_size}")


@dataclass
class Frontier:
    """The right edge of a growing tree: the perfect subtrees of its current size.

    Appending a leaf returns the perfect subtrees it completes, so a store can keep every one
    of them; the root of the current size is one fold away.
    """

    size: int = 0
    hashes: list[bytes] = field(default_factory=list)

    @classmethod
    def resume(cls, size: int, read: NodeReader) -> Frontier:
        """The frontier of a stored tree of ``size`` leaves."""
        nodes = frontier_nodes(size)
        stored = read(nodes) if nodes else {}
        missing = [node for node in nodes if node not in stored]
        if missing:
            raise ProofError(f"the store has no hash for subtree {missing[0]}")
        return cls(size=size, hashes=[stored[node] for node in nodes])

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return every perfect subtree it completes as (level, index, hash)."""
        index = self.size
        created = [(0, index, leaf)]
        current = leaf
        level = 0
        while (index >> level) & 1:
            current = node_hash(self.hashes.pop(), current)
            level += 1
            created.append((level, index >> level, current))
        self.hashes.append(current)
        self.size += 1
        return created

    def root(self) -> bytes:
        """The tree head of the current size."""
        return fold_nodes(self.hashes)


def tree_root(leaves: Iterable[bytes]) -> bytes:
    """``MTH`` of a whole list of leaf hashes."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


class MemoryTree:
    """A whole tree held in memory with every perfect subtree: for tests and small bundles."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self.frontier = Frontier()
        self.nodes: dict[NodeId, bytes] = {}
        for leaf in leaves:
            self.append(leaf)

    @property
    def size(self) -> int:
        """How many leaves the tree holds."""
        return self.frontier.size

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash."""
        for level, index, value in self.frontier.append(leaf):
            self.nodes[(level, index)] = value

    def read(self, wanted: Sequence[NodeId]) -> Mapping[NodeId, bytes]:
        """A :data:`NodeReader` over this tree."""
        return {node: self.nodes[node] for node in wanted if node in self.nodes}

    def root(self, size: int | None = None) -> bytes:
        """The tree head at ``size`` (default: now)."""
        size = self.size if size is None else size
        if size > self.size:
            raise ProofError(f"the tree has only {self.size} entries, not {size}")
        return read_ranges([(0, size)], self.read)[0] if size else EMPTY_ROOT

    def inclusion(self, index: int, size: int | None = None) -> list[bytes]:
        """Inclusion proof of leaf ``index`` at ``size``."""
        return prove_inclusion(index, self.size if size is None else size, self.read)

    def consistency(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Consistency proof from ``old_size`` to ``new_size``."""
        return prove_consistency(old_size, self.size if new_size is None else new_size, self.read)
