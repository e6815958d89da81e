"""The armorer's cycle on a phone, through the Firearm page only: take a revolver back, inspect
it, load six verified dummies, show it loaded, the performer confirms by PIN and the first AD by
badge, hand it over, take it back, inspect, unload, lock it away. And a refused handover that
shows every reason with its rule id and records nothing."""

from __future__ import annotations

import re

from page_checks import serious_axe_violations, sideways_overflow, small_targets
from playwright.sync_api import Page, expect
from served_demo import PHONE, OpenPhone, Screenshot, Served

CHAMBERS = [f"chamber {n}" for n in range(1, 7)]


class Recording:
    """Watches the production's ledger: each step must record exactly what it says."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.size = served.ledger_size()

    def expect_new(self, entries: int, what: str) -> None:
        now = self.served.ledger_size()
        assert now - self.size == entries, f"{what}: {now - self.size} entries, not {entries}"
        self.size = now


def done(page: Page, text: str) -> None:
    """The short confirmation after a record ("Done. Recorded: ...")."""
    expect(page.locator(".fa-messages")).to_contain_text(re.compile(text))


def inspect_every_position(page: Page) -> None:
    page.locator("summary", has_text="Inspect").click()
    form = page.locator("form", has=page.get_by_role("button", name="Record inspection"))
    for chamber in CHAMBERS:
        form.get_by_label(re.compile(rf"^\s*{chamber}:")).check()
    form.get_by_label("Clear").check()
    form.get_by_role("button", name="Record inspection").click()
    done(page, "inspected, barrel clear")


def accessible_with_every_form_open(page: Page) -> None:
    """axe-core and the 44 px targets, with every action's form unfolded."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert serious_axe_violations(page) == []
    assert small_targets(page) == []
    assert sideways_overflow(page, PHONE["width"]) == 0
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")


def where(page: Page) -> str:
    return page.locator(".fa-facts div", has_text="Where").locator("dd").inner_text()


