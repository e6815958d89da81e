"""Every rule page's "Where it is checked" says exactly which commands can break the rule, as
found from the core's code (:mod:`where_checked`): a page cannot drift from the deciders."""

from __future__ import annotations

import pytest
from where_checked import checked, pages

from showclear.core.rules import RULES


@pytest.mark.parametrize(
    ("page", "text", "wanted"), list(pages()), ids=lambda x: getattr(x, "stem", "")
)
def test_each_rule_page_lists_the_commands_that_check_it(
    page: object, text: str, wanted: str
) -> None:
    assert text == wanted, f"{page}: run python tests/core/where_checked.py --write"


def test_every_rule_is_checked_somewhere_and_r_live_on_a_handover() -> None:
    everywhere, by_rule = checked()
    # R-SEPARATION too: an override is never used on its own signers' command (Verdict.settle)
    assert everywhere == {"R-INPUT", "R-KNOWN", "R-EVIDENCE", "R-SEPARATION"}
    for rule_id in RULES:
        assert rule_id in everywhere or by_rule[rule_id], rule_id
    # readiness.firearm_ready and custody's belt check: both reached from HandOver's handler
    assert "HandOver" in by_rule["R-LIVE"]
    assert "DrawFirearm" in by_rule["R-HANDOVER"]  # its declared roles' rule
    assert "StopWork" not in by_rule["R-ROLE"]  # open to anyone
