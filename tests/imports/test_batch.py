"""The service records a batch of commands in one transaction, or none of them.

:meth:`Service.execute_all` decides each command on the state the ones before it leave and
seals the whole batch with one checkpoint; one refused command refuses the batch, with every
refused command listed, and leaves the ledger and the service's state exactly as they were.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date

import pytest
from paperwork_set import Paperwork, open_service

from showclear.cli import demo
from showclear.core.commands import AddPerson, PlanShootDay, ReceiveLot, RecordTraining
from showclear.core.vocabulary import CAST, DUMMY, FIREARM_SAFETY
from showclear.service import GENESIS_PERSON, BatchRefused, trial_copy


def _lot(tag: str, count: int = 10) -> ReceiveLot:
    return ReceiveLot(tag, DUMMY, ".45 Colt", count, "Acme", "invoice 1", "2026-10-09")


def test_a_batch_is_decided_in_order_and_sealed_by_one_checkpoint(paperwork: Paperwork) -> None:
    size, checkpoints = paperwork.size, paperwork.checkpoints
    batch = [
        AddPerson("Jo Carver", (CAST,), person_id="person-2"),
        RecordTraining("person-2", FIREARM_SAFETY, "2026-01-01"),  # needs the person above
        _lot("D-01"),
    ]

    done = paperwork.service.execute_all(paperwork.production, batch, person_id=GENESIS_PERSON)

    assert [len(executed.entries) for executed in done] == [1, 1, 1]
    assert [executed.entries[0].seq for executed in done] == [size, size + 1, size + 2]
    assert len({executed.checkpoint for executed in done}) == 1
    assert paperwork.size == size + 3
    assert paperwork.checkpoints == checkpoints + 1
    assert FIREARM_SAFETY in paperwork.state.people["person-2"].trainings
    assert paperwork.service.verify(paperwork.production).entries == size + 3


def test_one_refused_command_refuses_the_batch_and_lists_every_refused_one(
    paperwork: Paperwork,
) -> None:
    paperwork.hear_refusals()
    before = copy.deepcopy(paperwork.state)
    size, checkpoints = paperwork.size, paperwork.checkpoints
    batch = [
        _lot("D-01"),
        _lot("D-01"),  # the tag is taken by the command before it
        PlanShootDay("day-1", "2026-10-13"),
        _lot("D-02", count=0),  # a lot holds at least one round
    ]

    with pytest.raises(BatchRefused) as refused:
        paperwork.service.execute_all(paperwork.production, batch, person_id=GENESIS_PERSON)

    assert [index for index, _ in refused.value.refusals] == [1, 3]
    assert (paperwork.size, paperwork.checkpoints) == (size, checkpoints)
    assert paperwork.state == before, "the service's state did not move"
    assert [name for name, _ in paperwork.refusals] == ["ReceiveLot", "ReceiveLot"]


def test_after_a_refused_batch_the_next_command_follows_the_last_recorded_entry(
    paperwork: Paperwork,
) -> None:
    with pytest.raises(BatchRefused):
        paperwork.service.execute_all(
            paperwork.production, [_lot("D-01"), _lot("D-01")], person_id=GENESIS_PERSON
        )

    executed = paperwork.service.execute(
        paperwork.production, _lot("D-01"), person_id=GENESIS_PERSON
    )

    assert executed.entries[0].seq == paperwork.size - 1 == 1
    assert paperwork.service.verify(paperwork.production).entries == 2


def test_a_rehearsal_decides_like_the_real_thing_and_records_nothing(
    paperwork: Paperwork,
) -> None:
    paperwork.hear_refusals()
    size = paperwork.size

    events = paperwork.service.rehearse(
        paperwork.production, [_lot("D-01"), _lot("D-02")], person_id=GENESIS_PERSON
    )
    with pytest.raises(BatchRefused):
        paperwork.service.rehearse(
            paperwork.production, [_lot("D-01"), _lot("D-01")], person_id=GENESIS_PERSON
        )

    assert [[event.kind for event in one] for one in events] == [["lot.received"]] * 2
    assert paperwork.size == size
    assert "D-01" not in paperwork.state.lots
    assert paperwork.refusals == []


def test_the_state_after_a_batch_is_the_state_refolded_from_the_ledger(
    paperwork: Paperwork,
) -> None:
    batch = [AddPerson(f"Extra {n}", (CAST,), person_id=f"person-{n}") for n in range(2, 12)] + [
        _lot(f"D-{n:02}", n) for n in range(1, 6)
    ]
    paperwork.service.execute_all(paperwork.production, batch, person_id=GENESIS_PERSON)

    fresh = open_service(paperwork.database)
    try:
        assert fresh.state(paperwork.production) == paperwork.state
    finally:
        fresh.store.close()


def test_a_batch_decided_by_another_process_sees_what_this_one_recorded(
    paperwork: Paperwork,
) -> None:
    other = open_service(paperwork.database)
    try:
        other.state(paperwork.production)  # its state is now behind
        paperwork.service.execute(paperwork.production, _lot("D-01"), person_id=GENESIS_PERSON)

        with pytest.raises(BatchRefused) as refused:
            other.execute_all(paperwork.production, [_lot("D-01")], person_id=GENESIS_PERSON)

        assert "already in use" in str(refused.value)
        other.execute_all(paperwork.production, [_lot("D-02")], person_id=GENESIS_PERSON)
        assert set(paperwork.state.lots) == {"D-01", "D-02"}
    finally:
        other.store.close()


def _mutable_parts(value: object, path: str = "state") -> Iterator[tuple[int, str, object]]:
    """Every mutable object reachable from ``value``: (id, where, the object)."""
    if isinstance(value, list | dict | set):
        yield id(value), path, value
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:  # type: ignore[union-attr]
            yield from _mutable_parts(item, f"{path}[{key!r}]")
    elif is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            yield id(value), path, value
        for each in fields(value):
            yield from _mutable_parts(getattr(value, each.name), f"{path}.{each.name}")


def test_a_trial_copy_equals_the_state_and_shares_nothing_that_evolve_may_change(
    paperwork: Paperwork,
) -> None:
    built = demo.build(paperwork.service, demo.Credentials.fresh(), day_two=date(2026, 10, 14))
    state = paperwork.service.state(built.production)  # firearms out, rounds in belts, meetings

    trial = trial_copy(state)

    assert trial == state
    assert trial == copy.deepcopy(state)
    original = {key: where for key, where, _ in _mutable_parts(state)}
    assert len(original) == len(list(_mutable_parts(state))), (
        "no mutable part of the state is reachable twice (a trial copy would split it)"
    )
    shared = [where for key, where, _ in _mutable_parts(trial) if key in original]
    assert shared == []
