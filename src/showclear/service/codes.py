"""The codes on Showclear's QR labels, and reading back whatever a scanner or a person typed.

A label's QR code holds one line of text::

    SC1:<kind>:<value>

``SC1`` names the scheme and its version, so a label printed today still reads the same after
the format grows (a later version gets ``SC2`` and is refused here, never guessed at). ``<kind>``
is one letter: ``F`` firearm, ``L`` lot, ``C`` container, ``B`` badge. ``<value>`` is the
firearm's, lot's or container's tag, or the person's badge code as printed on their badge (it may itself contain colons: everything after the second colon is the value).
Examples: ``SC1:F:R-01``, ``SC1:L:D-01``, ``SC1:C:SAFE-1``, ``SC1:B:DI-B92A765541``.

Tags in upper case, digits and ``-`` keep the whole code in the QR alphanumeric mode, the
densest there is, so labels stay small and scan from further away.

A code without the ``SC1:`` prefix is a tag or badge code typed by hand (or read from an older
label): ``R-01`` means "whatever on this production carries R-01". The prefix is read in any
case (``sc1:f:r-01`` from a scanner set to lower case still works), and so are the values when
nothing matches them exactly: a person typing ``r-01`` means ``R-01``.

Pure: no Django, no I/O. The web scan page and the label sheet both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from showclear.core.state import ProductionState
from showclear.service.credentials import badge_serial

SCHEME = "SC1"
"""The scheme and version every label of this Showclear prints."""

FIREARM = "firearm"
LOT = "lot"
CONTAINER = "container"
BADGE = "badge"
KINDS = (FIREARM, LOT, CONTAINER, BADGE)

_LETTER = {FIREARM: "F", LOT: "L", CONTAINER: "C", BADGE: "B"}
_KIND = {letter: kind for kind, letter in _LETTER.items()}

MAX_LENGTH = 200
"""Longer than any tag or badge: anything longer is not a Showclear code."""

_SCHEMED = re.compile(r"^SC(\d+):", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CodeError(ValueError):
    """Text that is no Showclear code; the message is a sentence for the person scanning."""


@dataclass(frozen=True)
class Code:
    """What a code names: a ``kind`` and its tag or badge, or a bare typed ``value`` (kind None)."""

    kind: str | None
    value: str

    @property
    def text(self) -> str:
        """The code as printed in a QR (``SC1:F:R-01``), or the bare typed value."""
        return encode(self.kind, self.value) if self.kind else self.value


def encode(kind: str, value: str) -> str:
    """The QR text for a firearm, lot or container tag, or a badge code: ``SC1:F:R-01``."""
    if kind not in _LETTER:
        raise CodeError(f"There is no kind of code called {kind!r}.")
    _check_value(value)
    return f"{SCHEME}:{_LETTER[kind]}:{value}"


def decode(text: str) -> Code:
    """Read a scanned or typed code; raise :class:`CodeError` for text that cannot be one.

    Surrounding spaces and the line end a scanner sends are dropped. A prefixed code must name
    a known kind and a value; a bare value is a hand-typed tag or badge code of any kind.
    """
    cleaned = text.strip()
    schemed = _SCHEMED.match(cleaned)
    if schemed is None:
        _check_value(cleaned)
        return Code(None, cleaned)
    if f"SC{schemed.group(1)}" != SCHEME:
        raise CodeError(
            f"The code {_shown(cleaned)} was printed by a newer Showclear ({schemed.group(0)[:-1]})."
        )
    letter, colon, value = cleaned[schemed.end() :].partition(":")
    kind = _KIND.get(letter.upper())
    if kind is None or not colon:
        raise CodeError(
            f"The code {_shown(cleaned)} names no firearm, lot, container or badge "
            "(it should read like SC1:F:R-01)."
        )
    _check_value(value)
    return Code(kind, value)


def _check_value(value: str) -> None:
    if not value.strip():
        raise CodeError("The code is empty.")
    if len(value) > MAX_LENGTH:
        raise CodeError(f"The code is {len(value)} characters long; no tag or badge is that long.")
    if _CONTROL.search(value):
        raise CodeError("The code holds control characters; no tag or badge does.")
    if value != value.strip():
        raise CodeError(f"The code {_shown(value)} starts or ends with a space.")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


@dataclass(frozen=True)
class Found:
    """One thing on the production a code names: its kind and key (tag, or a person's id)."""

    kind: str
    key: str


def find(state: ProductionState, code: Code) -> list[Found]:
    """Everything on the production ``code`` names: usually one thing, none if unknown.

    Exact matches win; when there is none, a match ignoring case is taken (typed by hand).
    A bare typed value may match a tag and a badge at once; the caller asks which was meant.
    """
    kinds = (code.kind,) if code.kind else KINDS
    exact = [found for kind in kinds for found in _named(state, kind, code.value)]
    if exact:
        return exact
    folded = code.value.casefold()
    return [found for kind in kinds for found in _named(state, kind, folded, casefold=True)]


def _named(state: ProductionState, kind: str, value: str, *, casefold: bool = False) -> list[Found]:
    def same(name: str) -> bool:
        return bool(name) and (name.casefold() if casefold else name) == value

    if kind == BADGE:
        # Only the badge's serial is on record (its secret is checked by the service, see
        # showclear.service.credential_desk): a code finds whoever holds that serial now.
        serial = badge_serial(value)
        return [
            Found(BADGE, p.person_id)
            for p in state.people.values()
            if serial and p.badge_id == serial
        ]
    tags: Iterable[str] = {
        FIREARM: state.firearms.keys(),
        LOT: state.lots.keys(),
        CONTAINER: state.containers.keys(),
    }[kind]
    return [Found(kind, tag) for tag in tags if same(tag)]
