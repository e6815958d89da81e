"""Recording through the application service: a command is sealed and committed before the
state moves on; a refused command, or bad input, records nothing and says every reason."""

from __future__ import annotations

import threading

import pytest
from staging import ARMORER, SHOOT_DAY, OnSet, confirm

from showclear.core.commands import (
    AssignDuty,
    Command,
    HandOver,
    InspectFirearm,
    Load,
    PutIn,
    ReceiveLot,
    StopWork,
    TakeOut,
    Unlock,
    VerifyRounds,
)
from showclear.core.events.armory import FirearmHandedOver
from showclear.core.ledger.checkpoint import open_checkpoint
from showclear.core.ledger.entry import decode_entry, parse_recorded_at
from showclear.core.ledger.merkle import leaf_hash, tree_root
from showclear.core.vocabulary import DUMMY, RATTLE


def test_a_command_is_recorded_with_its_events_sealed_by_a_checkpoint_and_the_state_moved_on(
    on_set: OnSet,
) -> None:
    on_set.revolver_shown_clear()
    size = on_set.size

    executed = on_set.do("armorer", HandOver("R-01", "performer", "12"))

    assert executed.events == (FirearmHandedOver("R-01", "performer", "12"),)
    assert executed.warnings == ()
    (entry,) = executed.entries
    assert (entry.seq, entry.kind, entry.person, entry.device) == (
        size,
        "firearm.handed-over",
        ARMORER,
        "armory-tablet",
    )
    assert entry.payload == {"firearm": "R-01", "to": "performer", "scene": "12"}
    assert parse_recorded_at(entry.recorded_at) > SHOOT_DAY

    # Committed: the store holds the very entry, and the checkpoint the command returned.
    assert on_set.size == size + 1
    assert decode_entry(on_set.store.entry(on_set.production, size) or b"") == entry
    assert on_set.store.latest_checkpoint(on_set.production) == executed.checkpoint

    # Sealed: the checkpoint is signed by the production's key and commits to the whole log.
    checkpoint = open_checkpoint(executed.checkpoint, on_set.service.verifier(on_set.production))
    bodies = [body for batch in on_set.store.entry_batches(on_set.production) for body in batch]
    assert checkpoint.size == size + 1
    assert checkpoint.root == tree_root(leaf_hash(body) for body in bodies)
    assert on_set.service.verify(on_set.production).entries == size + 1

    # And only then the state moved on.
    state = on_set.state
    assert state.seq == entry.seq
    assert state.firearms["R-01"].holder == "performer"
    assert state.firearms["R-01"].scene == "12"


def test_a_refused_command_records_nothing_and_lists_every_rule_it_breaks(on_set: OnSet) -> None:
    # The first AD reaches into the safe for R-01 and hands it to the stunt performer.
    refused = on_set.refuse("first_ad", HandOver("R-01", "stunt", "12"))

    assert refused.rule_ids == ("R-HANDOVER", "R-CUSTODY", "R-SHOW-CLEAR")
    messages = [v.message for v in refused.violations]
    assert messages == [
        "Dana Hale (first AD) cannot hand a firearm to anyone: only an armorer does.",
        "Revolver R-01 is in Armory safe SAFE-1 since 06:26 UTC, not in your hands. Take it "
        "into your custody "
        "to hand it over.",
        "Revolver R-01 has not been shown cold to Lee Marsh (stunt performer) and the first AD "
        "for scene 12. Show every position before handing it over.",
    ]
    assert str(refused) == " ".join(messages)
    assert on_set.state.firearms["R-01"].container == "SAFE-1"


def test_after_a_refusal_the_next_command_is_recorded_right_after_the_last_one(
    on_set: OnSet,
) -> None:
    size = on_set.size
    on_set.refuse("first_ad", HandOver("R-01", "stunt", "12"))

    executed = on_set.do("armorer", Unlock("SAFE-1"))

    assert [entry.seq for entry in executed.entries] == [size]
    assert on_set.service.verify(on_set.production).entries == size + 1


