"""A two-person step counts people, not roles (R-SEPARATION): whatever roles two people hold,
the resumption after STOP WORK pairs them only when each stands for a different one of its
roles, and one person never pairs with themselves."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from showclear.core.commands import ResumeWork
from showclear.core.decide import HANDLERS
from showclear.core.state import Person
from showclear.core.vocabulary import ARMORERS, ROLES, SAFETY_SUPERVISOR

roles = st.frozensets(st.sampled_from(sorted(ROLES)), min_size=1)


@given(roles, roles)
def test_the_resumption_pairs_two_people_only_when_each_stands_for_one_role(
    first_roles: frozenset[str], second_roles: frozenset[str]
) -> None:
    resuming = HANDLERS[ResumeWork]
    first = Person("one", "One", first_roles)
    second = Person("two", "Two", second_roles)
    supervises = [SAFETY_SUPERVISOR in r for r in (first_roles, second_roles)]
    arms = [bool(r & ARMORERS) for r in (first_roles, second_roles)]
    expected = (supervises[0] and arms[1]) or (supervises[1] and arms[0])
    assert resuming.pairs(first, second) == expected
    assert not resuming.pairs(first, Person("one", "One", second_roles))
    assert not resuming.pairs(first, None)
