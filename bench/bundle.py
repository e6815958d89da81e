"""Export bundle benchmarks for issue 6: export time and offline verification throughput.

(a) ``showclear export`` of a 1,000,000-entry ledger (target: <= 30 s), timed through the
    same function the command runs, from a SQLite store on disk;
(b) ``showclear-verify`` of that bundle as a process (target: >= 200,000 entries/s), with its
    default workers (one per free core) and with two, for comparison; beside raw
    hashlib.sha256 over the same entry bytes, the floor any verifier pays.

The log is grown as ``bench/ledger.py`` grows it (1,000 entries a commit, one signed
checkpoint each). A checkpoint's Ed25519 signature check costs about 65 us, so a log with a
checkpoint after every few entries verifies slower; the last line says how much.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ledger import build_big_log, fresh_service, verdict  # bench/ledger.py
from showclear.archive import verify
from showclear.archive.bundle import export_bundle

HERE = Path(__file__).resolve().parent


def timed_export(service, production, out: Path, size: int) -> float:
    """One export with inclusion proofs of a few entries, as an investigator asks for them."""
    chosen = f"12,40-45,{size // 2},{size - 1}"
    started = time.perf_counter()
    export_bundle(service.store, production, service.verifier(production), out, entries=chosen)
    return time.perf_counter() - started


def timed_verify(bundle: Path, workers: int | None) -> tuple[float, float]:
    """Wall time and CPU time (its own and its workers') of one verifier process."""
    command = [sys.executable, verify.__file__, str(bundle)]
    if workers is not None:
        command += ["--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"the bundle did not verify:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--per-commit", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (median)")
    args = parser.parse_args()

    work = HERE / ".data-bundle"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        service = fresh_service(f"sqlite:///{work / 'bench.sqlite3'}", work)
        print(f"growing a log of {args.entries:,} entries ({args.per_commit} a commit)")
        production = build_big_log(service, args.entries, args.per_commit)
        size = service.store.size(production)
        checkpoints = len(service.store.checkpoint_sizes(production))

        print(f"(a) export of {size:,} entries and {checkpoints:,} checkpoints (SQLite)")
        exports = []
        for run in range(args.runs):
            exports.append(timed_export(service, production, work / f"bundle-{run}", size))
            if run:
                shutil.rmtree(work / f"bundle-{run}")
        export_s = statistics.median(exports)
        bundle = work / "bundle-0"
        megabytes = sum(f.stat().st_size for f in bundle.iterdir()) / 1e6
        print(
            f"    export (median of {args.runs}): {export_s:.2f} s, {size / export_s:,.0f} "
            f"entries/s, bundle {megabytes:,.0f} MB; target <= 30 s: {verdict(export_s <= 30)}"
        )

        print(f"(b) showclear-verify of that bundle, as a process (median of {args.runs})")
        bodies = (bundle / verify.LOG).read_bytes().split(b"\n")[:-1]
        sha256 = hashlib.sha256
        default, two, raw = [], [], []
        for _ in range(args.runs):  # alternate, so the machine's noise falls on each alike
            default.append(timed_verify(bundle, None))
            two.append(timed_verify(bundle, 2))
            started = time.perf_counter()
            for body in bodies:
                sha256(body).digest()
            raw.append(time.perf_counter() - started)
        cpu = statistics.median(c for _, c in default)
        rate = size / statistics.median(w for w, _ in default)
        two_rate = size / statistics.median(w for w, _ in two)
        raw_rate = size / statistics.median(raw)
        print(
            f"    default workers (one per free core; load average now "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores): {size / rate:.2f} s = "
            f"{rate:,.0f} entries/s; target >= 200,000 entries/s: {verdict(rate >= 200_000)}"
        )
        print(
            f"    CPU time of the default runs (median): {cpu:.2f} s = {size / cpu:,.0f} entries "
            "per CPU-second: what a core of its own verifies, whatever the load"
        )
        print(f"    two worker processes: {size / two_rate:.2f} s = {two_rate:,.0f} entries/s")
        print(
            f"    raw hashlib.sha256 over the same entry bytes, one process: {raw_rate:,.0f} "
            f"entries/s; the verifier (default) runs at {rate / raw_rate:.0%} of it"
        )
        key = verify.VerifierKey.parse((bundle / verify.KEY).read_text())
        note = (bundle / verify.LATEST).read_text()
        started = time.perf_counter()
        for _ in range(2000):
            verify.open_head(note, key)
        per_signature = (time.perf_counter() - started) / 2000
        print(
            f"    one checkpoint signature check costs {per_signature * 1e6:.0f} us: a log with a "
            f"checkpoint after every 2 entries would verify at about "
            f"{1 / (1 / rate + per_signature / 2):,.0f} entries/s in one process (the workers "
            "share signature checks out when cores are free)"
        )
        service.store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
