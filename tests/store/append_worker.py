"""A separate process that appends to a production's ledger: one side of the concurrency test.

Usage: ``python append_worker.py DATABASE_URL DATA_DIR PRODUCTION WRITER COUNT``. It opens its
own connection, prints ``ready``, waits for a line on stdin (so that every worker starts at the
same moment), then appends COUNT entries, each in its own committed append, and prints the
sequence numbers it was given.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store


def main(url: str, data_dir: str, name: str, writer: str, count: int) -> None:
    """Append ``count`` entries as ``writer`` once told to go."""
    store = open_store(url)
    service = Service(store=store, keyring=Keyring(Path(data_dir)), device=writer)
    production = service.production(name)
    signer = service.signer(production)
    print("ready", flush=True)
    sys.stdin.readline()
    given = []
    for n in range(count):
        with store.writing(production, signer) as log:
            entry = log.append(
                "test.noted",
                {"writer": writer, "pass": n},
                person="person-2",
                device=writer,
                recorded_at=datetime.now(UTC),
            )
        given.append(entry.seq)
        time.sleep(0.002)  # let the other worker in between appends, as on a busy set
    store.close()
    print(" ".join(map(str, given)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
