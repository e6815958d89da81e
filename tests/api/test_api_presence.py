"""Presence is one's own through the API too (R-PRESENCE): a token signs only its own person on
or off set (an armorer's, the armory crew too), and an override or a closing names its second
person, who confirms with their badge (R-SEPARATION)."""

from __future__ import annotations

from api_server import Site


def test_the_first_ads_token_cannot_sign_the_cast_off_set_nor_the_cast_back_on(site: Site) -> None:
    size = site.size()
    answer = site.command("first-ad", "leave-set", {"person_id": "jo"})
    assert answer.status == 409, answer.body
    assert answer.body["rule_ids"] == ["R-PRESENCE"]
    assert "presence is one's own" in answer.body["violations"][0]["message"]
    assert site.size() == size
    site.do("cast", "leave-set", {"person_id": "jo"})
    answer = site.command("first-ad", "arrive-on-set", {"person_id": "jo"})
    assert answer.status == 409, answer.body
    # At the door, Jo scans her own badge on the first AD's tablet.
    site.do("first-ad", "arrive-on-set", {"person_id": "jo", "in_person": site.confirm("jo")})


def test_an_armorers_token_signs_the_assistant_armorer_off_and_on(site: Site) -> None:
    site.do("armorer", "leave-set", {"person_id": "sam"})
    site.do("armorer", "arrive-on-set", {"person_id": "sam"})


def test_an_override_names_its_second_person_who_confirms_with_a_badge(site: Site) -> None:
    body = {"rule_id": "R-MEETING", "subject": "14", "reason": "meeting at lunch"}
    answer = site.command(
        "safety-supervisor", "override-rule", {**body, "second": site.confirm("pat")}
    )
    assert answer.status == 409, answer.body
    assert answer.body["rule_ids"] == ["R-SEPARATION"]
    assert "cannot be their own second person" in answer.body["violations"][0]["message"]
    site.do("safety-supervisor", "override-rule", {**body, "second": site.confirm("ruth")})
