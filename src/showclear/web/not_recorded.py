"""A page that could not record answers 503 Service Unavailable.

When the ledger cannot make a command durable (a full disk, a disk that failed read-only, a
database that went away), nothing is recorded and the page says "Not recorded" with the reason.
Such a page answers 503, not 200: a phone's browser, a proxy and a monitor then all see that
the request failed, and the API answers the same (``docs/api.md``, "One error shape"). A view
marks its request with :func:`mark`; :class:`NotRecordedAnswers503` sets the status.

A database error no view expected (the web app's own tables cannot be written, for example a
session or a throttle count on a full disk) gets a plain 503 page saying nothing was saved,
instead of a bare "Server Error (500)". The API answers its own errors.

Neither carries ``Retry-After``: that header promises a time, and nothing here knows when a
disk will be freed or another program will let go of the database's lock. A guessed constant
would send every phone back at the same moment, to be refused again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from showclear.store import StoreError

FLAG = "showclear.not_recorded"

logger = logging.getLogger(__name__)


def mark(request: HttpRequest) -> None:
    """Say that this request tried to record a command and nothing was recorded."""
    request.META[FLAG] = True


class NotRecordedAnswers503:
    """Django middleware: a page marked "not recorded", or a database failure, answers 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.META.get(FLAG) and 200 <= response.status_code < 300:
            response.status_code = 503
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/") or not isinstance(
            exception, DatabaseError | StoreError
        ):
            return None
        # The type only: a driver's message can quote the statement's values.
        logger.error(
            "%s %s: the database refused a write (%s)",
            request.method,
            request.path,
            type(exception).__name__,
        )
        response = render(request, "not_recorded.html", status=503)
        if request.headers.get("HX-Request"):
            # An htmx form swaps part of a page: show this page's message in place of <main>.
            response["HX-Retarget"] = "main"
            response["HX-Reselect"] = "main"
            response["HX-Reswap"] = "outerHTML"
        return response
