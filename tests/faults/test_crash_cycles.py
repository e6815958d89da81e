"""A few crash cycles in the suite (``crash_cycles.py`` runs fifty and more on its own): devices
record through the API while the whole server is killed with SIGKILL and started again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crash_cycles import run


def test_every_acknowledged_command_survives_the_server_being_killed_and_none_is_doubled(
    database: Any, tmp_path: Path
) -> None:
    summary = run(
        tmp_path / "crash",
        cycles=3,
        database_url=database.url if database.backend == "postgres" else None,
        devices=4,
        up=(0.3, 1.2),
        seed=8,
    )
    print(summary.line())
    assert summary.acknowledged > 0, "the devices recorded something between the kills"
    assert summary.lost == [], "every command answered 201 is in the ledger"
    assert summary.found == summary.acknowledged
    assert summary.doubled == {}, "no command is in the ledger twice"
    assert summary.failures == [], "nothing but kills got in the devices' way"
    assert summary.verified, summary.verify
    assert summary.verify.startswith("intact:")
