"""Command benchmarks for issue 3: the application service at a million entries.

(a) the latency of one command through ``Service.execute`` (catch up under the lock, decide,
    append, seal with a signed checkpoint, commit, evolve), median and p95, on a production
    whose log holds 1,000 entries beside one whose log holds 1,000,000 (target: 1M within
    1.5x of 1k: the in-memory state is moved on entry by entry, never refolded per command).
    The timed commands are an armorer's cycle on set: inspect R-01, load six dummies for
    scene 14, unload.
(b) rebuilding the state from 1,000,000 entries: a fresh service, with its own connection,
    asked for the production's state (target: <= 10 s).

The logs are filled honestly and fast: after a production is staged through the service (crew,
training, eight revolvers, a verified dummy lot, a 600,000-round lot still being verified,
scene 14 met and started), the filler is real commands (``InspectFirearm`` of one of the
revolvers in the armorer's hands, ``VerifyRounds`` of one more round of the big lot) decided by
``decide`` on the production's state as it stands, evolved, and appended to the ledger 10,000
entries to a commit through ``store.writing()`` (one signed checkpoint per commit) instead of
one commit per command. Every filler entry is a valid event of a real kind for the state it
follows, so the rebuild in (b) applies exactly what a real shoot would have recorded.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from showclear.core.commands import (
    AddPerson,
    Command,
    Confirmation,
    HoldSafetyMeeting,
    InspectFirearm,
    IssueBadge,
    Load,
    PlanScene,
    PlanShootDay,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RegisterContainer,
    StartScene,
    Unload,
    Unlock,
    VerifyRounds,
)
from showclear.core.decide import Context, decide
from showclear.core.state import Recorded, evolve
from showclear.core.vocabulary import (
    ARMORER_LICENCE,
    ASSISTANT_ARMORER,
    CAST,
    DUMMY,
    FIREARM_SAFETY,
    FIRING,
    FIRST_AD,
    RATTLE,
    SAFETY_SUPERVISOR,
    revolver_chambers,
)
from showclear.service import GENESIS_PERSON, Service
from showclear.service.keyring import Keyring
from showclear.store import Production, open_store

HERE = Path(__file__).resolve().parent
ARMORER = GENESIS_PERSON
CHAMBERS = revolver_chambers(6)
REVOLVERS = tuple(f"R-{n:02d}" for n in range(1, 9))
BIG_LOT = 600_000
PER_COMMIT = 10_000


def verdict(ok: bool) -> str:
    return "MEETS TARGET" if ok else "MISSES TARGET"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


class Clock:
    """Wall-clock time that never repeats a microsecond (entries stay strictly ordered)."""

    def __init__(self) -> None:
        self.last = datetime.now(UTC)

    def __call__(self) -> datetime:
        self.last = max(datetime.now(UTC), self.last + timedelta(microseconds=1))
        return self.last


@dataclass
class Shoot:
    """One production in its own database, and the service that records it."""

    url: str
    data: Path
    service: Service
    production: Production

    def do(self, person_id: str, command: Command) -> None:
        self.service.execute(self.production, command, person_id=person_id)

    @property
    def size(self) -> int:
        return self.service.store.size(self.production)

    def fresh_service(self) -> Service:
        """A new service with its own connection, as a restarted process has."""
        store = open_store(self.url)
        return Service(store=store, keyring=Keyring(self.data), device="bench", clock=Clock())


def stage(work: Path, name: str) -> Shoot:
    """A production staged through the service, ready for the armorer's cycle on R-01."""
    data = work / name
    data.mkdir(parents=True)
    url = f"sqlite:///{data / 'showclear.sqlite3'}"
    store = open_store(url)
    store.create_schema()
    service = Service(store=store, keyring=Keyring(data), device="bench", clock=Clock())
    production, _ = service.create_production(f"Bench {name}", "Hannah Reed")
    shoot = Shoot(url, data, service, production)
    do = shoot.do
    today = date.today().isoformat()
    do(ARMORER, IssueBadge(ARMORER, "badge-armorer"))
    crew = {
        "assistant": ("Sam Ortiz", ASSISTANT_ARMORER),
        "first-ad": ("Dana Hale", FIRST_AD),
        "performer": ("Jo Carver", CAST),
        "safety": ("Pat Kim", SAFETY_SUPERVISOR),
    }
    for person, (full_name, role) in crew.items():
        do(ARMORER, AddPerson(full_name, (role,), f"badge-{person}", person_id=person))
    for person in (ARMORER, *crew):
        do("safety", RecordTraining(person, FIREARM_SAFETY, "2024-01-01", "2099-01-01"))
    for person in (ARMORER, "assistant"):
        do("safety", RecordTraining(person, ARMORER_LICENCE, "2024-01-01", "2099-01-01"))
    do(ARMORER, RegisterContainer("AMMO-1", "lockbox", "ammunition lockbox"))
    for tag in REVOLVERS:
        do(
            ARMORER,
            ReceiveFirearm(
                tag,
                f"SN-{tag}",
                "Uberti",
                "1873 Cattleman",
                "revolver",
                ".45 Colt",
                FIRING,
                CHAMBERS,
                "Western Prop Rentals",
            ),
        )
        do(ARMORER, InspectFirearm(tag, CHAMBERS, barrel_clear=True))
    witness = Confirmation("assistant", "badge-assistant")
    do(ARMORER, ReceiveLot("D-01", DUMMY, ".45 Colt", 50, "Acme Dummy Co.", "inv 1042", today))
    do(ARMORER, VerifyRounds("D-01", 50, RATTLE, witness))
    do(
        ARMORER,
        ReceiveLot("D-02", DUMMY, ".45 Colt", BIG_LOT, "Acme Dummy Co.", "inv 1043", today),
    )
    do(ARMORER, Unlock("AMMO-1"))
    do("first-ad", PlanShootDay("day-1", today))
    do(
        "first-ad",
        PlanScene("14", "day-1", "Loading at the table", ("R-01",), ("performer",), "dummies", 6),
    )
    do(
        "first-ad",
        HoldSafetyMeeting("14", (ARMORER, "first-ad", "performer"), ("loading", "pointing")),
    )
    do("first-ad", StartScene("14"))
    return shoot


