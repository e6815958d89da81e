"""Signing in on a phone and the board every page starts from."""

from __future__ import annotations

from playwright.sync_api import Request, expect
from served_demo import OpenPhone, Screenshot, Served


def test_the_armorer_signs_in_on_a_phone_and_lands_on_the_board(
    shared_demo: Served, open_phone: OpenPhone, screenshot: Screenshot
) -> None:
    page = open_phone(shared_demo, None)
    page.goto(shared_demo.base + "/")
    expect(page).to_have_url(f"{shared_demo.base}/login/?next=/")
    screenshot(page, "login")
    page.get_by_label("Username").fill("marta")
    page.get_by_label("Password").fill(shared_demo.passwords["marta"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(shared_demo.url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Dust and Iron")
    # The header's Menu holds every area and the sign-out.
    page.locator("details.menu > summary").click()
    expect(page.get_by_role("button", name="Sign out Marta Velez")).to_be_visible()
    screenshot(page, "board")


def test_every_page_has_the_ledger_footer_linking_to_the_checkpoint(
    shared_demo: Served, open_phone: OpenPhone, screenshot: Screenshot
) -> None:
    page = open_phone(shared_demo, "dana")
    size = shared_demo.ledger_size()
    footer = page.get_by_role("link", name="Ledger:")
    expect(footer).to_contain_text(f"{size} entries")
    footer.click()
    expect(page).to_have_url(shared_demo.url("ledger/"))
    checkpoint = page.locator("pre.note").first
    expect(checkpoint).to_contain_text(f"showclear/{shared_demo.slug}/")
    expect(checkpoint).to_contain_text(f"\n{size}\n")
    screenshot(page, "ledger")


def test_a_wrong_password_is_refused_in_words(shared_demo: Served, open_phone: OpenPhone) -> None:
    page = open_phone(shared_demo, None)
    page.goto(shared_demo.base + "/login/")
    page.get_by_label("Username").fill("marta")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")


def test_every_asset_comes_from_showclear_itself(
    shared_demo: Served, open_phone: OpenPhone
) -> None:
    """Sets are often offline: no CDN, no font service, nothing fetched from elsewhere."""
    page = open_phone(shared_demo, None)
    requested: list[str] = []

    def note(request: Request) -> None:
        requested.append(request.url)

    page.on("request", note)
    page.goto(shared_demo.base + "/login/")
    page.get_by_label("Username").fill("marta")
    page.get_by_label("Password").fill(shared_demo.passwords["marta"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    assert requested
    elsewhere = [url for url in requested if not url.startswith(shared_demo.base + "/")]
    assert elsewhere == []
    assert any("htmx" in url for url in requested), "htmx is served by Showclear"
