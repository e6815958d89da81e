"""The verifier needs nothing of Showclear: one file and ``cryptography`` in a fresh virtual
environment check an exported bundle, as an investigator's laptop would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_ledger import ARMORER, PRODUCTION, lines, record, write_lines

from showclear.archive import verify
from showclear.archive.bundle import export_bundle
from showclear.core.ledger.entry import canonical_json
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements" / "main.txt"
ONLY = ("cryptography", "cffi", "pycparser")
"""cryptography and what it needs to run, pinned with their hashes in requirements/main.txt."""


def pinned(names: tuple[str, ...]) -> str:
    """The hash-pinned lines of ``names`` from the locked requirements, and nothing else."""
    blocks = re.split(r"\n(?=\S)", REQUIREMENTS.read_text())
    chosen = [block for block in blocks if block.split("==")[0].strip() in names]
    assert len(chosen) == len(names), f"requirements/main.txt pins each of {names}"
    return "\n".join(block.split("    # via")[0].rstrip().rstrip("\\").rstrip() for block in chosen)


def clean_environment() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SHOWCLEAR_", "PYTHON", "VIRTUAL_ENV"))
    }


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding only cryptography (installed by hash)."""
    place = tmp_path_factory.mktemp("laptop")
    subprocess.run([sys.executable, "-m", "venv", str(place / "venv")], check=True, timeout=120)
    wanted = place / "requirements.txt"
    wanted.write_text(pinned(ONLY) + "\n")
    installed = subprocess.run(
        [
            str(place / "venv" / "bin" / "pip"),
            "install",
            "--quiet",
            "--require-hashes",
            "--no-deps",
            "-r",
            str(wanted),
        ],
        capture_output=True,
        text=True,
        env=clean_environment(),
        timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return place / "venv" / "bin" / "python"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    store = open_store(f"sqlite:///{data / 'showclear.sqlite3'}")
    store.create_schema()
    try:
        service = Service(store=store, keyring=Keyring(data), device="cli@truck")
        production, _ = service.create_production(PRODUCTION, ARMORER)
        record(store, data, 40, per_commit=2)
        out = tmp_path_factory.mktemp("exported") / "bundle"
        export_bundle(store, production, service.verifier(production), out, entries="1-3")
        return out
    finally:
        store.close()


def alone(python: Path, script: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), str(script), *map(str, args)],
        cwd=script.parent,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_fresh_environment_holds_cryptography_and_no_showclear(fresh_python: Path) -> None:
    listed = subprocess.run(
        [str(fresh_python), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        env=clean_environment(),
        check=True,
    )
    names = {item["name"].lower() for item in json.loads(listed.stdout)}
    assert names - {"pip", "setuptools", "wheel"} == set(ONLY)
    for absent in ("showclear", "django", "click", "psycopg"):
        probe = subprocess.run(
            [str(fresh_python), "-c", f"import {absent}"],
            cwd=fresh_python.parent,
            env=clean_environment(),
            capture_output=True,
            check=False,
        )
        assert probe.returncode != 0, f"{absent} is importable in the fresh environment"


def test_verify_py_copied_alone_checks_a_bundle_in_the_fresh_environment(
    fresh_python: Path, exported: Path, tmp_path: Path
) -> None:
    script = tmp_path / "investigator" / "verify.py"
    script.parent.mkdir()
    shutil.copy(verify.__file__, script)

    intact = alone(fresh_python, script, exported)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "entries: 41 entries (0 to 40)" in intact.stdout
    assert "inclusion proofs: 3 proofs (entries 1 to 3)" in intact.stdout
    assert intact.stdout.splitlines()[-1].startswith("INTACT")

    in_parallel = alone(fresh_python, script, exported, "--workers", "2")
    assert in_parallel.returncode == 0, in_parallel.stdout + in_parallel.stderr

    altered = Path(shutil.copytree(exported, tmp_path / "altered"))
    log = lines(altered / "log.jsonl")
    entry = json.loads(log[17])
    entry["payload"]["note"] = "nothing to see"
    log[17] = canonical_json(entry)
    write_lines(altered / "log.jsonl", log)
    caught = alone(fresh_python, script, altered)
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert "log.jsonl lines 18 to 19 (entries 17 to 18)" in caught.stdout

    unusable = alone(fresh_python, script, tmp_path / "nothing-here")
    assert unusable.returncode == 2
    assert "is not a folder" in unusable.stderr


def test_the_copy_inside_the_bundle_is_the_verifier(exported: Path) -> None:
    assert (exported / "verify.py").read_bytes() == Path(verify.__file__).read_bytes()
