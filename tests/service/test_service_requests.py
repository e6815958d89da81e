"""A named request (the API's device token and Idempotency-Key) records once: what it recorded is
committed with its entries, read back by any process, and never put into the hashed entries."""

from __future__ import annotations

import pytest
from staging import OnSet, person_id

from showclear.core.commands import AssignDuty, HandOver
from showclear.core.decide import Refused
from showclear.service import Executed, Service

REQUEST = "7 3f1c2a9e-request-key"


def assign_props(service: Service, on_set: OnSet) -> Executed:
    """The first AD gives the assistant armorer the props duty, as request :data:`REQUEST`."""
    return service.execute(
        on_set.production,
        AssignDuty("assistant_armorer", "props"),
        person_id=person_id("first_ad"),
        request=REQUEST,
    )


def test_a_request_recorded_by_one_process_is_read_back_by_another_and_not_recorded_again(
    on_set: OnSet,
) -> None:
    first = assign_props(on_set.service, on_set)
    size = on_set.size
    other = on_set.another_process("second-tablet")
    heard: list[Executed] = []
    other.listeners.append(lambda _production, executed: heard.append(executed))

    again = assign_props(other, on_set)

    assert not first.replayed
    assert again.replayed
    assert (again.entries, again.events, again.checkpoint) == (
        first.entries,
        first.events,
        first.checkpoint,
    )
    assert [w.rule_id for w in again.warnings] == ["R-ONE-DUTY"]
    assert on_set.size == size, "the second process recorded nothing"
    assert heard == [], "no listener hears a read-back command again"
    assert other.recorded_for(on_set.production, REQUEST) == again
    assert other.recorded_for(on_set.production, "7 another-key") is None


def test_the_request_is_kept_beside_the_entries_never_in_what_the_ledger_hashes(
    on_set: OnSet,
) -> None:
    executed = assign_props(on_set.service, on_set)
    bodies = on_set.store.entry_range(
        on_set.production, executed.entries[0].seq, executed.entries[-1].seq + 1
    )
    assert bodies == [entry.encode() for entry in executed.entries]
    assert all(b"request-key" not in body for body in bodies)
    assert on_set.service.verify(on_set.production).entries == on_set.size


def test_a_refused_request_records_nothing_and_may_be_recorded_later(on_set: OnSet) -> None:
    size = on_set.size
    with pytest.raises(Refused):
        on_set.service.execute(
            on_set.production,
            HandOver("R-01", "stunt", "12"),
            person_id=person_id("first_ad"),
            request=REQUEST,
        )
    assert on_set.size == size
    assert on_set.service.recorded_for(on_set.production, REQUEST) is None

    later = assign_props(on_set.service, on_set)
    assert not later.replayed
    assert on_set.size == size + len(later.entries)
