"""How much of a request body Showclear reads: at most its limit, counted while it is read.

A request body is read only up to its ``Content-Length`` (Django reads through a stream that
stops there), so the limit is kept by refusing a body before reading it:

- a ``Content-Length`` over the limit: **413**, before a byte of the body is read (the API in
  its one error shape, a page as a short page saying so);
- a body without ``Content-Length`` (``Transfer-Encoding: chunked``): **411 Length Required**.
  Django's WSGI request reads no more than ``Content-Length`` says, so such a body would be
  taken as empty; it is refused, saying why, instead;
- a file in a form (a CSV to import, a photo of a QR label) is counted chunk by chunk as it is
  read (:class:`FileLimit`); past its own limit, reading it stops and the page says the file is
  too large (:func:`file_too_large`). What is left of the body (no more than the request's
  limit) is read and dropped, so the connection stays usable and the phone sees the answer.

What a request may carry: the API :data:`API_BYTES` of JSON; a page the view's own limit
(:func:`reads_at_most`), or Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) by default. gunicorn
reads at most 64 kB of a refused body before it closes the connection (``docs/operations.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render

API_BYTES = 256_000
"""The largest JSON body the API reads (a command is a few hundred bytes; a long roster line or
a scene's plan a few kB)."""

FORM_ROOM = 64 * 1024
"""What a form carries around its file: the other fields, the multipart boundaries."""

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Limits:
    """What one view reads: the whole body, and each file in it."""

    body: int
    file: int | None = None


def reads_at_most(body: int, *, file: int | None = None) -> Callable[[View], View]:
    """Mark a page view that takes up to ``body`` bytes, each file in it up to ``file``."""

    def mark(view: View) -> View:
        view.request_limits = Limits(body, file)  # type: ignore[attr-defined]
        return view

    return mark


def file_too_large(request: HttpRequest) -> int | None:
    """The limit a file posted with ``request`` went past (it was not kept), or ``None``."""
    found = getattr(request, "file_too_large", None)
    return found if isinstance(found, int) else None


class FileLimit(FileUploadHandler):
    """Counts each file's bytes as they are read; past ``limit``, stops reading the upload."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.file_too_large = self.limit  # type: ignore[union-attr]
            # Not a reset: the rest of the body (within the request's own limit) is read and
            # dropped, so the phone gets the page saying why instead of a broken connection.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers keep the file


def _said(size: int) -> str:
    return f"{size // 1000:,} kB" if size >= 10_000 else f"{size:,} bytes"


def _refuse(request: HttpRequest, status: int, detail: str) -> HttpResponseBase:
    if request.path.startswith("/api/"):
        from showclear.web.api.errors import problem

        return JsonResponse(problem(status, detail, errors=[("body", detail)]), status=status)
    return render(request, "request_refused.html", {"detail": detail}, status=status)


def _declared(request: HttpRequest) -> int | None:
    """The body's declared length, ``None`` when it declares none (or nonsense)."""
    text = str(request.META.get("CONTENT_LENGTH") or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


class RequestSizeLimits:
    """Django middleware: refuse a body over its limit, or of no stated length, unread.

    Runs its check once the view is known (``process_view``) and before the CSRF check, the
    first thing that reads a form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        declared = _declared(request)
        chunked = bool(request.META.get("HTTP_TRANSFER_ENCODING"))
        if declared is None and chunked:
            return _refuse(
                request,
                411,
                "Send the body with a Content-Length: a body sent in chunks without one is "
                "not read. Nothing was recorded.",
            )
        if not declared:
            return None
        limits: Limits | None = getattr(view, "request_limits", None)
        if request.path.startswith("/api/"):
            limit = API_BYTES
        elif limits is not None:
            limit = limits.body
        else:
            limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or API_BYTES)
        if declared > limit:
            return _refuse(request, 413, _too_large(request, declared, limit, limits))
        if limits is not None and limits.file is not None:
            request.upload_handlers = [FileLimit(request, limits.file), *request.upload_handlers]
        return None


def _too_large(request: HttpRequest, declared: int, limit: int, limits: Limits | None) -> str:
    if request.path.startswith("/api/"):
        return (
            f"The body is {_said(declared)}: the API reads at most {_said(limit)} of JSON. "
            "Nothing was recorded."
        )
    if limits is not None and limits.file is not None:
        return (
            f"The file is too large: Showclear takes files of at most {_said(limits.file)}, "
            f"and this was {_said(declared)}. Nothing was recorded."
        )
    return f"What was sent is {_said(declared)}, more than this page takes. Nothing was recorded."
