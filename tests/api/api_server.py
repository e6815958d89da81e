"""A staffed production, served by a real ``showclear serve`` or opened in this process
(tests/in_process.py), and a small JSON client for the API that speaks to either.

The production is made the way a production makes it: ``showclear init``, a token for the key
armorer from ``showclear token create``, the crew put on the roster through the API itself,
and a token for each other role from the CLI when a test first acts in that role.

In process (:func:`staffed_in_process`) the site's base is :data:`in_process.BASE`: :func:`call`
sends such requests through Django's test client, and :func:`showclear` runs the CLI in this
process (click's runner) on the open app's data directory and database. The served helpers
(:func:`staffed`, :func:`serving`) stay for what needs a real server.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web_server import showclear as showclear_process

from in_process import BASE, App, app_on
from served_process import environment, start_serve, stop_serve

ARMORER = "person-1"
"""The key armorer ``showclear init`` puts on the roster."""

CREW = {
    # person id: (name, role)
    "sam": ("Sam Ortiz", "assistant-armorer"),
    "dana": ("Dana Hale", "first-ad"),
    "pat": ("Pat Kim", "safety-supervisor"),
    "ruth": ("Ruth Calloway", "producer"),
    "ines": ("Ines Duarte", "investigator"),
    "jo": ("Jo Carver", "cast"),
}
PERSON_OF_ROLE = {"armorer": ARMORER, **{role: pid for pid, (_, role) in CREW.items()}}


@dataclass(frozen=True)
class Answer:
    """One API response: status, headers and the decoded JSON body."""

    status: int
    headers: dict[str, str]
    body: Any

    @property
    def rule_ids(self) -> list[str]:
        return list(self.body.get("rule_ids", [])) if isinstance(self.body, dict) else []


_open: dict[Path, App] = {}
"""The in-process apps open now, by data directory."""


def showclear(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``showclear ...`` on ``data_dir``: in this process when an in-process app is open on it
    (its database and settings), else as a process."""
    app = _open.get(data_dir)
    return app.showclear(*args) if app is not None else showclear_process(data_dir, *args)


