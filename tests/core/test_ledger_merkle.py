"""RFC 6962 Merkle hashing, proofs and their verification.

The fixed vectors are the RFC 6962 test data of the Certificate Transparency reference
implementation, as carried in transparency-dev/merkle ``proof/verify_test.go`` (Apache-2.0):
eight leaves, the tree head at every size 1..8, and known inclusion and consistency proofs.
The corrupt-proof probes mirror that file's ``corruptInclusionProof`` and
``corruptConsistencyProof``.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from showclear.core.ledger.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    ProofError,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    split_point,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]

ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# (index, size, proof): the reference data counts leaves from 1; these count from 0.
INCLUSION = [
    (
        0,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]

CONSISTENCY = [
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def naive_root(leaves: list[bytes]) -> bytes:
    """MTH straight from RFC 6962 section 2.1, recursion and all."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(naive_root(leaves[:k]), naive_root(leaves[k:]))


def flip_bit(value: bytes, bit: int) -> bytes:
    """``value`` with one bit turned over."""
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def reference_tree() -> MemoryTree:
    return MemoryTree(leaf_hash(leaf) for leaf in LEAVES)


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    assert tree_root([]) == hashlib.sha256(b"").digest() == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_the_tree_head_at_every_size_matches_the_rfc_6962_vectors(size: int) -> None:
    tree = reference_tree()
    assert tree.root(size) == ROOTS[size - 1]
    assert tree_root(leaf_hash(leaf) for leaf in LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_the_rfc_6962_vectors_and_verify(
    index: int, size: int, proof: list[bytes]
) -> None:
    tree = reference_tree()
    assert tree.inclusion(index, size) == proof
    verify_inclusion(index, size, leaf_hash(LEAVES[index]), proof, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_proofs_match_the_rfc_6962_vectors_and_verify(
    old: int, new: int, proof: list[bytes]
) -> None:
    tree = reference_tree()
    assert tree.consistency(old, new) == proof
    verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


def corrupt_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes):
    yield index - 1, size, leaf, proof, root
    yield index + 1, size, leaf, proof, root
    yield index ^ 2, size, leaf, proof, root
    yield index, size * 2, leaf, proof, root
    yield index, size // 2, leaf, proof, root
    yield index, size, SOME_HASH, proof, root
    yield index, size, leaf, proof, EMPTY_ROOT
    yield index, size, leaf, proof, SOME_HASH
    yield index, size, leaf, [*proof, root], root
    yield index, size, leaf, [root, *proof], root
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        yield index, size, leaf, flipped, root
    if proof:
        yield index, size, leaf, proof[:-1], root
    if len(proof) > 1:
        yield index, size, leaf, [proof[0], SOME_HASH, *proof[1:]], root


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_every_corrupted_inclusion_proof_is_refused(
    index: int, size: int, proof: list[bytes]
) -> None:
    leaf, root = leaf_hash(LEAVES[index]), ROOTS[size - 1]
    for probe in corrupt_inclusion(index, size, leaf, proof, root):
        with pytest.raises(ProofError):
            verify_inclusion(*probe)


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_every_corrupted_consistency_proof_is_refused(
    old: int, new: int, proof: list[bytes]
) -> None:
    r1, r2 = ROOTS[old - 1], ROOTS[new - 1]
    probes = [
        (old - 1, new, r1, r2, proof),
        (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof),
        (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof),
        (old, new, SOME_HASH, r2, proof),
        (old, new, r1, SOME_HASH, proof),
        (old, new, r2, r1, proof),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*proof, r1]),
        (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [r2, *proof]),
        (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((old, new, r1, r2, flipped))
    for probe in probes:
        with pytest.raises(ProofError):
            verify_consistency(*probe)


def test_edge_cases_of_consistency_follow_rfc_9162() -> None:
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 5, EMPTY_ROOT, ROOTS[4], [])
    verify_consistency(3, 3, ROOTS[2], ROOTS[2], [])
    with pytest.raises(ProofError):
        verify_consistency(3, 3, ROOTS[2], ROOTS[3], [])
    with pytest.raises(ProofError):
        verify_consistency(3, 3, ROOTS[2], ROOTS[2], [SOME_HASH])
    with pytest.raises(ProofError):
        verify_consistency(4, 3, ROOTS[3], ROOTS[2], [])


