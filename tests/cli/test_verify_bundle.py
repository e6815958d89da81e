"""``showclear-verify`` on bundles someone altered: each edit, deletion, reorder or checkpoint
swap fails with exit 1 and names the first entry (line and seq) or checkpoint that fails.

One bundle is exported once (30 entries: 0 to 20 each sealed by its own checkpoint, then three
commits of three), and each test alters a copy of it, then runs the verifier as a process.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_ledger import (
    ARMORER,
    PRODUCTION,
    json_lines,
    lines,
    record,
    run_verifier,
    write_lines,
)

from showclear.archive.bundle import export_bundle
from showclear.core.ledger.checkpoint import Checkpoint
from showclear.core.ledger.entry import canonical_json
from showclear.core.ledger.merkle import MemoryTree, leaf_hash
from showclear.core.ledger.note import NoteSigner
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store


@dataclass(frozen=True)
class Pristine:
    """The exported bundle, and the production's signer (to forge with, as an insider could)."""

    bundle: Path
    signer: NoteSigner
    origin: str


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    data = tmp_path_factory.mktemp("data")
    store = open_store(f"sqlite:///{data / 'showclear.sqlite3'}")
    store.create_schema()
    try:
        service = Service(store=store, keyring=Keyring(data), device="cli@truck")
        production, _ = service.create_production(PRODUCTION, ARMORER)
        record(store, data, 20)
        record(store, data, 9, per_commit=3)
        bundle = tmp_path_factory.mktemp("exported") / "bundle"
        export_bundle(store, production, service.verifier(production), bundle, entries="3,7,25")
        return Pristine(bundle, service.signer(production), production.origin)
    finally:
        store.close()


@pytest.fixture
def bundle(pristine: Pristine, tmp_path: Path) -> Path:
    """A fresh copy of the exported bundle to alter."""
    return Path(shutil.copytree(pristine.bundle, tmp_path / "bundle"))


def not_intact(bundle: Path, *args: str) -> str:
    """Run the verifier; it must say NOT INTACT (exit 1) in one line; return what follows."""
    checked = run_verifier(bundle, *args)
    assert checked.code == 1, checked.out + checked.err
    assert checked.err == ""
    assert len(checked.out.strip().splitlines()) == 1, checked.out
    prefix = f"NOT INTACT: {bundle}: "
    assert checked.out.startswith(prefix), checked.out
    return checked.out.removeprefix(prefix).strip()


def unusable(*args: str | Path) -> str:
    checked = run_verifier(*args)
    assert checked.code == 2, checked.out + checked.err
    assert checked.out == ""
    assert checked.err.startswith("showclear-verify: "), checked.err
    assert "Traceback" not in checked.err
    return checked.err


def edited(line: bytes, **payload: object) -> bytes:
    entry = json.loads(line)
    entry["payload"].update(payload)
    return canonical_json(entry)


def resign(bundle: Path, signer: NoteSigner, *, genesis_key: str | None = None) -> None:
    """Sign the bundle's log again from scratch with ``signer``, as a forger with a new key would
    (and, given ``genesis_key``, also rewrite entry 0 to name it)."""
    bodies = lines(bundle / "log.jsonl")
    if genesis_key is not None:
        bodies[0] = edited(bodies[0], verifier_key=genesis_key)
        write_lines(bundle / "log.jsonl", bodies)
    tree = MemoryTree(leaf_hash(body) for body in bodies)
    sizes = [c["size"] for c in json_lines(bundle / "checkpoints.jsonl")]
    notes = [Checkpoint(signer.name, n, tree.root(n)).sign(signer) for n in sizes]
    write_lines(
        bundle / "checkpoints.jsonl",
        [json.dumps({"note": n, "size": s}).encode() for s, n in zip(sizes, notes, strict=True)],
    )
    (bundle / "checkpoint.txt").write_text(notes[-1])
    (bundle / "verifier-key.txt").write_text(signer.verifier.verifier_key() + "\n")
    (bundle / "proofs.jsonl").write_text("")


