"""``{% ledger_footer place %}``: the entry count and the latest checkpoint's root, on every page."""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass
from typing import Any

from django import template

from showclear.core.ledger.checkpoint import CheckpointError, read_unverified
from showclear.web.floor.access import OnProduction

register = template.Library()


@dataclass(frozen=True)
class Seal:
    """The newest signed checkpoint a page shows: its size, its root (base64) and its text."""

    size: int
    root: str
    note: str


_seals: dict[int, tuple[int, Seal]] = {}
_seals_lock = threading.Lock()


def latest_seal(place: OnProduction) -> Seal:
    """The newest stored checkpoint, read once per ledger size the page's state has reached.

    Every committed append stores its checkpoint, so the checkpoint read after the state caught
    up to entry ``n`` seals at least ``n`` entries; it is kept until the state moves on.
    """
    key = place.production.id
    with _seals_lock:
        known = _seals.get(key)
    if known is not None and known[0] == place.state.seq:
        return known[1]
    # The checkpoint this process proved the state against, never merely the newest row
    # stored (which an intruder could have added).
    note = place.service.sealed_note(place.production)
    try:
        checkpoint = read_unverified(note) if note else None
    except CheckpointError:
        checkpoint = None
    seal = Seal(
        checkpoint.size if checkpoint else 0,
        base64.b64encode(checkpoint.root).decode() if checkpoint else "",
        note,
    )
    with _seals_lock:
        _seals[key] = (place.state.seq, seal)
    return seal


@register.inclusion_tag("floor/_ledger_footer.html")
def ledger_footer(place: OnProduction) -> dict[str, Any]:
    """What the footer shows: the checkpoint the state was proved against, and whether the
    stored ledger was found tampered with."""
    seal = latest_seal(place)
    return {
        "slug": place.production.slug,
        "size": seal.size,
        "root": seal.root,
        "tampered": place.tampered is not None,
    }
