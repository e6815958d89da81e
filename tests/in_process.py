"""Showclear's web app inside the test process, reached through Django's test client.

A served test (``showclear serve`` in a subprocess, :mod:`served_process`) costs a process start,
gunicorn, a worker folding every ledger and a loopback socket per request: about 4 s a test.
Most web tests ask what a page says or what a form records, where none of that is the point.
They run the same WSGI application here, in this process, through ``django.test.Client``: the
same settings (:mod:`showclear.web.settings`), middleware, CSRF checks (enforced), sessions,
database and ledger, on a data directory of the test's own.

Django is configured once per test process (settings are read once), so :func:`app_on` points
what is per data directory at the test's: ``SHOWCLEAR_DATA_DIR``, Django's database, the app's
service (:data:`showclear.web.runtime._service`, opened again on the next request), and the
parts a process keeps in memory between requests (rendered fragments, the newest seal). The
served tests stay for what needs a real server: durability across a kill, several worker
processes, threads at once, TLS, ``serve`` itself, and the browsers.

Differences from a served test, on purpose: a view that raises fails the test with its
traceback (Django's test client re-raises) where a server would answer 500; the webhook
courier (a thread per serving worker) is not started, so the webhook tests stay served.

The database is SQLite in the data directory unless ``app_on`` is given a ``database_url`` (a
PostgreSQL schema of the test's own, as tests/conftest.py's ``make_database`` makes). The
``SHOWCLEAR_*`` settings a served test would pass its server through the environment are given
as ``settings``: they are in the environment while the app is open (what the app reads from it
per request, such as SHOWCLEAR_WEBHOOK_ALLOW_HOSTS, sees them), and the Django settings read
from them once (such as SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE) are read again from
:mod:`showclear.web.settings` and overridden for as long as the app is open.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASE = "http://127.0.0.1"
"""What a page's address starts with here (the host is one the settings allow)."""

_settings_dir: list[Path] = []


def _plain_environment(data_dir: Path) -> dict[str, str]:
    """This environment as a served process gets it: no SHOWCLEAR_* but the data directory."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOWCLEAR_")}
    env["SHOWCLEAR_DATA_DIR"] = str(data_dir)
    return env


@contextmanager
def _environment(data_dir: Path, settings: Mapping[str, str] | None = None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({**_plain_environment(data_dir), **(settings or {})})
    # The browser tests' Playwright (sync API) keeps an event loop in this thread for the whole
    # session, and Django then refuses database calls as "from an async context". None is made
    # from a coroutine here: the app runs synchronously in the test's own thread, as under
    # gunicorn. (A served process never sees this variable.)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _configure_django() -> None:
    """Django set up once for this process, as ``showclear serve``'s workers set it up."""
    if _settings_dir:
        return
    root = Path(tempfile.mkdtemp(prefix="showclear-django-"))
    data_dir = root / "data"
    data_dir.mkdir(mode=0o700)
    with _environment(data_dir):
        os.environ["DJANGO_SETTINGS_MODULE"] = "showclear.web.settings"
        import django

        django.setup()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings")
    _settings_dir.append(data_dir)


def _forget_process_state() -> None:
    """Close the app's service and database connections; drop what the process keeps."""
    from django.db import connections

    from showclear.web import runtime
    from showclear.web.floor.templatetags import fragments, ledger

    if runtime._service is not None:
        runtime._service.store.close()
        runtime._service = None
    connections.close_all()
    with fragments._lock:
        fragments._kept.clear()
    with ledger._seals_lock:
        ledger._seals.clear()


def _repoint(database: dict[str, Any], *, whole: bool = False) -> None:
    """Django's default database set to ``database`` (merged, or ``whole``): this thread's
    connection object is dropped too, so the next query opens one of the right engine (SQLite's
    and PostgreSQL's are different classes)."""
    from django.db import connections

    if whole:
        connections.settings["default"].clear()
    connections.settings["default"].update(database)
    with suppress(AttributeError):  # none made on this thread yet
        del connections["default"]


def _point_database_at(data_dir: Path) -> None:
    from django.db import connections

    from showclear import config
    from showclear.web.database import django_database

    url = config.database_url()
    _repoint(django_database(url))
    if url.startswith("sqlite:///"):
        assert connections.settings["default"]["NAME"] == str(data_dir / "showclear.sqlite3")


PER_DATA_DIRECTORY = {"DATABASES", "SECRET_KEY", "STATIC_ROOT"}
"""Settings that differ with the data directory alone: the database is re-pointed (above); the
secret key and static root stay those Django was set up with, as for every in-process test."""


def _settings_read_again() -> dict[str, Any]:
    """The Django settings :mod:`showclear.web.settings` gives in this environment now, read
    afresh (the module Django imported keeps what it read at set-up)."""
    import showclear.web.settings as module

    spec = importlib.util.spec_from_file_location("showclear_settings_again", module.__file__)
    assert spec is not None
    assert spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    return {name: value for name, value in vars(fresh).items() if name.isupper()}


def _overridden(stack: ExitStack) -> None:
    """Override the Django settings this environment's SHOWCLEAR_* settings change."""
    from django.conf import settings
    from django.test import override_settings

    changed = {
        name: value
        for name, value in _settings_read_again().items()
        if name not in PER_DATA_DIRECTORY and getattr(settings, name, None) != value
    }
    if changed:
        stack.enter_context(override_settings(**changed))


_empty: list[Path] = []


