"""Trace benchmarks for issue 6: ``trace firearm`` and ``trace round`` with 1,000,000 entries.

Target (issue 6): p95 <= 20 ms each, with 1,000,000 entries in the log.

The log is a long production grown honestly: every entry is a real command decided by
``decide`` on the production's state as it stands, evolved, and appended through
``store.writing()`` (which writes the mention index in the same transaction), 10,000 entries to
a commit. Shoot day after shoot day: the day and its scenes planned; per scene a safety meeting,
the scene started, and for each of its revolvers the armorer's whole cycle (out of the safe,
inspected, the dummy lot out of the lockbox, six rounds loaded, the lot back, shown clear to the
performer and the first AD, handed over, taken back, inspected, unloaded, locked away); the
scene wrapped. Every few days a new box of dummies arrives from one of three suppliers and is
verified round by round in trays of ten before a witness. 24 revolvers, dozens of lots.

What is timed is what an investigator asks, through :class:`showclear.service.traces.Tracer` on a
connection of its own (the ``showclear trace`` command minus starting a Python process):

(a) ``trace firearm TAG --from DAY 00:00 --to DAY 23:59``: one revolver's timeline of one
    shoot day picked at random. A firearm's whole life at a million entries holds tens of
    thousands of lines (printing them is the cost, not finding them); a day's is the question.
(b) ``trace round --firearm TAG --position N --at T``: a random revolver, chamber and moment.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from showclear.core.commands import (
    AddPerson,
    Command,
    Confirmation,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    IssueBadge,
    Load,
    Lock,
    PlanScene,
    PlanShootDay,
    PutIn,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RegisterContainer,
    Return,
    ShowClear,
    StartScene,
    TakeOut,
    Unload,
    Unlock,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide import Context, Refused, decide
from showclear.core.state import Recorded, evolve
from showclear.core.vocabulary import (
    ARMORER_LICENCE,
    ASSISTANT_ARMORER,
    CAST,
    DUMMY,
    FIREARM_SAFETY,
    FIRING,
    FIRST_AD,
    PRIMER,
    RATTLE,
    SAFETY_SUPERVISOR,
    revolver_chambers,
)
from showclear.service import GENESIS_PERSON, Service
from showclear.service.keyring import Keyring
from showclear.service.traces import NothingLoaded, Tracer
from showclear.store import open_store

HERE = Path(__file__).resolve().parent
ARMORER = GENESIS_PERSON
CHAMBERS = revolver_chambers(6)
REVOLVERS = tuple(f"R-{n:02d}" for n in range(1, 25))
PERFORMERS = tuple(f"cast-{n}" for n in range(1, 9))
SUPPLIERS = ("Acme Dummy Cartridge Co.", "Stembridge Gun Rentals", "Hollywood Prop Ammo")
FIRST_DAY = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
SCENES_PER_DAY = 36
LOT_EVERY_DAYS = 3
LOT_ROUNDS = 300
PER_COMMIT = 10_000
TARGET_MS = 20.0


def verdict(ok: bool) -> str:
    return "MEETS TARGET" if ok else "MISSES TARGET"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


class Clock:
    """The production's clock: ten seconds a command, each shoot day from 06:00."""

    def __init__(self) -> None:
        self.now = FIRST_DAY

    def day(self, number: int) -> None:
        self.now = max(self.now, FIRST_DAY + timedelta(days=number))

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=10)
        return self.now


def confirm(person: str) -> Confirmation:
    return Confirmation(person, f"badge-{person}")


def staging() -> Iterator[tuple[str, Command]]:
    """The crew, training, containers and revolvers: what the production starts with."""
    yield ARMORER, IssueBadge(ARMORER, f"badge-{ARMORER}")
    crew = [("assistant", "Sam Ortiz", ASSISTANT_ARMORER), ("first-ad", "Dana Hale", FIRST_AD),
            ("safety", "Pat Kim", SAFETY_SUPERVISOR)]  # fmt: skip
    crew += [(p, f"Performer {p[5:]}", CAST) for p in PERFORMERS]
    for person, name, role in crew:
        yield ARMORER, AddPerson(name, (role,), f"badge-{person}", person_id=person)
    for person in (ARMORER, *(c[0] for c in crew)):
        yield "safety", RecordTraining(person, FIREARM_SAFETY, "2025-01-01", "2099-01-01")
    for person in (ARMORER, "assistant"):
        yield "safety", RecordTraining(person, ARMORER_LICENCE, "2025-01-01", "2099-01-01")
    yield ARMORER, RegisterContainer("SAFE-1", "armory-safe", "gun safe, armory truck")
    yield ARMORER, RegisterContainer("AMMO-1", "lockbox", "ammunition lockbox")
    yield ARMORER, Unlock("SAFE-1")
    for tag in REVOLVERS:
        yield ARMORER, ReceiveFirearm(tag, f"SN-{tag}", "Uberti", "1873 Cattleman", "revolver",
                                      ".45 Colt", FIRING, CHAMBERS, "Western Prop Rentals")  # fmt: skip
        yield ARMORER, InspectFirearm(tag, CHAMBERS, barrel_clear=True)
        yield ARMORER, PutIn("SAFE-1", tag)
    yield ARMORER, Lock("SAFE-1")


