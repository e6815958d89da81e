"""``{% ledger_footer place %}``: the entry count and the latest checkpoint's root, on every page."""

from __future__ import annotations

import base64
from typing import Any

from django import template

from showclear.core.ledger.checkpoint import CheckpointError, read_unverified
from showclear.web.floor.access import OnProduction

register = template.Library()


@register.inclusion_tag("floor/_ledger_footer.html")
def ledger_footer(place: OnProduction) -> dict[str, Any]:
    """What the footer shows, read from the newest stored checkpoint."""
    note = place.service.store.latest_checkpoint(place.production) or ""
    try:
        checkpoint = read_unverified(note) if note else None
    except CheckpointError:
        checkpoint = None
    return {
        "slug": place.production.slug,
        "size": checkpoint.size if checkpoint else 0,
        "root": base64.b64encode(checkpoint.root).decode() if checkpoint else "",
    }