def _empty_database() -> Path:
    """A database file with the ledger's schema and the web app's tables and nothing else,
    made once for this process: migrating from nothing takes seconds, a copy milliseconds."""
    if not _empty:
        data_dir = Path(tempfile.mkdtemp(prefix="showclear-empty-")) / "data"
        with app_on(data_dir, copy_empty=False):
            pass
        database = data_dir / "showclear.sqlite3"
        assert not database.with_name(database.name + "-wal").exists() or (
            database.with_name(database.name + "-wal").stat().st_size == 0
        ), "every connection closed, the write-ahead log folded in"
        _empty.append(database)
    return _empty[0]


@contextmanager
def app_on(
    data_dir: Path,
    *,
    copy_empty: bool = True,
    database_url: str | None = None,
    settings: Mapping[str, str] | None = None,
) -> Iterator[App]:
    """The web app on ``data_dir`` (made if missing) in this process, as ``showclear serve``
    would serve it: the ledger opened, the web app's tables migrated. A data directory without
    a database starts from a copy of an empty, migrated one (``copy_empty``; SQLite only).

    ``database_url`` (``SHOWCLEAR_DATABASE_URL``) puts the app on another database, such as a
    PostgreSQL schema of the test's own; ``settings`` are the ``SHOWCLEAR_*`` settings a served
    test would start its server with. An app opened while another is open (a test's own
    production beside its module's) leaves the other as it found it when it closes."""
    _configure_django()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = data_dir / "showclear.sqlite3"
    if database_url is None and copy_empty and not database.exists():
        shutil.copyfile(_empty_database(), database)
        database.chmod(0o600)
    environment = dict(settings or {})
    if database_url is not None:
        environment["SHOWCLEAR_DATABASE_URL"] = database_url
    from django.db import connections

    pointed = dict(connections.settings["default"])  # an app opened inside another gives it back
    with _environment(data_dir, environment), ExitStack() as stack:
        _forget_process_state()
        _point_database_at(data_dir)
        if settings:
            _overridden(stack)
        from showclear.service import Service
        from showclear.web.setup import migrate

        Service.from_environment().store.close()  # the ledger opens, as serve checks
        migrate()
        try:
            yield App(data_dir)
        finally:
            _forget_process_state()
            _repoint(pointed, whole=True)


@dataclass
class App:
    """The web app on one data directory, in this process."""

    data_dir: Path
    base: str = BASE

    def client(self) -> Client:
        """A new phone: its own cookies, nothing signed in."""
        return Client(self.base)

    def browser(self) -> Client:
        """A new phone (as ``web_server.Server.browser`` gives one)."""
        return self.client()

    def showclear(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The ``showclear`` command on this data directory, run in this process (click's
        runner) instead of as a process: same exit code, output and errors."""
        from click.testing import CliRunner

        from showclear.cli import main

        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        return subprocess.CompletedProcess(
            ["showclear", *args], result.exit_code, result.stdout, result.stderr
        )


@dataclass(frozen=True)
class Reply:
    """One response, redirects not followed."""

    status: int
    location: str
    body: bytes
    content_type: str


@dataclass
class Client:
    """A cookie-keeping phone on the in-process app: the calls the served tests' ``Browser``
    and ``Phone`` make, each answered by Django's test client (CSRF checks enforced)."""

    base: str
    django: Any = field(init=False)

    def __post_init__(self) -> None:
        from django.test import Client as DjangoClient

        self.django = DjangoClient(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")

    # -- one request, as it came ----------------------------------------------------------------

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/x-www-form-urlencoded",
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """``method`` on ``path`` (with a query, if any) without following a redirect."""
        path = path.removeprefix(self.base)
        extra = dict(headers or {})
        if method == "GET":
            response = self.django.generic("GET", path, headers=extra)
        else:
            response = self.django.generic(
                method, path, data=body or b"", content_type=content_type, headers=extra
            )
        content = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        return Reply(
            response.status_code,
            response.headers.get("Location", ""),
            content,
            response.headers.get("Content-Type", ""),
        )

    def follow(
        self, method: str, path: str, body: bytes | None = None, **kwargs: Any
    ) -> tuple[int, str, str]:
        """Status, final URL and body, redirects followed as a browser follows them (a
        redirect after a POST is a GET)."""
        reply = self.send(method, path, body, **kwargs)
        for _ in range(20):
            if reply.status not in (301, 302, 303, 307, 308) or not reply.location:
                break
            path = reply.location
            reply = self.send("GET", path)
        else:
            raise AssertionError(f"redirected in circles from {path}")
        return reply.status, self.base + path.removeprefix(self.base), reply.body.decode()

    def csrf(self) -> str:
        cookie = self.django.cookies.get("csrftoken")
        token = cookie.value if cookie is not None else ""
        assert token, "the CSRF cookie is set once a form page was opened"
        return str(token)

    # -- what the served tests' Browser and Phone do --------------------------------------------

    def get(self, path: str) -> tuple[int, str, str]:
        """Status, final URL and body of a GET (redirects followed)."""
        return self.follow("GET", path)

    def sign_in(self, username: str, password: str) -> tuple[int, str, str]:
        """Sign in through the login form, with its CSRF token."""
        _, _, page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the login form carries a CSRF token"
        fields = {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        return self.follow(
            "POST",
            "/login/",
            urllib.parse.urlencode(fields).encode(),
            headers={"Referer": self.base + "/login/"},
        )

    def post(
        self, path: str, data: dict[str, str | list[str]], headers: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Status, final URL and body of a form POST (redirects followed)."""
        fields = {"csrfmiddlewaretoken": self.csrf(), **data}
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.follow(
            "POST", path, body, headers={"Referer": self.base + path, **(headers or {})}
        )

    def fragment(self, path: str, target: str = "alarm") -> tuple[int, str]:
        """Status and body of an htmx request (the polling banner, by default)."""
        reply = self.send("GET", path, headers={"HX-Request": "true", "HX-Target": target})
        return reply.status, reply.body.decode()