def _call_in_process(
    method: str, url: str, data: bytes | None, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """One request through Django's test client, as a client without cookies sends it."""
    from django.test import Client

    sent = {name: value for name, value in headers.items() if name.lower() != "content-type"}
    content_type = headers.get("Content-Type", "application/octet-stream")
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    path = url.removeprefix(BASE)
    if data is None:
        response = client.generic(method, path, headers=sent)
    else:
        response = client.generic(method, path, data=data, content_type=content_type, headers=sent)
    text = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response.status_code, dict(response.headers), text


def call(
    base: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """Send one request to ``base + /api/v1 + path``."""
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    url = f"{base}/api/v1{path}"
    if base == BASE:
        status, got, text = _call_in_process(method, url, data, sent)
    else:
        request = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, got, text = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, got, text = error.code, dict(error.headers), error.read()
    try:
        decoded = json.loads(text) if text else None
    except ValueError:
        decoded = text.decode(errors="replace")
    return Answer(status, got, decoded)


@dataclass
class Site:
    """A served production: its slug, a token per role, and a client."""

    base: str
    data_dir: Path
    slug: str
    tokens: dict[str, str] = field(default_factory=dict)
    #: Each person's badge code, as the API answered it when it was issued (once).
    badges: dict[str, str] = field(default_factory=dict)

    def token(self, role: str) -> str:
        """The token of the person holding ``role`` (made with the CLI on first use)."""
        if role not in self.tokens:
            self.tokens[role] = make_token(
                self.data_dir, self.slug, PERSON_OF_ROLE[role], role, f"{role} device"
            )
        return self.tokens[role]

    def call(self, method: str, path: str, role: str | None = "armorer", **kwargs: Any) -> Answer:
        """Send a request with the token of ``role`` (``None``: no token, or ``token=``)."""
        token = kwargs.pop("token", None) or (self.token(role) if role else None)
        return call(self.base, method, path, token=token, **kwargs)

    def command(self, role: str, name: str, body: dict[str, Any], **kwargs: Any) -> Answer:
        """POST a command as the token of ``role``."""
        return self.call(
            "POST", f"/productions/{self.slug}/commands/{name}", role, body=body, **kwargs
        )

    def do(self, role: str, name: str, body: dict[str, Any]) -> Answer:
        """A command that must be recorded."""
        answer = self.command(role, name, body)
        assert answer.status == 201, f"{name} by {role}: {answer.status} {answer.body}"
        return answer

    def issue_badge(self, person_id: str, role: str = "armorer") -> str:
        """Issue (or reprint) ``person_id``'s badge through the API; its code, kept here."""
        answer = self.call("POST", f"/productions/{self.slug}/people/{person_id}/badge", role)
        assert answer.status == 201, f"badge for {person_id}: {answer.status} {answer.body}"
        self.badges[person_id] = answer.body["code"]
        return str(answer.body["code"])

    def issue_pin(self, person_id: str, pin: str, role: str = "armorer") -> None:
        """Set the PIN ``person_id`` chose, through the API."""
        answer = self.call(
            "POST", f"/productions/{self.slug}/people/{person_id}/pin", role, body={"pin": pin}
        )
        assert answer.status == 201, f"PIN for {person_id}: {answer.status} {answer.body}"

    def confirm(self, person_id: str) -> dict[str, str]:
        """A person confirming in person: their badge scanned (the label's QR text)."""
        return {"person_id": person_id, "credential": f"SC1:B:{self.badges[person_id]}"}

    def size(self) -> int:
        """How many entries the production's ledger holds now."""
        answer = self.call("GET", f"/productions/{self.slug}", "armorer")
        assert answer.status == 200, answer.body
        return int(answer.body["entries"])


def showclear_in(env: dict[str, str], *args: str) -> str:
    """``showclear ...`` as a process with the environment ``env``; its output (it must pass)."""
    done = subprocess.run(
        [sys.executable, "-m", "showclear", *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def unserved_production(database: Any, **settings: str) -> tuple[Site, dict[str, str]]:
    """A production on ``database`` (tests/conftest.py) with the armorer's token, not served
    yet, and the environment (with ``settings``) its server is to run with."""
    env = {**database.environment(), **settings}
    created = showclear_in(env, "init", "--production", "Night Shoot", "--armorer", "Hannah Reed")
    slug = re.search(r"showclear/([a-z0-9-]+)/", created)
    assert slug
    token = showclear_in(
        env, "token", "create", "--production", slug.group(1), "--person", ARMORER,
        "--role", "armorer", "--name", "truck scanner",
    ).strip()  # fmt: skip
    return Site("", database.data_dir, slug.group(1), {"armorer": token}), env


def make_token(data_dir: Path, production: str, person: str, role: str, name: str) -> str:
    """``showclear token create``; returns the secret it prints once."""
    made = showclear(
        data_dir, "token", "create", "--production", production, "--person", person,
        "--role", role, "--name", name,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def init(data_dir: Path, name: str, armorer: str = "Hannah Reed") -> str:
    """``showclear init``; returns the production's slug."""
    created = showclear(data_dir, "init", "--production", name, "--armorer", armorer)
    assert created.returncode == 0, created.stderr
    slug = re.search(r"showclear/([a-z0-9-]+)/", created.stdout)
    assert slug
    return slug.group(1)


@contextmanager
def serving(data_dir: Path, **settings: str) -> Iterator[str]:
    """``showclear serve`` on a free port with extra ``SHOWCLEAR_*`` settings; yields its base.

    The server's output goes to a file beside the data directory, never to a pipe nobody reads:
    every refused request logs a line, and a full pipe would stall the server mid-test.
    """
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    process, base = start_serve(data_dir, env={**environment(data_dir), **settings})
    try:
        yield base
    finally:
        stop_serve(process)


@contextmanager
def staffed(data_dir: Path, name: str) -> Iterator[Site]:
    """Production ``name`` served (failed-token throttle off) and staffed, with the armorer's
    token; the site while it is served."""
    slug = init(data_dir, name)
    armorer = make_token(data_dir, slug, ARMORER, "armorer", "armorer device")
    with serving(
        data_dir,
        SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE="0",
        SHOWCLEAR_WEBHOOK_ALLOW_HOSTS="127.0.0.1",  # the webhook tests' receivers are on loopback
    ) as base:
        site = Site(base, data_dir, slug, {"armorer": armorer})
        staff(site)
        yield site


@contextmanager
def opened(data_dir: Path, *, database_url: str | None = None, **settings: str) -> Iterator[App]:
    """The app on ``data_dir`` in this process (tests/in_process.py), with the ``SHOWCLEAR_*``
    ``settings`` a served test would give ``serve``; :func:`call` and :func:`showclear` reach it
    while it is open."""
    with app_on(data_dir, database_url=database_url, settings=settings) as app:
        _open[data_dir] = app
        try:
            yield app
        finally:
            del _open[data_dir]


@contextmanager
def staffed_in_process(data_dir: Path, name: str, **settings: str) -> Iterator[Site]:
    """:func:`staffed` in this process, with its settings unless ``settings`` say otherwise:
    production ``name`` staffed, with the armorer's token. (No webhook is delivered here: the
    courier runs only in a served process.)"""
    settings = {
        "SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE": "0",
        "SHOWCLEAR_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",
        **settings,
    }
    with opened(data_dir, **settings):
        slug = init(data_dir, name)
        armorer = make_token(data_dir, slug, ARMORER, "armorer", "armorer device")
        site = Site(BASE, data_dir, slug, {"armorer": armorer})
        staff(site)
        yield site


@contextmanager
def production_in_process(database: Any, **settings: str) -> Iterator[Site]:
    """:func:`unserved_production` opened in this process: a production on ``database``
    (tests/conftest.py: SQLite, or a PostgreSQL schema of the test's own) with the armorer's
    token, the app open with ``settings`` until the block ends."""
    url = database.url if database.backend == "postgres" else None
    with opened(database.data_dir, database_url=url, **settings):
        slug = init(database.data_dir, "Night Shoot")
        token = make_token(database.data_dir, slug, ARMORER, "armorer", "truck scanner")
        yield Site(BASE, database.data_dir, slug, {"armorer": token})


def staff(site: Site) -> None:
    """Put the crew on the roster through the API, issue everyone a badge through its own
    operation (the codes kept in ``site.badges``) and train everyone."""
    for person_id, (name, role) in CREW.items():
        site.do("armorer", "add-person", {"name": name, "roles": [role], "person_id": person_id})
    for person_id in (ARMORER, *CREW):
        site.issue_badge(person_id)
        site.do(
            "armorer",
            "record-training",
            {"person_id": person_id, "course": "firearm-safety", "completed_on": "2020-01-01"},
        )
    for person_id in (ARMORER, "sam"):
        site.do(
            "armorer",
            "record-training",
            {"person_id": person_id, "course": "armorer-licence", "completed_on": "2020-01-01"},
        )


CHAMBERS = [f"chamber {number}" for number in range(1, 7)]


def stock(site: Site, day: str) -> None:
    """A safe, revolver R-01 inspected and locked in it, dummy lot D-01, and scene 12 (cold,
    Jo with R-01) planned on ``day`` (an ISO date) by the first AD."""
    site.do("armorer", "register-container", {"tag": "SAFE-1", "container_kind": "armory-safe"})
    site.do(
        "armorer",
        "receive-firearm",
        {
            "tag": "R-01", "serial": "SN-1", "make": "Colt", "model": "Single Action Army",
            "firearm_type": "revolver", "calibre": ".45 Colt", "firearm_class": "firing",
            "positions": CHAMBERS, "owner": "Western Prop Rentals",
        },
    )  # fmt: skip
    site.do(
        "armorer",
        "inspect-firearm",
        {
            "firearm": "R-01",
            "positions_checked": CHAMBERS,
            "barrel_clear": True,
            "firearm_class": "firing",
        },
    )
    site.do("armorer", "lock-away", {"firearm": "R-01", "container": "SAFE-1"})
    site.do(
        "armorer",
        "receive-lot",
        {
            "tag": "D-01", "lot_kind": "dummy", "calibre": ".45 Colt", "count": 12,
            "supplier": "Acme Dummy Co.", "document": "invoice 1042", "delivered_on": day,
            "maker": "ammunition-maker",
        },
    )  # fmt: skip
    site.do("first-ad", "plan-shoot-day", {"day": "day-1", "date": day})
    site.do(
        "first-ad",
        "plan-scene",
        {
            "scene": "12", "day": "day-1", "title": "Saloon stand-off", "firearms": ["R-01"],
            "performers": ["jo"], "condition": "cold",
        },
    )  # fmt: skip
