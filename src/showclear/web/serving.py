"""Serving the web app with gunicorn, a production-grade WSGI server (not Django's runserver).

One master process and ``workers`` worker processes, each with ``threads`` threads: Python runs
one thread at a time per process, so on a laptop with several cores more than one process is
what lets fifty phones be served at once. Each worker has its own application service (its own
store connection and its own copy of the state, caught up from the ledger before every read and
every command), so the workers agree through the database alone, as DESIGN.md's "many app
servers" asks: appends are serialized by the store, throttles and sessions are in the shared
database.

On an address other than loopback, Showclear serves HTTPS only (:mod:`showclear.web.tls`: a
certificate made for this server, or one given), unless told ``insecure``; the session and CSRF
cookies are then sent over HTTPS only (``SHOWCLEAR_SECURE_COOKIES``, read by the settings), and
the names the certificate covers are the hosts Django accepts unless ``SHOWCLEAR_ALLOWED_HOSTS``
says otherwise.

The master sets the database up once (schema, migrations) and checks that the ledger opens
before any worker starts, so a broken store stops ``showclear serve`` with one clear message
instead of workers failing one after another. Each worker folds every production's ledger
before it takes its first request.
"""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

if TYPE_CHECKING:
    from showclear.web.tls import Certificate

KEEP_ALIVE_SECONDS = 75
"""A phone polls the STOP WORK banner every second: keep its connection open between polls."""


def default_workers() -> int:
    """One worker per core, at least one and at most four (each holds the state in memory)."""
    return max(1, min(4, os.cpu_count() or 1))


def _ready(worker: Worker) -> None:
    """In each worker, before its first request: open the service and fold every ledger."""
    from showclear.web.hooks.courier import start as start_courier
    from showclear.web.runtime import service

    showclear = service()
    for production in showclear.store.productions():
        showclear.state(production)
    start_courier(showclear)  # this worker's webhook sender (docs/api.md, "Webhooks")


class ShowclearServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn run from inside ``showclear serve``, configured here and not from a file."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.settings.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        from showclear.web.wsgi import application

        return application


class ServeRefused(Exception):
    """``showclear serve`` will not serve as asked (a clear message)."""


INSECURE_RISK = (
    "plain HTTP on a network address: anyone on this network can read every password, PIN and "
    "session cookie sent to Showclear, sign in as those people, and change what phones are shown"
)


def refuse_taken_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, before saying Showclear serves there.

    Each worker listens on its own socket with ``SO_REUSEPORT`` (see :func:`settings`), which
    would let a second server of the same user share the port and take half the phones. A
    socket without that flag cannot bind where anyone listens, so one is tried first.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as gunicorn: TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ServeRefused(
                f"cannot listen on {host}:{port} ({error.strerror or error}): another program "
                "may be serving there. Stop it, or choose another --port"
            ) from error


def refuse_plain_http(host: str, tls: Certificate | None, insecure: bool) -> None:
    """Refuse plain HTTP on an address other than loopback unless told ``insecure``."""
    from showclear.web.tls import is_loopback

    if tls is None and not insecure and not is_loopback(host):
        raise ServeRefused(
            f"{host} is reachable from the network, and Showclear serves it only over HTTPS: "
            "add --tls (a certificate made for this server; phones trust it by its "
            "fingerprint), or --cert and --key (yours), or --insecure to accept "
            f"{INSECURE_RISK}"
        )


def settings(
    host: str, port: int, workers: int, threads: int, tls: Certificate | None = None
) -> dict[str, Any]:
    """gunicorn's settings for Showclear."""
    secured = {"certfile": str(tls.cert), "keyfile": str(tls.key)} if tls is not None else {}
    return {
        **secured,
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": KEEP_ALIVE_SECONDS,
        # Each worker listens on its own socket and the kernel spreads new connections over
        # them. On one shared socket, whichever worker wakes first accepts: fifty phones
        # connecting at once were seen split 44 to 6, one worker's core idle while the other's
        # phones waited (bench/web.py).
        "reuse_port": True,
        # A worker folds every ledger before it reports ready: give a long log time to fold.
        "timeout": 120,
        "graceful_timeout": 10,
        "post_worker_init": _ready,
        "control_socket_disable": True,
        # SHOWCLEAR_ACCESS_LOG=1: one line per request on the server's output (method, path,
        # status, size, client), never a header, a body or a cookie, so no token or PIN.
        "accesslog": "-" if os.environ.get("SHOWCLEAR_ACCESS_LOG") == "1" else None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "showclear",
    }


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    threads: int = 8,
    *,
    tls: Certificate | None = None,
    insecure: bool = False,
) -> None:
    """Serve Showclear on ``host:port`` until interrupted (HTTPS when ``tls`` is given)."""
    refuse_plain_http(host, tls, insecure)
    refuse_taken_port(host, port)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings")
    if tls is not None:
        os.environ["SHOWCLEAR_SECURE_COOKIES"] = "1"  # read by the settings, in every worker
        os.environ.setdefault("SHOWCLEAR_ALLOWED_HOSTS", ",".join(tls.names))
    from django.db import DatabaseError, connections

    from showclear import config
    from showclear.archive.backup import hold_serving_lock
    from showclear.service import Service
    from showclear.store import StoreError
    from showclear.web.setup import django_setup, migrate

    # Held by the master and every worker it forks: 'showclear restore' refuses while it is.
    hold_serving_lock(config.data_dir())
    opened = Service.from_environment()  # the ledger opens (or serve stops, saying why)
    opened.store.close()
    django_setup()
    try:
        migrate()
    except DatabaseError as error:
        raise StoreError(f"the web app's tables cannot be prepared: {error}") from error
    connections.close_all()  # nothing the master opened may be shared with a forked worker
    server = ShowclearServer(settings(host, port, workers or default_workers(), threads, tls))
    Arbiter(server).run()