def test_the_armorers_whole_cycle_on_a_revolver(
    demo: Served, open_phone: OpenPhone, screenshot: Screenshot
) -> None:
    jo = demo.badge_of("Jo Carver")
    dana = demo.badge_of("Dana Hale")
    page = open_phone(demo, "marta")
    page.goto(demo.url("firearm/R-01/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("R-01")
    assert where(page).startswith("With Jo Carver")
    ledger = Recording(demo)

    # Back from the performer of the last take, empty, to start clean.
    page.get_by_role("button", name=re.compile("Take back from Jo Carver")).click()
    done(page, "taken back")
    ledger.expect_new(1, "take back")
    inspect_every_position(page)
    ledger.expect_new(1, "inspect")
    page.get_by_role("button", name=re.compile("Unload every position")).click()
    done(page, "unloaded")
    ledger.expect_new(1, "unload")
    expect(page.locator(".fa-facts")).to_contain_text("COLD")

    # Inspect, then load six verified dummies from D-01 for scene 34.
    inspect_every_position(page)
    ledger.expect_new(1, "inspect")
    page.locator("summary", has_text="Load").click()
    load = page.locator("form", has=page.get_by_role("button", name="Load", exact=True))
    expect(load.get_by_label(re.compile(r"^\s*Dummy lot D-01"))).to_be_checked()
    expect(load.get_by_label(re.compile(r"^\s*Scene 34"))).to_be_checked()
    for chamber in CHAMBERS:
        expect(load.get_by_label(chamber, exact=True)).to_be_checked()
    load.get_by_role("button", name="Load", exact=True).click()
    done(page, "6 rounds of lot D-01 loaded")
    ledger.expect_new(1, "load")
    positions = page.locator(".fa-positions .fa-pos")
    expect(positions).to_have_count(6)
    for n in range(6):
        expect(positions.nth(n)).to_contain_text("Dummy round from lot D-01")
    expect(page.locator(".fa-facts")).to_contain_text("DUMMIES (6)")
    screenshot(page, "firearm")
    accessible_with_every_form_open(page)

    # Show it loaded: every position and the barrel, to Jo for scene 34.
    page.get_by_role("link", name="Show loaded and hand over").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Show Revolver R-01")
    # The armorer confirms the condition on record; nobody types another.
    page.get_by_label(re.compile("Jo Carver.*scene 34")).check()
    expect(page.get_by_label(re.compile("Dana Hale"))).to_be_checked()
    expect(page.get_by_label("Hand it over once both confirmed")).to_be_checked()
    shown = page.locator(".fa-shown .fa-pos")
    expect(shown).to_have_count(6)
    screenshot(page, "firearm-show")
    accessible_with_every_form_open(page)
    page.get_by_role("button", name="Shown every position and the barrel: DUMMIES (6)").click()

    # The phone goes to Jo: her PIN, on the number pad.
    expect(page.locator(".fa-handto")).to_contain_text("Jo Carver")
    expect(page.get_by_label("Your PIN")).to_have_attribute("inputmode", "numeric")
    page.get_by_label("Your PIN").fill(jo.pin)
    page.get_by_role("button", name="Confirm as Jo Carver").click()
    expect(page.get_by_text("Jo Carver (cast) confirmed.")).to_be_visible()
    ledger.expect_new(0, "the performer's confirmation alone")

    # Then to the first AD: her badge. Only now are the show-clear and the handover recorded,
    # together, with one answer.
    page.get_by_label("Or scan your badge").fill(dana.badge)
    screenshot(page, "firearm-show-first-ad")
    page.get_by_role("button", name="Confirm and record, then hand over").click()
    done(page, r"shown dummies \(6\) to Jo Carver.*witnessed by Dana Hale")
    done(page, "handed to them for scene 34")
    ledger.expect_new(2, "show clear and hand over")
    assert where(page).startswith("With Jo Carver")
    expect(page.get_by_role("heading", name="Custody, newest first")).to_be_visible()
    expect(page.locator(".fa-custody li").first).to_contain_text("Jo Carver")

    # After the take: back, inspected, unloaded, locked away.
    page.get_by_role("button", name=re.compile("Take back from Jo Carver")).click()
    done(page, "taken back")
    inspect_every_position(page)
    page.get_by_role("button", name=re.compile("Unload every position")).click()
    done(page, "unloaded")
    ledger.expect_new(3, "take back, inspect, unload")
    page.locator("summary", has_text="Lock away").click()
    secure = page.locator("form", has=page.get_by_role("button", name="Lock away"))
    secure.get_by_label(re.compile("Armory safe SAFE-1")).check()
    secure.get_by_role("button", name="Lock away").click()
    done(page, "locked away")
    ledger.expect_new(3, "lock away: the safe unlocked, the revolver in, the safe locked")
    assert where(page).startswith("In Armory safe SAFE-1 (locked)")
    expect(page.locator(".fa-facts")).to_contain_text("COLD")
    history = page.locator(".fa-history li")
    expect(history.first).to_contain_text("SAFE-1")


def test_a_refused_handover_shows_every_reason_with_its_rule_and_records_nothing(
    demo: Served, open_phone: OpenPhone, screenshot: Screenshot
) -> None:
    page = open_phone(demo, "marta")
    page.goto(demo.url("firearm/R-01/"))
    page.get_by_role("button", name=re.compile("Take back from Jo Carver")).click()
    done(page, "taken back")
    ledger = Recording(demo)

    # Straight back to Jo: not inspected since it was out of sight, not shown to her.
    page.locator("summary", has_text="Hand over").click()
    form = page.locator("form", has=page.get_by_role("button", name="Hand over", exact=True))
    form.get_by_label(re.compile("Jo Carver.*scene 34")).check()
    form.get_by_role("button", name="Hand over", exact=True).click()

    refusal = page.locator(".fa-refused")
    expect(refusal).to_be_visible()
    expect(refusal.get_by_role("heading")).to_contain_text("Not recorded")
    expect(refusal).to_contain_text("Nothing was recorded.")
    rules = refusal.locator(".fa-rule").all_inner_texts()
    assert "R-SHOW-CLEAR" in rules, rules
    assert "R-CUSTODY" in rules or "R-INSPECT" in rules, rules
    assert all(re.fullmatch(r"R-[A-Z-]+", rule) for rule in rules), rules
    reasons = refusal.locator("li")
    expect(reasons).to_have_count(len(rules))
    for n in range(len(rules)):
        assert len(reasons.nth(n).inner_text()) > 40, "each reason says what to do in words"
    screenshot(page, "firearm-refused")
    ledger.expect_new(0, "a refused handover")
    assert where(page).startswith("With Marta Velez")


def test_a_wrong_pin_confirms_nothing_and_five_lock_pin_entry(
    demo: Served, open_phone: OpenPhone
) -> None:
    page = open_phone(demo, "marta")
    page.goto(demo.url("firearm/R-01/"))
    page.get_by_role("button", name=re.compile("Take back from Jo Carver")).click()
    done(page, "taken back")
    inspect_every_position(page)
    ledger = Recording(demo)
    page.get_by_role("link", name="Show loaded and hand over").click()
    page.get_by_label(re.compile("Jo Carver.*scene 34")).check()
    page.get_by_role("button", name="Shown every position and the barrel: DUMMIES (6)").click()
    wrong = "000000" if demo.badge_of("Jo Carver").pin != "000000" else "111111"
    for _ in range(5):
        page.get_by_label("Your PIN").fill(wrong)
        page.get_by_role("button", name="Confirm as Jo Carver").click()
        expect(page.locator(".fa-refused")).to_contain_text("Wrong PIN")
    expect(page.locator(".fa-refused")).to_contain_text("locked")
    # Even the right PIN is refused now; her badge still works.
    page.get_by_label("Your PIN").fill(demo.badge_of("Jo Carver").pin)
    page.get_by_role("button", name="Confirm as Jo Carver").click()
    expect(page.locator(".fa-refused")).to_contain_text("locked")
    page.get_by_label("Or scan your badge").fill(demo.badge_of("Jo Carver").badge)
    page.get_by_role("button", name="Confirm as Jo Carver").click()
    expect(page.get_by_text("Jo Carver (cast) confirmed.")).to_be_visible()
    ledger.expect_new(0, "confirmations before the first AD")