def test_a_one_entry_tree_is_its_own_leaf_with_an_empty_proof() -> None:
    leaf = leaf_hash(b"data")
    assert root_from_inclusion(0, 1, leaf, []) == leaf
    with pytest.raises(ProofError):
        verify_inclusion(0, 1, leaf, [], SOME_HASH)
    with pytest.raises(ProofError):
        verify_inclusion(1, 1, leaf, [], leaf)


sizes = st.integers(min_value=1, max_value=300)


@st.composite
def tree_and_index(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    size = draw(sizes)
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    at = draw(st.integers(min_value=1, max_value=size))
    index = draw(st.integers(min_value=0, max_value=at - 1))
    return leaves, index, at


@given(tree_and_index())
def test_every_inclusion_proof_for_random_sizes_verifies(
    case: tuple[list[bytes], int, int],
) -> None:
    leaves, index, at = case
    tree = MemoryTree(leaves)
    assert tree.root(at) == naive_root(leaves[:at])
    verify_inclusion(index, at, leaves[index], tree.inclusion(index, at), naive_root(leaves[:at]))


@given(tree_and_index(), st.data())
def test_every_altered_inclusion_proof_fails(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    leaves, index, at = case
    tree = MemoryTree(leaves)
    proof = tree.inclusion(index, at)
    root = tree.root(at)
    if proof:
        position = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 255))
        altered = list(proof)
        altered[position] = flip_bit(altered[position], bit)
        with pytest.raises(ProofError):
            verify_inclusion(index, at, leaves[index], altered, root)
        with pytest.raises(ProofError):
            verify_inclusion(index, at, leaves[index], proof[:-1], root)
    with pytest.raises(ProofError):
        verify_inclusion(index, at, leaves[index], [*proof, SOME_HASH], root)
    other = (index + 1) % at
    if leaves[other] != leaves[index]:
        with pytest.raises(ProofError):
            verify_inclusion(index, at, leaves[other], proof, root)


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    new = draw(sizes)
    old = draw(st.integers(min_value=1, max_value=new))
    leaves = [leaf_hash(b"e" + i.to_bytes(4, "big")) for i in range(new)]
    return leaves, old, new


@given(two_sizes())
def test_every_consistency_proof_for_random_sizes_verifies(
    case: tuple[list[bytes], int, int],
) -> None:
    leaves, old, new = case
    tree = MemoryTree(leaves)
    verify_consistency(
        old, new, naive_root(leaves[:old]), naive_root(leaves[:new]), tree.consistency(old, new)
    )


@given(two_sizes(), st.data())
def test_every_altered_consistency_proof_fails(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    leaves, old, new = case
    if old == new:
        return
    tree = MemoryTree(leaves)
    proof = tree.consistency(old, new)
    r1, r2 = tree.root(old), tree.root(new)
    position = data.draw(st.integers(0, len(proof) - 1))
    byte = data.draw(st.integers(0, 31))
    altered = list(proof)
    altered[position] = flip_bit(altered[position], byte * 8)
    with pytest.raises(ProofError):
        verify_consistency(old, new, r1, r2, altered)
    with pytest.raises(ProofError):
        verify_consistency(old, new, r1, r2, proof[:-1])
    with pytest.raises(ProofError):
        verify_consistency(old, new, r1, r2, [*proof, SOME_HASH])
    # A log that rewrote its first entry cannot prove itself consistent with the old head.
    rewritten = MemoryTree([leaf_hash(b"forged"), *leaves[1:]])
    with pytest.raises(ProofError):
        verify_consistency(old, new, r1, rewritten.root(new), rewritten.consistency(old, new))
