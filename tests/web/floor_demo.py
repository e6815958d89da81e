"""The demo production for the set-page tests (Today, Lot, meeting, STOP WORK, Wrap).

``showclear demo --no-serve`` is built once per test run into a template directory; each test
gets a private copy, so a test that stops work or counts never leaks into another. The copy is
either served with ``showclear serve`` (gunicorn, :func:`served_demo`) or run in the test
process through Django's test client (:func:`demo_in_process`, :mod:`in_process`); a phone of
either kind signs in, GETs, posts forms with their CSRF token and polls fragments alike.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web_server import Browser, showclear

from in_process import App, Client, app_on
from served_process import start_serve, stop_serve
from showclear.core.commands import Command
from showclear.service import Service
from showclear.service.keyring import Keyring
from showclear.store import open_store

_TEMPLATE: list[Path] = []


def demo_template() -> Path:
    """The demo's data directory, built once for this test run (copy it; never change it)."""
    if not _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="showclear-floor-demo-"))
        atexit.register(shutil.rmtree, root, True)
        built = showclear(root / "data", "demo", "--no-serve", "--day-two", "2026-10-14")
        assert built.returncode == 0, built.stdout + built.stderr
        _TEMPLATE.append(root / "data")
    return _TEMPLATE[0]


class Phone(Browser):
    """A signed-in phone: GETs and form POSTs with the CSRF token from its cookie."""

    def csrf(self) -> str:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        assert token, "the CSRF cookie is set once a form page was opened"
        return str(token)

    def post(
        self, path: str, data: dict[str, str | list[str]], headers: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Status, final URL and body of a form POST (redirects followed)."""
        fields = {"csrfmiddlewaretoken": self.csrf(), **data}
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Referer": self.base + path, **(headers or {})},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()

    def fragment(self, path: str, target: str = "alarm") -> tuple[int, str]:
        """Status and body of an htmx request, as the polling banner (``#alarm``) or another
        self-refreshing part of a page makes it."""
        request = urllib.request.Request(
            self.base + path, headers={"HX-Request": "true", "HX-Target": target}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@dataclass
class Demo:
    """A served copy of *Dust and Iron* and its secrets."""

    data_dir: Path
    base: str
    slug: str
    passwords: dict[str, str] = field(default_factory=dict)
    badges: dict[str, dict[str, Any]] = field(default_factory=dict)
    app: App | None = None
    """The app in this process (:func:`demo_in_process`); none when served."""

    def new_phone(self) -> Phone | Client:
        """A phone with nothing signed in."""
        return self.app.client() if self.app is not None else Phone(self.base)

    def page(self, path: str = "") -> str:
        """``/p/<slug>/<path>``."""
        return f"/p/{self.slug}/{path}"

    def phone(self, username: str) -> Phone | Client:
        """A phone signed in as ``username`` (marta, sam, dana, pat, ruth)."""
        phone = self.new_phone()
        status, url, _ = phone.sign_in(username, self.passwords[username])
        assert status == 200, f"{username} could not sign in"
        assert "/login/" not in url, f"{username} could not sign in"
        return phone

    def showclear(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The ``showclear`` command on the demo (in this process with the app)."""
        if self.app is not None:
            return self.app.showclear(*args)
        return showclear(self.data_dir, *args)

    def badge(self, name: str) -> str:
        """The badge code of the person called ``name``."""
        return str(self.badges[name]["badge"])

    def person_id(self, name: str) -> str:
        return str(self.badges[name]["person_id"])


def record(demo: Demo, person_id: str, *commands: Command) -> None:
    """Record commands on the demo from outside (as another device would): the web app catches
    up with them on its next request."""
    service = Service(
        store=open_store(f"sqlite:///{demo.data_dir / 'showclear.sqlite3'}"),
        keyring=Keyring(demo.data_dir),
    )
    production = service.production(demo.slug)
    try:
        for command in commands:
            service.execute(production, command, person_id=person_id, device="test")
    finally:
        service.store.close()


def status(demo: Demo) -> dict[str, Any]:
    """``showclear status --json`` on the demo now."""
    done = demo.showclear("status", "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def login_for(demo: Demo, username: str, person_id: str) -> Phone | Client:
    """A new login for ``person_id`` (a crew member, a performer), signed in."""
    made = demo.showclear(
        "login",
        "--production",
        demo.slug,
        "--person",
        person_id,
        "--username",
        username,
    )
    assert made.returncode == 0, made.stderr
    demo.passwords[username] = made.stdout.strip().rsplit(" / ", 1)[1]
    phone = demo.new_phone()
    _, url, _ = phone.sign_in(username, demo.passwords[username])
    assert "/login/" not in url, f"{username} could not sign in"
    return phone


def _copy(tmp_path: Path, base: str, app: App | None = None) -> Demo:
    data_dir = tmp_path / "data"
    if not data_dir.exists():
        shutil.copytree(demo_template(), data_dir)
    secrets = json.loads((data_dir / "demo-logins.json").read_text())
    return Demo(
        data_dir,
        base,
        secrets["slug"],
        {login["username"]: login["password"] for login in secrets["logins"]},
        {badge["name"]: badge for badge in secrets["badges"]},
        app,
    )


@contextmanager
def served_demo(tmp_path: Path) -> Iterator[Demo]:
    """A private copy of the demo, served on a free port until the test ends."""
    data_dir = _copy(tmp_path, "").data_dir
    process, base = start_serve(data_dir)
    try:
        yield _copy(tmp_path, base)
    finally:
        stop_serve(process)


@contextmanager
def demo_in_process(tmp_path: Path) -> Iterator[Demo]:
    """A private copy of the demo, its web app in this process until the test ends."""
    data_dir = _copy(tmp_path, "").data_dir
    with app_on(data_dir) as app:
        yield _copy(tmp_path, app.base, app)


def text(page: str) -> str:
    """A page's words, tags removed and spaces collapsed, for asserting sentences."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
