"""A ledger of format 1 (badge codes and PIN hashes in its entries), exported: the offline
verifier checks its proof and then refuses it in the same words as ``showclear verify``, exit 2,
naming the entries that carry secrets; a format-2 bundle beside it is intact."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bundle_ledger import ARMORER, PRODUCTION, record, run_verifier

from showclear.archive.bundle import export_bundle
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store

OLD_BADGE = "DI-1C34F7A688"
OLD_HASH = "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA"


def _ledger(data: Path, *, old_format: bool) -> tuple[Service, int]:
    """A production with a few entries, and (if ``old_format``) a format-1 ``person.added``
    carrying a badge code and a PIN hash, signed as the old version signed it; its seq."""
    store = open_store(f"sqlite:///{data / 'showclear.sqlite3'}")
    store.create_schema()
    service = Service(store=store, keyring=Keyring(data), device="cli@truck")
    production, _ = service.create_production(PRODUCTION, ARMORER)
    record(store, data, 3)
    seq = 0
    if old_format:
        with store.writing(production, service.signer(production)) as log:
            seq = log.size
            log.append(
                "person.added",
                {
                    "person_id": "jo", "name": "Jo Carver", "roles": ["cast"],
                    "badge": OLD_BADGE, "pin_hash": OLD_HASH, "duties": [],
                },
                person="person-1",
                device="old-phone",
                recorded_at=datetime(2025, 3, 14, 9, 0, tzinfo=UTC),
            )  # fmt: skip
        record(store, data, 2)
    return service, seq


def _showclear_verify(data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHOWCLEAR_DATA_DIR": str(data)}
    env.pop("SHOWCLEAR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "showclear", "verify"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_offline_verifier_refuses_a_format_1_bundle_as_showclear_verify_refuses_its_ledger(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    service, seq = _ledger(data, old_format=True)
    production = service.production()
    bundle = tmp_path / "bundle"
    export_bundle(service.store, production, service.verifier(production), bundle)
    service.store.close()
    assert OLD_BADGE in (bundle / "log.jsonl").read_text(), "the old secrets are in the bundle"

    offline = run_verifier(bundle)
    assert offline.code == 2, offline.out + offline.err
    assert "INTACT" not in offline.out
    assert f"{PRODUCTION!r} is a ledger of format 1: 1 entry ({seq}) carry" in offline.err
    assert "Its hashes and signatures were checked and hold" in offline.err
    assert "docs/ledger-format.md" in offline.err

    online = _showclear_verify(data)
    assert online.returncode == 2, online.stdout + online.stderr
    assert f"{PRODUCTION!r} is a ledger of format 1: 1 entry ({seq}) carry" in online.stderr
    assert "Its hashes and signatures were checked and hold" in online.stderr


def test_a_format_2_bundle_is_intact_and_an_altered_format_1_bundle_is_not_intact(
    tmp_path: Path,
) -> None:
    data = tmp_path / "new"
    service, _ = _ledger(data, old_format=False)
    production = service.production()
    bundle = tmp_path / "bundle"
    export_bundle(service.store, production, service.verifier(production), bundle)
    service.store.close()
    assert run_verifier(bundle).code == 0

    # The proof is checked first: a format-1 bundle whose secrets were cut out is not intact
    # (exit 1, naming the entry), never "old format".
    old = tmp_path / "old"
    service, seq = _ledger(old, old_format=True)
    production = service.production()
    cut = tmp_path / "cut"
    export_bundle(service.store, production, service.verifier(production), cut)
    service.store.close()
    log = cut / "log.jsonl"
    log.write_text(log.read_text().replace(OLD_BADGE, "").replace(OLD_HASH, ""))
    altered = run_verifier(cut)
    assert altered.code == 1, altered.out + altered.err
    assert f"(entry {seq}): its contents were changed" in altered.out
