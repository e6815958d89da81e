"""Whoever puts someone on the roster, or issues the badge or PIN that lets them act, could act as
them: so each role is vouched for only by a role at least as trusted with firearms (R-ROLE). A
first AD cannot make an armorer, an assistant armorer cannot make a key armorer, a crew member's
credentials any roster keeper may issue."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shoot import context_for, shoot

from showclear.core.commands import AddPerson, IssueBadge, IssuePin, RecordTraining
from showclear.core.decide import Refused, decide
from showclear.core.decide.people import ROSTER_KEEPERS, VOUCHED_BY
from showclear.core.vocabulary import (
    ARMORER,
    ARMORER_LICENCE,
    ASSISTANT_ARMORER,
    CAST,
    CREW,
    FIRST_AD,
    INVESTIGATOR,
    PRODUCER,
    ROLES,
    SAFETY_SUPERVISOR,
    STUNT,
)

#: The personas of ``shoot()`` holding each roster keeper's role.
KEEPERS = {
    ARMORER: "armorer",
    ASSISTANT_ARMORER: "assistant_armorer",
    FIRST_AD: "first_ad",
    SAFETY_SUPERVISOR: "safety_supervisor",
    PRODUCER: "producer",
}

#: An existing person holding each role, to issue a badge or PIN to.
HOLDERS = {
    ARMORER: "armorer",
    ASSISTANT_ARMORER: "assistant_armorer",
    FIRST_AD: "first_ad",
    SAFETY_SUPERVISOR: "safety_supervisor",
    PRODUCER: "producer",
    INVESTIGATOR: "investigator",
    CAST: "performer",
    STUNT: "stunt",
    CREW: "camera",
}


def may_vouch(keeper: str, role: str) -> bool:
    return keeper in VOUCHED_BY.get(role, ROSTER_KEEPERS)


@pytest.mark.parametrize("keeper", sorted(KEEPERS))
def test_each_roster_keeper_adds_exactly_the_roles_it_may_vouch_for(keeper: str) -> None:
    on_set = shoot()
    for number, role in enumerate(sorted(ROLES)):
        command = AddPerson(f"New Hand {number}", (role,), person_id=f"new-{number}")
        if may_vouch(keeper, role):
            on_set.do(KEEPERS[keeper], command)
            assert on_set.state.people[f"new-{number}"].roles == frozenset({role})
        else:
            refused = on_set.refuse(KEEPERS[keeper], command)
            assert refused.rule_ids == ("R-ROLE",)
            assert f"new-{number}" not in on_set.state.people


@pytest.mark.parametrize("keeper", sorted(KEEPERS))
@pytest.mark.parametrize("credential", ["badge", "pin"])
def test_each_roster_keeper_issues_credentials_only_to_roles_it_may_vouch_for(
    keeper: str, credential: str
) -> None:
    on_set = shoot()
    for role, holder in sorted(HOLDERS.items()):
        before = on_set.state.people[holder]
        new_id = f"{credential}-{keeper}-{holder}"
        command = IssueBadge(holder, new_id) if credential == "badge" else IssuePin(holder, new_id)
        if may_vouch(keeper, role):
            on_set.do(KEEPERS[keeper], command)
            after = on_set.state.people[holder]
            assert (after.badge_id if credential == "badge" else after.pin_id) == new_id
        else:
            refused = on_set.refuse(KEEPERS[keeper], command)
            assert refused.rule_ids == ("R-ROLE",)
            assert on_set.state.people[holder] == before


def test_a_first_ad_is_told_who_can_put_an_armorer_on_the_roster() -> None:
    on_set = shoot()
    refused = on_set.refuse("first_ad", AddPerson("Rick Vale", (ARMORER,)))
    assert refused.violations[0].message == (
        "Dana Hale (first AD) cannot put an armorer on the roster: only an armorer can, "
        "because whoever does could act as them."
    )


def test_an_assistant_armorer_cannot_reissue_the_key_armorers_pin() -> None:
    on_set = shoot()
    refused = on_set.refuse("assistant_armorer", IssuePin("armorer", "pin-stolen"))
    assert refused.violations[0].message == (
        "Sam Ortiz (assistant armorer) cannot issue a pin to an armorer: only an armorer can, "
        "because whoever does could act as them."
    )


def test_a_producer_asked_for_an_assistant_armorer_is_told_both_armorers_can() -> None:
    on_set = shoot()
    refused = on_set.refuse("producer", AddPerson("Mo Reyes", (ASSISTANT_ARMORER,)))
    assert "only an armorer or an assistant armorer can" in refused.violations[0].message


def test_a_person_with_two_roles_needs_a_voucher_for_each() -> None:
    on_set = shoot()
    refused = on_set.refuse("first_ad", AddPerson("Kit Moss", (CREW, SAFETY_SUPERVISOR)))
    assert refused.rule_ids == ("R-ROLE",)
    assert "cannot put a safety supervisor on the roster" in refused.violations[0].message
    on_set.do("producer", AddPerson("Kit Moss", (CREW, SAFETY_SUPERVISOR), person_id="kit"))
    assert on_set.state.people["kit"].roles == {CREW, SAFETY_SUPERVISOR}


def test_an_armorer_who_is_also_first_ad_vouches_only_as_the_role_their_device_acts_in() -> None:
    on_set = shoot()
    on_set.do("armorer", AddPerson("Bo Lind", (ARMORER, FIRST_AD), person_id="bo"))
    on_set.do("armorer", IssueBadge("bo", "badge-bo"))
    # Bo acts on a device signed in as first AD: only the first AD's vouching counts.
    command = AddPerson("Ada Pike", (ARMORER,))
    context = replace(context_for(on_set.state, "bo", on_set.clock, command), role=FIRST_AD)
    with pytest.raises(Refused) as refused:
        decide(on_set.state, command, context)
    assert "Bo Lind (first AD) cannot put an armorer on the roster" in str(refused.value)


def test_the_safety_supervisor_still_records_an_armorers_training() -> None:
    on_set = shoot()
    on_set.do(
        "safety_supervisor", RecordTraining("armorer", ARMORER_LICENCE, "2025-01-02", "2028-01-02")
    )
    assert on_set.state.people["armorer"].trainings[ARMORER_LICENCE].expires_on == "2028-01-02"
