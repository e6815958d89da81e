"""Ledgers of format 1, which carried people's badge codes and PIN hashes in their entries.

Before credentials left the ledger, ``person.added`` and ``person.badge-issued`` entries held a
person's badge code and the argon2 hash of their PIN, so anyone who could read the history (any
device token, any export bundle) could confirm as that person. Such a ledger cannot be cleaned:
every entry is sealed by the Merkle tree and the signed checkpoints, and removing a secret from
an entry is exactly the tampering ``verify`` exists to catch. Rewriting it into a new ledger
would give investigators a history that was never the one signed on the day. So ``showclear
verify`` checks the proof as always and then refuses a format-1 ledger, naming the entries that
hold secrets; this version never reads those secrets (every format-1 badge and PIN stopped
working with the upgrade), and docs/ledger-format.md says what to do.
"""

from __future__ import annotations

import json

from showclear.core.mentions import KIND
from showclear.store import LedgerStore, Production

SECRET_FIELDS = ("badge", "pin_hash")
FORMAT_1_KINDS = ("person.added", "person.badge-issued")


def entries_with_credentials(store: LedgerStore, production: Production) -> list[int]:
    """The seqs of the entries that carry a badge code or PIN hash (format 1), in order: read
    through the mention index by kind, so a ledger of a million entries reads only its few
    ``person.*`` entries."""
    store.mentions_current(production)
    found: list[int] = []
    for kind in FORMAT_1_KINDS:
        for seq, body in store.named(production, KIND, kind):
            try:
                payload = json.loads(body)["payload"]
            except (ValueError, KeyError, TypeError):
                continue  # unreadable entries are the audit's to report
            if any(payload.get(name) for name in SECRET_FIELDS):
                found.append(seq)
    return sorted(found)


def refusal(production: Production, seqs: list[int]) -> str:
    """Why ``verify`` refuses this format-1 ledger, and what to do, in one message."""
    shown = ", ".join(str(seq) for seq in seqs[:10]) + (", ..." if len(seqs) > 10 else "")
    return (
        f"{production.name!r} is a ledger of format 1: {len(seqs)} "
        f"entr{'y' if len(seqs) == 1 else 'ies'} ({shown}) carry badge codes or PIN hashes, "
        "readable by anyone holding its history or an export. Its hashes and signatures were "
        "checked and hold, but it cannot be cleaned without breaking its proof, so it is not "
        "reported intact: treat every badge and PIN in it as disclosed (this version no longer "
        "accepts any of them), issue new badges and PINs, keep this ledger and its exports as "
        "they are, for investigators only, and see docs/ledger-format.md"
    )
