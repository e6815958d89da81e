"""The words Showclear says things in: a time, a count, a firearm's condition.

One definition of each, for every page, report, refusal and trace. The sentence each kind of
ledger entry makes is built from these by :mod:`showclear.core.read.sentences`.

Pure, and low in the core (beside the vocabulary): the deciders word their refusals with it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from showclear.core.vocabulary import COLD, DUMMIES, HOT

if TYPE_CHECKING:
    from showclear.core.events.armory import Placement

# -- times ---------------------------------------------------------------------------------------


def stamp(at: datetime) -> str:
    """``"Oct 14 10:21 UTC"``: a time on a page or a phone, short, and says it is UTC."""
    return at.astimezone(UTC).strftime("%b %d %H:%M UTC")


def full_stamp(at: datetime) -> str:
    """``"2025-03-04 08:01:00 UTC"``: a time in a trace or a report, with the year and to the
    second, so entries recorded in the same minute are told apart."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def clock(at: datetime) -> str:
    """``"13:02 UTC"``: the time of day, for a sentence about today."""
    return at.astimezone(UTC).strftime("%H:%M UTC")


# -- counts and conditions -------------------------------------------------------------------------


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 round"``, ``"6 rounds"``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def rounds(count: int) -> str:
    """``"1 round"``, ``"50 rounds"``."""
    return plural(count, "round")


def described(held: tuple[str, int]) -> str:
    """``"cold"``, ``"dummies (6)"``, ``"hot (2 blanks)"``: a firearm's condition in words."""
    word, count = held
    if word == COLD:
        return "cold"
    if word == HOT:
        return f"hot ({plural(count, 'blank')})"
    if word == DUMMIES:
        return f"dummies ({count})"
    return f"dummies and blanks MIXED ({rounds(count)})"


def held(contents: Sequence[Placement]) -> str:
    """``"chamber 1: D-01, chamber 2: D-01"``, or ``"empty"``."""
    return ", ".join(f"{p.position}: {p.lot}" for p in contents) or "empty"
