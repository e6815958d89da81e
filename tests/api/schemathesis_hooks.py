"""schemathesis hooks for the API run (``SCHEMATHESIS_HOOKS``): a generated webhook URL that
Showclear would accept is pointed at a closed loopback port instead, so nothing the run adds is
ever sent off this machine; and each generated ``Idempotency-Key`` is made unique to its request
(the generator repeats short keys such as ``null``, which Showclear rightly refuses for a second,
different command: the idempotency tests prove that), so commands reach the safety rules.

And no request line longer than the server takes is generated: gunicorn answers one longer than
4094 bytes with its own 414 before Showclear sees it (docs/api.md), which says nothing about the
API (a query of four filters of 200 characters, each percent-encoded from four UTF-8 bytes, is
9,600 bytes)."""

from __future__ import annotations

import itertools
from typing import Any

import requests
import schemathesis
from schemathesis.transport.requests import REQUESTS_TRANSPORT

REQUEST_LINE_LIMIT = 4094
"""gunicorn's ``limit_request_line``, which ``showclear serve`` keeps."""

NOWHERE = "http://127.0.0.1:9/schemathesis"
"""Port 9 (discard) on loopback: nothing listens there."""


@schemathesis.hook
def map_body(context: Any, body: Any) -> Any:
    url = body.get("url") if isinstance(body, dict) else None
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return {**body, "url": NOWHERE}
    return body


_sent = itertools.count(1)


@schemathesis.hook
def map_headers(context: Any, headers: Any) -> Any:
    if isinstance(headers, dict) and isinstance(headers.get("Idempotency-Key"), str):
        return {**headers, "Idempotency-Key": f"{headers['Idempotency-Key']}-{next(_sent)}"[-255:]}
    return headers


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    # The request as sent over HTTP, whichever transport the run uses (a served URL or the app
    # in this process): the line a server would read.
    sent = requests.Request(
        **REQUESTS_TRANSPORT.serialize_case(case, base_url="http://127.0.0.1")
    ).prepare()
    return len(f"{case.method.upper()} {sent.path_url} HTTP/1.1".encode()) <= REQUEST_LINE_LIMIT