def test_the_untouched_bundle_is_intact(bundle: Path) -> None:
    checked = run_verifier(bundle)
    assert checked.code == 0, checked.out
    assert "entries: 30 entries (0 to 29)" in checked.out
    assert "checkpoints: 24 signed checkpoints" in checked.out
    assert "inclusion proofs: 3 proofs (entries 3, 7, 25)" in checked.out


# -- entries ------------------------------------------------------------------------------------


def test_an_entry_changed_and_still_canonical_is_named(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    log[9] = edited(log[9], note="box of LIVE rounds rattled, 50 of 50")
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle) == (
        "log.jsonl line 10 (entry 9): its contents were changed after it was signed (the log no "
        "longer matches the checkpoint signed at size 10, checkpoints.jsonl line 10)"
    )


def test_an_entry_changed_byte_by_byte_is_named_as_no_longer_canonical(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    log[12] = log[12].replace(b'"pass":', b'"pass": ')
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle).startswith(
        "log.jsonl line 13 (entry 12): its bytes were altered: the line is JSON but not in "
        "canonical form"
    )


def test_an_entry_cut_short_is_named(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    log[4] = log[4][:40]
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle).startswith("log.jsonl line 5 (entry 4): it is not a ledger entry")


def test_a_changed_entry_sealed_with_others_is_named_by_its_inclusion_proof(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    log[25] = edited(log[25], note="changed")
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle).startswith(
        "log.jsonl line 26 (entry 25): its contents were changed after it was signed (its "
        "inclusion proof still holds the hash it was signed with)"
    )


def test_a_changed_entry_sealed_with_others_and_no_proof_names_its_commit(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    log[22] = edited(log[22], note="changed")
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle).startswith(
        "log.jsonl lines 22 to 24 (entries 21 to 23): one of these entries was changed after it "
        "was signed"
    )


def test_a_deleted_entry_is_named(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    del log[12]
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle) == (
        "log.jsonl line 13 (entry 12): entry 12 is missing: this line holds entry 13 (entries "
        "were deleted or moved)"
    )


def test_the_last_entry_deleted_is_named(bundle: Path) -> None:
    write_lines(bundle / "log.jsonl", lines(bundle / "log.jsonl")[:-1])
    assert not_intact(bundle) == (
        "log.jsonl line 30 (entry 29): it is missing: the checkpoint signed at size 30 "
        "(checkpoints.jsonl line 24) seals it, but log.jsonl ends before it: entry 29 is gone"
    )


def test_the_first_entry_deleted_is_named(bundle: Path) -> None:
    write_lines(bundle / "log.jsonl", lines(bundle / "log.jsonl")[1:])
    assert not_intact(bundle) == (
        "log.jsonl line 1 (entry 0): entry 0 is missing: the first line holds entry 1"
    )


def test_two_entries_swapped_are_named_where_the_order_breaks(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    log[14], log[15] = log[15], log[14]
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle) == (
        "log.jsonl line 15 (entry 14): entry 14 is missing: this line holds entry 15 (entries "
        "were deleted or moved)"
    )


def test_an_entry_copied_into_the_log_is_named(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    log.insert(6, log[5])
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle) == (
        "log.jsonl line 7 (entry 6): this line holds entry 5, which belongs earlier: entries "
        "were moved or copied"
    )


def test_an_entry_added_after_the_last_checkpoint_is_named(bundle: Path) -> None:
    log = lines(bundle / "log.jsonl")
    forged = json.loads(log[-1])
    forged["seq"] = 30
    log.append(canonical_json(forged))
    write_lines(bundle / "log.jsonl", log)
    assert not_intact(bundle) == (
        "log.jsonl line 31 (entry 30): entry 30 is not sealed by any signed checkpoint: added "
        "after the last checkpoint, outside Showclear"
    )


def test_a_log_converted_to_windows_line_endings_is_named_at_its_first_line(bundle: Path) -> None:
    (bundle / "log.jsonl").write_bytes((bundle / "log.jsonl").read_bytes().replace(b"\n", b"\r\n"))
    assert not_intact(bundle) == (
        "log.jsonl line 1 (entry 0): it is not a ledger entry: the line ends in a carriage return "
        "(the file was converted to CRLF)"
    )


