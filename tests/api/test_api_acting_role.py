"""A device token acts in its one role: a person who holds several roles gets a token per role,
and a token made for one of them cannot give the commands of the others.

Lee Park is both the first AD and an armorer on this production. The call-sheet tablet's token
acts as first AD; the truck scanner's acts as armorer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from api_server import Site, make_token, staffed_in_process, stock

LEE = "lee"


@pytest.fixture(scope="module")
def lee(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Dust Road, stocked (R-01 locked in SAFE-1), with Lee holding two roles and a token for
    each: ``lee as first-ad`` and ``lee as armorer``."""
    with staffed_in_process(tmp_path_factory.mktemp("acting") / "data", "Dust Road") as site:
        stock(site, datetime.now(UTC).date().isoformat())
        site.do(
            "armorer",
            "add-person",
            {
                "name": "Lee Park",
                "roles": ["first-ad", "armorer"],
                "person_id": LEE,
            },
        )
        for course in ("firearm-safety", "armorer-licence"):
            site.do(
                "armorer",
                "record-training",
                {"person_id": LEE, "course": course, "completed_on": "2020-01-01"},
            )
        for role in ("first-ad", "armorer"):
            site.tokens[f"lee as {role}"] = make_token(
                site.data_dir, site.slug, LEE, role, f"lee {role} device"
            )
        yield site


def test_a_first_ad_token_cannot_draw_a_firearm_though_its_person_is_also_an_armorer(
    lee: Site,
) -> None:
    """DrawFirearm declares its roles (armorers), so the gate refuses before the rules run."""
    size = lee.size()
    answer = lee.command("lee as first-ad", "draw-firearm", {"firearm": "R-01"})
    assert answer.status == 403, answer.body
    assert "A token acting as first AD cannot send DrawFirearm" in answer.body["detail"]
    assert lee.size() == size


def test_a_first_ad_token_is_refused_an_armorers_command_before_the_rules_are_asked(
    lee: Site,
) -> None:
    size = lee.size()
    answer = lee.command("lee as first-ad", "inspect-firearm", {
        "firearm": "R-01", "positions_checked": [f"chamber {n}" for n in range(1, 7)],
        "barrel_clear": True,
    })  # fmt: skip
    assert answer.status == 403
    assert "A token acting as first AD cannot send InspectFirearm" in answer.body["detail"]
    assert lee.size() == size


def test_the_same_person_draws_the_firearm_with_the_token_acting_as_armorer(lee: Site) -> None:
    answer = lee.do("lee as armorer", "draw-firearm", {"firearm": "R-01"})
    kinds = [entry["kind"] for entry in answer.body["entries"]]
    assert "firearm.taken-out" in kinds
    assert {entry["person"] for entry in answer.body["entries"]} == {LEE}
    assert {entry["device"] for entry in answer.body["entries"]} == {"api:lee armorer device"}


def test_a_first_ad_token_still_gives_the_first_ads_own_commands(lee: Site) -> None:
    answer = lee.do("lee as first-ad", "plan-shoot-day", {"day": "day-2", "date": "2030-01-02"})
    assert [entry["kind"] for entry in answer.body["entries"]] == ["shoot-day.planned"]
