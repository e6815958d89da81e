"""The offline verifier (src/showclear/archive/verify.py) and the core agree, on every part of the format.

The verifier is an independent implementation: it shares no code with showclear.core.ledger.
These tests hold the two against each other, and against the RFC 6962 test vectors, so that a
bug in either is caught by the other.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ledger_entry import json_values
from test_ledger_merkle import INCLUSION, LEAVES, ROOTS, corrupt_inclusion

from showclear.archive import verify
from showclear.core.events import ProductionCreated
from showclear.core.ledger.audit import LedgerFault, audit_bodies
from showclear.core.ledger.checkpoint import Checkpoint, CheckpointError, open_checkpoint
from showclear.core.ledger.entry import EncodingError, Entry, canonical_json, decode_entry
from showclear.core.ledger.merkle import MemoryTree, leaf_hash
from showclear.core.ledger.note import NoteError, NoteSigner, NoteVerifier

ORIGIN = "showclear/dead-mans-gulch/0a1b2c3d"
SIGNER = NoteSigner.generate(ORIGIN)


def ledger_bodies(size: int, signer: NoteSigner = SIGNER) -> list[bytes]:
    """A ledger of ``size`` entries: the genesis, then entries whose payloads try to fool a
    reader (members named log and seq, quotes, non-ASCII, nesting)."""
    genesis = ProductionCreated(
        "Dead Man's Gulch", ORIGIN, "person-1", "Hannah Reed", signer.verifier.verifier_key()
    )
    bodies = [
        Entry(
            0,
            ORIGIN,
            genesis.kind,
            "2026-11-23T07:00:00.000000Z",
            "person-1",
            "cli@truck",
            genesis.to_payload(),
        ).encode()
    ]
    for seq in range(1, size):
        payload = {
            "pass": seq,
            "log": "showclear/another/00000000",
            "seq": seq + 1,
            "note": 'said "ok","log":"x" — Señora Núñez 𝄞',
            "nested": {"payload": {"v": 1}, "chambers": [1, 2, 3]},
        }
        bodies.append(
            Entry(
                seq,
                ORIGIN,
                "test.noted",
                f"2026-11-23T07:{seq // 60 % 60:02d}:{seq % 60:02d}.000000Z",
                "person-2",
                'phone "7"',
                payload,
            ).encode()
        )
    return bodies


def write_bundle(
    folder: Path,
    bodies: list[bytes],
    sizes: list[int],
    *,
    signer: NoteSigner = SIGNER,
    proofs: tuple[int, ...] = (),
) -> Path:
    """A bundle of these entry bytes, with a checkpoint signed at each of ``sizes``."""
    tree = MemoryTree(leaf_hash(body) for body in bodies)
    notes = [(size, Checkpoint(ORIGIN, size, tree.root(size)).sign(signer)) for size in sizes]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "log.jsonl").write_bytes(b"".join(body + b"\n" for body in bodies))
    (folder / "checkpoints.jsonl").write_text(
        "".join(json.dumps({"note": note, "size": size}) + "\n" for size, note in notes)
    )
    (folder / "checkpoint.txt").write_text(notes[-1][1])
    (folder / "verifier-key.txt").write_text(signer.verifier.verifier_key() + "\n")
    proof_lines = []
    for seq in proofs:
        proof = {
            "leaf_hash": base64.b64encode(leaf_hash(bodies[seq])).decode(),
            "path": [base64.b64encode(h).decode() for h in tree.inclusion(seq, len(bodies))],
            "seq": seq,
            "tree_size": len(bodies),
        }
        proof_lines.append(json.dumps(proof) + "\n")
    (folder / "proofs.jsonl").write_text("".join(proof_lines))
    (folder / "bundle.json").write_text(
        json.dumps({"format": "showclear-bundle", "version": 1, "origin": ORIGIN})
    )
    return folder


@contextmanager
def small_chunks(size: int, block: int = 600):
    """Make the verifier hash ``size`` leaves a chunk and read ``block`` bytes a block, so that
    small logs span many chunks and blocks, cut anywhere."""
    with mock.patch.object(verify, "CHUNK", size), mock.patch.object(verify, "READ_SIZE", block):
        yield


def named(where: str) -> tuple[str, int]:
    """What a fault names, in either implementation's words: an entry, or a checkpoint."""
    if found := re.search(r"checkpoint at size (\d+)", where):
        return "checkpoint", int(found[1])
    found = re.search(r"entr(?:y|ies) (\d+)", where)
    assert found is not None, where
    return "entry", int(found[1])


