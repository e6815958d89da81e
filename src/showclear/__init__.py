"""Showclear: chain of custody and safety interlocks for firearms on film and TV sets."""

from __future__ import annotations

__version__ = "0.1.0"
