"""Every rule is documented: a page per rule id under ``docs/rules``, saying what it requires,
why, its sources and its override policy, in agreement with the rule object."""

from __future__ import annotations

from pathlib import Path

import pytest

from showclear.core.rules import BLOCK, RULES, WARN

PAGES = Path(__file__).resolve().parents[2] / "docs" / "rules"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_id_has_its_reference_page(rule_id: str) -> None:
    page = PAGES / f"{rule_id}.md"
    assert page.is_file(), f"{rule_id} has no page at docs/rules/{rule_id}.md"
    text = page.read_text(encoding="utf-8")
    rule = RULES[rule_id]
    assert text.startswith(f"# {rule_id}: {rule.title}")
    for heading in ("## What it requires", "## Why", "## Sources", "## Override"):
        assert heading in text, f"{rule_id}'s page lacks {heading!r}"
    for source in rule.sources:
        assert f"- {source}:" in text
    assert ("Never overridable" in text) != rule.overridable
    assert f"[{rule_id}]({rule_id}.md)" in (PAGES / "README.md").read_text(encoding="utf-8")


def test_rules_are_well_formed_and_the_never_overridable_ones_are_so() -> None:
    for rule_id, rule in RULES.items():
        assert rule_id == rule.rule_id
        assert rule_id.startswith("R-")
        assert rule.severity in (BLOCK, WARN)
    for never in ("R-LIVE", "R-STOP-WORK", "R-HANDOVER", "R-VERIFIED"):
        assert not RULES[never].overridable
    numbered = {rule.number for rule in RULES.values() if rule.number}
    assert numbered == {f"R{n}" for n in range(1, 17)}


def test_no_page_describes_a_rule_that_does_not_exist() -> None:
    documented = {page.stem for page in PAGES.glob("R-*.md")}
    assert documented == set(RULES)
