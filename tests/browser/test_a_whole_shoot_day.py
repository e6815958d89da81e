"""A whole shoot day on the phones (issue 16): every role on a phone of their own, every step
through the set pages by tapping, no API request and no CLI, and the taps counted against the
issue's budgets.

The day: a second revolver received by hand and given its first inspection, 50 dummies
verified before the first AD (and the 6 of a second box), the safety meeting with each attendee confirming by badge or PIN,
the scene started, a cold revolver from the board out of the safe, inspected, shown clear and
handed over, taken back and locked away, a break called and ended, a live round found (STOP
WORK from the stunt performer's phone, one tap; again from the cast performer's, recording
nothing more), a show-clear the rules refuse said before anyone confirms, the evidence released
to the investigator, the incident closed by the safety supervisor with the producer (a wrong PIN
first), the evidence handed back, both revolvers inspected again, work resumed, the scene
wrapped; then a small scene with dummies (its own safety meeting, the incident having made the
first one stale): the revolver loaded from the second box, shown loaded and handed over, taken
back, inspected, unloaded (the dummies back in their box) and locked away, the scene wrapped;
and the wrap count. Double taps 60 ms apart on a round's button, on Start and on Call
the break each record once, counted in the ledger through the store, never through a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from served_demo import PHONE, Screenshot
from shoot_day import (
    DUMMIES,
    DUMMY_COUNT,
    DUMMY_SCENE,
    REVOLVER,
    SCENE,
    SECOND_DUMMIES,
    SECOND_DUMMY_COUNT,
    SPARE,
    ShootDay,
    build,
    serve,
)

COLD_HANDOVER_TAPS = 10
FURTHER_STEP_TAPS = 2
DUMMIES_TAPS = DUMMY_COUNT + 3
WRAP_EXTRA_TAPS = 3
DOUBLE_TAP_MS = 60
BOUNCE_MS = 600  # showclear.web.floor.presses.BOUNCE_MS


@pytest.fixture
def shoot_day(tmp_path: Path) -> Iterator[ShootDay]:
    """The production of :mod:`shoot_day`, built for this test and served."""
    data_dir = tmp_path / "data"
    build(data_dir)
    served = serve(data_dir)
    yield served
    served.stop()


@pytest.fixture
def phones(chromium: Browser) -> Iterator[Callable[[ShootDay, str], Page]]:
    """``phone(day, username)``: a phone of that person's own (390x844, touch), signed in
    through the login form, on the page the production opens with for them."""
    contexts: list[BrowserContext] = []

    def open_one(day: ShootDay, username: str) -> Page:
        context = chromium.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
        )
        context.set_default_timeout(10_000)
        # Nothing of the day may go through the JSON API: every request is a set page's.
        context.on(
            "request",
            lambda request: API_REQUESTS.append(request.url) if "/api/" in request.url else None,
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(day.base + "/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(day.passwords[username])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**/p/{day.slug}/**")
        return page

    yield open_one
    for context in contexts:
        context.close()


API_REQUESTS: list[str] = []
"""Every request any phone made to the JSON API (there must be none)."""

MEASURED: list[tuple[str, int, int]] = []
"""(step, taps, PINs or scans) as this run measured them, printed at its end."""


class Taps:
    """Counts what a thumb does on one phone: every tap on a button, link, box or summary is
    one; typing a PIN or scanning a badge is a PIN (or a scan), not taps. Typing into a field
    that does not have the focus costs the tap that gives it the focus."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.taps = 0
        self.pins = 0

    def tap(self, target: Locator) -> None:
        target.tap()
        self.taps += 1

    def type(self, field: Locator, text: str) -> None:
        if not _focused(field):
            self.tap(field)
        field.fill(text)

    def pin(self, field: Locator, code: str, *, enter: bool = False) -> None:
        """A PIN typed (or a badge scanned: the scanner types the code, then Enter)."""
        if not _focused(field):
            self.tap(field)
        field.fill(code)
        if enter:
            field.press("Enter")
        self.pins += 1

    def count(self, what: str = "") -> tuple[int, int]:
        """(taps, PINs) so far, and start counting again; kept under ``what`` for the run's
        summary when named."""
        counted = (self.taps, self.pins)
        self.taps = self.pins = 0
        if what:
            MEASURED.append((what, *counted))
        return counted


def _focused(field: Locator) -> bool:
    return bool(field.evaluate("element => element === document.activeElement"))


def under_thumb(target: Locator) -> None:
    """The next action is on the screen now, without scrolling: its whole box is inside the
    phone's viewport (given a moment, for a page that brings it there itself)."""
    expect(target).to_be_visible()
    for _ in range(20):
        box = target.bounding_box()
        assert box is not None
        # (to the pixel: a button brought to the screen's foot may end a fraction past it)
        if round(box["y"]) >= 0 and round(box["y"] + box["height"]) <= PHONE["height"]:
            return
        target.page.wait_for_timeout(50)
    raise AssertionError(
        f"{target} is at y={box['y']:.0f}..{box['y'] + box['height']:.0f}, off the "
        f"{PHONE['height']} px screen"
    )


