"""The day's log with every text at its limit: how long its PDF takes to draw.

The day is ``tests/reports/longest_day.py``'s: every free text of the commands it records at
its limit in ``showclear.core.limits.LIMITS``, written as one unbroken word of the widest
letter (nothing to break at but the width), ``--rounds`` times over, recorded through the
application service on SQLite under ``bench/.data-reports/`` (removed afterwards). It then
reads the day as ``showclear report daily-log`` does and draws its PDF ``--runs`` times,
beside the peer: an 8,000-letter word in one cell, which took about 50 s before the wrapping
was made linear. Target (issue 13): the day's log draws in under 2 s.

    .venv/bin/python bench/reports.py [--rounds 1,10] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "reports"))

from longest_day import DAY, record_the_longest_day  # noqa: E402  (the test suite's day)

from showclear import reports  # noqa: E402
from showclear.reports import reading  # noqa: E402
from showclear.reports.document import Document, Section, Table  # noqa: E402
from showclear.reports.pdf import render_pdf  # noqa: E402

TARGET = 2.0


def timed(draw: object, runs: int) -> list[float]:
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        draw()  # type: ignore[operator]
        took.append(time.perf_counter() - started)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", default="1,10", help="rounds of the day, comma separated")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    where = HERE / ".data-reports"
    shutil.rmtree(where, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    word = Document(
        "daily-log", "t", "p", "s", (Section("h", (Table(("a", "b"), (("1", "W" * 8000),)),)),)
    )
    peer = timed(lambda: render_pdf(word), args.runs)
    print(f"peer: one 8,000-letter word in a cell: median {statistics.median(peer):.3f} s")
    try:
        for rounds in (int(r) for r in args.rounds.split(",")):
            service, production = record_the_longest_day(where / f"r{rounds}", rounds)
            try:
                snap = reading.snapshot(service, production)

                def draw(snap: reading.Snapshot = snap) -> bytes:
                    return render_pdf(reports.document(snap, "daily-log", day=DAY.date()))

                pdf = draw()
                took = timed(draw, args.runs)
            finally:
                service.store.close()
            median = statistics.median(took)
            print(
                f"daily log, every text at its limit, {rounds} round(s) "
                f"({snap.size} entries, {len(pdf) / 1e6:.2f} MB of PDF): "
                f"median {median:.3f} s, worst {max(took):.3f} s "
                f"(target < {TARGET:.0f} s: {'met' if median < TARGET else 'MISSED'})"
            )
    finally:
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
