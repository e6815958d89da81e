"""How a production's name becomes its slug and its ledger's origin."""

from __future__ import annotations

import re
import secrets
import unicodedata


def slugify(name: str) -> str:
    """A lower-case ASCII slug of a production's name (``"Dead Man's Gulch"`` -> ``dead-mans-gulch``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace("'", "")).strip("-")
    return words[:60].strip("-") or "production"


def new_origin(slug: str) -> str:
    """A checkpoint origin unique to one production's ledger, e.g. ``showclear/rust/9f2c41d0``."""
    return f"showclear/{slug}/{secrets.token_hex(4)}"
