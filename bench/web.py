"""Web benchmark for issue 4: the set pages under 50 phones at once, at 100,000 ledger entries.

The median and p95 latency of the Firearm page and of the Today board, fetched by 50 concurrent
clients on loopback against ``showclear serve`` (gunicorn, the production server; never Django's
runserver), on SQLite, with the demo production *Dust and Iron* grown to 100,000 ledger entries.
Target (issue 4): p95 <= 100 ms for both pages, zero errors.

How:

1. ``showclear demo --no-serve`` builds the demo in ``bench/.data-web/`` (removed afterwards).
2. The log is grown honestly and fast, as ``bench/commands.py`` does: real commands decided by
   ``decide`` on the production's live state, evolved, appended 10,000 entries to a commit
   through ``store.writing()``. The armorer takes five firearms out of the safe through the
   service, then inspects them in turn (every position, barrel clear) and verifies a big new
   dummy lot round by round before the assistant armorer; at the end the firearms go back into
   the safe through the service. The benchmarked firearm (R-02 unless ``--firearm``) ends with
   thousands of entries naming it: the page of a firearm late in a long shoot.
3. ``showclear serve`` starts on a free port. 50 clients each sign in through the login form
   (their own session: the five crew logins in turn). The measured loads are then driven by one
   asyncio event loop in this process, each client on one kept-alive HTTP/1.1 connection of its
   own, sending prepared requests and reading each answer by its ``Content-Length``: light
   enough (about 0.1 ms of CPU a request, printed with each load) that the two cores are the
   server's, where ``http.client`` in 50 threads took about as much CPU as the server itself.
   A page counts as an error unless it answers 200 with the page's own heading. Two loads,
   one after the other:

   (a) closed loop: each client fetches the Firearm page and the Today board alternately, back to
       back with no pause, so 50 requests are always in flight (the harshest reading of "50
       concurrent clients": the server is never idle);
   (b) phones on set: each client opens one of the two pages, keeps it open 1 to 3 s while its
       STOP WORK banner is polled every second (as ``base.html`` does), then opens the other.

   Both are printed with the target; neither hides the other.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from showclear.core.commands import (
    Command,
    Confirmation,
    InspectFirearm,
    Lock,
    PutIn,
    ReceiveLot,
    TakeOut,
    Unlock,
    VerifyRounds,
)
from showclear.core.decide import Context, decide
from showclear.core.state import Recorded, evolve
from showclear.core.vocabulary import DUMMY, RATTLE
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import Production, open_store
from showclear.web.serving import default_workers

HERE = Path(__file__).resolve().parent
PER_COMMIT = 10_000
OUT_OF_SAFE = ("R-02", "R-03", "R-05", "W-06", "S-07")
BIG_LOT = "D-90"
TARGET_P95_MS = 100.0
PAGE_HEADING = re.compile(rb"<h1[^>]*>")
CONTENT_LENGTH = re.compile(rb"\r\nContent-Length: *(\d+)", re.IGNORECASE)
SET_COOKIE = re.compile(rb"\r\nSet-Cookie: *([^=;\s]+)=([^;\r]*)", re.IGNORECASE)


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


def environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOWCLEAR_")}
    env["SHOWCLEAR_DATA_DIR"] = str(data_dir)
    return env


# -- the production --------------------------------------------------------------------------


@dataclass
class Demo:
    """The demo production in its data directory, with its logins and badges."""

    data_dir: Path
    slug: str
    armorer: str
    assistant: Confirmation
    passwords: dict[str, str]

    @classmethod
    def build(cls, data_dir: Path) -> Demo:
        data_dir.mkdir(parents=True, mode=0o700)
        subprocess.run(
            [sys.executable, "-m", "showclear", "demo", "--no-serve"],
            env=environment(data_dir),
            check=True,
            capture_output=True,
        )
        secrets = json.loads((data_dir / "demo-logins.json").read_text())
        people = {badge["name"]: badge for badge in secrets["badges"]}
        armorer = people["Marta Velez"]["person_id"]
        sam = people["Sam Ortiz"]
        return cls(
            data_dir,
            secrets["slug"],
            armorer,
            Confirmation(sam["person_id"], sam["badge"]),
            {login["username"]: login["password"] for login in secrets["logins"]},
        )

    def service(self) -> tuple[Service, Production]:
        store = open_store(f"sqlite:///{self.data_dir / 'showclear.sqlite3'}")
        service = Service(store=store, keyring=Keyring(self.data_dir), clock=Clock())
        service.device = "bench"
        production = next(p for p in store.productions() if p.slug == self.slug)
        return service, production


def filler(demo: Demo, positions: dict[str, tuple[str, ...]]) -> Iterator[Command]:
    """An armorer's day, over and over: inspect a firearm in hand, verify one more round."""
    while True:
        for tag, checked in positions.items():
            yield InspectFirearm(tag, checked, barrel_clear=True)
            yield VerifyRounds(BIG_LOT, 1, RATTLE, demo.assistant)