# -- the tree, against the RFC 6962 vectors and the core ------------------------------------------


@pytest.mark.parametrize("size", range(1, 9))
def test_the_verifiers_tree_head_matches_the_rfc_6962_vectors_at_every_size(size: int) -> None:
    leaves = [leaf_hash(leaf) for leaf in LEAVES[:size]]
    root, heads = verify.chunk_heads(0, leaves, [size], full=size == 8)
    assert verify.fold(heads[size]) == ROOTS[size - 1]
    if size == 8:
        assert root == ROOTS[7]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_the_rfc_6962_inclusion_vectors_lead_the_verifier_to_their_roots(
    index: int, size: int, proof: list[bytes]
) -> None:
    assert verify.root_from_proof(index, size, leaf_hash(LEAVES[index]), proof) == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_every_corrupted_vector_proof_is_refused_by_the_verifier(
    index: int, size: int, proof: list[bytes]
) -> None:
    leaf, root = leaf_hash(LEAVES[index]), ROOTS[size - 1]
    for probe_index, probe_size, probe_leaf, probe_proof, probe_root in corrupt_inclusion(
        index, size, leaf, proof, root
    ):
        try:
            reached = verify.root_from_proof(probe_index, probe_size, probe_leaf, probe_proof)
        except verify.FormatError:
            continue
        assert reached != probe_root


def test_every_inclusion_proof_the_core_makes_leads_the_verifier_to_the_cores_root() -> None:
    tree = MemoryTree(leaf_hash(b"entry %d" % n) for n in range(70))
    for size in range(1, 71):
        for index in range(size):
            proof = tree.inclusion(index, size)
            leaf = leaf_hash(b"entry %d" % index)
            assert verify.root_from_proof(index, size, leaf, proof) == tree.root(size)
            if proof:
                altered = [proof[0][:-1] + bytes([proof[0][-1] ^ 1]), *proof[1:]]
                assert verify.root_from_proof(index, size, leaf, altered) != tree.root(size)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(1, 150),
    chunk=st.sampled_from([1, 2, 4, 8, 32]),
    block=st.integers(1, 3000),
    every=st.integers(1, 20),
)
def test_the_verifier_recomputes_the_cores_root_at_every_checkpoint_across_chunks(
    size: int, chunk: int, block: int, every: int
) -> None:
    bodies = ledger_bodies(size)
    sizes = sorted({*range(every, size + 1, every), size})
    with tempfile.TemporaryDirectory() as folder, small_chunks(chunk, block):
        bundle = write_bundle(Path(folder) / "b", bodies, sizes, proofs=(0, size - 1))
        verified = verify.verify_bundle(bundle, workers=1)
    assert verified.entries == size
    assert verified.checkpoints == len(sizes)
    assert verified.latest.root == MemoryTree(leaf_hash(body) for body in bodies).root()


def test_workers_in_other_processes_reach_the_same_verdicts(tmp_path: Path) -> None:
    bodies = ledger_bodies(90)
    sizes = [*range(1, 40), 45, 60, 61, 90]
    with small_chunks(8, block=700):
        bundle = write_bundle(tmp_path / "b", bodies, sizes, proofs=(3, 50))
        alone = verify.verify_bundle(bundle, workers=1)
        shared = verify.verify_bundle(bundle, workers=3)
        assert (shared.entries, shared.checkpoints, shared.latest) == (
            alone.entries,
            alone.checkpoints,
            alone.latest,
        )
        for how, at in (("edit", 37), ("edit", 50), ("delete", 70), ("swap", 12)):
            (bundle / "log.jsonl").write_bytes(b"".join(b + b"\n" for b in tamper(bodies, how, at)))
            faults = []
            for workers in (1, 3):
                with pytest.raises(verify.Fault) as fault:
                    verify.verify_bundle(bundle, workers=workers)
                faults.append(str(fault.value))
            assert faults[0] == faults[1]
            assert named(faults[0]) == ("entry", at)


