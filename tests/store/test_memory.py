"""What only the in-memory store has: databases by name, in this process, never configured."""

from __future__ import annotations

import pytest

from showclear import config
from showclear.store import open_store
from showclear.store.memory import MemoryStore, drop


def test_stores_on_one_memory_name_share_its_rows_and_memory_alone_is_a_new_database() -> None:
    first, second = open_store("memory:one-set"), open_store("memory:one-set")
    apart = [open_store("memory:"), open_store("memory:")]
    try:
        assert isinstance(first, MemoryStore)
        assert first.memory is second.memory
        assert first.url == second.url == "memory:one-set"
        assert apart[0].url != apart[1].url
        assert apart[0].memory is not apart[1].memory
        assert open_store(apart[0].url).memory is apart[0].memory
    finally:
        drop("one-set")


def test_showclear_is_never_configured_to_keep_its_ledger_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOWCLEAR_DATABASE_URL", "memory:production")
    with pytest.raises(ValueError, match="memory"):
        config.database_url()
