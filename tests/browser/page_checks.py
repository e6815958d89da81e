"""What a page must be on a phone on set: accessible (axe-core), big targets, no sideways scroll."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()  # axe-core as bundled in the axe-playwright-python wheel from PyPI (npm's axe-core)

SERIOUS = ("serious", "critical")
MIN_TARGET_PX = 44

# Every control a gloved thumb may have to hit. A checkbox or radio counts through its label
# when the label wraps it (the label is then the target), so it is measured as the label.
_TARGETS_JS = """
(minimum) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    let target = element;
    if ((element.type === 'checkbox' || element.type === 'radio') && element.closest('label')) {
      target = element.closest('label');
    }
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered (in a closed <details>)
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const name = (element.getAttribute('aria-label') || element.innerText || element.value || element.name || '').trim().slice(0, 40);
      small.push(`${element.tagName.toLowerCase()} "${name}" ${box.width.toFixed(0)}x${box.height.toFixed(0)}`);
    }
  }
  return small;
}
"""


def serious_axe_violations(page: Page) -> list[str]:
    """Every serious or critical axe-core violation on the page, one line each with where."""
    results = _axe.run(page)
    found: list[str] = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        nodes: list[dict[str, Any]] = violation["nodes"]
        where = "; ".join(
            f"{' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1].strip()}"
            for node in nodes[:3]
        )
        found.append(
            f"{violation['id']} ({violation['impact']}, {len(nodes)} nodes): {violation['help']} — {where}"
        )
    return found


def axe_summary(page: Page) -> dict[str, int]:
    """Violation id -> node count, of every impact (for the report, not for failing)."""
    results = _axe.run(page)
    return {
        f"{violation['id']} ({violation['impact']})": len(violation["nodes"])
        for violation in results.response["violations"]
    }


def small_targets(page: Page) -> list[str]:
    """Buttons, links and fields smaller than 44x44 CSS pixels."""
    found: list[str] = page.evaluate(_TARGETS_JS, MIN_TARGET_PX)
    return found


def sideways_overflow(page: Page, phone_width: int) -> int:
    """How many CSS pixels the page is wider than the phone (0: no sideways scrolling).

    A mobile browser widens its layout viewport to fit content that overflows, so the page is
    measured against the phone's width, not against its own client width.
    """
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - phone_width)


def open_page(page: Page, served: Any, path: str, status: int = 200) -> None:
    """Open ``path`` of the served demo (``served.url(path)``) and wait until it has loaded; it
    must answer ``status``."""
    response = page.goto(served.url(path))
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"
    page.wait_for_load_state("load")


# Every word of at most MAX_WORD characters must sit on one line: a word the layout breaks over
# lines (a narrow table column squeezing "Revolver" into "Re/vol/ver") is unreadable on set. Longer
# tokens (hashes, URLs, badge codes) may wrap. A word is measured with a DOM Range: more than one
# line box means it was broken.
MAX_WORD = 16
_BROKEN_WORDS_JS = """
(maximum) => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, pre, svg, [hidden]')) continue;
    const style = getComputedStyle(parent);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const text = node.textContent;
    const words = /[^\\s-]+-?/g;  // a break after a hyphen is the language's own
    for (let match = words.exec(text); match; match = words.exec(text)) {
      if (match[0].length > maximum || match[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(`"${match[0]}" in ${parent.tagName.toLowerCase()}`);
    }
  }
  return broken.slice(0, 10);
}
"""


def broken_words(page: Page) -> list[str]:
    """Words of at most :data:`MAX_WORD` characters that the layout breaks over two lines."""
    found: list[str] = page.evaluate(_BROKEN_WORDS_JS, MAX_WORD)
    return found


#: What :func:`phone_problems` finds on a page that is right on a phone.
NO_PROBLEMS: dict[str, list[str] | int] = {
    "axe-core serious or critical violations": [],
    "targets smaller than 44x44 px": [],
    "pixels wider than the phone": 0,
    "words broken over lines": [],
}


def phone_problems(page: Page, phone_width: int) -> dict[str, list[str] | int]:
    """Everything a page must not have on a phone, by check: compare with :data:`NO_PROBLEMS`."""
    return {
        "axe-core serious or critical violations": serious_axe_violations(page),
        "targets smaller than 44x44 px": small_targets(page),
        "pixels wider than the phone": sideways_overflow(page, phone_width),
        "words broken over lines": broken_words(page),
    }