def filler() -> Iterator[Command]:
    """Real commands an armorer repeats all day: inspect a revolver, verify one more round."""
    witness = Confirmation("assistant", "badge-assistant")
    while True:
        for tag in REVOLVERS[1:]:
            yield InspectFirearm(tag, CHAMBERS, barrel_clear=True)
            yield VerifyRounds("D-02", 1, RATTLE, witness)


def fill(shoot: Shoot, entries: int) -> float:
    """Grow the log to ``entries`` with decided, evolved filler appended in big commits."""
    service, production = shoot.service, shoot.production
    signer = service.signer(production)
    state = copy.deepcopy(service.state(production))
    commands = filler()
    started = time.perf_counter()
    size = shoot.size
    while size < entries:
        with service.store.writing(production, signer) as log:
            while log.size < min(entries, size + PER_COMMIT):
                context = Context(ARMORER, "bench-filler", service.clock())
                for event in decide(state, next(commands), context):
                    entry = log.append(
                        event.kind,
                        event.to_payload(),
                        person=ARMORER,
                        device="bench-filler",
                        recorded_at=context.at,
                    )
                    evolve(state, Recorded(entry.seq, context.at, ARMORER, "bench-filler", event))
        size = log.size
        if size % 100_000 < PER_COMMIT and entries >= 100_000:
            print(f"  built {size:,} entries ({time.perf_counter() - started:.0f} s)", flush=True)
    return time.perf_counter() - started


def cycle() -> Iterator[Command]:
    """The timed commands: inspect R-01, load six dummies for scene 14, unload; again."""
    while True:
        yield InspectFirearm("R-01", CHAMBERS, barrel_clear=True)
        yield Load("R-01", "D-01", CHAMBERS, "14")
        yield Unload("R-01")


def time_commands(
    service: Service, production: Production, commands: Iterator[Command], n: int
) -> list[float]:
    times = []
    for _ in range(n):
        command = next(commands)
        started = time.perf_counter()
        service.execute(production, command, person_id=ARMORER)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1_000, help="entries in the small log")
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries in the big log")
    parser.add_argument("--commands", type=int, default=600, help="timed commands per log")
    args = parser.parse_args()

    work = HERE / ".data-commands"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        small = stage(work, "small")
        staged = small.size
        fill(small, args.small)
        big = stage(work, "big")
        print(
            f"building a {args.entries:,}-entry log: {staged} entries staged through the service, "
            f"then filler (InspectFirearm / VerifyRounds decided on the live state) appended "
            f"{PER_COMMIT:,} entries to a commit through store.writing()",
            flush=True,
        )
        built = fill(big, args.entries)
        print(f"  built {big.size:,} entries in {built:.0f} s", flush=True)
        big.service.store.close()
        small.service.store.close()

        print(
            f"(b) rebuilding the state from {args.entries:,} entries (fresh service, own connection)"
        )
        rebuilt = big.fresh_service()
        started = time.perf_counter()
        state = rebuilt.state(big.production)
        rebuild_s = time.perf_counter() - started
        print(
            f"    {state.seq + 1:,} entries folded in {rebuild_s:.2f} s "
            f"= {(state.seq + 1) / rebuild_s:,.0f} entries/s; target <= 10 s: {verdict(rebuild_s <= 10)}"
        )

        print(
            "(a) command latency through Service.execute (lock, catch up, decide, append, "
            "signed checkpoint, commit, evolve), SQLite WAL synchronous=FULL"
        )
        small_service = small.fresh_service()
        small_service.state(small.production)  # both services warm before timing
        # Interleave the two in rounds so the shared machine's noise falls on both alike.
        small_cycle, big_cycle = cycle(), cycle()
        small_times: list[float] = []
        big_times: list[float] = []
        per_round = 30
        for _ in range(max(1, args.commands // per_round)):
            small_times += time_commands(small_service, small.production, small_cycle, per_round)
            big_times += time_commands(rebuilt, big.production, big_cycle, per_round)
        small_size = small_service.store.size(small.production)
        big_size = rebuilt.store.size(big.production)
        small_median, big_median = statistics.median(small_times), statistics.median(big_times)
        small_p95, big_p95 = p95(small_times), p95(big_times)
        print(
            f"    log of {args.small:,} entries (now {small_size:,}): median {small_median * 1e3:.3f} ms, "
            f"p95 {small_p95 * 1e3:.3f} ms over {len(small_times)} commands"
        )
        print(
            f"    log of {args.entries:,} entries (now {big_size:,}): median {big_median * 1e3:.3f} ms, "
            f"p95 {big_p95 * 1e3:.3f} ms over {len(big_times)} commands"
        )
        ratio, ratio_p95 = big_median / small_median, big_p95 / small_p95
        print(
            f"    ratio {args.entries:,} / {args.small:,} entries: median {ratio:.2f}x, "
            f"p95 {ratio_p95:.2f}x; "
            f"target <= 1.5x: {verdict(ratio <= 1.5)}"
        )
        rebuilt.store.close()
        small_service.store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
