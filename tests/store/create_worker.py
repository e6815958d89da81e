"""A separate process that creates a production: one side of the concurrent-creation test.

Usage: ``python create_worker.py DATABASE_URL DATA_DIR PRODUCTION``. It opens its own
connection, prints ``ready``, waits for a line on stdin (so that both workers start at the
same moment), then creates the production and prints ``created ORIGIN`` or ``refused WHY``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from showclear.service import InputError, Service
from showclear.service.keyring import Keyring
from showclear.store import open_store


def main(url: str, data_dir: str, name: str) -> None:
    """Create ``name`` once told to go."""
    store = open_store(url)
    store.create_schema()
    service = Service(store=store, keyring=Keyring(Path(data_dir)))
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        production, _ = service.create_production(name, "Sarah Zachry")
    except InputError as error:
        print(f"refused {error}", flush=True)
    else:
        print(f"created {production.origin}", flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
