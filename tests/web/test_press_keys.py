"""Every press that records carries its own key, and a press sent twice records once.

The key is drawn fresh with each form (``{% press_key %}``), even inside a kept part of a page;
the service records a key's press once, and the key is the signed-in account's: another
person's key is no replay of theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, status, text

# Forms that record nothing through the service's commands: signing out, scanning a code,
# issuing badges and PINs (the credential desk), importing paperwork, cancelling a show.
NOT_RECORDING = ("logout", "scan", "labels", "import")


class Forms(HTMLParser):
    """Every POST form of a page: its action, its fields (name -> values)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._open: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and (found.get("method") or "").lower() == "post":
            self._open = {"action": found.get("action") or "", "fields": {}}
            self.forms.append(self._open)
        elif tag in ("input", "button") and self._open is not None and found.get("name"):
            fields = self._open["fields"]
            assert isinstance(fields, dict)
            fields.setdefault(found["name"], []).append(found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def post_forms(page: str) -> list[dict[str, object]]:
    parser = Forms()
    parser.feed(page)
    return parser.forms


def recording(form: dict[str, object]) -> bool:
    fields = form["fields"]
    assert isinstance(fields, dict)
    if fields.get("step") == ["cancel"]:
        return False
    return not any(word in str(form["action"]) for word in NOT_RECORDING)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def take_back_r01(demo: Demo, phone: object) -> None:
    words = text(phone.post(demo.page("firearm/R-01/act/"), {"action": "take-back"})[2])  # type: ignore[attr-defined]
    assert "Recorded: Revolver R-01 taken back" in words


def test_every_recording_form_of_every_set_page_carries_a_fresh_press_key(demo: Demo) -> None:
    marta = demo.phone("marta")
    take_back_r01(demo, marta)  # in hand: every action of the firearm page is offered
    pages = [
        "",
        "today/",
        "firearm/R-01/",
        "firearm/R-01/show/",
        "firearm/R-02/",
        "lot/D-04/",
        "on-set/",
        "stop/",
        "wrap/",
        "meeting/",
    ]
    seen: set[str] = set()
    checked = 0
    for path in pages:
        code, _, page = marta.get(demo.page(path))
        assert code == 200, path
        for form in post_forms(page):
            if not recording(form):
                continue
            fields = form["fields"]
            assert isinstance(fields, dict)
            keys = fields.get("press", [])
            assert len(keys) == 1, f"{path}: a form posting to {form['action']!r} has no key"
            assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", keys[0]), keys
            assert keys[0] not in seen, f"{path}: two forms share the key {keys[0]}"
            seen.add(keys[0])
            checked += 1
    assert checked >= 15
    # The kept (cached) firearm page draws fresh keys each time it is shown.
    again = marta.get(demo.page("firearm/R-01/"))[2]
    fresh = {k for f in post_forms(again) for k in f["fields"].get("press", [])}  # type: ignore[union-attr]
    assert fresh
    assert not fresh & seen


def test_the_same_press_sent_twice_records_once(demo: Demo) -> None:
    marta = demo.phone("marta")
    page = marta.get(demo.page("firearm/R-01/"))[2]
    (form,) = [f for f in post_forms(page) if f["fields"].get("action") == ["take-back"]]  # type: ignore[union-attr]
    fields = {name: values[0] for name, values in form["fields"].items()}  # type: ignore[union-attr]
    before = status(demo)["entries"]
    first = text(marta.post(demo.page("firearm/R-01/act/"), fields)[2])
    assert "Recorded: Revolver R-01 taken back" in first
    second = text(marta.post(demo.page("firearm/R-01/act/"), fields)[2])
    assert "Recorded once: a second press of it recorded nothing." in second
    assert "Not recorded" not in second
    assert status(demo)["entries"] == before + 1


def test_a_round_pressed_twice_with_one_key_is_verified_once(demo: Demo) -> None:
    marta = demo.phone("marta")
    page = marta.get(demo.page("lot/D-04/"))[2]
    (form,) = [f for f in post_forms(page) if "badge" in f["fields"]]  # type: ignore[operator]
    press = form["fields"]["press"][0]  # type: ignore[index]
    body = {
        "action": "verify",
        "method": "rattle",
        "badge": demo.badge("Sam Ortiz"),
        "press": press,
    }
    before = status(demo)["entries"]
    assert "21 of 50 rounds verified" in text(marta.post(demo.page("lot/D-04/"), body)[2])
    # The second tap lands on the next round's button, but within the same press: its key.
    words = text(marta.post(demo.page("lot/D-04/"), body)[2])
    assert "Recorded once: that second tap was the same press" in words
    assert "21 of 50 rounds verified" in words
    assert status(demo)["entries"] == before + 1


def test_another_persons_key_is_no_replay_of_their_press(demo: Demo) -> None:
    marta, sam = demo.phone("marta"), demo.phone("sam")
    page = marta.get(demo.page("lot/D-04/"))[2]
    (form,) = [f for f in post_forms(page) if "badge" in f["fields"]]  # type: ignore[operator]
    press = form["fields"]["press"][0]  # type: ignore[index]
    body = {"action": "verify", "method": "rattle", "press": press}
    marta.post(demo.page("lot/D-04/"), {**body, "badge": demo.badge("Sam Ortiz")})
    sam.get(demo.page("lot/D-04/"))
    words = text(sam.post(demo.page("lot/D-04/"), {**body, "badge": demo.badge("Marta Velez")})[2])
    assert "Recorded: 1 round verified" in words, "Sam's press is his own, recorded"
    assert "22 of 50 rounds verified" in words


def test_a_damaged_press_key_records_nothing_and_says_so(demo: Demo) -> None:
    marta = demo.phone("marta")
    marta.get(demo.page("firearm/R-01/"))
    before = status(demo)["entries"]
    words = text(
        marta.post(demo.page("firearm/R-01/act/"), {"action": "take-back", "press": "not a key!"})[
            2
        ]
    )
    assert "press key is damaged: reload the page and press again. Nothing was recorded." in words
    assert status(demo)["entries"] == before
