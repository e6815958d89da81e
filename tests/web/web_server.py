"""A real Showclear server (``showclear serve``, gunicorn), and a cookie-keeping client for it."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from served_process import environment


def showclear(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``showclear`` command as a process on ``data_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "showclear", *args],
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass
class Browser:
    """A cookie-keeping HTTP client, as a phone's browser would be."""

    base: str

    def __post_init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        """Status, final URL and body of a GET (redirects followed)."""
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()

    def sign_in(self, username: str, password: str) -> tuple[int, str, str]:
        """Sign in through the login form, with its CSRF token."""
        _, _, page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the login form carries a CSRF token"
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(
            self.base + "/login/", data=data, headers={"Referer": self.base + "/login/"}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()


@dataclass
class Server:
    """A running ``showclear serve`` and the data directory behind it."""

    data_dir: Path
    base: str

    def browser(self) -> Browser:
        return Browser(self.base)