# -- canonical entries -----------------------------------------------------------------------------


@given(json_values)
def test_the_verifier_encodes_json_exactly_as_the_core_and_rfc_8785_do(value: Any) -> None:
    assert verify.canonical(value) == canonical_json(value) == rfc8785.dumps(value)


@settings(max_examples=60)
@given(
    st.dictionaries(st.text(max_size=8), json_values, max_size=5),
    st.integers(0, 10**9),
    st.text(min_size=1, max_size=20),
)
def test_every_entry_the_core_writes_the_verifier_reads_back_unchanged(
    payload: dict[str, Any], seq: int, person: str
) -> None:
    entry = Entry(
        seq, ORIGIN, "firearm.handed-over", "2026-11-23T13:02:00.000000Z", person, "d", payload
    )
    read = verify.decode_entry(entry.encode())
    assert read == json.loads(entry.encode())
    assert read["seq"] == seq


NOT_CANONICAL = [
    b' {"a":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1, "v":1}',
    b'{"kind":"a.b","device":"d","log":"l","payload":{},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{"n":1.0},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{"n":1,"n":2},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{"s":"a\\/b"},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{"s":"\\u00E9"},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{"s":"\\ud800"},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{"n":9007199254740993},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{},"person":"p","recorded_at":"2026-11-23T13:02:00Z","seq":1,"v":1}',
    b'{"device":"d","kind":"A.b","log":"l","payload":{},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":2}',
    b'{"device":"d","kind":"a.b","log":"l","payload":[],"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}',
    b'{"device":"d","kind":"a.b","log":"l","payload":{},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1}\r',
    b'{"device":"d","kind":"a.b","log":"l","payload":{},"person":"p","recorded_at":"2026-11-23T13:02:00.000000Z","seq":1,"v":1,"x":0}',
    b"\xff",
    b"",
]


@pytest.mark.parametrize("line", NOT_CANONICAL)
def test_bytes_that_are_not_a_canonical_entry_are_refused_by_both(line: bytes) -> None:
    with pytest.raises(verify.FormatError):
        verify.decode_entry(line)
    with pytest.raises(EncodingError):
        decode_entry(line)


# -- keys and signed checkpoints --------------------------------------------------------------------


def test_the_verifier_reads_the_cores_verifier_key_and_checkpoints() -> None:
    key = verify.VerifierKey.parse(SIGNER.verifier.verifier_key())
    assert (key.name, key.key_id, key.public_key) == (
        SIGNER.verifier.name,
        SIGNER.verifier.key_id,
        SIGNER.verifier.public_key,
    )
    note = Checkpoint(ORIGIN, 12, b"\x07" * 32).sign(SIGNER)
    head = verify.open_head(note, key)
    core = open_checkpoint(note, SIGNER.verifier)
    assert (head.origin, head.size, head.root) == (core.origin, core.size, core.root)


def _altered_notes(note: str) -> list[str]:
    text, _, signature_line = note.rpartition("\n\n")
    encoded = signature_line.split(" ")[-1].strip()
    raw = bytearray(base64.b64decode(encoded))
    raw[10] ^= 1
    flipped = base64.b64encode(bytes(raw)).decode()
    other = NoteSigner.generate(ORIGIN)
    return [
        note.replace("\n12\n", "\n13\n"),
        note.replace(encoded, flipped),
        Checkpoint(ORIGIN, 12, b"\x07" * 32).sign(other),
        note.replace("\n\n", "\n"),
        text + "\n\n",
        note.replace("\u2014", "-"),
    ]