def double_tap(page: Page, target: Locator) -> None:
    """Two taps :data:`DOUBLE_TAP_MS` apart at the same spot of the screen (a gloved thumb's
    bounce): the second lands on whatever the first one brought there."""
    target.tap(trial=True)  # visible, stable, on screen and hit first: ready for a thumb
    box = target.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(DOUBLE_TAP_MS)
    page.touchscreen.tap(x, y)


class Ledger:
    """Watches the ledger through the store the Service writes (never through a page)."""

    def __init__(self, day: ShootDay) -> None:
        self.day = day
        self.size = day.ledger_size()

    def take(self) -> list[str]:
        """The kinds of the entries recorded since the last look."""
        found = self.day.kinds_since(self.size)
        self.size += len(found)
        return found

    def expect_new(self, *kinds: str) -> None:
        """The entries recorded since the last look are of exactly these kinds, in order."""
        found = self.day.kinds_since(self.size)
        assert found == list(kinds), f"recorded {found}, expected {list(kinds)}"
        self.size += len(found)


def firearm_done(page: Page, text: str) -> None:
    """The firearm page's short answer after a record ("Done. Recorded: ...")."""
    expect(page.locator(".fa-messages")).to_contain_text(re.compile(text))


def test_a_whole_shoot_day_on_the_phones_in_few_taps(
    shoot_day: ShootDay, phones: Callable[[ShootDay, str], Page], screenshot: Screenshot
) -> None:
    day = shoot_day
    people = {key: day.member(key) for key in day.members}
    armorer = phones(day, "marta")
    first_ad = phones(day, "dana")
    safety = phones(day, "pat")
    investigator = phones(day, "ivo")
    performer = phones(day, "jo")
    stunt = phones(day, "lee")
    ledger = Ledger(day)

    # -- prep: a second revolver received by hand, inspected and locked away --------------
    thumb = Taps(armorer)
    screenshot(armorer, "day-board-first")
    thumb.tap(armorer.locator("details.menu summary"))
    thumb.tap(armorer.get_by_role("link", name="Receive", exact=True))
    expect(armorer.get_by_role("heading", level=1)).to_have_text("Receive by hand")
    screenshot(armorer, "day-receive")
    received = armorer.locator("#receive-firearm")
    for label, value in (
        ("Tag (on its label)", SPARE),
        ("Serial number", "UB-30117"),
        ("Make", "Uberti"),
        ("Type (revolver, rifle, pistol, shotgun...)", "revolver"),
        ("Calibre", ".45 Colt"),
        ("Positions: the number", "6"),
        ("Owner (the rental house)", "Western Prop Rentals"),
    ):
        received.get_by_label(re.compile("^" + re.escape(label))).fill(value)
    received.get_by_label(re.compile("^Class, as the manifest says")).select_option("firing")
    received.get_by_role("button", name="Receive the firearm").tap()
    expect(armorer.locator(".outcomes")).to_contain_text(f"Firearm {SPARE} is received")
    ledger.expect_new("firearm.received")
    armorer.goto(day.url())
    thumb.tap(armorer.get_by_role("link", name=f"Revolver {SPARE}", exact=True))
    # Its first inspection records the class found, position by position.
    thumb.tap(armorer.locator("summary", has_text="Inspect"))
    inspection = armorer.locator(
        "form", has=armorer.get_by_role("button", name="Record inspection")
    )
    for n in range(1, 7):
        inspection.get_by_label(re.compile(rf"^\s*chamber {n}:")).check()
    inspection.get_by_label("Clear").check()
    inspection.get_by_label("firing", exact=True).check()
    record_inspection = inspection.get_by_role("button", name="Record inspection")
    under_thumb(record_inspection)
    record_inspection.tap()
    firearm_done(armorer, "inspected, barrel clear, found firing")
    thumb.tap(armorer.locator("summary", has_text="Lock away"))
    thumb.tap(armorer.get_by_role("button", name="Lock away", exact=True))
    firearm_done(armorer, "locked away")
    ledger.expect_new(
        "firearm.inspected", "container.unlocked", "firearm.stored", "container.locked"
    )
    screenshot(armorer, "day-firearm-received")

    # -- prep: 50 dummies verified round by round before the first AD ---------------------
    armorer.goto(day.url())
    screenshot(armorer, "day-board")
    thumb.tap(armorer.get_by_role("link", name=f"Dummy lot {DUMMIES}"))
    expect(armorer.get_by_role("heading", level=1)).to_contain_text(DUMMIES)
    thumb.count()  # the budget is the lot page's
    thumb.pin(
        armorer.get_by_label(re.compile("Your witness's badge")),
        people["first_ad"].badge,
        enter=True,
    )
    expect(armorer.locator("#lot-live")).to_contain_text(f"Witness: {people['first_ad'].name}")
    thumb.tap(armorer.get_by_label(re.compile(r"^\s*Rattle")))
    screenshot(armorer, "day-lot")
    first_round = armorer.get_by_role("button", name="Round 1 verified")
    under_thumb(first_round)
    # A double tap 60 ms apart on the button under the thumb records one round.
    double_tap(armorer, first_round)
    thumb.taps += 2
    expect(armorer.locator("#lot-live")).to_contain_text(re.compile(r"1 of 50 rounds verified"))
    armorer.wait_for_timeout(800)  # time for any second press to have recorded, were it to
    ledger.expect_new("rounds.verified")
    expect(armorer.locator("#lot-live")).to_contain_text("1 of 50 rounds verified")
    for n in range(2, DUMMY_COUNT + 1):
        button = armorer.get_by_role("button", name=f"Round {n} verified")
        under_thumb(button)
        # A round is checked in hand between presses: a press within the bounce time of the
        # last one would be taken as the same press (static/showclear/presses.js).
        armorer.wait_for_timeout(BOUNCE_MS + 50)
        thumb.tap(button)
        expect(armorer.locator("#lot-live")).to_contain_text(f"{n} of 50 rounds verified")
    expect(armorer.locator("#lot-state")).to_contain_text("VERIFIED, USABLE")
    taps, scans = thumb.count("50 dummies verified (lot page)")
    assert taps <= DUMMIES_TAPS, f"50 dummies took {taps} taps"
    assert scans == 1
    ledger.expect_new(*["rounds.verified"] * (DUMMY_COUNT - 1))
    screenshot(armorer, "day-lot-verified")
    # ...and the small box of the dummy scene, the same way.
    armorer.goto(day.url())
    armorer.get_by_role("link", name=f"Dummy lot {SECOND_DUMMIES}").tap()
    expect(armorer.get_by_role("heading", level=1)).to_contain_text(SECOND_DUMMIES)
    witness = armorer.get_by_label(re.compile("Your witness's badge"))
    witness.fill(people["first_ad"].badge)
    witness.press("Enter")
    expect(armorer.locator("#lot-live")).to_contain_text(f"Witness: {people['first_ad'].name}")
    armorer.get_by_label(re.compile(r"^\s*Rattle")).tap()
    for n in range(1, SECOND_DUMMY_COUNT + 1):
        button = armorer.get_by_role("button", name=f"Round {n} verified")
        under_thumb(button)
        armorer.wait_for_timeout(BOUNCE_MS + 50)
        button.tap()
        expect(armorer.locator("#lot-live")).to_contain_text(
            f"{n} of {SECOND_DUMMY_COUNT} rounds verified"
        )
    expect(armorer.locator("#lot-state")).to_contain_text("VERIFIED, USABLE")
    ledger.expect_new(*["rounds.verified"] * SECOND_DUMMY_COUNT)

    # -- the safety meeting: each attendee confirms by badge or PIN ------------------------
    ad = Taps(first_ad)
    first_ad.goto(day.url("today/"))
    screenshot(first_ad, "day-today")
    ad.tap(first_ad.get_by_role("link", name="Safety meeting").first)
    expect(first_ad.get_by_role("heading", level=1)).to_have_text("Safety meeting")
    badge = first_ad.get_by_label(re.compile("Scan a badge"))
    for key in ("armorer", "first_ad", "performer"):
        ad.pin(badge, people[key].badge, enter=True)
        expect(first_ad.locator("#meeting-form")).to_contain_text(f"Added {people[key].name}")
        badge = first_ad.get_by_label(re.compile("Scan a badge"))
    ad.tap(first_ad.locator("summary", has_text="No badge?"))
    first_ad.get_by_label("Your name").select_option(people["stunt"].person_id)
    ad.taps += 1
    ad.pin(first_ad.get_by_label("Your PIN"), people["stunt"].pin)
    ad.tap(first_ad.get_by_role("button", name="Add me with my PIN"))
    expect(first_ad.locator("#meeting-form")).to_contain_text(f"Added {people['stunt'].name}")
    for topic in ("The action", "Pointing", "Hot and cold calls"):
        ad.tap(first_ad.get_by_label(topic, exact=True))
    screenshot(first_ad, "day-meeting")
    ledger.expect_new()  # adding attendees records nothing
    ad.tap(first_ad.get_by_role("button", name="Record the safety meeting"))
    first_ad.wait_for_url("**/today/")
    expect(first_ad.locator(".outcomes")).to_contain_text("recorded with 4 attendees")
    ledger.expect_new("safety-meeting.held")

    # -- the first AD starts the scene ------------------------------------------------------
    # A double tap on Start starts it once: the second tap, on the Wrap button swapped in
    # under the thumb, wraps nothing.
    double_tap(first_ad, first_ad.get_by_role("button", name=f"Start scene {SCENE}"))
    ad.taps += 1  # the start; its bounce is not a tap
    wrap_button = first_ad.get_by_role("button", name=f"Wrap scene {SCENE}")
    expect(wrap_button).to_be_visible()
    first_ad.wait_for_timeout(800)  # time for any second press to have recorded, were it to
    ledger.expect_new("scene.started")
    expect(wrap_button).to_be_visible()
    screenshot(first_ad, "day-today-started")

    # -- the cold revolver: from the board, out of the safe, inspected, shown, handed over --
    armorer.goto(day.url())
    thumb.count()
    thumb.tap(armorer.get_by_role("link", name=f"Revolver {REVOLVER}", exact=True))
    draw = armorer.get_by_role("button", name=re.compile("Take out of Armory safe SAFE-1"))
    under_thumb(draw)
    screenshot(armorer, "day-firearm-in-safe")
    thumb.tap(draw)
    firearm_done(armorer, "taken out")
    inspected = armorer.get_by_role("button", name=re.compile("Inspected: all 6 positions"))
    under_thumb(inspected)
    thumb.tap(inspected)
    firearm_done(armorer, "inspected")
    show = armorer.get_by_role("link", name="Show clear and hand over")
    under_thumb(show)
    thumb.tap(show)
    expect(armorer.get_by_role("heading", level=1)).to_have_text(f"Show Revolver {REVOLVER}")
    expect(
        armorer.get_by_label(re.compile(f"{people['performer'].name}.*scene {SCENE}"))
    ).to_be_checked()
    expect(armorer.get_by_label(re.compile(people["first_ad"].name))).to_be_checked()
    expect(armorer.get_by_label("Hand it over once both confirmed")).to_be_checked()
    screenshot(armorer, "day-firearm-show")
    shown = armorer.get_by_role("button", name="Shown every position and the barrel: COLD")
    thumb.tap(shown)
    expect(armorer.locator(".fa-handto")).to_contain_text(people["performer"].name)
    pin = armorer.get_by_label("Your PIN")
    under_thumb(pin)
    expect(pin).to_have_attribute("inputmode", "numeric")
    screenshot(armorer, "day-firearm-show-performer")
    thumb.pin(pin, people["performer"].pin)
    confirm = armorer.get_by_role("button", name=f"Confirm as {people['performer'].name}")
    under_thumb(confirm)
    thumb.tap(confirm)
    expect(armorer.get_by_text(f"{people['performer'].name} (cast) confirmed.")).to_be_visible()
    pin = armorer.get_by_label("Your PIN")
    under_thumb(pin)
    screenshot(armorer, "day-firearm-show-first-ad")
    thumb.pin(pin, people["first_ad"].pin)
    record = armorer.get_by_role("button", name="Confirm and record, then hand over")
    under_thumb(record)
    thumb.tap(record)
    firearm_done(armorer, f"shown cold to {people['performer'].name}")
    taps, pins = thumb.count("cold firearm from the board to handed over")
    assert taps <= COLD_HANDOVER_TAPS, f"the cold handover took {taps} taps"
    assert pins == 2
    ledger.expect_new(
        "container.unlocked",
        "firearm.taken-out",
        "container.locked",
        "firearm.inspected",
        "firearm.shown-clear",
        "firearm.handed-over",
    )
    screenshot(armorer, "day-firearm-handed-over")

    # -- after the take: each further step at most 2 taps, the next one under the thumb ---
    take_back = armorer.get_by_role(
        "button", name=re.compile(f"Take back from {people['performer'].name}")
    )
    under_thumb(take_back)
    thumb.tap(take_back)
    firearm_done(armorer, "taken back")
    assert thumb.count("take back")[0] <= FURTHER_STEP_TAPS
    inspected = armorer.get_by_role("button", name=re.compile("Inspected: all 6 positions"))
    under_thumb(inspected)
    thumb.tap(inspected)
    firearm_done(armorer, "inspected")
    assert thumb.count("inspect")[0] <= FURTHER_STEP_TAPS
    lock_away = armorer.locator("summary", has_text="Lock away")
    under_thumb(lock_away)
    thumb.tap(lock_away)
    into = armorer.get_by_role("button", name="Lock away", exact=True)
    under_thumb(into)
    thumb.tap(into)
    firearm_done(armorer, "locked away")
    assert thumb.count("lock away")[0] <= FURTHER_STEP_TAPS
    ledger.expect_new(
        "firearm.returned",
        "firearm.inspected",
        "container.unlocked",
        "firearm.stored",
        "container.locked",
    )
    screenshot(armorer, "day-firearm-locked-away")

    # -- a break called and ended on Today ---------------------------------------------------
    ad.count()
    # A double tap on "Call the break" calls it once: the second tap, on "End the break" now
    # under the thumb, ends nothing.
    double_tap(first_ad, first_ad.get_by_role("button", name="Call the break"))
    end = first_ad.get_by_role("button", name="End the break")
    expect(end).to_be_visible()
    first_ad.wait_for_timeout(800)  # time for any second press to have recorded, were it to
    ledger.expect_new("break.called")
    expect(first_ad.locator("#breaks-title")).to_have_text("A meal break is on")
    ad.taps += 1  # the call; its bounce is not a tap of the budget
    under_thumb(end)
    screenshot(first_ad, "day-today-break")
    ad.tap(end)
    expect(first_ad.locator("#breaks")).to_contain_text("The break is over")
    assert ad.count("break called and ended")[0] == 2
    ledger.expect_new("break.ended")

    # -- a live round found: STOP WORK from the stunt performer's phone, in one tap ----------
    expect(stunt.get_by_role("heading", level=1)).to_be_visible()
    screenshot(stunt, "day-stop-stunt")
    stunt_thumb = Taps(stunt)
    stunt_thumb.tap(stunt.get_by_role("button", name="STOP WORK").first)
    expect(stunt.locator("#alarm .banner.stop")).to_be_visible()
    assert stunt_thumb.count("STOP WORK (stunt performer)")[0] == 1
    ledger.expect_new("work.stopped")
    # ...and one tap from the cast performer's phone: already stopped, nothing more recorded.
    Taps(performer).tap(performer.get_by_role("button", name="STOP WORK").first)
    expect(performer.locator(".outcomes")).to_contain_text("Work was already stopped")
    screenshot(performer, "day-stop-cast")
    ledger.expect_new()
    # What happened is asked after the stop: the round, where, from which lot.
    found = stunt.get_by_role("group", name="A round was found")
    stunt_thumb.tap(found.get_by_label("Live: a bullet, with a primer or powder"))
    stunt_thumb.type(found.get_by_label("Where was it found?"), "on the floor by the livery door")
    found.get_by_label("From which lot, if known?").select_option(DUMMIES)
    stunt_thumb.tap(found.get_by_role("button", name="Report the found round"))
    expect(stunt.locator(".outcomes")).to_contain_text("Recorded")
    screenshot(stunt, "day-stop-reported")
    reported = ledger.take()
    assert reported[0] == "round.found", reported
    assert "incident.opened" in reported, reported

    # The armorer takes the revolver out to show it; the show-clear says no before anyone
    # confirms, where the press was, with the form as the armorer left it.
    armorer.reload()
    thumb.tap(armorer.get_by_role("button", name=re.compile("Take out of Armory safe SAFE-1")))
    firearm_done(armorer, "taken out")
    ledger.expect_new("container.unlocked", "firearm.taken-out", "container.locked")
    thumb.tap(armorer.get_by_role("link", name="Show clear and hand over"))
    thumb.tap(armorer.get_by_role("button", name="Shown every position and the barrel: COLD"))
    refused = armorer.locator(".fa-refused")
    expect(refused).to_contain_text("R-STOP-WORK")
    under_thumb(refused.get_by_role("heading"))
    expect(armorer.get_by_label("Hand it over once both confirmed")).to_be_checked()
    expect(
        armorer.get_by_label(re.compile(f"{people['performer'].name}.*scene {SCENE}"))
    ).to_be_checked()
    expect(armorer.get_by_label("Your PIN")).to_have_count(0)  # nobody was asked to confirm
    ledger.expect_new()
    screenshot(armorer, "day-firearm-show-refused")
    thumb.tap(armorer.get_by_role("button", name="Cancel: record nothing"))
    firearm_done(armorer, "cancelled")
    thumb.count()

    # -- the safety supervisor releases the evidence to the investigator -------------------
    safety.goto(day.url("incidents/"))
    screenshot(safety, "day-incidents")
    card = safety.locator("section[id^=incident-]").first
    release = card.locator("form", has=safety.get_by_role("button", name="Release the evidence"))
    expect(release.get_by_label(re.compile(people["investigator"].name))).to_be_checked()
    # The witness is someone not involved (the armorer held the lot): the producer.
    release.get_by_label("The witness to the handover").select_option(people["producer"].person_id)
    release.get_by_label("Their PIN").fill(people["producer"].pin)
    release.get_by_role("button", name="Release the evidence").tap()
    expect(safety.locator(".outcomes")).to_contain_text("is with the investigators")
    ledger.expect_new("evidence.released")

    # Closing, with the producer: a wrong PIN is said on the card, the findings kept as typed.
    card = safety.locator("section[id^=incident-]").first
    close = card.locator("form", has=safety.get_by_role("button", name="Close the incident"))
    findings = "A dummy box held one live round from the supplier; the box is returned."
    close.get_by_label("What the investigation found").fill(findings)
    wrong = "000000" if people["producer"].pin != "000000" else "111111"
    close.get_by_label("Their PIN").fill(wrong)
    close.get_by_role("button", name="Close the incident").tap()
    card = safety.locator("section[id^=incident-]").first
    expect(card.locator(".outcome-error")).to_be_visible()
    under_thumb(card.locator(".outcome-error"))
    close = card.locator("form", has=safety.get_by_role("button", name="Close the incident"))
    expect(close.get_by_label("What the investigation found")).to_have_value(findings)
    ledger.expect_new()
    screenshot(safety, "day-incident-wrong-pin")
    close.get_by_label("Their PIN").fill(people["producer"].pin)
    close.get_by_role("button", name="Close the incident").tap()
    expect(safety.locator(".outcomes")).to_contain_text("is closed")
    ledger.expect_new("incident.closed")
    screenshot(safety, "day-incident-closed")

    # -- the investigator hands the evidence back to the armorer ---------------------------
    investigator.goto(day.url("incidents/evidence/"))
    screenshot(investigator, "day-evidence")
    back = investigator.locator("section[id^=incident-]").first
    back.get_by_label("Their PIN").fill(people["armorer"].pin)
    back.get_by_role("button", name="Hand the evidence back").tap()
    expect(investigator.locator(".outcomes")).to_contain_text("back with the armorer")
    ledger.expect_new("evidence.returned")

    # -- re-inspection, then the safety supervisor and the armorer resume work -------------
    armorer.goto(day.url(f"firearm/{REVOLVER}/"))
    screenshot(armorer, "day-firearm-reinspect")
    # (Opened afresh under the STOP WORK banner, its first action sits at the screen's foot.)
    thumb.tap(armorer.get_by_role("button", name=re.compile("Inspected: all 6 positions")))
    firearm_done(armorer, "inspected")
    assert thumb.count("re-inspect")[0] <= FURTHER_STEP_TAPS
    thumb.tap(armorer.locator("summary", has_text="Lock away"))
    thumb.tap(armorer.get_by_role("button", name="Lock away", exact=True))
    firearm_done(armorer, "locked away")
    assert thumb.count("lock away again")[0] <= FURTHER_STEP_TAPS
    ledger.expect_new(
        "firearm.inspected", "container.unlocked", "firearm.stored", "container.locked"
    )

    # The resume form says, before anyone scans a badge, what still stands in the way.
    safety.goto(day.url("stop/"))
    resume = safety.locator("#resume")
    expect(resume).to_contain_text(f"R-INSPECT blocks: Revolver {SPARE}")
    screenshot(safety, "day-stop-resume-blocked")
    armorer.goto(day.url(f"firearm/{SPARE}/"))
    thumb.tap(armorer.get_by_role("button", name=re.compile("Take out of Armory safe SAFE-1")))
    firearm_done(armorer, "taken out")
    inspected = armorer.get_by_role("button", name=re.compile("Inspected: all 6 positions"))
    under_thumb(inspected)
    thumb.tap(inspected)
    firearm_done(armorer, "inspected")
    thumb.count(f"{SPARE}: take out and inspect")
    thumb.tap(armorer.locator("summary", has_text="Lock away"))
    thumb.tap(armorer.get_by_role("button", name="Lock away", exact=True))
    firearm_done(armorer, "locked away")
    assert thumb.count(f"{SPARE}: lock away")[0] <= FURTHER_STEP_TAPS
    ledger.expect_new(
        "container.unlocked",
        "firearm.taken-out",
        "container.locked",
        "firearm.inspected",
        "container.unlocked",
        "firearm.stored",
        "container.locked",
    )
    safety.reload()
    resume = safety.locator("#resume")
    screenshot(safety, "day-stop-resume")
    expect(resume).to_contain_text("Nothing else stands in the way")
    resume.get_by_label(re.compile("Their badge")).fill(people["armorer"].badge)
    resume.get_by_role("button", name="Resume work").tap()
    expect(safety.locator(".outcomes")).to_contain_text("Work has resumed")
    ledger.expect_new("work.resumed")
    expect(safety.locator("#alarm .banner.stop")).to_have_count(0)

    # -- the first AD wraps the scene -------------------------------------------------------
    first_ad.goto(day.url("today/"))
    wrap = first_ad.get_by_role("button", name=f"Wrap scene {SCENE}")
    ad.tap(wrap)
    expect(first_ad.locator(".scene-action").first).to_contain_text(f"Scene {SCENE} is wrapped")
    ledger.expect_new("scene.wrapped")
    screenshot(first_ad, "day-today-wrapped")

    # -- a small scene with dummies: its own meeting (the incident made the morning's stale) -
    ad.count()
    ad.tap(first_ad.get_by_role("link", name="Safety meeting").first)  # from the menu at the top
    expect(first_ad.get_by_label("Which scene is this meeting for?")).to_have_value(DUMMY_SCENE)
    badge = first_ad.get_by_label(re.compile("Scan a badge"))
    for key in ("armorer", "first_ad", "performer"):
        ad.pin(badge, people[key].badge, enter=True)
        expect(first_ad.locator("#meeting-form")).to_contain_text(f"Added {people[key].name}")
        badge = first_ad.get_by_label(re.compile("Scan a badge"))
    for topic in ("The action", "Pointing", "Hot and cold calls"):
        ad.tap(first_ad.get_by_label(topic, exact=True))
    ad.tap(first_ad.get_by_role("button", name="Record the safety meeting"))
    first_ad.wait_for_url("**/today/")
    expect(first_ad.locator(".outcomes")).to_contain_text("recorded with 3 attendees")
    ledger.expect_new("safety-meeting.held")
    # (Below the wrapped scene 7 on Today, its Start is a scroll away: not measured here.)
    ad.tap(first_ad.get_by_role("button", name=f"Start scene {DUMMY_SCENE}"))
    wrap = first_ad.get_by_role("button", name=f"Wrap scene {DUMMY_SCENE}")
    expect(wrap).to_be_visible()
    ad.count(f"scene {DUMMY_SCENE}: its meeting and start (first AD)")
    ledger.expect_new("scene.started")
    screenshot(first_ad, "day-today-dummy-scene")

    # The armorer takes the revolver out, inspects it and loads it with the dummies.
    armorer.goto(day.url(f"firearm/{REVOLVER}/"))
    thumb.count()
    draw = armorer.get_by_role("button", name=re.compile("Take out of Armory safe SAFE-1"))
    under_thumb(draw)
    thumb.tap(draw)
    firearm_done(armorer, "taken out")
    inspected = armorer.get_by_role("button", name=re.compile("Inspected: all 6 positions"))
    under_thumb(inspected)
    thumb.tap(inspected)
    firearm_done(armorer, "inspected")
    thumb.count(f"scene {DUMMY_SCENE}: take out and inspect")
    load = armorer.locator("summary", has_text="Load")
    under_thumb(load)
    thumb.tap(load)
    loading = armorer.locator("form", has=armorer.get_by_role("button", name="Load", exact=True))
    expect(loading.get_by_label(re.compile(f"Dummy lot {SECOND_DUMMIES}"))).to_be_checked()
    expect(loading.get_by_label(re.compile(f"Scene {DUMMY_SCENE},"))).to_be_checked()
    for n in range(1, SECOND_DUMMY_COUNT + 1):
        expect(loading.get_by_label(f"chamber {n}", exact=True)).to_be_checked()
    screenshot(armorer, "day-firearm-load")
    into = loading.get_by_role("button", name="Load", exact=True)
    under_thumb(into)
    thumb.tap(into)
    firearm_done(armorer, f"{SECOND_DUMMY_COUNT} rounds of lot {SECOND_DUMMIES} loaded")
    thumb.count(f"load {SECOND_DUMMY_COUNT} dummies")  # no budget of its own: reported
    ledger.expect_new(
        "container.unlocked",
        "firearm.taken-out",
        "container.locked",
        "firearm.inspected",
        "firearm.loaded",
    )

    # Shown loaded to the performer and the first AD, and handed over.
    show = armorer.get_by_role("link", name="Show loaded and hand over")
    under_thumb(show)
    thumb.tap(show)
    expect(armorer.get_by_role("heading", level=1)).to_have_text(f"Show Revolver {REVOLVER}")
    expect(
        armorer.get_by_label(re.compile(f"{people['performer'].name}.*scene {DUMMY_SCENE}"))
    ).to_be_checked()
    expect(armorer.get_by_label(re.compile(people["first_ad"].name))).to_be_checked()
    expect(armorer.get_by_label("Hand it over once both confirmed")).to_be_checked()
    screenshot(armorer, "day-firearm-show-loaded")
    shown = armorer.get_by_role(
        "button", name=re.compile("Shown every position and the barrel: .*DUMM")
    )
    # (Below every position shown and announced, as for the cold show-clear: read, then press.)
    thumb.tap(shown)
    expect(armorer.locator(".fa-handto")).to_contain_text(people["performer"].name)
    pin = armorer.get_by_label("Your PIN")
    under_thumb(pin)
    thumb.pin(pin, people["performer"].pin)
    confirm = armorer.get_by_role("button", name=f"Confirm as {people['performer'].name}")
    under_thumb(confirm)
    thumb.tap(confirm)
    expect(armorer.get_by_text(f"{people['performer'].name} (cast) confirmed.")).to_be_visible()
    pin = armorer.get_by_label("Your PIN")
    under_thumb(pin)
    thumb.pin(pin, people["first_ad"].pin)
    record = armorer.get_by_role("button", name="Confirm and record, then hand over")
    under_thumb(record)
    thumb.tap(record)
    firearm_done(armorer, f"shown .*to {people['performer'].name}")
    assert thumb.count("shown loaded and handed over")[1] == 2
    ledger.expect_new("firearm.shown-clear", "firearm.handed-over")
    screenshot(armorer, "day-firearm-handed-over-loaded")

    # Taken back, inspected, unloaded (the dummies go back to their box) and locked away.
    take_back = armorer.get_by_role(
        "button", name=re.compile(f"Take back from {people['performer'].name}")
    )
    under_thumb(take_back)
    thumb.tap(take_back)
    firearm_done(armorer, "taken back")
    assert thumb.count("take back (loaded)")[0] <= FURTHER_STEP_TAPS
    inspected = armorer.get_by_role("button", name=re.compile("Inspected: all 6 positions"))
    under_thumb(inspected)
    thumb.tap(inspected)
    firearm_done(armorer, "inspected")
    assert thumb.count("inspect (loaded)")[0] <= FURTHER_STEP_TAPS
    unload = armorer.get_by_role("button", name=re.compile("Unload every position"))
    under_thumb(unload)
    thumb.tap(unload)
    firearm_done(armorer, "unloaded")
    taps, _ = thumb.count("unload")
    assert taps <= FURTHER_STEP_TAPS, f"the unload took {taps} taps"
    screenshot(armorer, "day-firearm-unloaded")
    lock_away = armorer.locator("summary", has_text="Lock away")
    under_thumb(lock_away)
    thumb.tap(lock_away)
    into = armorer.get_by_role("button", name="Lock away", exact=True)
    under_thumb(into)
    thumb.tap(into)
    firearm_done(armorer, "locked away")
    assert thumb.count("lock away (after the dummies)")[0] <= FURTHER_STEP_TAPS
    ledger.expect_new(
        "firearm.returned",
        "firearm.inspected",
        "firearm.unloaded",
        "container.unlocked",
        "firearm.stored",
        "container.locked",
    )

    # The first AD wraps the dummy scene.
    first_ad.reload()
    wrap = first_ad.get_by_role("button", name=f"Wrap scene {DUMMY_SCENE}")
    under_thumb(wrap)
    ad.tap(wrap)
    expect(
        first_ad.locator(".scene-action", has_text=f"Scene {DUMMY_SCENE} is wrapped")
    ).to_be_visible()
    assert ad.count(f"scene {DUMMY_SCENE}: wrap (first AD)")[0] == 1
    ledger.expect_new("scene.wrapped")
    screenshot(first_ad, "day-today-dummy-scene-wrapped")

    # -- the wrap count: one tap per item, plus 3 ------------------------------------------
    armorer.goto(day.url("today/"))
    thumb.count()
    thumb.tap(armorer.get_by_role("link", name="Wrap count").first)
    expect(armorer.get_by_role("heading", level=1)).to_have_text("Wrap count")
    screenshot(armorer, "day-wrap")
    boxes = armorer.locator("form.count input[type=checkbox]")
    numbers = armorer.locator("form.count input[type=number]")
    items = boxes.count() + numbers.count()
    for n in range(boxes.count()):
        thumb.tap(boxes.nth(n))
    # The live round found was one of the box's 50, as its report said: 49 are left to count;
    # the 6 dummies of the dummy scene are back in theirs.
    # The first number field takes a tap; Next on the number pad goes on to each next one.
    left = {f"lot-{DUMMIES}": DUMMY_COUNT - 1, f"lot-{SECOND_DUMMIES}": SECOND_DUMMY_COUNT}
    assert sorted(numbers.nth(n).get_attribute("id") or "" for n in range(numbers.count())) == (
        sorted(left)
    )
    for n in range(numbers.count()):
        thumb.type(numbers.nth(n), str(left[numbers.nth(n).get_attribute("id") or ""]))
        if n + 1 < numbers.count():
            numbers.nth(n).press("Enter")
            expect(numbers.nth(n + 1)).to_be_focused()
    thumb.tap(armorer.get_by_role("button", name="Record the count"))
    expect(armorer.locator("#result-title")).to_be_visible()
    screenshot(armorer, "day-wrap-result")
    result = armorer.locator("section[aria-labelledby=result-title]").inner_text()
    assert "The count matches the record" in result, result
    taps, _ = thumb.count(f"wrap count of {items} items (from Today)")
    assert taps <= items + WRAP_EXTRA_TAPS, f"the wrap count took {taps} taps for {items} items"
    ledger.expect_new("count.reconciled")
    assert API_REQUESTS == [], "the day went through the set pages only"
    print(
        "\ntaps measured:",
        *(f"  {what}: {taps} taps, {pins} PINs or scans" for what, taps, pins in MEASURED),
        sep="\n",
    )
