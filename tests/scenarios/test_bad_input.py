"""Bad input: an unknown tag, a firearm that does not exist, a position a firearm lacks, a count
larger than the lot, a person without the role. Each is a clear refusal; nothing is recorded."""

from __future__ import annotations

import pytest
from shoot import CHAMBERS, confirm, shoot

from showclear.core.commands import (
    AddPerson,
    Command,
    CreateProduction,
    HandOver,
    InspectFirearm,
    Load,
    PutIn,
    ReceiveFirearm,
    ReceiveLot,
    Return,
    TakeOut,
    Unlock,
    VerifyRounds,
)
from showclear.core.decide import Context, Refused, decide
from showclear.core.state import initial
from showclear.core.vocabulary import DUMMY, FIRING, RATTLE

CASES: list[tuple[str, str, Command, str, str]] = [
    (
        "an unknown tag",
        "armorer",
        HandOver("X-99", "performer", "14"),
        "R-KNOWN",
        "No firearm is tagged 'X-99' on this production.",
    ),
    (
        "a firearm that does not exist",
        "armorer",
        InspectFirearm("R-77", CHAMBERS, True),
        "R-KNOWN",
        "No firearm is tagged 'R-77' on this production.",
    ),
    (
        "a position the firearm lacks",
        "armorer",
        InspectFirearm("S-04", ("barrel 3",), True),
        "R-KNOWN",
        "Shotgun S-04 has no barrel 3 (it has barrel 1, barrel 2).",
    ),
    (
        "a count larger than the lot",
        "armorer",
        PutIn("BELT-1", "D-01", rounds=51),
        "R-KNOWN",
        "51 rounds cannot be moved: there are 50 of Dummy lot D-01 there.",
    ),
    (
        "verifying more than is unverified",
        "armorer",
        VerifyRounds("D-01", 1, RATTLE, confirm("assistant_armorer")),
        "R-KNOWN",
        "Dummy lot D-01 has 0 unverified rounds in its box, not 1.",
    ),
    (
        "a person without the role",
        "first_ad",
        ReceiveLot("D-05", DUMMY, ".45 Colt", 10, "Acme", "inv 9", "2025-03-01"),
        "R-HANDOVER",
        "Dana Hale (first AD) cannot receive ammunition.",
    ),
    (
        "someone not on the roster",
        "outsider",
        Unlock("SAFE-1"),
        "R-CUSTODY",
        "Armory safe SAFE-1 is in Hannah Reed (armorer)'s custody: only they unlock it.",
    ),
    (
        "a tag already in use",
        "armorer",
        ReceiveFirearm(
            "D-01",
            "SN-9",
            "Colt",
            "SAA",
            "revolver",
            ".45 Colt",
            FIRING,
            CHAMBERS,
            "Western Prop Rentals",
        ),
        "R-KNOWN",
        "The tag 'D-01' is empty or already in use.",
    ),
    (
        "a performer handed a firearm by a performer",
        "performer",
        HandOver("R-01", "stunt", "14"),
        "R-HANDOVER",
        "Jo Carver (cast) cannot hand a firearm to anyone: only an armorer does.",
    ),
    (
        "taking back a firearm nobody holds",
        "armorer",
        Return("R-01"),
        "R-KNOWN",
        "Revolver R-01 is already in a container; nobody returns it.",
    ),
    (
        "a lot box that is not in the container",
        "armorer",
        TakeOut("SAFE-1", "D-01"),
        "R-CUSTODY",
        "Armory safe SAFE-1 is locked: unlock it first.",
    ),
    (
        "an unknown role",
        "armorer",
        AddPerson("Kim Vo", ("gaffer",)),
        "R-KNOWN",
        "Kim Vo needs a role among",
    ),
    (
        "a load from a nonexistent lot",
        "armorer",
        Load("R-01", "Q-00", CHAMBERS, "14"),
        "R-KNOWN",
        "No ammunition lot is tagged 'Q-00' on this production.",
    ),
]


@pytest.mark.parametrize(
    ("persona", "command", "rule_id", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_refused_clearly_and_records_nothing(
    persona: str, command: Command, rule_id: str, message: str
) -> None:
    day = shoot()
    entries = len(day.log)
    refused = day.refuse(persona, command)
    assert rule_id in refused.rule_ids
    assert any(v.message.startswith(message) for v in refused.violations), refused.violations
    assert len(day.log) == entries


def test_nothing_is_decided_before_the_production_exists() -> None:
    context = Context("armorer", "test-phone", shoot().clock)
    with pytest.raises(Refused) as refusal:
        decide(initial(), Unlock("SAFE-1"), context)
    assert refusal.value.rule_ids == ("R-KNOWN",)
    first = decide(
        initial(), CreateProduction("Dust Road", "o", "armorer", "Hannah Reed", "k"), context
    )
    assert [event.kind for event in first] == ["production.created"]


def test_a_refusal_lists_every_rule_the_command_breaks() -> None:
    day = shoot()
    refused = day.refuse("first_ad", HandOver("R-01", "performer", "14"))
    assert refused.rule_ids == (
        "R-HANDOVER",
        "R-CUSTODY",
        "R-HANDLING",
        "R-MEETING",
        "R-SHOW-CLEAR",
        "R-HOT-CALL",
    )
    assert all(v.severity == "block" for v in refused.violations)
