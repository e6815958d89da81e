"""One error shape for every refusal, whatever refused: the safety rules, validation, auth.

::

    {"status": 409, "title": "Refused by the safety rules", "detail": "...",
     "rule_ids": ["R-INSPECT"],
     "violations": [{"rule_id", "title", "severity", "message", "subject", "overridable"}],
     "errors": [{"field": "firearm", "message": "Field required"}]}

``violations`` are the core's own :class:`~showclear.core.rules.Violation` records, the same
ones a webhook or a report names; ``errors`` name the request fields that could not be used.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from showclear.core.decide import Refused
from showclear.core.rules import Violation
from showclear.store import Intrusion, StoreError

logger = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "No valid device token",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Refused by the safety rules",
    411: "Length required",
    413: "Too large",
    422: "The request cannot be used",
    429: "Too many attempts",
    500: "Server error",
    503: "Not recorded",
}


class ViolationOut(Schema):
    """One safety rule a command broke, as the core says it."""

    rule_id: str
    title: str
    severity: str
    message: str
    subject: str
    overridable: bool


class FieldError(Schema):
    """One request field that cannot be used: its dotted path and why."""

    field: str
    message: str


class Problem(Schema):
    """Every refusal and error the API gives, in one shape."""

    status: int
    title: str
    detail: str
    rule_ids: list[str]
    violations: list[ViolationOut]
    errors: list[FieldError]


class ApiError(Exception):
    """Refuse the request with a :class:`Problem` of ``status``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[tuple[str, str]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = tuple(errors)
        self.headers = headers or {}


def problem(
    status: int,
    detail: str,
    *,
    violations: Iterable[Violation] = (),
    errors: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The error body for ``status``."""
    found = list(violations)
    return {
        "status": status,
        "title": TITLES.get(status, "Error"),
        "detail": detail,
        "rule_ids": list(dict.fromkeys(v.rule_id for v in found)),
        "violations": [
            {
                "rule_id": v.rule_id,
                "title": v.title,
                "severity": v.severity,
                "message": v.message,
                "subject": v.subject,
                "overridable": v.overridable,
            }
            for v in found
        ],
        "errors": [{"field": field, "message": message} for field, message in errors],
    }


def refusal(refused: Refused) -> dict[str, Any]:
    """The 409 body for a command the safety rules refused (nothing recorded)."""
    return problem(409, f"Nothing was recorded. {refused}", violations=refused.violations)


def not_recorded(error: StoreError) -> dict[str, Any]:
    """The 503 body for a command the ledger could not make durable (nothing recorded), or
    that was refused because the stored ledger holds what Showclear did not write (no retry
    helps then: the ledger must be restored, ``docs/security.md``)."""
    if isinstance(error, Intrusion):
        return problem(503, f"Not recorded: {error}")
    return problem(503, f"Not recorded: {error}. Try again; nothing was recorded.")


#: The error responses every operation may give, for the OpenAPI document.
AUTH_ERRORS: dict[int, type[Problem]] = {401: Problem, 403: Problem, 404: Problem, 429: Problem}
COMMAND_ERRORS: dict[int, type[Problem]] = {
    **AUTH_ERRORS,
    409: Problem,
    411: Problem,  # a body without Content-Length (showclear.web.request_size)
    413: Problem,  # a body over the API's limit, refused unread
    422: Problem,
    503: Problem,
}
QUERY_ERRORS: dict[int, type[Problem]] = {**AUTH_ERRORS, 422: Problem}


def field_name(location: Sequence[Any]) -> str:
    """``["body", "payload", "performer", "credential"]`` -> ``"performer.credential"``."""
    parts = [str(part) for part in location]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source, parts = parts[0], parts[1:]
        if source == "body" and parts and parts[0] == "payload":
            parts = parts[1:]
        if source == "header" and parts:
            parts = [parts[0].replace("_", "-").title()]
    return ".".join(parts) or "body"


def _check(request: HttpRequest, errors: Sequence[tuple[str, str]]) -> str:
    """``"Nothing was recorded: check item, to."`` (a query says only what to check)."""
    named = ", ".join(dict.fromkeys(field for field, _ in errors)) or "the request"
    return (
        f"Nothing was recorded: check {named}." if request.method == "POST" else f"Check {named}."
    )


def install(api: NinjaAPI) -> None:
    """Answer every error of ``api`` with a :class:`Problem`."""

    def respond(
        request: HttpRequest, body: dict[str, Any], headers: dict[str, str]
    ) -> HttpResponse:
        response = api.create_response(request, body, status=body["status"])
        for name, value in headers.items():
            response[name] = value
        return response

    def on_api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
        body = problem(error.status, error.detail, errors=error.errors)
        return respond(request, body, error.headers)

    def on_validation(request: HttpRequest, error: ValidationError) -> HttpResponse:
        errors = [
            (field_name(item.get("loc", ())), str(item.get("msg", ""))) for item in error.errors
        ]
        return respond(request, problem(422, _check(request, errors), errors=errors), {})

    def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        if error.status_code == 400:  # ninja: the body is not JSON
            errors = [("body", f"{error}: send one JSON object")]
            return respond(request, problem(422, _check(request, errors), errors=errors), {})
        headers: dict[str, str] = {}
        if isinstance(error, Throttled) and error.wait:
            headers["Retry-After"] = str(max(1, math.ceil(error.wait)))
        detail = str(error)
        if isinstance(error, AuthenticationError):
            detail = "Send a device token: 'Authorization: Bearer sc_...'."
        return respond(request, problem(error.status_code, detail), headers)

    def on_too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
        # Django's own limit on what it reads into memory (showclear.web.request_size refuses
        # most bodies before this, by their Content-Length).
        detail = "The body is more than Showclear reads. Nothing was recorded."
        return respond(request, problem(413, detail, errors=[("body", detail)]), {})

    def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return respond(request, problem(404, str(error) or "Not found."), {})

    def on_refused(request: HttpRequest, refused: Refused) -> HttpResponse:
        return respond(request, refusal(refused), {})

    def on_store_error(request: HttpRequest, error: StoreError) -> HttpResponse:
        return respond(request, not_recorded(error), {})

    def on_database_error(request: HttpRequest, error: DatabaseError) -> HttpResponse:
        # The web app's own tables (idempotency keys, tokens) cannot be written: a full or
        # failing disk. Raised before the ledger is touched; the type only, never the values.
        logger.error(
            "the API's database refused %s %s (%s)",
            request.method,
            request.path,
            type(error).__name__,
        )
        detail = "Showclear cannot write to its database now (its disk may be full or failing)."
        if request.method == "POST":
            detail = f"Not recorded: {detail} Nothing was recorded; send it again later."
        # No Retry-After: nothing knows when the disk is freed (showclear.web.not_recorded).
        return respond(request, problem(503, detail), {})

    def on_anything(request: HttpRequest, error: Exception) -> HttpResponse:
        logger.exception("the API failed on %s %s", request.method, request.path)
        return respond(
            request,
            problem(500, "Something went wrong in Showclear; it was logged."),
            {},
        )

    api.add_exception_handler(ApiError, on_api_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_not_found)  # type: ignore[arg-type]
    api.add_exception_handler(RequestDataTooBig, on_too_big)  # type: ignore[arg-type]
    api.add_exception_handler(Refused, on_refused)  # type: ignore[arg-type]
    api.add_exception_handler(StoreError, on_store_error)  # type: ignore[arg-type]
    api.add_exception_handler(DatabaseError, on_database_error)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, on_anything)  # type: ignore[arg-type]
