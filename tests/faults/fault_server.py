"""A ``showclear serve`` that can be killed like a laptop losing power, and the few things the
fault tests do around it (a production, device tokens, API calls), with no test framework.

The server runs in a session of its own, so ``SIGKILL`` reaches the gunicorn master and every
worker at the same instant: nothing gets the chance to finish a request, flush a buffer or say
goodbye, which is what a pulled plug or an out-of-memory kill does to the processes.
(The operating system's page cache survives a killed process; a power cut would lose it too.
SQLite with ``synchronous=FULL`` and PostgreSQL with ``synchronous_commit=on`` fsync before a
commit returns, which is what makes a commit survive that as well; no test here cuts power.)

Used by ``tests/faults`` and runnable scripts (``crash_cycles.py``): it imports only
``served_process`` from the tests directory, found beside this one.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: served_process
import contextlib

from served_process import environment, free_port


def showclear_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a ``showclear`` process on ``data_dir`` (and ``database_url``)."""
    env = environment(data_dir)
    if database_url:
        env["SHOWCLEAR_DATABASE_URL"] = database_url
    return env


def run_showclear(
    env: dict[str, str], *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the ``showclear`` command as a process."""
    return subprocess.run(
        [sys.executable, "-m", "showclear", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def init_production(env: dict[str, str], name: str) -> str:
    """``showclear init``; the new production's slug."""
    created = run_showclear(env, "init", "--production", name, "--armorer", "Hannah Reed")
    assert created.returncode == 0, created.stderr
    found = re.search(r"showclear/([a-z0-9-]+)/", created.stdout)
    assert found, created.stdout
    return found.group(1)


def make_token(env: dict[str, str], slug: str, device: str, role: str = "armorer") -> str:
    """``showclear token create`` for the key armorer (``person-1``); the secret it prints."""
    made = run_showclear(
        env, "token", "create", "--production", slug, "--person", "person-1",
        "--role", role, "--name", device,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status and decoded JSON body (None when the connection failed)."""

    status: int | None
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def api(
    base: str,
    method: str,
    path: str,
    *,
    token: str,
    body: Any = None,
    key: str | None = None,
    timeout: float = 30,
) -> Answer:
    """One API call; a refused connection, a reset or a timeout is ``Answer(None, error)``."""
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if key is not None:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(base + "/api/v1" + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            # A 201 whose body was cut off by a kill is no answer: the device sends it again.
            status, text, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        try:
            status, text, got = error.code, error.read(), dict(error.headers)
        except (OSError, http.client.HTTPException) as cut:  # the status, then the server died
            return Answer(None, str(cut))
    except (OSError, ValueError, http.client.HTTPException) as error:  # refused, reset, cut
        return Answer(None, str(error))
    try:
        return Answer(status, json.loads(text) if text else None, got)
    except ValueError:
        return Answer(status, text.decode(errors="replace"), got)


def _living(group: int) -> list[int]:
    """The processes of process group ``group`` that are not dead (zombies are dead)."""
    living = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
        state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == group and state not in ("Z", "X"):
            living.append(int(entry.name))
    return living


class KillableServer:
    """``showclear serve`` in its own session: started, awaited, killed with SIGKILL, restarted."""

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        *options: str,
        host: str = "127.0.0.1",
        https: Path | None = None,
    ) -> None:
        self.https = https
        """Served over HTTPS with the certificate that will be at this path (None: HTTP)."""
        self.env = env
        self.log_path = log_path
        self.options = options
        self.host = host
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def base(self) -> str:
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"

    def start(self, wait: float = 120) -> None:
        """Start the server (same port every time) and wait until ``/health`` answers."""
        assert self.process is None, "already running"
        with self.log_path.open("a") as log:
            log.write(f"\n--- start {self.starts + 1} ---\n")
            log.flush()
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "showclear", "serve", "--host", self.host,
                    "--port", str(self.port), *self.options,
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: master and workers die together
            )  # fmt: skip
        self.starts += 1
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(
                    self.base + "/health", timeout=2, context=self.context()
                ) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"showclear serve did not start:\n{self.tail()}")
            time.sleep(0.05)

    def context(self) -> ssl.SSLContext | None:
        """A client context trusting the server's certificate (None for plain HTTP)."""
        if self.https is None:
            return None
        if not self.https.exists():
            raise OSError("the certificate is not made yet")
        return ssl.create_default_context(cafile=str(self.https))

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, and wait until they are gone."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_group_gone(self.process.pid)
        self.process = None

    def stop(self) -> None:
        """Stop the server the polite way (SIGTERM; SIGKILL if it lingers)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self._wait_group_gone(self.process.pid)
        self.process = None

    @staticmethod
    def _wait_group_gone(group: int) -> None:
        """Wait until every process of the group is dead (a zombie waiting to be reaped by
        init holds no file, lock or socket any more, so it counts as gone)."""
        deadline = time.monotonic() + 20
        while _living(group):
            if time.monotonic() > deadline:
                raise AssertionError(f"processes of group {group} outlived SIGKILL")
            time.sleep(0.02)

    def tail(self, lines: int = 40) -> str:
        """The end of the server's log."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


def make_login(env: dict[str, str], person: str, username: str) -> str:
    """``showclear login`` for ``person``; the password it prints."""
    made = run_showclear(env, "login", "--person", person, "--username", username)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip().rsplit(" / ", 1)[1]


class Phone:
    """A browser without JavaScript: keeps cookies, posts forms with their CSRF token."""

    def __init__(self, base: str, context: ssl.SSLContext | None = None) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPCookieProcessor(self.jar)]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        """GET ``path`` (or POST ``form`` to it, with the CSRF token); status and page, after
        any redirect."""
        data = None
        headers = {}
        if form is not None:
            csrf = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": csrf}).encode()
            headers["Referer"] = self.base + path
        request = urllib.request.Request(self.base + path, data, headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the login form."""
        status, _ = self.open("/login/")
        assert status == 200
        status, page = self.open("/login/", {"username": username, "password": password})
        assert status == 200, f"signing in answered {status}"
        assert "Sign out" in page, "signed in"