def grow(demo: Demo, entries: int) -> tuple[int, float]:
    """Grow the demo's log to ``entries`` with real, decided commands; (size, seconds)."""
    service, production = demo.service()
    do = lambda command: service.execute(production, command, person_id=demo.armorer)  # noqa: E731
    started = time.perf_counter()
    do(ReceiveLot(BIG_LOT, DUMMY, ".45 Colt", entries, "Acme Dummy Co.", "inv 9090", "2026-10-14"))
    do(Unlock("SAFE-1"))
    for tag in OUT_OF_SAFE:
        do(TakeOut("SAFE-1", tag))
    do(Lock("SAFE-1"))
    state = copy.deepcopy(service.state(production))
    signer = service.signer(production)
    commands = filler(demo, {tag: state.firearms[tag].positions for tag in OUT_OF_SAFE})
    size = service.store.size(production)
    closing = 2 + len(OUT_OF_SAFE)  # the commands that put the firearms back afterwards
    while size < entries - closing:
        with service.store.writing(production, signer) as log:
            while log.size < min(entries - closing, size + PER_COMMIT):
                context = Context(demo.armorer, "bench-filler", service.clock())
                for event in decide(state, next(commands), context):
                    entry = log.append(
                        event.kind,
                        event.to_payload(),
                        person=demo.armorer,
                        device="bench-filler",
                        recorded_at=context.at,
                    )
                    evolve(
                        state, Recorded(entry.seq, context.at, demo.armorer, "bench-filler", event)
                    )
        size = log.size
    do(Unlock("SAFE-1"))
    for tag in OUT_OF_SAFE:
        do(PutIn("SAFE-1", tag))
    do(Lock("SAFE-1"))
    size = service.store.size(production)
    service.store.close()
    return size, time.perf_counter() - started