BAD_INPUT: list[tuple[str, str, Command, str, str]] = [
    (
        "an unknown firearm tag",
        "armorer",
        HandOver("R-09", "performer", "12"),
        "R-KNOWN",
        "No firearm is tagged 'R-09' on this production.",
    ),
    (
        "a position the firearm lacks",
        "armorer",
        InspectFirearm("R-01", ("chamber 7",), barrel_clear=True),
        "R-KNOWN",
        "Revolver R-01 has no chamber 7 (it has chamber 1, chamber 2, chamber 3, chamber 4, "
        "chamber 5, chamber 6).",
    ),
    (
        "loading a position the firearm lacks",
        "armorer",
        Load("R-01", "D-01", ("chamber 7",), "12"),
        "R-KNOWN",
        "Revolver R-01 has no chamber 7 (it has chamber 1, chamber 2, chamber 3, chamber 4, "
        "chamber 5, chamber 6).",
    ),
    (
        "a count larger than the lot",
        "armorer",
        PutIn("AMMO-1", "D-01", rounds=51),
        "R-KNOWN",
        "51 rounds cannot be moved: there are 50 of Dummy lot D-01 there.",
    ),
    (
        "verifying more rounds than the lot holds unverified",
        "armorer",
        VerifyRounds("D-01", 51, RATTLE, confirm("assistant_armorer")),
        "R-KNOWN",
        "Dummy lot D-01 has 0 unverified rounds in its box, not 51.",
    ),
    (
        "a person without the role",
        "first_ad",
        ReceiveLot("D-05", DUMMY, ".45 Colt", 10, "Acme Dummy Co.", "invoice 9", "2025-03-01"),
        "R-HANDOVER",
        "Dana Hale (first AD) cannot receive ammunition.",
    ),
    (
        "a performer handing a firearm over",
        "performer",
        HandOver("R-01", "stunt", "12"),
        "R-HANDOVER",
        "Jo Carver (cast) cannot hand a firearm to anyone: only an armorer does.",
    ),
    (
        "taking a lot out of a container it is not in",
        "armorer",
        TakeOut("SAFE-1", "D-01"),
        "R-CUSTODY",
        "Armory safe SAFE-1 is locked: unlock it first.",
    ),
]


@pytest.mark.parametrize(
    ("persona", "command", "rule_id", "message"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_through_the_service_is_refused_clearly_and_records_nothing(
    on_set: OnSet, persona: str, command: Command, rule_id: str, message: str
) -> None:
    on_set.revolver_shown_clear()

    refused = on_set.refuse(persona, command)

    assert rule_id in refused.rule_ids
    assert message in [v.message for v in refused.violations]


def test_a_warning_is_recorded_with_its_command_and_both_are_sealed_by_one_checkpoint(
    on_set: OnSet,
) -> None:
    size = on_set.size
    checkpoints = on_set.store.checkpoint_sizes(on_set.production)

    executed = on_set.do("first_ad", AssignDuty("assistant_armorer", "props"))

    assert [type(event).__name__ for event in executed.events] == ["DutyAssigned", "RuleWarned"]
    (warning,) = executed.warnings
    assert warning.rule_id == "R-ONE-DUTY"
    assert [entry.seq for entry in executed.entries] == [size, size + 1]
    assert on_set.store.checkpoint_sizes(on_set.production) == [*checkpoints, size + 2]
    assert [(w.seq, w.rule_id) for w in on_set.state.warnings] == [(size + 1, "R-ONE-DUTY")]


def test_a_command_waits_while_a_page_holds_the_state_still_then_is_recorded(
    on_set: OnSet,
) -> None:
    service, production = on_set.service, on_set.production
    done = threading.Event()

    def record() -> None:
        on_set.do("armorer", StopWork("a drill", lockdown=False))
        done.set()

    with service.reading(production) as state:
        seen = state.seq
        recorder = threading.Thread(target=record)
        recorder.start()
        assert not done.wait(0.5)  # the command waits for the page being drawn
        assert state.seq == seen
        assert state.stoppage is None
    recorder.join(timeout=30)
    assert done.is_set()
    assert service.state(production).seq == seen + 1
    assert service.state(production).stoppage is not None
