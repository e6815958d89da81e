"""The firearm page and the show clear / hand over flow, through Django's test client.

The production is the demo's *Dust and Iron* (a private copy of ``showclear demo --no-serve``,
its web app in the test process): scene 34 is running, R-01 and R-04 are with Jo Carver and Eli Stone,
loaded with six verified dummies each.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from floor_demo import demo_in_process

from in_process import App, Client
from showclear.store import open_store


class Phone(Client):
    """A signed-in phone that also posts forms with the page's CSRF token."""

    def post(  # a dict or pairs (a name may repeat), not the dict of in_process.Client.post
        self, path: str, fields: dict[str, Any] | list[tuple[str, str]]
    ) -> tuple[int, str, str]:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        data = urllib.parse.urlencode([*pairs, ("csrfmiddlewaretoken", self.csrf())]).encode()
        return self.follow("POST", path, data, headers={"Referer": self.base + path})


@dataclass
class Demo:
    app: App
    slug: str
    logins: dict[str, str]
    people: dict[str, dict[str, str]]

    def phone(self, username: str) -> Phone:
        phone = Phone(self.app.base)
        status, _, _ = phone.sign_in(username, self.logins[username])
        assert status == 200
        return phone

    def status(self) -> dict[str, Any]:
        shown = self.app.showclear("status", "--json")
        assert shown.returncode == 0, shown.stderr
        return json.loads(shown.stdout)

    def entries(self) -> int:
        return int(self.status()["entries"])

    def recorded_since(self, start: int) -> list[dict[str, Any]]:
        """The ledger entries from entry ``start`` on, read from the store itself."""
        store = open_store(f"sqlite:///{self.app.data_dir / 'showclear.sqlite3'}")
        try:
            production = store.productions()[0]
            return [
                json.loads(body)
                for batch in store.entry_batches(production, start=start)
                for body in batch
            ]
        finally:
            store.close()

    def person(self, name: str) -> dict[str, str]:
        return self.people[name]

    def firearm(self, tag: str) -> str:
        return f"/p/{self.slug}/firearm/{tag}/"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as copy:
        assert copy.app is not None
        saved = json.loads((copy.data_dir / "demo-logins.json").read_text())
        yield Demo(
            copy.app,
            copy.slug,
            {login["username"]: login["password"] for login in saved["logins"]},
            {badge["name"]: badge for badge in saved["badges"]},
        )