# -- checkpoints ----------------------------------------------------------------------------------


def test_two_checkpoints_swapped_are_named(bundle: Path) -> None:
    found = lines(bundle / "checkpoints.jsonl")
    found[4], found[5] = found[5], found[4]
    write_lines(bundle / "checkpoints.jsonl", found)
    assert not_intact(bundle) == (
        "checkpoints.jsonl line 6 (checkpoint at size 5): it comes after the checkpoint at size "
        "6: checkpoints were reordered or copied"
    )


def test_a_checkpoint_swapped_for_another_size_is_named(bundle: Path) -> None:
    found = json_lines(bundle / "checkpoints.jsonl")
    found[4]["note"] = found[5]["note"]
    write_lines(bundle / "checkpoints.jsonl", [json.dumps(c).encode() for c in found])
    assert not_intact(bundle) == (
        "checkpoints.jsonl line 5 (checkpoint at size 5): it is filed at size 5 but signs size "
        "6: checkpoints were swapped"
    )


def test_a_checkpoint_signed_by_another_key_is_named(bundle: Path, pristine: Pristine) -> None:
    found = json_lines(bundle / "checkpoints.jsonl")
    other = NoteSigner.generate(pristine.origin)
    found[9]["note"] = Checkpoint(pristine.origin, 10, b"\x00" * 32).sign(other)
    write_lines(bundle / "checkpoints.jsonl", [json.dumps(c).encode() for c in found])
    said = not_intact(bundle)
    assert said.startswith("checkpoints.jsonl line 10 (checkpoint at size 10): it is not signed ")
    assert said.endswith("the checkpoint was altered or replaced")


def test_a_checkpoint_whose_root_was_altered_fails_its_signature(bundle: Path) -> None:
    found = json_lines(bundle / "checkpoints.jsonl")
    origin, size, root, *rest = found[2]["note"].split("\n")
    root = ("A" if root[0] != "A" else "B") + root[1:]
    found[2]["note"] = "\n".join([origin, size, root, *rest])
    write_lines(bundle / "checkpoints.jsonl", [json.dumps(c).encode() for c in found])
    assert not_intact(bundle).startswith(
        "checkpoints.jsonl line 3 (checkpoint at size 3): its signature by key "
    )


def test_a_checkpoint_line_replaced_by_junk_is_named(
    bundle: Path,
) -> None:
    found = lines(bundle / "checkpoints.jsonl")
    write_lines(bundle / "checkpoints.jsonl", [*found[:7], b"not json", *found[8:]])
    assert not_intact(bundle).startswith("checkpoints.jsonl line 8: it is not {")


def test_checkpoint_txt_replaced_with_an_older_checkpoint_is_named(bundle: Path) -> None:
    older = json_lines(bundle / "checkpoints.jsonl")[19]["note"]
    (bundle / "checkpoint.txt").write_text(older)
    assert not_intact(bundle) == (
        "checkpoint.txt: it is a checkpoint at size 20, not the newest checkpoint of "
        "checkpoints.jsonl (size 30): it was replaced or altered"
    )


def test_an_altered_inclusion_proof_is_named(bundle: Path) -> None:
    proofs = json_lines(bundle / "proofs.jsonl")
    proofs[1]["path"][0], proofs[1]["path"][1] = proofs[1]["path"][1], proofs[1]["path"][0]
    write_lines(bundle / "proofs.jsonl", [json.dumps(p).encode() for p in proofs])
    assert not_intact(bundle) == (
        "proofs.jsonl line 2 (entry 7): it does not lead to the root signed at size 30"
    )


# -- keys and witnesses: what a self-consistent forgery cannot hide ----------------------------------


def test_a_log_re_signed_with_a_new_key_is_caught_by_entry_0(
    bundle: Path, pristine: Pristine
) -> None:
    forger = NoteSigner.generate(pristine.origin)
    resign(bundle, forger)
    assert not_intact(bundle) == (
        "log.jsonl line 1 (entry 0): the production was created with another key than "
        f"{pristine.origin}+{forger.verifier.key_id}, which signs these checkpoints: the signing "
        "key was replaced"
    )


