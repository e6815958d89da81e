"""One side of a race: a separate process, with its own connection and its own service, that
sends one command the moment every racer is ready.

The worker catches its in-memory state up *before* the start line, so the state it holds when
it sends its command is already stale if the other racer commits first: only the catch-up the
service does under the production's lock can tell it what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from showclear.core.commands import Command
from showclear.core.decide import Refused
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store


@dataclass(frozen=True)
class Outcome:
    """What one racer was told: recorded (with its sequence numbers), refused (with every
    rule and sentence), or an error (which the race must never produce)."""

    device: str
    verdict: str
    seqs: tuple[int, ...] = ()
    rule_ids: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    error: str = ""


def race(
    url: str,
    data_dir: str,
    production_name: str,
    person_id: str,
    device: str,
    command: Command,
    at: datetime,
    start: Any,
    outcomes: Any,
) -> None:
    """Wait at ``start`` (a multiprocessing barrier), then send ``command`` as ``person_id``."""
    try:
        store = open_store(url)
        service = Service(
            store=store, keyring=Keyring(Path(data_dir)), device=device, clock=lambda: at
        )
        production = service.production(production_name)
        service.state(production)  # caught up now; stale once the other racer commits
        service.signer(production)
    except BaseException as error:
        start.abort()
        outcomes.put(Outcome(device, "error", error=f"{type(error).__name__}: {error}"))
        raise
    try:
        start.wait(timeout=60)
        executed = service.execute(production, command, person_id=person_id)
        outcomes.put(Outcome(device, "recorded", seqs=tuple(e.seq for e in executed.entries)))
    except Refused as refused:
        outcomes.put(
            Outcome(
                device,
                "refused",
                rule_ids=refused.rule_ids,
                messages=tuple(v.message for v in refused.violations),
            )
        )
    except BaseException as error:
        outcomes.put(Outcome(device, "error", error=f"{type(error).__name__}: {error}"))
    finally:
        store.close()
