"""The API's edge: a body over the limit or of no stated length, and times and numbers past what
a ledger holds, are answered in the one error shape and never with a 500; and a body is refused
before it is read, not after.

The requests go to the served app (``served_site``), over a socket of their own where the test
must see what the server does before the whole body is sent. Served for the whole module: the
raw-socket tests need a real server anyway, and the rest are a few milliseconds a request
either way, so an in-process production beside it only added its set-up.
"""

from __future__ import annotations

import json
import socket
import urllib.parse
from typing import Any

import pytest
from api_server import Site

from showclear.web.request_size import API_BYTES

PROBLEM_KEYS = {"status", "title", "detail", "rule_ids", "violations", "errors"}


@pytest.fixture(scope="module")
def site(served_site: Site) -> Site:
    """This module's production is the served one (tests/api/conftest.py)."""
    return served_site


def _raw(
    site: Site, head: str, body: bytes, *, send_all: bool = True
) -> tuple[int, dict[str, Any]]:
    """Send ``head`` and then ``body`` (or only its first 1 kB, unless ``send_all``) over a
    socket of its own; the status and JSON body of the answer."""
    address = urllib.parse.urlsplit(site.base)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(head.encode())
        connection.sendall(body if send_all else body[:1024])
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < _length(answer):
            piece = connection.recv(65536)
            if not piece:
                break
            answer += piece
    top, _, rest = answer.partition(b"\r\n\r\n")
    status = int(top.split(b" ", 2)[1])
    return status, json.loads(rest[: _length(answer) - len(top) - 4])


def _length(answer: bytes) -> int:
    """The whole answer's length once its headers are in (a large number until then)."""
    top, found, _ = answer.partition(b"\r\n\r\n")
    if not found:
        return 1 << 30
    for line in top.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(top) + 4 + int(value)
    return 1 << 30


def _post_head(site: Site, path: str, token: str, **headers: str) -> str:
    lines = [
        f"POST /api/v1/productions/{site.slug}{path} HTTP/1.1",
        f"Host: {urllib.parse.urlsplit(site.base).netloc}",
        f"Authorization: Bearer {token}",
        "Content-Type: application/json",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
    ]
    return "\r\n".join(lines) + "\r\n\r\n"


def test_a_body_over_the_limit_is_413_in_the_one_shape_before_the_body_is_sent(
    site: Site,
) -> None:
    size = site.size()
    body = json.dumps({"reason": "x" * (4 * API_BYTES)}).encode()
    head = _post_head(
        site, "/commands/stop-work", site.token("armorer"), Content_Length=str(len(body))
    )
    # Only the first kilobyte is sent: the answer comes without the rest ever being read.
    status, answer = _raw(site, head, body, send_all=False)
    assert status == 413
    assert set(answer) == PROBLEM_KEYS
    assert answer["title"] == "Too large"
    assert answer["detail"] == (
        f"The body is {len(body) // 1000:,} kB: the API reads at most {API_BYTES // 1000} kB of "
        "JSON. Nothing was recorded."
    )
    assert [e["field"] for e in answer["errors"]] == ["body"]
    assert site.size() == size


def test_a_body_just_under_the_limit_is_read_and_decided(site: Site) -> None:
    text = "a" * (API_BYTES - 100)
    answer = site.command("armorer", "complain", {"text": text})
    # Read whole and decided (the core's text limit refuses it, R-INPUT): never 413 nor 500.
    assert answer.status == 409, answer.body
    assert answer.body["rule_ids"] == ["R-INPUT"]


def test_a_body_sent_in_chunks_without_a_length_is_411_and_not_taken_as_empty(
    site: Site,
) -> None:
    size = site.size()
    chunk = json.dumps({"reason": "a lamp fell over"}).encode()
    body = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
    head = _post_head(
        site, "/commands/stop-work", site.token("armorer"), Transfer_Encoding="chunked"
    )
    status, answer = _raw(site, head, body)
    assert status == 411
    assert set(answer) == PROBLEM_KEYS
    assert answer["title"] == "Length required"
    assert "Content-Length" in answer["detail"]
    assert site.size() == size


@pytest.mark.parametrize(
    "query",
    [
        "since=0000-01-01",  # the year 0
        "since=99999-01-01",  # the year 99999
        "until=100000000000000000000",  # 10**20 seconds
        "since=-100000000000000",
        "since=1e400",
        "since=inf",
        "since=nan",
        "since=" + "9" * 3000,  # a huge ISO string (under the 4 kB of a request line)
        "since=2026-01-01T00:00:00Z" + "0" * 3000,
        "since=0001-01-01T00:00:00%2B01:00",  # the year 0 in UTC
        "until=9999-12-31T23:59:59-14:00",  # the year 10000 in UTC
        "since=9999-12-31T23:59:59.999999-00:01",
        "after=1e400",
        "after=" + "9" * 3000,
        "after=-2",
        "limit=99999999999999999999999",
        "limit=NaN",
    ],
)
def test_a_query_past_what_a_ledger_holds_is_422_naming_the_field_never_500(
    site: Site, query: str
) -> None:
    answer = site.call("GET", f"/productions/{site.slug}/history?{query}")
    assert answer.status == 422, answer.body
    assert set(answer.body) == PROBLEM_KEYS
    field = query.partition("=")[0]
    assert [e["field"] for e in answer.body["errors"]] == [field]
    assert answer.body["detail"] == f"Check {field}."


@pytest.mark.parametrize(
    "query",
    [
        "since=0001-01-01T00:00:00Z&until=9999-12-31T23:59:59.999999Z",
        "since=0001-01-01&until=9999-12-31",
        "since=2026-01-01T00:00:00%2B14:00",
        "after=9007199254740991",
        "since=2026-01-01T00:00:00." + "1" * 3000,  # read to the microsecond
    ],
)
def test_the_widest_times_a_ledger_holds_are_answered(site: Site, query: str) -> None:
    answer = site.call("GET", f"/productions/{site.slug}/history?{query}")
    assert answer.status == 200, answer.body


def test_the_deliveries_query_and_a_path_number_past_what_is_held_are_422(site: Site) -> None:
    for path in (
        "/webhooks/1/deliveries?limit=1e400",
        "/webhooks/99999999999999999999/deliveries",
        "/tokens/99999999999999999999",
    ):
        method = "DELETE" if path.startswith("/tokens") else "GET"
        answer = site.call(method, f"/productions/{site.slug}{path}")
        assert answer.status == 422, (path, answer.body)
        assert set(answer.body) == PROBLEM_KEYS
