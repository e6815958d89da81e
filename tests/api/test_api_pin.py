"""PINs typed on a dedicated device, as on the armorer's phone: the performer and the first AD
confirm a show-clear with their PINs, checked against their keyed hash in the credential store
(never sent back, never in the ledger) and throttled exactly like the set pages: five wrong PINs
lock PIN entry for that person (429), and their badge still works. A check answers a one-time
presence token the device's next command may carry instead, and every confirmation records how
it was made."""

from __future__ import annotations

from datetime import UTC, datetime

from api_server import ARMORER, CHAMBERS, Site, stock

SHOW = {
    "firearm": "R-01", "scene": "12", "positions_shown": CHAMBERS, "announced": "cold",
    "rounds": 0,
}  # fmt: skip


def test_a_device_runs_show_clear_then_hand_over_with_the_performer_and_first_ad_pins(
    site: Site,
) -> None:
    stock(site, datetime.now(UTC).date().isoformat())
    site.issue_pin("jo", "2468")
    site.issue_pin("dana", "1357")
    site.do(
        "first-ad", "hold-safety-meeting", {"scene": "12", "attendees": [ARMORER, "dana", "jo"]}
    )
    site.do("first-ad", "start-scene", {"scene": "12"})
    site.do("armorer", "draw-firearm", {"firearm": "R-01"})
    confirmations = f"/productions/{site.slug}/confirmations"
    size = site.size()

    # Each person confirms as they type, as on the phone; nothing is recorded by that.
    jo = site.call("POST", confirmations, body={"person_id": "jo", "pin": "2468"})
    assert jo.status == 200, jo.body
    assert {k: v for k, v in jo.body.items() if k != "presence"} == {
        "person_id": "jo",
        "name": "Jo Carver",
        "via": "pin-typed",
    }
    assert jo.body["presence"].startswith("SCP-")
    wrong = site.call("POST", confirmations, body={"person_id": "dana", "pin": "0000"})
    assert wrong.status == 422
    assert [e["field"] for e in wrong.body["errors"]] == ["pin"]
    assert wrong.body["detail"].startswith("Wrong PIN for Dana Hale: nothing recorded. 4 more")
    badge = site.call("POST", confirmations, body={"person_id": "dana", **_badge(site, "dana")})
    assert badge.status == 200, badge.body
    assert badge.body["via"] == "badge-scanned"
    typed = site.call(
        "POST", confirmations, body={"person_id": "dana", "credential": site.badges["dana"]}
    )
    assert typed.body["via"] == "badge-typed"
    assert site.size() == size

    # A wrong PIN in the command itself names its field and records nothing.
    refused = site.command(
        "armorer",
        "show-clear",
        {**SHOW, "performer": {"person_id": "jo", "pin": "2468"},
         "first_ad": {"person_id": "dana", "pin": "9999"}},
    )  # fmt: skip
    assert refused.status == 422
    assert [e["field"] for e in refused.body["errors"]] == ["first_ad.pin"]
    assert site.size() == size

    shown = site.do(
        "armorer",
        "show-clear",
        {**SHOW, "performer": {"person_id": "jo", "pin": "2468"},
         "first_ad": {"person_id": "dana", "pin": "1357"}},
    )  # fmt: skip
    (entry,) = shown.body["entries"]
    assert entry["kind"] == "firearm.shown-clear"
    assert (entry["payload"]["performer_id"], entry["payload"]["first_ad_id"]) == ("jo", "dana")
    assert (entry["payload"]["performer_via"], entry["payload"]["first_ad_via"]) == (
        "pin-typed",
        "pin-typed",
    )
    assert not any(secret in str(entry) for secret in ("2468", "1357", "argon2", "pbkdf2"))
    handed = site.do("armorer", "hand-over", {"item": "R-01", "to": "jo", "scene": "12"})
    assert handed.body["entries"][0]["kind"] == "firearm.handed-over"