def _key_of(bundle: Path) -> str:
    return (bundle / "verifier-key.txt").read_text().strip()


def test_history_rewritten_and_re_signed_whole_is_caught_by_the_key_and_by_a_witness(
    bundle: Path, pristine: Pristine, tmp_path: Path
) -> None:
    witness = tmp_path / "kept-at-wrap.txt"
    witness.write_text((bundle / "checkpoint.txt").read_text())
    genuine_key = _key_of(bundle)
    forger = NoteSigner.generate(pristine.origin)
    log = lines(bundle / "log.jsonl")
    log[7] = edited(log[7], note="nobody loaded a live round")
    write_lines(bundle / "log.jsonl", log)
    resign(bundle, forger, genesis_key=forger.verifier.verifier_key())

    alone = run_verifier(bundle)  # consistent with itself: only an outside fact can catch it
    assert alone.code == 0, alone.out
    assert f"key id {forger.verifier.key_id}" in alone.out

    assert not_intact(bundle, "--key", genuine_key) == (
        f"verifier-key.txt: the bundle's key is {pristine.origin}+{forger.verifier.key_id}, not "
        f"the key you gave ({pristine.origin}+{pristine.signer.verifier.key_id}): its "
        "checkpoints were signed by another key"
    )
    assert not_intact(bundle, "--against", str(witness)).startswith(
        f"witness checkpoint: it was signed by key {pristine.signer.verifier.key_id}, but this "
        f"bundle is signed by key {forger.verifier.key_id}"
    )


def test_a_bundle_cut_back_consistently_is_caught_by_a_witness_checkpoint(
    bundle: Path, tmp_path: Path
) -> None:
    witness = tmp_path / "kept-at-wrap.txt"
    witness.write_text((bundle / "checkpoint.txt").read_text())
    write_lines(bundle / "log.jsonl", lines(bundle / "log.jsonl")[:27])
    found = lines(bundle / "checkpoints.jsonl")[:-1]
    write_lines(bundle / "checkpoints.jsonl", found)
    (bundle / "checkpoint.txt").write_text(json.loads(found[-1])["note"])
    (bundle / "proofs.jsonl").write_text("")

    assert run_verifier(bundle).code == 0  # an older state, consistent with itself
    assert not_intact(bundle, "--against", str(witness)) == (
        "witness checkpoint: the witness saw 30 entries but the bundle holds only 27: entries "
        "27 to 29 are gone (or the export is older than the witness's checkpoint)"
    )


def test_an_older_witness_checkpoint_is_confirmed(bundle: Path, tmp_path: Path) -> None:
    witness = tmp_path / "kept-on-day-one.txt"
    witness.write_text(json_lines(bundle / "checkpoints.jsonl")[11]["note"])
    checked = run_verifier(bundle, "--against", witness)
    assert checked.code == 0, checked.out
    assert "witness checkpoint: size 12, root " in checked.out


# -- input that cannot be checked ------------------------------------------------------------------


def test_input_that_cannot_be_checked_is_exit_2_with_one_clear_line(
    bundle: Path, tmp_path: Path
) -> None:
    assert "is not a folder" in unusable(tmp_path / "nowhere")
    assert "--key is not a verifier key" in unusable(bundle, "--key", "not-a-key")
    assert "cannot read" in unusable(bundle, "--against", tmp_path / "missing.txt")
    (tmp_path / "junk.txt").write_text("hello\n")
    assert "is not a signed checkpoint" in unusable(bundle, "--against", tmp_path / "junk.txt")
    manifest = json.loads((bundle / "bundle.json").read_text())
    (bundle / "bundle.json").write_text(json.dumps({**manifest, "version": 2}))
    assert "format version 2; this verifier reads version 1" in unusable(bundle)
    (bundle / "log.jsonl").unlink()
    assert "not a complete Showclear bundle: log.jsonl is missing" in unusable(bundle)