def new_lot(number: int, when: datetime) -> Iterator[tuple[str, Command]]:
    """A box of dummies arrives and is verified round by round, ten to a tray."""
    tag = f"D-{number:03d}"
    supplier = SUPPLIERS[number % len(SUPPLIERS)]
    yield ARMORER, Unlock("AMMO-1")
    yield ARMORER, ReceiveLot(tag, DUMMY, ".45 Colt", LOT_ROUNDS, supplier,
                              f"invoice {number:05d}", when.date().isoformat(), container="AMMO-1")  # fmt: skip
    yield ARMORER, TakeOut("AMMO-1", tag)
    for _ in range(LOT_ROUNDS // 10):
        yield ARMORER, VerifyRounds(tag, 10, (RATTLE, PRIMER)[number % 2], confirm("assistant"))
    yield ARMORER, PutIn("AMMO-1", tag)
    yield ARMORER, Lock("AMMO-1")


def a_scene(day: int, scene: int, lot: str, rng: random.Random) -> Iterator[tuple[str, Command]]:
    """One scene with two or three revolvers, each through the armorer's whole cycle."""
    name = f"{day}-{scene}"
    firearms = tuple(rng.sample(REVOLVERS, rng.choice((2, 3))))
    performers = tuple(rng.sample(PERFORMERS, len(firearms)))
    yield "first-ad", PlanScene(name, f"day-{day}", f"Scene {name}", firearms, performers,
                                "dummies", rounds=6)  # fmt: skip
    yield "first-ad", HoldSafetyMeeting(name, (ARMORER, "first-ad", *performers), ("action",))
    yield "first-ad", StartScene(name)
    for tag, performer in zip(firearms, performers, strict=True):
        yield ARMORER, Unlock("SAFE-1")
        yield ARMORER, TakeOut("SAFE-1", tag)
        yield ARMORER, Lock("SAFE-1")
        yield ARMORER, InspectFirearm(tag, CHAMBERS, barrel_clear=True)
        yield ARMORER, Unlock("AMMO-1")
        yield ARMORER, TakeOut("AMMO-1", lot)
        yield ARMORER, Load(tag, lot, CHAMBERS, name)
        yield ARMORER, PutIn("AMMO-1", lot)
        yield ARMORER, Lock("AMMO-1")
        yield ARMORER, ShowClear(tag, name, CHAMBERS, "dummies", 6, confirm(performer),
                                 confirm("first-ad"))  # fmt: skip
        yield ARMORER, HandOver(tag, performer, name)
    for tag in firearms:
        yield ARMORER, Return(tag)
        yield ARMORER, InspectFirearm(tag, CHAMBERS, barrel_clear=True)
        yield ARMORER, Unload(tag)
        yield ARMORER, Unlock("SAFE-1")
        yield ARMORER, PutIn("SAFE-1", tag)
        yield ARMORER, Lock("SAFE-1")
    yield "first-ad", WrapScene(name)


def production_days(clock: Clock, rng: random.Random) -> Iterator[tuple[str, Command]]:
    """Shoot day after shoot day, a new lot every few days."""
    lots = 0
    day = 0
    while True:
        clock.day(day)
        if day % LOT_EVERY_DAYS == 0:
            lots += 1
            yield from new_lot(lots, clock.now)
        yield "first-ad", PlanShootDay(f"day-{day}", clock.now.date().isoformat())
        for scene in range(SCENES_PER_DAY):
            yield from a_scene(day, scene, f"D-{lots:03d}", rng)
        day += 1


def build(url: str, data: Path, entries: int) -> tuple[Service, object, float]:
    """A production of ``entries`` entries, every one decided on the state it follows."""
    store = open_store(url)
    store.create_schema()
    clock = Clock()
    service = Service(store=store, keyring=Keyring(data), device="bench", clock=clock)
    production, _ = service.create_production("The Long Trail", "Hannah Reed")
    signer = service.signer(production)
    state = copy.deepcopy(service.state(production))
    commands = staging()
    days = production_days(clock, random.Random(6))
    started = time.perf_counter()
    size = store.size(production)
    while size < entries:
        with store.writing(production, signer) as log:
            while log.size < min(entries, size + PER_COMMIT):
                person, command = next(commands, None) or next(days)
                context = Context(person, "bench-phone", clock())
                try:
                    events = decide(state, command, context)
                except Refused as refused:
                    raise SystemExit(
                        f"the bench production was refused {command}: {refused}"
                    ) from None
                for event in events:
                    entry = log.append(event.kind, event.to_payload(), person=person,
                                       device="bench-phone", recorded_at=context.at)  # fmt: skip
                    evolve(state, Recorded(entry.seq, context.at, person, "bench-phone", event))
        size = log.size
        if size % 100_000 < PER_COMMIT and entries >= 100_000:
            print(f"  built {size:,} entries ({time.perf_counter() - started:.0f} s)", flush=True)
    return service, production, time.perf_counter() - started


def timed(runs: int, ask: object, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds of each question (and this process's CPU seconds into ``cpu``: on a
    shared machine the difference is the time spent waiting for a core)."""
    times = []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        ask()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - used)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries in the log")
    parser.add_argument("--runs", type=int, default=300, help="timed traces of each kind")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="time the database a --keep run left (no build)"
    )
    args = parser.parse_args()

    work = HERE / ".data-trace"
    url = f"sqlite:///{work / 'showclear.sqlite3'}"
    if not args.reuse:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    try:
        if args.reuse:
            service = Service(store=open_store(url), keyring=Keyring(work), device="bench")
            production = service.store.productions()[0]
            print(f"timing the production a --keep run left in {work}", flush=True)
        else:
            print(f"building a {args.entries:,}-entry production (real commands, decided and "
                  f"evolved, {PER_COMMIT:,} entries a commit)", flush=True)  # fmt: skip
            service, production, built = build(url, work, args.entries)
            print(f"  built in {built:.0f} s", flush=True)
        state = service.state(production)
        days = len(state.days)
        print(f"  {state.seq + 1:,} entries: {days} shoot days, {len(state.scenes):,} scenes, "
              f"{len(state.firearms)} revolvers, {len(state.lots)} lots", flush=True)  # fmt: skip
        service.store.close()

        reader = open_store(url)  # a connection of its own, as `showclear trace` opens
        tracer = Tracer(reader, production, state.seq + 1)  # type: ignore[arg-type]
        rng = random.Random(7)
        last = state.last_at or FIRST_DAY
        life = tracer.firearm("R-01")
        print(f"  for scale: R-01's whole life is {len(life.lines):,} lines")

        def one_day() -> None:
            day = FIRST_DAY + timedelta(days=rng.randrange(days))
            found = tracer.firearm(
                rng.choice(REVOLVERS), day, day + timedelta(hours=23, minutes=59)
            )
            lines.append(len(found.lines))

        def a_round() -> None:
            moment = FIRST_DAY + (last - FIRST_DAY) * rng.random()
            try:
                found = tracer.round(rng.choice(REVOLVERS), str(rng.randint(1, 6)), moment)
            except NothingLoaded:  # before the revolver's first load: a real answer too
                lines.append(0)
                return
            lines.append(len(found.lines))

        for name, ask in (
            ("(a) trace firearm TAG --from DAY --to DAY (one shoot day)", one_day),
            ("(b) trace round --firearm TAG --position N --at T", a_round),
        ):
            lines: list[int] = []
            timed(20, ask)  # warm the page cache and the roster
            lines.clear()
            cpu: list[float] = []
            times = timed(args.runs, ask, cpu)
            median, tail = statistics.median(times) * 1e3, p95(times) * 1e3
            print(f"{name}, {args.entries:,} entries, {args.runs} random questions, "
                  f"{statistics.median(lines):.0f} lines each (median): median {median:.2f} ms, "
                  f"p95 {tail:.2f} ms; target p95 <= {TARGET_MS:.0f} ms: "
                  f"{verdict(tail <= TARGET_MS)}", flush=True)  # fmt: skip
            print(f"    CPU time of the tracing process: median {statistics.median(cpu) * 1e3:.2f} ms, "
                  f"p95 {p95(cpu) * 1e3:.2f} ms (the rest is waiting for a core; load average "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)  # fmt: skip
        reader.close()

        started = time.perf_counter()
        done = subprocess.run(
            [str(Path(sys.executable).with_name("showclear")), "trace", "round",
             "--firearm", "R-01", "--position", "1"],
            env={"SHOWCLEAR_DATA_DIR": str(work), "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        print(f"for reference: the whole `showclear trace round` process (Python start, imports, "
              f"open, trace, print) took {(time.perf_counter() - started) * 1e3:.0f} ms "
              f"(exit {done.returncode})")  # fmt: skip
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