def test_five_wrong_pins_lock_pin_entry_for_that_person_and_their_badge_still_works(
    site: Site,
) -> None:
    site.issue_pin("ines", "8642")
    confirmations = f"/productions/{site.slug}/confirmations"
    witness = {"lot": "NO-LOT", "count": 1, "method": "rattle"}
    size = site.size()
    answers = [
        site.command(
            "armorer", "verify-rounds", {**witness, "witness": {"person_id": "ines", "pin": "1111"}}
        )
        for _ in range(4)
    ] + [site.call("POST", confirmations, body={"person_id": "ines", "pin": "2222"})]
    # The fifth wrong PIN is the one that locks: it says so, with how long to wait.
    assert [a.status for a in answers] == [422] * 4 + [429]
    assert [e["field"] for e in answers[0].body["errors"]] == ["witness.pin"]
    assert "PIN entry for Ines Duarte is locked for 15 minutes" in answers[-1].body["detail"]

    # Locked: even the right PIN is refused, with how long to wait; nothing was recorded.
    locked = site.call("POST", confirmations, body={"person_id": "ines", "pin": "8642"})
    assert locked.status == 429
    assert 800 <= int(locked.headers["Retry-After"]) <= 900
    assert "Scan or type their badge instead" in locked.body["detail"]
    in_command = site.command(
        "armorer", "verify-rounds", {**witness, "witness": {"person_id": "ines", "pin": "8642"}}
    )
    assert in_command.status == 429
    assert [e["field"] for e in in_command.body["errors"]] == ["witness.pin"]
    assert site.size() == size

    # Their badge still works (here the rules then refuse the unknown lot: 409, not 429).
    badge = site.call("POST", confirmations, body={"person_id": "ines", **_badge(site, "ines")})
    assert badge.status == 200
    by_badge = site.command(
        "armorer", "verify-rounds", {**witness, "witness": site.confirm("ines")}
    )
    assert by_badge.status == 409
    assert by_badge.body["rule_ids"] == ["R-KNOWN"]


def test_a_confirmation_takes_a_pin_or_a_badge_not_both_and_never_another_persons(
    site: Site,
) -> None:
    confirmations = f"/productions/{site.slug}/confirmations"
    both = site.call(
        "POST", confirmations, body={"person_id": "jo", "pin": "2468", **_badge(site, "jo")}
    )
    assert both.status == 422
    assert [e["field"] for e in both.body["errors"]] == ["credential"]
    neither = site.call("POST", confirmations, body={"person_id": "jo"})
    assert [e["field"] for e in neither.body["errors"]] == ["credential"]
    letters = site.call("POST", confirmations, body={"person_id": "jo", "pin": "12ab"})
    assert [e["field"] for e in letters.body["errors"]] == ["pin"]
    not_theirs = site.call("POST", confirmations, body={"person_id": "jo", **_badge(site, "sam")})
    assert not_theirs.status == 422
    assert not_theirs.body["detail"].startswith(
        "That badge is not Jo Carver's current badge (reprinted or someone else's): nothing "
        "recorded."
    )
    stranger = site.call("POST", confirmations, body={"person_id": "nobody", "pin": "1234"})
    assert [e["field"] for e in stranger.body["errors"]] == ["person_id"]
    performer = site.call("POST", confirmations, "cast", body={"person_id": "jo", "pin": "2468"})
    assert performer.status == 403  # only the device in the armorer's hands asks


def test_a_presence_token_stands_for_one_confirmation_once_and_only_on_the_device_that_asked(
    site: Site,
) -> None:
    confirmations = f"/productions/{site.slug}/confirmations"
    witness = {"lot": "NO-LOT", "count": 1, "method": "rattle"}

    def presence() -> dict[str, str]:
        checked = site.call(
            "POST", confirmations, body={"person_id": "dana", **_badge(site, "dana")}
        )
        assert checked.status == 200, checked.body
        return {"person_id": "dana", "presence": checked.body["presence"]}

    # Another token's person cannot use it, and the try burns it for its own device too.
    borrowed = presence()
    refused = site.command("assistant-armorer", "verify-rounds", {**witness, "witness": borrowed})
    assert refused.status == 422, refused.body
    assert [e["field"] for e in refused.body["errors"]] == ["witness.presence"]
    burnt = site.command("armorer", "verify-rounds", {**witness, "witness": borrowed})
    assert burnt.status == 422

    # Its own device uses it once (the rules then refuse the unknown lot: 409); not twice.
    token = presence()
    used = site.command("armorer", "verify-rounds", {**witness, "witness": token})
    assert used.status == 409, used.body
    assert used.body["rule_ids"] == ["R-KNOWN"]
    again = site.command("armorer", "verify-rounds", {**witness, "witness": token})
    assert again.status == 422
    assert "lapsed or was used" in again.body["detail"]


def test_a_reprinted_badge_stops_the_old_one_through_the_api(site: Site) -> None:
    confirmations = f"/productions/{site.slug}/confirmations"
    old = site.badges["ruth"]
    site.issue_badge("ruth")
    stale = site.call("POST", confirmations, body={"person_id": "ruth", "credential": old})
    assert stale.status == 422
    assert "not Ruth Calloway's current badge" in stale.body["detail"]
    fresh = site.call("POST", confirmations, body={"person_id": "ruth", **_badge(site, "ruth")})
    assert fresh.status == 200, fresh.body


def _badge(site: Site, person_id: str) -> dict[str, str]:
    """``person_id``'s badge as the scanner reads it, as a body's ``credential``."""
    return {"credential": site.confirm(person_id)["credential"]}
