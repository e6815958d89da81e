"""A handover recorded through the API by device tokens: every entry names the device and person."""

from __future__ import annotations

from datetime import UTC, datetime

from api_server import ARMORER, CHAMBERS, Site, stock
from web_server import showclear

SHOWN_CLEAR = {
    "firearm": "R-01", "scene": "12", "positions_shown": CHAMBERS, "announced": "cold",
    "rounds": 0,
}  # fmt: skip


def test_tokens_record_a_handover_and_every_entry_names_the_device_and_the_person(
    site: Site,
) -> None:
    today = datetime.now(UTC).date().isoformat()
    start = site.size()
    stock(site, today)
    sequence = [
        ("first-ad", "hold-safety-meeting", {"scene": "12", "attendees": [ARMORER, "dana", "jo"]}),
        ("first-ad", "start-scene", {"scene": "12"}),
        ("armorer", "draw-firearm", {"firearm": "R-01"}),
        (
            "armorer",
            "show-clear",
            {**SHOWN_CLEAR, "performer": site.confirm("jo"), "first_ad": site.confirm("dana")},
        ),
        ("armorer", "hand-over", {"item": "R-01", "to": "jo", "scene": "12"}),
        ("armorer", "return", {"item": "R-01"}),
        (
            "armorer",
            "inspect-firearm",
            {"firearm": "R-01", "positions_checked": CHAMBERS, "barrel_clear": True},
        ),
        ("armorer", "lock-away", {"firearm": "R-01", "container": "SAFE-1"}),
    ]
    recorded = []
    for role, name, body in sequence:
        answer = site.do(role, name, body)
        assert answer.body["warnings"] == [], answer.body
        assert answer.body["checkpoint"].startswith(f"showclear/{site.slug}/")
        for entry in answer.body["entries"]:
            person = {"armorer": ARMORER, "first-ad": "dana"}[role]
            assert (entry["device"], entry["person"]) == (f"api:{role} device", person)
            recorded.append(entry)
    kinds = [entry["kind"] for entry in recorded]
    assert "firearm.shown-clear" in kinds
    assert "firearm.handed-over" in kinds

    # The ledger itself says the same: read back every entry recorded since the start.
    history = site.call("GET", f"/productions/{site.slug}/history?after={start - 1}&limit=500")
    assert history.status == 200
    assert history.body["next_after"] is None
    assert [e["seq"] for e in history.body["entries"]] == list(range(start, site.size()))
    assert all(e["device"].startswith("api:") for e in history.body["entries"])
    assert recorded == history.body["entries"][-len(recorded) :]

    # The firearm is back in the locked safe, inspected, and its history names the performer.
    firearm = site.call("GET", f"/productions/{site.slug}/firearms/R-01", "cast")
    assert firearm.status == 200
    assert firearm.body["container"] == {
        "tag": "SAFE-1",
        "label": "Armory safe SAFE-1",
        "locked": True,
    }
    assert firearm.body["class"] == "firing"
    assert firearm.body["needs_inspection"] is None
    handed = site.call(
        "GET", f"/productions/{site.slug}/history?firearm=R-01&kind=firearm.handed-over"
    )
    assert [e["payload"]["to"] for e in handed.body["entries"]] == ["jo"]
    jo = site.call("GET", f"/productions/{site.slug}/history?person=jo&since={today}")
    assert {"firearm.shown-clear", "firearm.handed-over"} <= {e["kind"] for e in jo.body["entries"]}

    # And the sealed ledger verifies.
    verified = showclear(site.data_dir, "verify", "--production", site.slug)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("intact:")


def test_history_pages_follow_on_with_the_cursor(site: Site) -> None:
    first = site.call("GET", f"/productions/{site.slug}/history?limit=3")
    assert first.status == 200
    assert [e["seq"] for e in first.body["entries"]] == [0, 1, 2]
    assert first.body["next_after"] == 2
    second = site.call("GET", f"/productions/{site.slug}/history?limit=3&after=2")
    assert [e["seq"] for e in second.body["entries"]] == [3, 4, 5]
    future = site.call("GET", f"/productions/{site.slug}/history?since=2999-01-01T00:00:00Z")
    assert future.body == {"entries": [], "next_after": None}


def test_the_queries_answer_for_each_thing_and_404_for_an_unknown_tag(site: Site) -> None:
    base = f"/productions/{site.slug}"
    state = site.call("GET", base)
    assert state.status == 200
    assert {f["tag"] for f in state.body["firearms"]} >= {"R-01"}
    assert site.call("GET", f"{base}/lots/D-01").body["in_box"] == 12
    assert site.call("GET", f"{base}/containers/SAFE-1").body["kind"] == "armory-safe"
    jo = site.call("GET", f"{base}/people/jo").body
    assert jo["roles"] == ["cast"]
    assert jo["has_badge"] is True
    assert jo["has_pin"] is False
    assert jo["badge_serial"] == site.badges["jo"].split("-")[0]
    assert "badge" not in jo
    assert "pin_hash" not in jo
    assert site.badges["jo"] not in str(jo)
    scene = site.call("GET", f"{base}/scenes/12").body
    assert scene["performers"] == ["jo"]
    missing = site.call("GET", f"{base}/firearms/NOPE-9")
    assert missing.status == 404
    assert missing.body["detail"] == "There is no firearm 'NOPE-9' on this production."
