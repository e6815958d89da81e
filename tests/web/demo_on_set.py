"""The demo production for a whole test module: served by a real ``showclear serve``
(:func:`served_demo`), or its web app in the test process (:func:`demo_in_process`).

Scanning and printing labels change nothing, so one demo serves a whole module. :func:`fetch`
and :func:`post` take a phone of either kind.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from floor_demo import demo_template
from web_server import Browser, Server, showclear

from in_process import App, Client, Reply, app_on
from served_process import start_serve, stop_serve


@dataclass
class DemoSite:
    """The served demo: its slug, its logins and badges (from ``demo-logins.json``)."""

    server: Server | App
    slug: str
    credentials: dict[str, Any]

    def signed_in(self, role: str) -> Browser | Client:
        """A phone signed in as the demo's login with ``role``."""
        login = next(item for item in self.credentials["logins"] if item["role"] == role)
        phone = self.server.browser()
        status, url, _ = phone.sign_in(login["username"], login["password"])
        assert status == 200, f"{role} could not sign in"
        assert "/login/" not in url, f"{role} could not sign in"
        return phone

    def badge(self, role: str) -> dict[str, str]:
        """The first badge of someone with ``role``: person id, name, badge code, PIN."""
        return dict(next(item for item in self.credentials["badges"] if item["role"] == role))


@dataclass(frozen=True)
class Answer:
    """A response as it came, redirects not followed: status, Location header, body, type."""

    status: int
    location: str
    body: bytes
    content_type: str

    @property
    def text(self) -> str:
        return self.body.decode()


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # hand the redirect back as it is: the test reads its Location


def _answer(reply: Reply) -> Answer:
    return Answer(reply.status, reply.location, reply.body, reply.content_type)


def fetch(phone: Browser | Client, path: str) -> Answer:
    """GET ``path`` as ``phone``, without following a redirect."""
    if isinstance(phone, Client):
        return _answer(phone.send("GET", path))
    return _send(phone, urllib.request.Request(phone.base + path))


def post(
    phone: Browser | Client,
    path: str,
    fields: dict[str, str],
    files: dict[str, tuple[str, str, bytes]] | None = None,
    action: str | None = None,
) -> Answer:
    """POST a form on ``path`` as a browser would (CSRF token from the page; multipart when
    ``files`` maps a field to a file name, type and content), without following the redirect;
    to ``action`` when the form's action is another path."""
    page = fetch(phone, path).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, f"{path} carries a CSRF token"
    fields = {"csrfmiddlewaretoken": token.group(1), **fields}
    if files:
        boundary = secrets.token_hex(12)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
            for name, value in fields.items()
        ]
        parts += [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
            for name, (filename, kind, content) in files.items()
        ]
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
    else:
        data = urllib.parse.urlencode(fields).encode()
        content_type = "application/x-www-form-urlencoded"
    if isinstance(phone, Client):
        return _answer(
            phone.send("POST", action or path, data, content_type, {"Referer": phone.base + path})
        )
    request = urllib.request.Request(
        phone.base + (action or path),
        data=data,
        headers={"Content-Type": content_type, "Referer": phone.base + path},
    )
    return _send(phone, request)


def _send(phone: Browser, request: urllib.request.Request) -> Answer:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(phone.jar), _Stay)
    try:
        with opener.open(request, timeout=30) as response:
            return Answer(
                response.status,
                response.headers.get("Location", ""),
                response.read(),
                response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as error:
        return Answer(
            error.code,
            error.headers.get("Location", ""),
            error.read(),
            error.headers.get("Content-Type", ""),
        )


@contextmanager
def served_demo(data_dir: Path) -> Iterator[DemoSite]:
    """``showclear demo --no-serve`` into ``data_dir``, then ``showclear serve`` on it."""
    built = showclear(data_dir, "demo", "--no-serve", "--day-two", "2026-10-14")
    assert built.returncode == 0, built.stdout + built.stderr
    credentials = json.loads((data_dir / "demo-logins.json").read_text(encoding="utf-8"))
    process, base = start_serve(data_dir)
    try:
        yield DemoSite(Server(data_dir, base), credentials["slug"], credentials)
    finally:
        stop_serve(process)


@contextmanager
def demo_in_process(data_dir: Path) -> Iterator[DemoSite]:
    """A copy of the demo in ``data_dir``, its web app in this process (:mod:`in_process`)."""
    shutil.copytree(demo_template(), data_dir)
    credentials = json.loads((data_dir / "demo-logins.json").read_text(encoding="utf-8"))
    with app_on(data_dir) as app:
        yield DemoSite(app, credentials["slug"], credentials)
