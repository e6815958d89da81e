"""Finding people on the roster by what they show in person: their badge.

A badge reaches Showclear typed by hand, typed by a keyboard-wedge scanner (the code, then
Enter), or read from a label's QR code (``SC1:B:<code>``). All three mean the same person.
"""

from __future__ import annotations

from showclear.core.state import Person, Production

BADGE_PREFIX = "SC1:B:"


def badge_code(scanned: str) -> str:
    """The badge code in what was typed or scanned (a label's ``SC1:B:`` prefix removed)."""
    code = scanned.strip()
    if code.upper().startswith(BADGE_PREFIX):
        code = code[len(BADGE_PREFIX) :]
    return code.strip()


def by_badge(state: Production, scanned: str) -> Person | None:
    """The person whose badge was typed or scanned, or ``None``. An exact match wins; a code
    typed in another case still finds its one person."""
    code = badge_code(scanned)
    if not code:
        return None
    exact = [p for p in state.people.values() if p.badge and p.badge == code]
    if exact:
        return exact[0]
    folded = [p for p in state.people.values() if p.badge and p.badge.casefold() == code.casefold()]
    return folded[0] if len(folded) == 1 else None