# -- the server and its clients -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int, workers: int | None) -> subprocess.Popen[bytes]:
    chosen = ["--workers", str(workers)] if workers else []
    process = subprocess.Popen(
        [sys.executable, "-m", "showclear", "serve", "--port", str(port), *chosen],
        env=environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise SystemExit("showclear serve did not start")


@dataclass
class Phone:
    """One client: its own signed-in session over one kept-alive connection."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def request(self, method: str, path: str, body: str = "") -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body or None, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        self._remember(response)
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the login form has a CSRF token"
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        )
        status, _ = self.request("POST", "/login/", form)
        if status != 302:
            raise SystemExit(f"{username} could not sign in ({status})")


class LoadPhone:
    """One client of the measured loads: a signed-in phone's session on one kept-alive
    connection, spoken to with plain asyncio streams.

    ``http.client`` parses every answer's headers with the e-mail parser and needs a thread per
    connection: fifty of them cost this two-core machine about as much CPU as the server they
    measure. Here one event loop drives every phone, each request is prepared bytes, and an
    answer is read by its ``Content-Length`` (Django sets it on every page): the load
    generator's own share of the CPU is printed beside the server's.
    """

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port = port
        self.cookies = dict(cookies)
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._prepared: dict[str, bytes] = {}

    def _request(self, path: str) -> bytes:
        prepared = self._prepared.get(path)
        if prepared is None:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            prepared = (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Cookie: {cookie}\r\nConnection: keep-alive\r\n\r\n"
            ).encode()
            self._prepared[path] = prepared
        return prepared

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        writer.write(self._request(path))
        head = await reader.readuntil(b"\r\n\r\n")
        length = CONTENT_LENGTH.search(head)
        if length is None:
            raise http.client.HTTPException("an answer without Content-Length")
        body = await reader.readexactly(int(length.group(1)))
        if b"Set-Cookie" in head or b"set-cookie" in head:
            for name, value in SET_COOKIE.findall(head):
                self.cookies[name.decode()] = value.decode()
            self._prepared.clear()
        return int(head[9:12]), body

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None

    async def timed(self, path: str, whole: Callable[[int, bytes], bool]) -> tuple[float, bool]:
        """Seconds taken and whether the answer was whole (a broken connection is an error,
        and the next request opens a new one)."""
        started = time.perf_counter()
        try:
            status, body = await self.get(path)
        except (OSError, EOFError, asyncio.IncompleteReadError, http.client.HTTPException):
            self.close()
            return time.perf_counter() - started, False
        return time.perf_counter() - started, whole(status, body)

    async def fetch(self, path: str) -> tuple[float, bool]:
        """A page: whole when it answers 200 with the page's own heading."""
        return await self.timed(
            path, lambda status, page: status == 200 and bool(PAGE_HEADING.search(page))
        )

    async def poll(self, path: str) -> tuple[float, bool]:
        """The banner fragment: whole when it answers 200 (it may be empty)."""
        return await self.timed(path, lambda status, _: status == 200)


@dataclass
class Results:
    times: dict[str, list[float]]
    errors: dict[str, int]
    wall: float
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    def note(self, name: str, seconds: float, whole: bool) -> None:
        self.times.setdefault(name, []).append(seconds)
        self.errors[name] = self.errors.get(name, 0) + (not whole)


def signed_in_phones(port: int, demo: Demo, clients: int) -> list[LoadPhone]:
    """``clients`` phones, each signed in through the login form with its own session (the
    crew's logins in turn)."""
    usernames = sorted(demo.passwords)
    phones = []
    for number in range(clients):
        signing_in = Phone(port)
        username = usernames[number % len(usernames)]
        signing_in.sign_in(username, demo.passwords[username])
        signing_in.connection.close()
        phones.append(LoadPhone(port, signing_in.cookies))
    return phones


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU time used so far by process ``pid`` and its children (Linux /proc).

    Unlike latency, the CPU the server spends on each request hardly depends on what else
    the machine is doing, so it is printed beside the latencies as the steadier figure.
    """
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])  # utime, stime of live processes
    return total / os.sysconf("SC_CLK_TCK")


Visit = Callable[[LoadPhone, int, Results], Awaitable[None]]


def run_all(phones: list[LoadPhone], visit: Visit, server: int, warm_up: list[str]) -> Results:
    """Run ``visit(phone, number, results)`` for every phone at once on one event loop; time
    the whole, the CPU the server (process ``server`` and its workers) spent, and the CPU this
    load generator spent. Before the clock starts, every phone opens its connection and
    fetches each ``warm_up`` path once (the session, the templates, the kept parts)."""
    results = Results({}, {}, 0.0)
    started, cpu, own = 0.0, 0.0, 0.0

    async def warm(phone: LoadPhone) -> None:
        for path in warm_up:
            await phone.fetch(path)

    async def everyone() -> None:
        await asyncio.gather(*(warm(phone) for phone in phones))
        nonlocal started, cpu, own
        started, cpu, own = time.perf_counter(), server_cpu_seconds(server), time.process_time()
        await asyncio.gather(*(visit(phone, n, results) for n, phone in enumerate(phones)))
        results.wall = time.perf_counter() - started
        results.server_cpu = server_cpu_seconds(server) - cpu
        results.client_cpu = time.process_time() - own
        for phone in phones:
            phone.close()

    asyncio.run(everyone())
    return results


def closed_loop(pages: dict[str, str], per_page: int) -> Visit:
    """Every phone fetches the pages alternately, back to back, no pause: 50 always in flight."""

    async def visit(phone: LoadPhone, number: int, results: Results) -> None:
        order = list(pages)
        for step in range(per_page * len(order)):
            name = order[(step + number) % len(order)]
            results.note(name, *await phone.fetch(pages[name]))

    return visit


def on_set(pages: dict[str, str], alarm: str, per_page: int, seed: int) -> Visit:
    """Every phone opens a page, keeps it open 1 to 3 s polling the STOP WORK banner every
    second (as base.html does), then opens the other page; ``per_page`` visits of each."""

    async def visit(phone: LoadPhone, number: int, results: Results) -> None:
        chance = random.Random(seed + number)
        await asyncio.sleep(chance.uniform(0, 2))  # phones do not all open at the same instant
        order = list(pages)
        for step in range(per_page * len(order)):
            name = order[(step + number) % len(order)]
            results.note(name, *await phone.fetch(pages[name]))
            leave = time.perf_counter() + chance.uniform(1, 3)
            while (left := leave - time.perf_counter()) > 0:
                await asyncio.sleep(min(1.0, left))
                if time.perf_counter() < leave:
                    results.note("STOP WORK banner poll", *await phone.poll(alarm))

    return visit


def report(results: Results, targeted: tuple[str, ...]) -> dict[str, tuple[float, int]]:
    """Print one load's figures; the p95 (ms) and errors of each targeted page."""
    total = sum(len(t) for t in results.times.values())
    print(
        f"  {total:,} requests in {results.wall:.1f} s = {total / results.wall:,.0f} req/s; "
        f"server CPU {results.server_cpu / total * 1e3:.2f} ms per request "
        f"({results.server_cpu / results.wall:.2f} cores busy); load generator "
        f"{results.client_cpu / total * 1e3:.2f} ms per request "
        f"({results.client_cpu / results.wall:.2f} cores)"
    )
    figures = {}
    for name, times in results.times.items():
        median_ms, p95_ms = statistics.median(times) * 1e3, p95(times) * 1e3
        errors = results.errors[name]
        line = (
            f"    {name}: median {median_ms:.1f} ms, p95 {p95_ms:.1f} ms over {len(times):,} "
            f"requests, {errors} errors"
        )
        if name in targeted:
            figures[name] = (p95_ms, errors)
            met = p95_ms <= TARGET_P95_MS and errors == 0
            line += f"; target p95 <= {TARGET_P95_MS:.0f} ms, zero errors: {verdict(met)}"
        print(line)
    return figures


def over_runs(runs: list[dict[str, tuple[float, int]]]) -> bool:
    """Print the median p95 of each page over the runs (and the worst); whether the median
    meets the target with no error in any run."""
    met_all = True
    for name in runs[0]:
        p95s = [run[name][0] for run in runs]
        errors = sum(run[name][1] for run in runs)
        met = statistics.median(p95s) <= TARGET_P95_MS and errors == 0
        met_all = met_all and met
        print(
            f"    {name} over {len(runs)} runs: median p95 {statistics.median(p95s):.1f} ms "
            f"(best {min(p95s):.1f}, worst {max(p95s):.1f}), {errors} errors; target p95 <= "
            f"{TARGET_P95_MS:.0f} ms, zero errors: {verdict(met)}"
        )
    return met_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000, help="ledger entries")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument(
        "--requests", type=int, default=40, help="closed loop: fetches of each page per client"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="closed loop: runs (the median p95 is judged)"
    )
    parser.add_argument(
        "--visits", type=int, default=8, help="on set: visits of each page per client"
    )
    parser.add_argument("--firearm", default="R-02", help="the firearm whose page is fetched")
    parser.add_argument(
        "--workers", type=int, help="server worker processes (default: showclear serve's own)"
    )
    args = parser.parse_args()

    work = HERE / ".data-web"
    shutil.rmtree(work, ignore_errors=True)
    server = None
    try:
        demo = Demo.build(work / "data")
        size, seconds = grow(demo, args.entries)
        print(
            f"demo production grown to {size:,} ledger entries in {seconds:.0f} s (InspectFirearm / "
            f"VerifyRounds decided on the live state, {PER_COMMIT:,} entries to a commit), SQLite"
        )
        port = free_port()
        server = start_server(demo.data_dir, port, args.workers)
        pages = {
            f"Firearm page ({args.firearm})": f"/p/{demo.slug}/firearm/{args.firearm}/",
            "Today board": f"/p/{demo.slug}/today/",
        }
        probe = Phone(port)
        probe.sign_in("marta", demo.passwords["marta"])
        for name, path in pages.items():
            status, page = probe.request("GET", path)
            if status != 200:
                raise SystemExit(f"{name} at {path} answered {status}: nothing to measure")
            if name.startswith("Firearm"):
                entries = len(re.findall(rb"entry \d+</span>", page))
                print(f"  {name} shows {entries} of its entries (the page holds the newest)")
        probe.connection.close()
        print(
            f"showclear serve (gunicorn, {args.workers or default_workers()} worker processes, "
            f"{os.cpu_count()} cores) on 127.0.0.1:{port}; {args.clients} clients, each signed "
            f"in with its own session on one keep-alive HTTP/1.1 connection"
        )
        print(
            f"(a) closed loop: each client fetches the two pages alternately, back to back with "
            f"no pause ({args.clients} requests always in flight), {args.requests} of each"
        )
        phones = signed_in_phones(port, demo, args.clients)
        runs = []
        for run in range(1, args.runs + 1):
            print(f"  run {run} of {args.runs}")
            results = run_all(
                phones, closed_loop(pages, args.requests), server.pid, list(pages.values())
            )
            runs.append(report(results, tuple(pages)))
        closed = over_runs(runs)
        print(
            f"(b) phones on set: each client opens one page, keeps it open 1-3 s polling the "
            f"STOP WORK banner every second, then opens the other; {args.visits} visits of each"
        )
        alarm = f"/p/{demo.slug}/alarm/"
        phones = signed_in_phones(port, demo, args.clients)
        on_set_figures = report(
            run_all(phones, on_set(pages, alarm, args.visits, 4), server.pid, []), tuple(pages)
        )
        on = all(ms <= TARGET_P95_MS and not errors for ms, errors in on_set_figures.values())
        print(f"verdict, (a) closed loop: {verdict(closed)}; (b) phones on set: {verdict(on)}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
