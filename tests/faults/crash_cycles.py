"""Crash cycles: devices keep recording while ``showclear serve`` is killed at random moments.

Several API devices (one token each) record commands as fast as the server answers, each with
an ``Idempotency-Key``, and send a command again with the same key whenever the connection
fails, as a scanner does. Meanwhile the whole server (gunicorn's master and every worker) is
killed with SIGKILL at a random moment, started again on the same database, and so on, cycle
after cycle. At the end, the ledger itself is read:

- every command a device was told was recorded (201) is in the log (else it counts as lost);
- no command is in the log twice (a retry must never record again);
- a command cut off by a kill and never answered is in the log at most once;
- ``showclear verify`` finds the ledger intact.

Each command is a training record with a course name of its own (``crash drill <device>-<n>``),
so the log says exactly which commands it holds, and how often.

Run on its own (prints one summary line; exits 1 when anything was lost or doubled)::

    .venv/bin/python tests/faults/crash_cycles.py --cycles 50
    .venv/bin/python tests/faults/crash_cycles.py --cycles 50 \
        --postgres postgresql://postgres@127.0.0.1:5432/postgres   # a fresh database, dropped after

``tests/faults/test_crash_cycles.py`` runs a few cycles of it in the suite.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fault_server import (
    KillableServer,
    api,
    init_production,
    make_token,
    run_showclear,
    showclear_env,
)

COURSE = "crash drill"
RETRY_PAUSE = 0.1
"""Seconds a device waits before sending again after a failed connection."""

GIVE_UP = 60.0
"""Seconds a device keeps sending its last command again once the kills have stopped (and the
server stays up) before it reports the command as failed. While the kills go on it never gives
up, as a scanner would not: a command can meet several kills in a row on a loaded machine."""


@dataclass
class Tally:
    """What one device was told."""

    acknowledged: list[str] = field(default_factory=list)
    """Courses answered 201 (recorded)."""
    cut_off: list[str] = field(default_factory=list)
    """Courses whose outcome the device never learned (the request was in flight at a kill and
    a retry found it still pending: the API cannot say whether it was recorded)."""
    failures: list[str] = field(default_factory=list)
    """Anything else: a refusal, an error, a command never answered in :data:`GIVE_UP`."""
    retries: int = 0


class Device(threading.Thread):
    """One scanner: records training commands one after another, retrying with its key."""

    def __init__(self, number: int, base: str, slug: str, token: str, stop: threading.Event):
        super().__init__(name=f"device-{number}", daemon=True)
        self.number = number
        self.base = base
        self.path = f"/productions/{slug}/commands/record-training"
        self.token = token
        self.stop = stop
        self.tally = Tally()

    def run(self) -> None:
        sent = 0
        while not self.stop.is_set():
            sent += 1
            self.record(f"{COURSE} {self.number}-{sent}")

    def record(self, course: str) -> None:
        body = {"person_id": "person-1", "course": course, "completed_on": "2024-01-01"}
        key = str(uuid.uuid4())
        deadline: float | None = None
        while True:
            answer = api(self.base, "POST", self.path, token=self.token, body=body, key=key)
            if answer.status == 201:
                self.tally.acknowledged.append(course)
                return
            if answer.status == 409 and _pending(answer.body):
                # The first request with this key was claimed and then the server died: the
                # API cannot tell whether it reached the ledger (docs/operations.md).
                self.tally.cut_off.append(course)
                return
            if answer.status is not None and answer.status not in (502, 503, 504):
                self.tally.failures.append(f"{course}: {answer.status} {answer.body}")
                return
            if deadline is None and self.stop.is_set():
                deadline = time.monotonic() + GIVE_UP
            if deadline is not None and time.monotonic() > deadline:
                self.tally.failures.append(
                    f"{course}: no answer in {GIVE_UP:.0f} s (last: {answer.status} {answer.body})"
                )
                return
            self.tally.retries += 1
            time.sleep(RETRY_PAUSE)


def _pending(body: object) -> bool:
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    return "still being recorded" in detail or "never finished" in detail


@dataclass
class Summary:
    """The outcome of a crash-cycle run."""

    backend: str
    cycles: int
    acknowledged: int
    found: int
    lost: list[str]
    doubled: dict[str, int]
    cut_off: int
    cut_off_recorded: int
    failures: list[str]
    verify: str
    verified: bool
    retries: int
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.lost and not self.doubled and not self.failures and self.verified

    def line(self) -> str:
        return (
            f"crash cycles ({self.backend}): {self.cycles} cycles, {self.acknowledged} commands "
            f"acknowledged, {self.found} found, {len(self.lost)} entries lost, "
            f"{len(self.doubled)} doubled; {self.cut_off} cut off by a kill and never answered "
            f"({self.cut_off_recorded} of them recorded once, none twice); "
            f"{len(self.failures)} failures; {self.retries} retries; "
            f"verify: {'intact' if self.verified else 'NOT INTACT'}; {self.seconds:.0f} s"
        )


def run(
    workdir: Path,
    *,
    cycles: int,
    database_url: str | None = None,
    devices: int = 6,
    up: tuple[float, float] = (0.3, 2.0),
    seed: int | None = None,
    workers: int = 2,
) -> Summary:
    """Run ``cycles`` kill-and-restart cycles under load on a fresh production in ``workdir``
    (SQLite there, or the empty database at ``database_url``)."""
    started = time.monotonic()
    chance = random.Random(seed)
    data_dir = workdir / "data"
    env = showclear_env(data_dir, database_url)
    slug = init_production(env, "Crash Test Western")
    with ThreadPoolExecutor(max_workers=devices) as pool:  # each is a CLI process: in parallel
        tokens = list(pool.map(lambda n: make_token(env, slug, f"scanner {n}"), range(devices)))
    server = KillableServer(env, workdir / "serve.log", "--workers", str(workers))
    server.start()
    stop = threading.Event()
    fleet = [Device(n, server.base, slug, token, stop) for n, token in enumerate(tokens)]
    for device in fleet:
        device.start()
    try:
        for _ in range(cycles):
            time.sleep(chance.uniform(*up))
            server.kill()
            server.start()
        time.sleep(up[0])
        stop.set()
        for device in fleet:
            device.join(timeout=GIVE_UP + 60)
            assert not device.is_alive(), f"{device.name} never finished its last command"
    finally:
        stop.set()
        server.stop()
    recorded = _courses_in_ledger(env)
    verified = run_showclear(env, "verify")
    tallies = [device.tally for device in fleet]
    acknowledged = [course for tally in tallies for course in tally.acknowledged]
    cut_off = [course for tally in tallies for course in tally.cut_off]
    return Summary(
        backend="postgres" if database_url else "sqlite",
        cycles=cycles,
        acknowledged=len(acknowledged),
        found=sum(1 for course in acknowledged if recorded[course] >= 1),
        lost=[course for course in acknowledged if recorded[course] == 0],
        doubled={course: count for course, count in recorded.items() if count > 1},
        cut_off=len(cut_off),
        cut_off_recorded=sum(1 for course in cut_off if recorded[course] == 1),
        failures=[failure for tally in tallies for failure in tally.failures],
        verify=(verified.stdout or verified.stderr).strip(),
        verified=verified.returncode == 0,
        retries=sum(tally.retries for tally in tallies),
        seconds=time.monotonic() - started,
    )


def _courses_in_ledger(env: dict[str, str]) -> Counter[str]:
    """How many times each crash-drill course is in the ledger (read straight from the store)."""
    from showclear.store import open_store

    url = (
        env.get("SHOWCLEAR_DATABASE_URL")
        or f"sqlite:///{env['SHOWCLEAR_DATA_DIR']}/showclear.sqlite3"
    )
    store = open_store(url)
    try:
        (production,) = store.productions()
        found: Counter[str] = Counter()
        for batch in store.entry_batches(production):
            for body in batch:
                entry = json.loads(body)
                course = entry["payload"].get("course", "")
                if entry["kind"] == "training.recorded" and course.startswith(COURSE):
                    found[course] += 1
        return found
    finally:
        store.close()


def fresh_postgres_database(server_url: str) -> tuple[str, str]:
    """Create an empty database on the server at ``server_url``; its name and URL."""
    import psycopg

    name = f"showclear_crash_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return name, urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def drop_postgres_database(server_url: str, name: str) -> None:
    """Drop a database made by :func:`fresh_postgres_database`."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--devices", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--up",
        type=float,
        nargs=2,
        default=(0.3, 2.0),
        metavar=("MIN", "MAX"),
        help="seconds the server serves after each start before it is killed (uniform)",
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="run on a fresh database of this PostgreSQL server"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data and the server log")
    options = parser.parse_args()
    # Stopped with SIGTERM, still stop the server and drop the database (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="showclear-crash-"))
    database = None
    try:
        url = None
        if options.postgres:
            database, url = fresh_postgres_database(options.postgres)
        summary = run(
            workdir,
            cycles=options.cycles,
            database_url=url,
            devices=options.devices,
            seed=options.seed,
            workers=options.workers,
            up=(options.up[0], options.up[1]),
        )
    finally:
        if database and not options.keep:
            drop_postgres_database(options.postgres, database)
    print(summary.line())
    for course in summary.lost:
        print(f"LOST: {course}")
    for course, count in summary.doubled.items():
        print(f"DOUBLED: {course} x{count}")
    for failure in summary.failures[:20]:
        print(f"FAILED: {failure}")
    if not summary.verified:
        print(f"VERIFY: {summary.verify}")
    print(f"work directory: {workdir}" + ("" if options.keep else " (removed)"))
    if not options.keep:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if summary.passed else 1


if __name__ == "__main__":
    sys.exit(main())
