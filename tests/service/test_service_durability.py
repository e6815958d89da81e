"""A command that cannot be made durable is not recorded: the caller gets a StoreError, the
ledger and the in-memory state are as they were, and the next command carries on cleanly."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from staging import OnSet

from backends import BACKENDS
from showclear.core.commands import HandOver, Lock, Unlock
from showclear.service import StoreError
from showclear.store.sql import SqlTables


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Durability is the database's: the databases only, never ``memory``."""
    return str(request.param)


class Outcome:
    """Whether the command inside :func:`nothing_recorded` failed, and with what."""

    def __init__(self) -> None:
        self.error: StoreError | None = None

    def refused(self, error: StoreError) -> None:
        """The store refused the command."""
        self.error = error


@contextmanager
def nothing_recorded(on_set: OnSet) -> Iterator[Outcome]:
    """Assert that a command in the block that fails with a StoreError leaves the ledger and
    the service's state exactly as they were (one that succeeds is simply recorded)."""
    state = copy.deepcopy(on_set.state)
    size = on_set.size
    checkpoints = on_set.store.checkpoint_sizes(on_set.production)
    outcome = Outcome()
    try:
        yield outcome
    except StoreError as error:
        outcome.refused(error)
        raise
    finally:
        if outcome.error is not None:
            assert on_set.size == size
            assert on_set.store.checkpoint_sizes(on_set.production) == checkpoints
            assert on_set.service.state(on_set.production) == state


def carries_on(on_set: OnSet) -> None:
    """The next command is recorded right after the last durable entry, and the ledger verifies."""
    size = on_set.size
    executed = on_set.do("armorer", HandOver("R-01", "performer", "12"))
    assert [entry.seq for entry in executed.entries] == [size]
    assert on_set.state.firearms["R-01"].holder == "performer"
    assert on_set.service.verify(on_set.production).entries == size + 1


def test_a_command_whose_checkpoint_cannot_be_written_is_not_recorded(
    on_set: OnSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_set.revolver_shown_clear()

    def disk_full(*args: Any) -> None:
        raise StoreError("the entry could not be made durable, nothing was recorded: disk full")

    monkeypatch.setattr(SqlTables, "insert_checkpoint", disk_full)
    with pytest.raises(StoreError, match="disk full"), nothing_recorded(on_set):
        on_set.service.execute(
            on_set.production, HandOver("R-01", "performer", "12"), person_id="person-1"
        )
    monkeypatch.undo()

    carries_on(on_set)


def fill_the_disk(on_set: OnSet) -> None:
    """Make the database refuse to grow or commit, the way a full disk does."""
    connection = on_set.store._connection  # type: ignore[attr-defined]
    if on_set.database.backend == "sqlite":
        # Flush the WAL so the file is at its full size, then forbid it one more page.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
        connection.execute(f"PRAGMA max_page_count = {pages}")
    else:
        # A deferred constraint trigger fails the COMMIT itself, after every insert succeeded.
        with on_set.database.raw() as sql:
            sql.execute(
                "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device'; END; $$"
            )
            sql.execute(
                "CREATE CONSTRAINT TRIGGER disk_full AFTER INSERT ON ledger_checkpoint "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION disk_full()"
            )


def free_the_disk(on_set: OnSet) -> None:
    """Undo :func:`fill_the_disk`."""
    if on_set.database.backend == "sqlite":
        on_set.store._connection.execute("PRAGMA max_page_count = 1073741823")  # type: ignore[attr-defined]
    else:
        with on_set.database.raw() as sql:
            sql.execute("DROP TRIGGER disk_full ON ledger_checkpoint")


def test_a_command_the_database_cannot_make_durable_is_a_store_error_with_nothing_recorded(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear()
    fill_the_disk(on_set)

    # Lock and unlock the lockbox until the full disk refuses one: on SQLite the log's pages
    # still have room for a few entries, on PostgreSQL the very first commit fails.
    for attempt in range(1000):
        command = Unlock("AMMO-1") if attempt % 2 == 0 else Lock("AMMO-1")
        with nothing_recorded(on_set) as outcome:
            try:
                on_set.service.execute(on_set.production, command, person_id="person-1")
            except StoreError as error:
                outcome.refused(error)
        if outcome.error is not None:
            break
    else:
        pytest.fail("the full disk never refused a write")
    assert "nothing was recorded" in str(outcome.error)

    free_the_disk(on_set)
    carries_on(on_set)