def test_a_checkpoint_altered_in_any_way_is_refused_by_both() -> None:
    key = verify.VerifierKey.parse(SIGNER.verifier.verifier_key())
    for altered in _altered_notes(Checkpoint(ORIGIN, 12, b"\x07" * 32).sign(SIGNER)):
        with pytest.raises(verify.FormatError):
            verify.open_head(altered, key)
        with pytest.raises(CheckpointError):
            open_checkpoint(altered, SIGNER.verifier)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "showclear/x",
        "showclear/x+0000+AAAA",
        "showclear/x+zzzzzzzz+" + base64.b64encode(b"\x01" + b"k" * 32).decode(),
        "showclear/x+00000000+" + base64.b64encode(b"\x01" + b"k" * 32).decode(),
        "showclear/x+00000000+" + base64.b64encode(b"\x02" + b"k" * 32).decode(),
        "showclear/x+00000000+not base64",
    ],
)
def test_a_malformed_verifier_key_is_refused_by_both(text: str) -> None:
    with pytest.raises(verify.FormatError):
        verify.VerifierKey.parse(text)
    with pytest.raises(NoteError):
        NoteVerifier.parse(text)


# -- whole bundles: the two audits name the same fault ---------------------------------------------


def tamper(bodies: list[bytes], how: str, at: int) -> list[bytes]:
    changed = list(bodies)
    if how == "edit":
        entry = json.loads(changed[at])
        entry["payload"]["pass"] = -1
        changed[at] = canonical_json(entry)
    elif how == "space":
        changed[at] = changed[at].replace(b'"payload":', b'"payload": ')
    elif how == "delete":
        del changed[at]
    elif how == "swap":
        changed[at], changed[at + 1] = changed[at + 1], changed[at]
    elif how == "copy":
        changed.insert(at, changed[at])
    return changed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(3, 60),
    per=st.integers(1, 3),
    how=st.sampled_from(["edit", "space", "delete", "swap", "copy"]),
    data=st.data(),
)
def test_the_verifier_and_the_core_audit_name_the_same_first_fault(
    size: int, per: int, how: str, data: st.DataObject
) -> None:
    bodies = ledger_bodies(size)
    sizes = sorted({*range(per, size + 1, per), size})
    at = data.draw(st.integers(1, size - 2), label="at")
    tree = MemoryTree(leaf_hash(body) for body in bodies)
    notes = [(n, Checkpoint(ORIGIN, n, tree.root(n)).sign(SIGNER)) for n in sizes]
    changed = tamper(bodies, how, at)

    with pytest.raises(LedgerFault) as core:
        audit_bodies(origin=ORIGIN, verifier=SIGNER.verifier, bodies=changed, checkpoints=notes)
    with tempfile.TemporaryDirectory() as folder, small_chunks(4):
        bundle = write_bundle(Path(folder) / "b", bodies, sizes)
        (bundle / "log.jsonl").write_bytes(b"".join(body + b"\n" for body in changed))
        with pytest.raises(verify.Fault) as offline:
            verify.verify_bundle(bundle, workers=1)
    if how == "delete" and named(core.value.where)[0] == "checkpoint":
        # In memory the core sees a short log, not which entry went missing; the verifier
        # reads each line's seq and names it.
        assert named(offline.value.where) == ("entry", at)
    else:
        assert named(offline.value.where) == named(core.value.where), (offline.value, core.value)
    if per == 1 or how in ("space", "delete", "swap", "copy"):
        # A copied line is seen where the copy pushed the next entry along.
        assert named(offline.value.where) == ("entry", at + 1 if how == "copy" else at)


# -- one file, no Showclear ---------------------------------------------------------------------------


def test_the_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(Path(verify.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "the verifier imports nothing relative to itself"
            imported.add((node.module or "").split(".")[0])
    outside = imported - set(sys.stdlib_module_names) - {"__future__"}
    assert outside == {"cryptography"}
