"""Serving the web app with waitress, a production-grade WSGI server (not Django's runserver)."""

from __future__ import annotations

import os


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 16) -> None:
    """Serve Showclear on ``host:port`` until interrupted."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings")
    from waitress import serve as waitress_serve

    from showclear.web.setup import django_setup, migrate

    django_setup()
    migrate()
    from showclear.web.runtime import service
    from showclear.web.wsgi import application

    service()  # open the store (and fold the ledgers) before the first request
    waitress_serve(application, host=host, port=port, threads=threads, ident="Showclear")
