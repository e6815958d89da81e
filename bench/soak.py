"""Soak: a realistic peak held for a long time against ``showclear serve`` on SQLite.

Fifty devices (one API token each) each send a command every 2 s, and read in between (the
production, a person, a page of history), for ``--minutes`` (the issue's soak: 10 minutes).
The crew's arrivals and departures and training records are the commands, each with an
``Idempotency-Key``. Every minute it prints the requests, errors, p50/p95 latency of commands
and reads in that minute, and the resident memory of the server's processes (master and
workers); at the end the totals, and whether memory stayed flat (last minute within 15 % of the
second; the first minute includes warming up).

    .venv/bin/python bench/soak.py                 # 10 minutes, 50 devices
    .venv/bin/python bench/soak.py --minutes 1     # a quick check that it runs

Target (issue 8): zero errors, memory flat, p95 reported. The client runs on the same machine
as the server, so its own CPU use is part of the latency measured.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "faults"))
from fault_server import (  # the fault tests' helpers
    KillableServer,
    api,
    init_production,
    make_token,
    showclear_env,
)

COMMAND_EVERY = 2.0


@dataclass
class Minute:
    """What happened in one minute of the soak."""

    commands: list[float] = field(default_factory=list)
    reads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Clock:
    """The minutes of the run, each collecting what the devices did."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.minutes: dict[int, Minute] = {}
        self.lock = threading.Lock()

    def note(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            minute = self.minutes.setdefault(int((time.monotonic() - self.start) // 60), Minute())
            if error is not None:
                minute.errors.append(error)
            (minute.commands if kind == "command" else minute.reads).append(seconds)


def device(
    number: int, base: str, slug: str, token: str, clock: Clock, stop: threading.Event
) -> None:
    """One scanner: a command every 2 s, a read half way between, until ``stop``."""
    person = f"crew-{number}"
    reads = [
        f"/productions/{slug}",
        f"/productions/{slug}/people/{person}",
        f"/productions/{slug}/history?person={person}&limit=20",
    ]
    beat = 0
    next_at = time.monotonic() + (number % 20) * COMMAND_EVERY / 20  # spread over the 2 s
    while not stop.is_set():
        time.sleep(max(0.0, next_at - time.monotonic()))
        if beat % 5 == 4:
            name, body = "record-training", {
                "person_id": person, "course": f"soak drill {beat}", "completed_on": "2024-01-01",
            }  # fmt: skip
        else:
            name = "arrive-on-set" if beat % 2 == 0 else "leave-set"
            body = {"person_id": person}
        sent = time.monotonic()
        answer = api(
            base, "POST", f"/productions/{slug}/commands/{name}", token=token, body=body,
            key=str(uuid.uuid4()),
        )  # fmt: skip
        clock.note(
            "command",
            time.monotonic() - sent,
            None if answer.status == 201 else f"{name}: {answer.status} {answer.body}",
        )
        time.sleep(max(0.0, next_at + COMMAND_EVERY / 2 - time.monotonic()))
        sent = time.monotonic()
        path = reads[beat % len(reads)]
        answer = api(base, "GET", path, token=token)
        clock.note(
            "read",
            time.monotonic() - sent,
            None if answer.status == 200 else f"GET {path}: {answer.status} {answer.body}",
        )
        beat += 1
        next_at += COMMAND_EVERY


def resident_mb(group: int) -> float:
    """The resident memory of every process of process group ``group``, in MB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat[stat.rindex(")") + 2 :].split()[2]) != group:
                continue
            status = (entry / "status").read_text()
        except (OSError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def p(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` in milliseconds (0 when empty)."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--workers", type=int, default=None)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="showclear-soak-"))
    env = showclear_env(workdir / "data")
    print(f"Setting up {options.devices} devices in {workdir} ...", flush=True)
    slug = init_production(env, "Soak Western")
    with ThreadPoolExecutor(max_workers=4) as pool:
        tokens = list(
            pool.map(lambda n: make_token(env, slug, f"scanner {n}"), range(options.devices))
        )
    server = KillableServer(
        env,
        workdir / "serve.log",
        *(["--workers", str(options.workers)] if options.workers else []),
    )
    server.start()
    assert server.process is not None
    for n in range(options.devices):
        answer = api(
            server.base, "POST", f"/productions/{slug}/commands/add-person", token=tokens[0],
            body={"name": f"Crew Member {n}", "roles": ["crew"], "person_id": f"crew-{n}"},
        )  # fmt: skip
        assert answer.status == 201, answer
    clock, stop = Clock(), threading.Event()
    memory = [resident_mb(server.process.pid)]
    fleet = [
        threading.Thread(
            target=device, args=(n, server.base, slug, tokens[n], clock, stop), daemon=True
        )
        for n in range(options.devices)
    ]
    print(
        f"{options.devices} devices, a command each every {COMMAND_EVERY:.0f} s and a read "
        f"between, for {options.minutes:g} minutes. Server memory at start: {memory[0]:.0f} MB",
        flush=True,
    )
    print("minute  commands  reads  errors  cmd p50/p95 ms  read p50/p95 ms  server MB")
    clock.start = time.monotonic()
    for thread in fleet:
        thread.start()
    try:
        end = clock.start + options.minutes * 60
        shown = 0
        while time.monotonic() < end:
            time.sleep(min(1.0, max(0.0, end - time.monotonic())))
            done = int((time.monotonic() - clock.start) // 60)
            while shown < done:
                memory.append(resident_mb(server.process.pid))
                _print_minute(shown, clock.minutes.get(shown, Minute()), memory[-1])
                shown += 1
        stop.set()
        for thread in fleet:
            thread.join(timeout=60)
        memory.append(resident_mb(server.process.pid))
        if shown in clock.minutes:
            _print_minute(shown, clock.minutes[shown], memory[-1])
    finally:
        stop.set()
        server.stop()
    every = list(clock.minutes.values())
    commands = [s for m in every for s in m.commands]
    reads = [s for m in every for s in m.reads]
    errors = [e for m in every for e in m.errors]
    settled = memory[2] if len(memory) > 2 else memory[-1]
    growth = (memory[-1] - settled) / settled if settled else 0.0
    print(
        f"soak: {options.minutes:g} min, {options.devices} devices: {len(commands)} commands "
        f"(p50 {p(commands, 0.5):.0f} ms, p95 {p(commands, 0.95):.0f} ms), {len(reads)} reads "
        f"(p50 {p(reads, 0.5):.0f} ms, p95 {p(reads, 0.95):.0f} ms), {len(errors)} errors; "
        f"server memory {memory[0]:.0f} MB at start, {settled:.0f} MB after warming up, "
        f"{memory[-1]:.0f} MB at the end ({growth:+.0%}: "
        f"{'flat' if abs(growth) <= 0.15 else 'NOT flat'})"
    )
    for error in errors[:10]:
        print(f"ERROR: {error}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if not errors and abs(growth) <= 0.15 else 1


def _print_minute(number: int, minute: Minute, megabytes: float) -> None:
    print(
        f"{number + 1:>6}  {len(minute.commands):>8}  {len(minute.reads):>5}  "
        f"{len(minute.errors):>6}  {p(minute.commands, 0.5):>6.0f}/{p(minute.commands, 0.95):<7.0f}"
        f"  {p(minute.reads, 0.5):>6.0f}/{p(minute.reads, 0.95):<8.0f}  {megabytes:>9.0f}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
