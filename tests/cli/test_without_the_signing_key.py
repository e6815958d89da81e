"""``verify``, ``key`` and ``checkpoint`` on a copy without the signing key (a restored
database, an investigator's copy): they use the verifier key the ledger's first entry records
and say so; a forged checkpoint row is never printed for a witness."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from showclear.core.ledger.checkpoint import Checkpoint
from showclear.core.ledger.note import NoteSigner


def _production(showclear: Callable[..., Any]) -> None:
    made = showclear("init", "--production", "Key Test", "--armorer", "Hannah Reed")
    assert made.code == 0, made.output


def test_verify_and_key_work_without_the_signing_key_and_say_whose_key_they_used(
    showclear: Callable[..., Any], database: Any
) -> None:
    _production(showclear)
    with_key = showclear("key")
    assert with_key.code == 0, with_key.output
    assert "first entry" not in with_key.err
    shutil.move(Path(database.data_dir) / "keys", Path(database.data_dir) / "keys-elsewhere")

    key = showclear("key")
    assert key.code == 0, key.output
    assert key.out == with_key.out
    assert "no signing key" in key.err
    verified = showclear("verify")
    assert verified.code == 0, verified.output
    assert verified.out.startswith("intact: 'Key Test': 1 entry")
    assert "first entry records" in verified.err


def test_checkpoint_never_hands_a_witness_a_checkpoint_showclear_did_not_sign(
    showclear: Callable[..., Any], database: Any
) -> None:
    _production(showclear)
    genuine = showclear("checkpoint")
    assert genuine.code == 0, genuine.output
    origin = genuine.out.splitlines()[0]
    forged = Checkpoint(origin, 2, bytes(32)).sign(NoteSigner.generate(origin))
    with database.raw() as sql:
        sql.execute(
            "INSERT INTO ledger_checkpoint (production_id, size, note) VALUES (1, 2, ?)", (forged,)
        )

    refused = showclear("checkpoint")
    assert refused.code == 1
    assert forged not in refused.output
    assert "checkpoint at size 2" in refused.err
    verified = showclear("verify")
    assert verified.code == 1
    assert "checkpoint at size 2" in verified.err
