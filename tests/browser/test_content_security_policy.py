"""The Content-Security-Policy in real Chromium: every main page works under it, with no
violation reported (no inline script or style, nothing loaded from elsewhere), and it forbids
inline script."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from served_demo import OpenPhone, Served

# Each page as the person who uses it opens it: (name, username, path under /p/<slug>/).
PAGES = [
    ("board", "marta", ""),
    ("today", "dana", "today/"),
    ("firearm", "marta", "firearm/R-01/"),
    ("firearm-trace", "marta", "firearm/R-01/trace/"),
    ("scan", "marta", "scan/"),
    ("lot", "marta", "lot/D-04/"),
    ("meeting", "dana", "meeting/"),
    ("stop", "pat", "stop/"),
    ("wrap", "marta", "wrap/"),
    ("ledger", "dana", "ledger/"),
    ("reports", "marta", "reports/"),
    ("labels", "marta", "labels/"),
]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def _watch(page: Page) -> list[str]:
    """Record every CSP violation the page reports, by event and on the console."""
    page.context.add_init_script(LISTEN)
    said: list[str] = []
    page.on(
        "console",
        lambda message: (
            said.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return said


def _violations(page: Page, console: list[str]) -> list[str]:
    page.wait_for_timeout(1500)  # the STOP WORK banner polls every second: let htmx swap it
    found: list[str] = page.evaluate("window.__violations || []")
    return found + console


@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_raises_no_content_security_policy_violation(
    shared_demo: Served, open_phone: OpenPhone, name: str, username: str, path: str
) -> None:
    page = open_phone(shared_demo, username)
    console = _watch(page)
    response = page.goto(shared_demo.url(path))
    assert response is not None
    assert response.status == 200, f"{name} answered {response.status}"
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert _violations(page, console) == []


def test_the_login_page_and_the_api_docs_raise_no_violation(
    shared_demo: Served, open_phone: OpenPhone
) -> None:
    page = open_phone(shared_demo, None)
    console = _watch(page)
    for path in ("/login/", "/api/v1/docs"):
        response = page.goto(shared_demo.base + path)
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert _violations(page, console) == [], path


def test_an_inline_script_that_got_into_a_page_does_not_run(
    shared_demo: Served, open_phone: OpenPhone
) -> None:
    """As if escaping had failed somewhere: the policy itself stops the script."""
    page = open_phone(shared_demo, "marta")
    console = _watch(page)
    page.goto(shared_demo.url())
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.appendChild(script);
        const button = document.createElement("button");
        button.setAttribute("onclick", "window.__clicked = true");
        document.body.appendChild(button);
        button.click();
    }"""
    )
    assert page.evaluate("window.__ran === undefined && window.__clicked === undefined")
    reported = _violations(page, console)
    assert any("script-src" in line for line in reported), reported
