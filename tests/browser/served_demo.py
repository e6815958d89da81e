"""The demo production *Dust and Iron*, built once by ``showclear demo --no-serve`` and served
by ``showclear serve`` (gunicorn) on a free loopback port, as a phone on set would reach it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from served_process import environment, start_serve, stop_serve

OpenPhone = Callable[..., Page]
"""``open_phone(served, username, dark=False)``: a signed-in page on a new phone."""
Screenshot = Callable[[Page, str], Path]
"""``screenshot(page, name)``: save the whole page under the screenshot folder."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def showclear(data_dir: Path, *args: str) -> str:
    """Run ``showclear ARGS`` on ``data_dir``; its output, or a failure naming what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "showclear", *args],
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"showclear {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


def build_demo(data_dir: Path) -> None:
    """``showclear demo --no-serve`` into a new data directory."""
    data_dir.mkdir(parents=True, mode=0o700)
    showclear(data_dir, "demo", "--no-serve", "--day-two", "2026-10-14")


def copy_demo(template: Path, data_dir: Path) -> None:
    """A private copy of a built demo (database, keys, secrets), for a test that changes it."""
    shutil.copytree(template, data_dir)


@dataclass
class Badge:
    """A person of the demo roster: their person id, badge code (as issued when the demo was
    built, shown that once), (performers) PIN, and the badge's printed serial."""

    person_id: str
    name: str
    role: str
    badge: str
    pin: str
    serial: str = ""


@dataclass
class Served:
    """A running ``showclear serve`` on a copy of the demo, and the demo's secrets."""

    data_dir: Path
    base: str
    process: subprocess.Popen[str]
    slug: str = ""
    passwords: dict[str, str] = field(default_factory=dict)
    badges: dict[str, Badge] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        """The address of ``path`` under this production (``/p/<slug>/<path>``)."""
        return f"{self.base}/p/{self.slug}/{path}"

    def badge_of(self, name: str) -> Badge:
        """The badge of the person called ``name`` ("Jo Carver")."""
        return self.badges[name]

    def ledger_size(self) -> int:
        """How many entries the production's ledger holds now (read from the database)."""
        from showclear.store import open_store

        store = open_store(f"sqlite:///{self.data_dir / 'showclear.sqlite3'}")
        try:
            production = next(p for p in store.productions() if p.slug == self.slug)
            return store.size(production)
        finally:
            store.close()

    def stop(self) -> None:
        stop_serve(self.process)


def read_secrets(served: Served) -> None:
    """Fill in the slug, the passwords and the badges from ``demo-logins.json``."""
    data: dict[str, Any] = json.loads((served.data_dir / "demo-logins.json").read_text())
    served.slug = data["slug"]
    served.passwords = {login["username"]: login["password"] for login in data["logins"]}
    served.badges = {badge["name"]: Badge(**badge) for badge in data["badges"]}


def serve(data_dir: Path) -> Served:
    """``showclear serve`` on ``data_dir``, answering on a free port."""
    process, base = start_serve(data_dir)
    served = Served(data_dir, base, process)
    read_secrets(served)
    return served
