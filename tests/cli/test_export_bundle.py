"""``showclear export`` as an investigator runs it, on SQLite and PostgreSQL: the bundle holds
the ledger byte for byte, and ``showclear-verify`` checks it offline."""

from __future__ import annotations

import base64
import json
import threading

import pytest
from bundle_ledger import (
    ARMORER,
    PRODUCTION,
    bodies_of,
    json_lines,
    lines,
    record,
    run_verifier,
)

from showclear.archive.bundle import export_bundle
from showclear.core.ledger.checkpoint import open_checkpoint, read_unverified
from showclear.core.ledger.merkle import leaf_hash, verify_inclusion

BUNDLE_FILES = {
    "README.txt",
    "bundle.json",
    "checkpoint.txt",
    "checkpoints.jsonl",
    "log.jsonl",
    "proofs.jsonl",
    "verifier-key.txt",
    "verify.py",
}


@pytest.fixture
def ledger(showclear, database):
    """A production made with ``showclear init``, then 30 entries in 12 signed commits."""
    made = showclear("init", "--production", PRODUCTION, "--armorer", ARMORER)
    assert made.code == 0, made.output
    store = database.open_store()
    try:
        record(store, database.data_dir, 6)  # one entry, one checkpoint
        record(store, database.data_dir, 24, per_commit=4)
        yield store
    finally:
        store.close()


