"""Several processes on one ledger: each catches up under the production's lock before it
decides, two conflicting commands sent at once record exactly one, and a restarted process
rebuilds exactly the state the old one held."""

from __future__ import annotations

import copy
import multiprocessing
from datetime import timedelta

import pytest
from racing import Outcome, race
from staging import CHAMBERS, PRODUCTION, SHOOT_DAY, OnSet, open_service, person_id

from backends import BACKENDS
from showclear.core.commands import (
    AssignDuty,
    Command,
    HandOver,
    InspectFirearm,
    Lock,
    PutIn,
    Return,
    TakeOut,
    Unlock,
)
from showclear.core.ledger.entry import decode_entry
from showclear.service import Intrusion


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Other processes on one database: the databases only, never ``memory``."""
    return str(request.param)


RACE_TIME = SHOOT_DAY + timedelta(hours=3)


def race_at_once(on_set: OnSet, *racers: tuple[str, str, Command]) -> dict[str, Outcome]:
    """Start one process per ``(persona, device, command)``, each with its own connection, and
    let them send their commands at the same moment; return what each was told, by device."""
    context = multiprocessing.get_context("spawn")  # nothing of this process's connections
    start = context.Barrier(len(racers))
    outcomes = context.Queue()
    processes = [
        context.Process(
            target=race,
            args=(
                on_set.database.url,
                str(on_set.database.data_dir),
                PRODUCTION,
                person_id(persona),
                device,
                command,
                RACE_TIME,
                start,
                outcomes,
            ),
        )
        for persona, device, command in racers
    ]
    for process in processes:
        process.start()
    try:
        told = [outcomes.get(timeout=60) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=30)
    assert [process.exitcode for process in processes] == [0] * len(processes)
    return {outcome.device: outcome for outcome in told}


def kinds_after(on_set: OnSet, size: int) -> list[str]:
    """The kinds of the entries recorded after the first ``size``."""
    return [
        decode_entry(body).kind
        for batch in on_set.store.entry_batches(on_set.production, start=size)
        for body in batch
    ]


def test_two_armorers_handing_one_revolver_at_once_record_exactly_one_handover(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear()  # R-01 in the key armorer's hands, shown clear to Jo Carver
    size = on_set.size

    told = race_at_once(
        on_set,
        ("armorer", "key-armorer-phone", HandOver("R-01", "performer", "12")),
        ("assistant_armorer", "assistant-phone", HandOver("R-01", "stunt", "12")),
    )

    recorded = [o for o in told.values() if o.verdict == "recorded"]
    refused = [o for o in told.values() if o.verdict == "refused"]
    assert [o.device for o in recorded] == ["key-armorer-phone"]
    assert [o.device for o in refused] == ["assistant-phone"], told
    assert recorded[0].seqs == (size,)
    (loser,) = refused
    assert "R-CUSTODY" in loser.rule_ids
    assert any(message.startswith("Revolver R-01 is with ") for message in loser.messages)
    assert kinds_after(on_set, size) == ["firearm.handed-over"]
    assert on_set.state.firearms["R-01"].holder == "performer"
    assert on_set.service.verify(on_set.production).entries == size + 1


def test_one_revolver_handed_two_ways_at_once_is_recorded_once_and_the_loser_sees_the_winner(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear()
    size = on_set.size
    to_performer = HandOver("R-01", "performer", "12")
    to_assistant = HandOver("R-01", "assistant_armorer", "12")
    # Each alone would be recorded: only the order of the two commits decides which one is.
    assert on_set.would_record("armorer", to_performer)
    assert on_set.would_record("armorer", to_assistant)

    told = race_at_once(
        on_set,
        ("armorer", "phone", to_performer),
        ("armorer", "tablet", to_assistant),
    )

    assert sorted(o.verdict for o in told.values()) == ["recorded", "refused"], told
    winner = next(o for o in told.values() if o.verdict == "recorded")
    loser = next(o for o in told.values() if o.verdict == "refused")
    holder = {"phone": "performer", "tablet": "assistant_armorer"}[winner.device]
    label = {"phone": "Jo Carver (cast)", "tablet": "Sam Ortiz (assistant armorer)"}[winner.device]
    assert winner.seqs == (size,)
    # The loser decided on the winner's entry, which it caught up with under the lock.
    assert loser.rule_ids == ("R-CUSTODY",)
    (message,) = loser.messages
    assert message.startswith(f"Revolver R-01 is with {label} since ")
    assert message.endswith(" UTC, not in your hands. Take it into your custody to hand it over.")
    assert kinds_after(on_set, size) == ["firearm.handed-over"]
    assert on_set.state.firearms["R-01"].holder == holder
    assert on_set.service.verify(on_set.production).entries == size + 1


def test_two_armorers_taking_one_revolver_out_of_the_safe_at_once_record_one_taking(
    on_set: OnSet,
) -> None:
    on_set.do("armorer", Unlock("SAFE-1"))
    size = on_set.size
    assert on_set.would_record("armorer", TakeOut("SAFE-1", "R-02"))
    assert on_set.would_record("assistant_armorer", TakeOut("SAFE-1", "R-02"))

    told = race_at_once(
        on_set,
        ("armorer", "key-armorer-phone", TakeOut("SAFE-1", "R-02")),
        ("assistant_armorer", "assistant-phone", TakeOut("SAFE-1", "R-02")),
    )

    assert sorted(o.verdict for o in told.values()) == ["recorded", "refused"], told
    winner = next(o for o in told.values() if o.verdict == "recorded")
    loser = next(o for o in told.values() if o.verdict == "refused")
    assert winner.seqs == (size,)
    assert any("R-02" in message for message in loser.messages), loser
    assert kinds_after(on_set, size) == ["firearm.taken-out"]
    holder = {"key-armorer-phone": "person-1", "assistant-phone": "assistant_armorer"}
    assert on_set.state.firearms["R-02"].holder == holder[winner.device]
    assert on_set.service.verify(on_set.production).entries == size + 1


def test_a_second_service_on_the_same_database_catches_up_before_it_decides(
    on_set: OnSet,
) -> None:
    phone = on_set.another_process("assistant-phone")
    stale = phone.state(on_set.production)  # the phone's state, kept in memory
    seen = stale.seq

    on_set.revolver_shown_clear()  # recorded by the tablet's service, not the phone's
    assert stale.seq == seen, "the phone's state moved on without being asked"
    assert stale.firearms["R-01"].container == "SAFE-1"

    # On its stale state this handover breaks custody and show-clear; caught up, it is fine.
    executed = on_set.do("armorer", HandOver("R-01", "performer", "12"), service=phone)
    assert [entry.seq for entry in executed.entries] == [on_set.size - 1]
    assert phone.state(on_set.production).firearms["R-01"].holder == "performer"

    # And the tablet, in turn, decides on what the phone recorded.
    refused = on_set.refuse("armorer", HandOver("R-01", "stunt", "12"))
    assert refused.rule_ids[0] == "R-CUSTODY"
    assert refused.violations[0].message.startswith("Revolver R-01 is with Jo Carver (cast)")
    assert on_set.state == phone.state(on_set.production)


def test_a_restarted_process_rebuilds_exactly_the_same_state_from_the_ledger(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear()
    on_set.do("armorer", HandOver("R-01", "performer", "12"))
    on_set.do("armorer", Return("R-01"))
    on_set.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    on_set.do("armorer", Unlock("SAFE-1"))
    on_set.do("armorer", PutIn("SAFE-1", "R-01"))
    on_set.do("armorer", Lock("SAFE-1"))
    on_set.do("first_ad", AssignDuty("assistant_armorer", "props"))  # a warning on record
    on_set.refuse("first_ad", HandOver("R-02", "stunt", "12"))  # and a refusal, not on record
    before = copy.deepcopy(on_set.state)
    assert before.warnings
    assert before.seq == on_set.size - 1
    on_set.store.close()  # the process ends

    restarted = open_service(on_set.database, device="armory-tablet")
    try:
        production = restarted.production(PRODUCTION)
        rebuilt = restarted.state(production)
        assert rebuilt == before
        # ...and it goes on recording right where the old process stopped.
        executed = restarted.execute(production, Unlock("SAFE-1"), person_id="person-1")
        assert [entry.seq for entry in executed.entries] == [before.seq + 1]
        assert restarted.verify(production).entries == before.seq + 2
    finally:
        restarted.store.close()


def test_three_devices_sending_the_same_handover_at_once_record_it_once(on_set: OnSet) -> None:
    on_set.revolver_shown_clear()
    size = on_set.size

    told = race_at_once(
        on_set,
        *[("armorer", f"device-{n}", HandOver("R-01", "performer", "12")) for n in range(3)],
    )

    assert sorted(o.verdict for o in told.values()) == ["recorded", "refused", "refused"], told
    for loser in (o for o in told.values() if o.verdict == "refused"):
        assert loser.messages[0].startswith("Revolver R-01 is with Jo Carver (cast)")
    assert kinds_after(on_set, size) == ["firearm.handed-over"]
    assert on_set.service.verify(on_set.production).entries == size + 1


def test_a_restarted_process_folds_nothing_past_an_entry_changed_after_it_was_sealed(
    on_set: OnSet,
) -> None:
    seq = on_set.size - 1
    on_set.store.close()
    with on_set.database.raw() as sql:
        sql.drop_triggers()  # an intruder with the database file
        sql.execute("UPDATE ledger_entry SET body = ? WHERE seq = ?", (b'{"seq": "torn', seq))

    restarted = open_service(on_set.database)
    try:
        production = restarted.production(PRODUCTION)
        state = restarted.state(production)
        fault = restarted.tampered(production)
        assert fault is not None
        assert fault.where == f"entry {seq}"
        assert state.seq == seq - 1  # the state stands at the last entry Showclear sealed
        with pytest.raises(Intrusion, match=f"entry {seq}"):
            restarted.execute(production, AssignDuty("armorer", "props"), person_id="armorer")
        assert restarted.store.size(production) == seq + 1
    finally:
        restarted.store.close()