def text(page: str) -> str:
    """The page's words, tags stripped and spaces collapsed."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    return re.sub(r" ([.,:;)])", r"\1", words)


CHAMBERS = [f"chamber {n}" for n in range(1, 7)]


def act(phone: Phone, demo: Demo, tag: str, action: str, **fields: Any) -> str:
    """Post one action from the firearm page; the page it ends on, as words."""
    pairs = [("action", action)]
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(name, str(v)) for v in values]
    status, _, page = phone.post(demo.firearm(tag) + "act/", pairs)
    assert status == 200, page
    return text(page)


def in_hand_and_cold(phone: Phone, demo: Demo, tag: str = "R-01") -> None:
    """Take the firearm back from its performer, inspect and unload it."""
    assert "Recorded: Revolver R-01 taken back" in act(phone, demo, tag, "take-back")
    act(phone, demo, tag, "inspect", position=CHAMBERS, barrel="clear")
    assert "Recorded: Revolver R-01 unloaded" in act(phone, demo, tag, "unload")


def loaded_for_scene_34(phone: Phone, demo: Demo) -> None:
    """R-01 in hand, inspected, with the six dummies scene 34 plans."""
    in_hand_and_cold(phone, demo)
    act(phone, demo, "R-01", "inspect", position=CHAMBERS, barrel="clear")
    act(phone, demo, "R-01", "load", lot="D-01", scene="34", position=CHAMBERS)


def show(phone: Phone, demo: Demo, step: str, **fields: Any) -> str:
    pairs = [("step", step)]
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(name, str(v)) for v in values]
    status, _, page = phone.post(demo.firearm("R-01") + "show/", pairs)
    assert status == 200, page
    return text(page)


def shown_to_jo(phone: Phone, demo: Demo) -> str:
    """Step one of the flow: every position of R-01 shown to Jo for scene 34."""
    jo = demo.person("Jo Carver")
    return show(
        phone,
        demo,
        "show",
        to=f"{jo['person_id']}@34",
        first_ad=demo.person("Dana Hale")["person_id"],
        hand_over="yes",
    )


def test_the_firearm_page_shows_where_it_is_every_position_and_its_custody_history(
    demo: Demo,
) -> None:
    status, _, page = demo.phone("marta").get(demo.firearm("R-01"))
    assert status == 200
    words = text(page)
    assert "Where With Jo Carver (cast) since Oct 14 10:34 MDT" in words
    assert "Condition DUMMIES (6)" in words
    assert "Barrel Clear" in words
    assert "Last inspection Oct 14 10:21 MDT by Marta Velez (armorer), barrel clear" in words
    for chamber in CHAMBERS:
        assert f"{chamber} Dummy round from lot D-01" in words
    assert "Take it back from Jo Carver (cast)." in words
    assert "Inspect it: it left armorer custody at Oct 14 10:34 MDT." in words
    assert "Take back from Jo Carver (cast)" in words  # the one next action
    custody = words[words.index("Custody, newest first") : words.index("Record, newest first")]
    assert custody.index("Jo Carver (cast) Oct 14 10:34 MDT to now") < custody.index(
        "Marta Velez (armorer) Oct 14 10:18 MDT to Oct 14 10:34 MDT"
    )
    record = words[words.index("Record, newest first") :]
    assert record.index("Handed to Jo Carver (cast) for scene 34.") < record.index(
        "Shown dummies (6) for scene 34: every position shown to Jo Carver (cast), witnessed "
        "by Dana Hale (first AD)"
    )
    assert "Received from Western Prop Rentals (serial SA-41872)." in record


def test_the_first_ad_sees_the_firearm_but_is_offered_no_action_and_may_not_post_one(
    demo: Demo,
) -> None:
    dana = demo.phone("dana")
    status, _, page = dana.get(demo.firearm("R-01"))
    assert status == 200
    assert "Only an armorer records what happens to a firearm." in text(page)
    assert "Take back from" not in text(page)
    before = demo.entries()
    status, _, _ = dana.post(demo.firearm("R-01") + "act/", {"action": "take-back"})
    assert status == 403
    status, _, _ = dana.get(demo.firearm("R-01") + "show/")
    assert status == 403
    assert demo.entries() == before


def test_a_login_whose_role_does_not_open_firearms_gets_403(demo: Demo) -> None:
    camera = demo.person("Hal Rivera")["person_id"]
    made = demo.app.showclear(
        "login",
        "--production",
        "Dust and Iron",
        "--person",
        camera,
        "--username",
        "hal",
    )
    assert made.returncode == 0, made.stderr
    demo.logins["hal"] = made.stdout.strip().rsplit(" / ", 1)[1]
    hal = demo.phone("hal")
    for path in ("", "show/"):
        status, _, _ = hal.get(demo.firearm("R-01") + path)
        assert status == 403


def test_an_unknown_tag_is_a_404_with_a_plain_sentence(demo: Demo) -> None:
    status, _, page = demo.phone("marta").get(demo.firearm("R-99"))
    assert status == 404
    assert "No firearm is tagged “R-99” on Dust and Iron." in text(page)


def test_the_whole_cycle_records_exactly_the_expected_entries(demo: Demo) -> None:
    marta = demo.phone("marta")
    in_hand_and_cold(marta, demo)
    start = demo.entries()
    jo, dana = demo.person("Jo Carver"), demo.person("Dana Hale")

    words = act(marta, demo, "R-01", "inspect", position=CHAMBERS, barrel="clear")
    assert "Recorded: Revolver R-01 inspected, barrel clear." in words
    words = act(marta, demo, "R-01", "load", lot="D-01", scene="34", position=CHAMBERS)
    assert "Recorded: 6 rounds of lot D-01 loaded into Revolver R-01." in words
    assert "Condition DUMMIES (6)" in words

    words = shown_to_jo(marta, demo)
    assert "Hand the phone to Jo Carver (cast)" in words
    words = show(marta, demo, "performer", pin=jo["pin"])
    assert "Jo Carver (cast) confirmed." in words
    assert demo.entries() == start + 2, "nothing recorded before the first AD confirms"
    status, url, page = marta.post(
        demo.firearm("R-01") + "show/",
        {"step": "first-ad", "badge": dana["badge"]},
    )
    assert status == 200
    assert url.endswith(demo.firearm("R-01"))
    words = text(page)
    assert (
        "Recorded: Revolver R-01 shown dummies (6) to Jo Carver (cast), witnessed by Dana Hale "
        "(first AD), and handed to them for scene 34." in words
    )
    assert words.count("Recorded") == 1, "one answer"
    assert "Not recorded" not in words
    assert "Nothing was recorded" not in words
    assert "Where With Jo Carver (cast)" in words

    assert "taken back" in act(marta, demo, "R-01", "take-back")
    act(marta, demo, "R-01", "inspect", position=CHAMBERS, barrel="clear")
    act(marta, demo, "R-01", "unload")
    words = act(marta, demo, "R-01", "secure", container="SAFE-1")
    assert "Recorded: Revolver R-01 locked away in SAFE-1." in words
    assert "Where In Armory safe SAFE-1 (locked)" in words
    assert "Condition COLD" in words

    entries = demo.recorded_since(start)
    assert [e["kind"] for e in entries] == [
        "firearm.inspected",
        "firearm.loaded",
        "firearm.shown-clear",
        "firearm.handed-over",
        "firearm.returned",
        "firearm.inspected",
        "firearm.unloaded",
        "container.unlocked",
        "firearm.stored",
        "container.locked",
    ]
    marta_id = demo.person("Marta Velez")["person_id"]
    assert {e["person"] for e in entries} == {marta_id}
    loaded = entries[1]["payload"]
    assert loaded["positions"] == CHAMBERS
    assert loaded["lot"] == "D-01"
    shown = entries[2]["payload"]
    assert (shown["performer_id"], shown["first_ad_id"]) == (jo["person_id"], dana["person_id"])
    assert (shown["condition"], shown["rounds"]) == ("dummies", 6)
    assert entries[3]["payload"]["to"] == jo["person_id"]
    assert len(demo.recorded_since(start)) == demo.entries() - start


def test_a_refused_handover_shows_every_reason_with_its_rule_id_and_records_nothing(
    demo: Demo,
) -> None:
    marta = demo.phone("marta")
    act(marta, demo, "R-01", "take-back")  # out of sight with Jo: not inspected, not shown
    before = demo.entries()
    jo = demo.person("Jo Carver")
    words = act(marta, demo, "R-01", "hand-over", to=f"{jo['person_id']}@34")
    assert "Not recorded: 2 reasons" in words
    # The demo's Oct 14 is not the day the test runs: the refusal says the date with the time.
    assert (
        "R-INSPECT Revolver R-01 left armorer custody at Oct 14 10:34 MDT (held by Jo Carver"
        in words
    )
    assert (
        "R-SHOW-CLEAR Revolver R-01 has not been shown dummies (6) to Jo Carver (cast) and the "
        "first AD for scene 34." in words
    )
    # It stands where the action was: in the Next region, above the forms, not at the top.
    assert words.index("Where With Marta Velez") < words.index("Next Not recorded")
    assert words.index("Not recorded") < words.index("Custody, newest first")
    assert "Nothing was recorded." in words
    assert demo.entries() == before


def test_a_wrong_pin_is_refused_and_nothing_is_recorded(demo: Demo) -> None:
    marta = demo.phone("marta")
    _, url, page = marta.get(demo.firearm("R-01") + "show/")
    assert url.endswith(demo.firearm("R-01"))
    assert "Take Revolver R-01 into your hands before you show it." in text(page)
    loaded_for_scene_34(marta, demo)
    before = demo.entries()
    shown_to_jo(marta, demo)
    wrong = "000000" if demo.person("Jo Carver")["pin"] != "000000" else "111111"
    words = show(marta, demo, "performer", code=wrong)
    assert "Wrong PIN for Jo Carver: nothing recorded. 4 more wrong PINs" in words
    assert "Hand the phone to Jo Carver (cast)" in words  # still the performer's step
    words = show(marta, demo, "performer", code="DI-NOT-A-BADGE")
    assert "Wrong badge code for Jo Carver: nothing recorded." in words
    words = show(marta, demo, "performer", code=demo.person("Eli Stone")["badge"])
    assert (
        "That badge is not Jo Carver's current badge (reprinted or someone else's): nothing "
        "recorded."
    ) in words
    assert "Hand the phone to Jo Carver (cast)" in words
    assert demo.entries() == before


def test_the_sixth_pin_attempt_within_15_minutes_is_throttled_and_the_badge_still_works(
    demo: Demo,
) -> None:
    marta = demo.phone("marta")
    loaded_for_scene_34(marta, demo)
    jo = demo.person("Jo Carver")
    wrong = "000000" if jo["pin"] != "000000" else "111111"
    shown_to_jo(marta, demo)
    for attempt in range(1, 5):
        words = show(marta, demo, "performer", code=wrong)
        assert f"{5 - attempt} more wrong PIN" in words
    words = show(marta, demo, "performer", code=wrong)
    assert "That was 5 wrong PINs: PIN entry for Jo Carver is locked for 15 minutes." in words
    words = show(marta, demo, "performer", code=jo["pin"])  # the right PIN, but too late
    assert "Too many wrong PINs for Jo Carver: PIN entry is locked for 15 minutes more." in words
    assert "Hand the phone to Jo Carver (cast)" in words
    words = show(marta, demo, "performer", code=jo["badge"])
    assert "Jo Carver (cast) confirmed." in words


def test_a_second_tap_on_a_page_that_is_no_longer_current_records_nothing(demo: Demo) -> None:
    marta = demo.phone("marta")
    _, _, page = marta.get(demo.firearm("R-01"))
    seen = re.search(r'name="seen" value="(\d+)"', page)
    assert seen
    form = {"seen": seen.group(1), "action": "take-back"}
    status, _, page = marta.post(demo.firearm("R-01") + "act/", form)
    assert "Recorded: Revolver R-01 taken back" in text(page)
    before = demo.entries()
    status, _, page = marta.post(demo.firearm("R-01") + "act/", form)  # the same form again
    assert status == 200
    assert "Revolver R-01 changed since this page was shown" in text(page)
    assert demo.entries() == before


def _form_token(page: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1, tokens  # every form of one page carries the same token
    return tokens.pop()


def test_a_kept_page_gives_each_phone_its_own_form_token_and_is_drawn_again_after_a_record(
    demo: Demo,
) -> None:
    # Two phones of the same armorer read the same firearm page: the second is served the
    # part kept from the first, yet each page's forms carry that phone's own CSRF token, and a
    # form posted with it is accepted.
    first, second = demo.phone("marta"), demo.phone("marta")
    _, _, page_one = first.get(demo.firearm("R-01"))
    _, _, page_two = second.get(demo.firearm("R-01"))
    token_one, token_two = _form_token(page_one), _form_token(page_two)
    assert not token_one.startswith("csrf-")
    assert not token_two.startswith("csrf-")
    assert first.csrf() != second.csrf()
    before = demo.entries()
    _, _, answer = second.follow(
        "POST",
        demo.firearm("R-01") + "act/",
        urllib.parse.urlencode({"action": "take-back", "csrfmiddlewaretoken": token_two}).encode(),
        headers={"Referer": demo.app.base + demo.firearm("R-01")},
    )
    answered = text(answer)
    assert "Recorded: Revolver R-01 taken back" in answered
    assert demo.entries() == before + 1
    # The first phone's next read is drawn from the new state, not the kept part.
    _, _, again = first.get(demo.firearm("R-01"))
    assert "Where With Marta Velez (armorer)" in text(again)
    assert "Take back from Jo Carver" not in text(again)


def test_a_misfired_round_is_recovered_on_the_firearm_page_before_the_barrel_is_inspected(
    demo: Demo,
) -> None:
    marta = demo.phone("marta")
    assert "Recorded: Revolver R-01 taken back" in act(marta, demo, "R-01", "take-back")
    status, _, _ = marta.post(
        f"/p/{demo.slug}/stop/", {"action": "misfire", "position": "R-01|chamber 3", "scene": "34"}
    )
    assert status == 200
    words = text(marta.get(demo.firearm("R-01"))[2])
    assert "Recover the misfired round" in words
    assert "Where the round went (never back into its box)" in words
    words = act(marta, demo, "R-01", "inspect", position=CHAMBERS, barrel="clear")
    assert "R-MISFIRE" in words
    assert "still holds the round that misfired in chamber 3" in words
    words = act(marta, demo, "R-01", "recover-misfire", position="chamber 3", went_to="disposal")
    assert "Recorded: The misfired round is out of Revolver R-01" in words
    words = act(marta, demo, "R-01", "inspect", position=CHAMBERS, barrel="clear")
    assert "Recorded: Revolver R-01 inspected, barrel clear." in words


def test_the_inspection_form_asks_the_class_found_and_records_a_new_finding(demo: Demo) -> None:
    marta = demo.phone("marta")
    act(marta, demo, "R-01", "take-back")
    words = text(marta.get(demo.firearm("R-01"))[2])
    assert "Class found (found firing; change only if it is not)" in words
    words = act(
        marta, demo, "R-01", "inspect", position=CHAMBERS, barrel="clear", firearm_class="firing"
    )
    assert "Recorded: Revolver R-01 inspected, barrel clear, found firing." in words
    words = act(
        marta, demo, "R-01", "inspect", position=CHAMBERS, barrel="clear", firearm_class="toy"
    )
    assert "Choose the class you found it to be." in words


def test_the_show_page_offers_only_the_handovers_the_core_would_not_refuse_under_the_plan(
    demo: Demo,
) -> None:
    """Scene 34 (day two) was started on its day and runs: Jo is offered R-01 again. Scene 36
    is day two's too but not started, and day two is not today: the core's preview of the
    handover refuses it (R-PLAN), so Kit is not offered R-05, and the page says why."""
    marta = demo.phone("marta")
    act(marta, demo, "R-01", "take-back")
    status, _, page = marta.get(demo.firearm("R-01") + "show/")
    assert status == 200
    jo = demo.person("Jo Carver")
    assert f'value="{jo["person_id"]}@34"' in page
    assert "Recorded: Revolver R-05 taken out" in act(marta, demo, "R-05", "draw")
    status, _, page = marta.get(demo.firearm("R-05") + "show/")
    assert status == 200
    kit = demo.person("Kit Brannigan")
    assert f'value="{kit["person_id"]}@36"' not in page
    words = text(page)
    assert "Not Kit Brannigan (stunt performer), scene 36:" in words
    assert "does not go to Kit Brannigan (stunt performer)" in words
    assert "scene 36 (Night raid on the mission) is planned for day-2 (2026-10-14), not today" in (
        words
    )
