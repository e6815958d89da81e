"""The application layer: the only writer of a production's ledger, and what it needs.

- :mod:`.writer`: :class:`Service`, the service every shell calls: lock, decide, append, seal,
  commit; and the reads that prove something (``verify``);
- :mod:`.keyring`: the production's signing keys; :mod:`.naming`: production names and origins;
- :mod:`.credentials`, :mod:`.credential_desk`: badges and PINs, kept out of the ledger;
- :mod:`.codes`: what a scanned or typed code names on the state;
- :mod:`.traces`: the store queries behind a trace; :mod:`.ledger_format`: the ledger's format
  version kept in the store.

``from showclear.service import Service`` (and the other names below) is the face the shells
use; the writer's module is an implementation detail.
"""

from __future__ import annotations

from showclear.service.writer import (
    GENESIS_PERSON,
    BatchRefused,
    Executed,
    InputError,
    Intrusion,
    Service,
    StoreError,
    trial_copy,
)

__all__ = [
    "GENESIS_PERSON",
    "BatchRefused",
    "Executed",
    "InputError",
    "Intrusion",
    "Service",
    "StoreError",
    "trial_copy",
]