@pytest.fixture
def exports(tmp_path):
    """An empty folder to export into (the test's data directory sits beside it)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def _refused(run, code: int = 2) -> str:
    assert run.code == code, run.output
    assert run.out == ""
    assert run.err.startswith("showclear: "), run.err
    assert len(run.err.strip().splitlines()) == 1, run.err
    assert "Traceback" not in run.err
    return run.err


def test_an_exported_bundle_holds_the_ledger_byte_for_byte_and_verifies(
    showclear, ledger, tmp_path
) -> None:
    production = ledger.productions()[0]
    out = tmp_path / "gulch-bundle"

    exported = showclear("export", "--production", PRODUCTION, "--out", str(out))

    assert exported.code == 0, exported.output
    assert f"Exported {PRODUCTION!r}" in exported.out
    assert "31 entries, 13 signed checkpoints" in exported.out
    assert {path.name for path in out.iterdir()} == BUNDLE_FILES
    assert lines(out / "log.jsonl") == bodies_of(ledger, production)
    stored = list(ledger.checkpoints(production))
    assert [(c["size"], c["note"]) for c in json_lines(out / "checkpoints.jsonl")] == stored
    assert (out / "checkpoint.txt").read_text() == showclear("checkpoint").out == stored[-1][1]
    assert (out / "verifier-key.txt").read_text().strip() == showclear("key").out.strip()
    assert (out / "proofs.jsonl").read_bytes() == b""
    manifest = json.loads((out / "bundle.json").read_text())
    assert (manifest["format"], manifest["version"], manifest["origin"]) == (
        "showclear-bundle",
        1,
        production.origin,
    )

    checked = run_verifier(out)

    assert checked.code == 0, checked.out + checked.err
    root = base64.b64encode(read_unverified(stored[-1][1]).root).decode()
    key_id = showclear("key").out.split("+")[1]
    assert f"production: {PRODUCTION} (ledger {production.origin})" in checked.out
    assert "entries: 31 entries (0 to 30)" in checked.out
    assert f"checkpoints: 13 signed checkpoints, each signature valid under key {key_id}" in (
        checked.out
    )
    assert f"newest checkpoint: size 31, root {root}" in checked.out
    assert checked.out.strip().endswith("none was added.")
    assert checked.out.splitlines()[-1].startswith("INTACT")


def test_the_bundles_readme_tells_a_person_and_a_programmer_how_to_check_it(
    showclear, ledger, tmp_path
) -> None:
    out = tmp_path / "bundle"
    assert showclear("export", "--out", str(out), "--entries", "3").code == 0
    readme = (out / "README.txt").read_text()
    key_id = showclear("key").out.split("+")[1]
    for words in (
        f"SHOWCLEAR LEDGER EXPORT: {PRODUCTION}",
        "It holds 31 entries sealed by 13 signed checkpoints",
        "HOW TO CHECK IT (no programming needed)",
        "check/bin/pip install cryptography",
        "check/bin/python verify.py .",
        f"Compare the key id it prints ({key_id})",
        "--against the-checkpoint-you-kept.txt",
        "FOR A PROGRAMMER",
        "SHA-256(0x00 || entry bytes)",
        "docs/ledger-format.md",
        "inclusion proofs of entries 3",
    ):
        assert words in readme


def test_inclusion_proofs_of_the_chosen_entries_hold_against_the_newest_checkpoint(
    showclear, ledger, tmp_path
) -> None:
    production = ledger.productions()[0]
    out = tmp_path / "bundle"

    exported = showclear("export", "--out", str(out), "--entries", "12, 3-5,0,4,30")

    assert exported.code == 0, exported.output
    assert "inclusion proofs of entries 0, 3 to 5, 12, 30" in exported.out
    proofs = json_lines(out / "proofs.jsonl")
    assert [proof["seq"] for proof in proofs] == [0, 3, 4, 5, 12, 30]
    newest = open_checkpoint((out / "checkpoint.txt").read_text(), ledger_verifier(showclear))
    bodies = bodies_of(ledger, production)
    for proof in proofs:
        assert proof["tree_size"] == newest.size == 31
        leaf = base64.b64decode(proof["leaf_hash"])
        assert leaf == leaf_hash(bodies[proof["seq"]])
        path = [base64.b64decode(node) for node in proof["path"]]
        verify_inclusion(proof["seq"], newest.size, leaf, path, newest.root)
    checked = run_verifier(out)
    assert checked.code == 0, checked.out
    assert "inclusion proofs: 6 proofs (entries 0, 3 to 5, 12, 30)" in checked.out


def ledger_verifier(showclear):
    from showclear.core.ledger.note import NoteVerifier

    return NoteVerifier.parse(showclear("key").out)


def test_export_into_an_existing_empty_folder_fills_it(showclear, ledger, tmp_path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert showclear("export", "--out", str(out)).code == 0
    assert {path.name for path in out.iterdir()} == BUNDLE_FILES
    assert run_verifier(out).code == 0


def test_export_refuses_a_folder_that_is_not_empty_and_writes_nothing(
    showclear, ledger, exports
) -> None:
    out = exports / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("the armorer's own notes")

    refused = _refused(showclear("export", "--out", str(out)))

    assert "already exists and is not empty" in refused
    assert "nothing was written" in refused
    assert [path.name for path in out.iterdir()] == ["notes.txt"]
    assert [path.name for path in exports.iterdir()] == ["taken"]


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        ("5-2", "runs backwards"),
        ("twelve", "'twelve' is not an entry number or a range"),
        ("3,,4", "'' is not an entry number"),
        ("-1", "is not an entry number"),
        ("31", "there is no entry 31: the ledger holds entries 0 to 30"),
        ("29-400", "there is no entry 400"),
    ],
)
def test_export_refuses_entries_it_cannot_prove_and_leaves_nothing_behind(
    showclear, ledger, exports, entries, said
) -> None:
    out = exports / "bundle"
    refused = _refused(showclear("export", "--out", str(out), "--entries", entries))
    assert said in refused
    assert list(exports.iterdir()) == []  # neither the bundle nor a half-written one


def test_export_to_a_folder_inside_a_missing_one_is_refused(showclear, ledger, tmp_path) -> None:
    refused = _refused(showclear("export", "--out", str(tmp_path / "no" / "bundle")))
    assert "does not exist" in refused


def test_export_before_any_production_exists_is_refused(showclear, tmp_path) -> None:
    refused = _refused(showclear("export", "--out", str(tmp_path / "bundle")))
    assert "showclear init" in refused


def test_export_reads_one_snapshot_while_the_set_keeps_recording(
    showclear, ledger, database, tmp_path
) -> None:
    production = ledger.productions()[0]
    others = database.open_store()  # another connection, as another app process would be
    recorded = threading.Event()

    def while_exporting(upto: int) -> None:
        # The log file is written; the checkpoints are not read yet. Entries committed now
        # belong to a later state than the one being exported.
        if not recorded.is_set():
            recorded.set()
            worker = threading.Thread(target=record, args=(others, database.data_dir, 5))
            worker.start()
            worker.join(timeout=60)

    try:
        exported = export_bundle(
            ledger,
            production,
            ledger_verifier(showclear),
            tmp_path / "bundle",
            progress=while_exporting,
        )
    finally:
        others.close()

    assert recorded.is_set()
    assert ledger.size(production) == 36
    assert (exported.entries, exported.checkpoints, exported.latest_size) == (31, 13, 31)
    checked = run_verifier(tmp_path / "bundle")
    assert checked.code == 0, checked.out
    assert "entries: 31 entries" in checked.out
