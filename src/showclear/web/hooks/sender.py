"""Sending one delivery: one POST, to a checked address, within one deadline, never raising.

(No Django here: what is sent and why it failed are decided without the database.)

The URL is read by :func:`~showclear.web.hooks.destination.parse` (the parser that accepted
it), the host resolved now and every address checked
(:func:`~showclear.web.hooks.destination.resolve`), and the connection made to the checked
address itself (TLS still verifies the certificate for the host's name), so a name cannot be
pointed elsewhere between the check and the connection.

**One deadline for the whole attempt.** Connecting, the TLS handshake, sending, and reading
the answer's status together take at most ``timeout`` seconds: a watchdog shuts the socket when
it passes, so a receiver that accepts and never answers, or answers one byte a second, costs one
attempt of ``timeout`` and no more. (A socket timeout alone bounds each read, not their sum.)

**What is logged is ours.** An attempt is logged with the receiver's status code, or a reason
from :data:`REASONS` in our own words: never the receiver's body, its reason phrase, or the text
of a network error (which can describe another host's network: "certificate is not valid for
'build.internal'", a proxy's error page).
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from showclear.web.hooks.destination import Allowed, Destination, Unusable, parse, resolve

logger = logging.getLogger(__name__)

ANSWER_BYTES = 65536
"""The most of an answer's body read (and thrown away) before the connection is closed."""

REASONS = {
    "dns": "the host name could not be resolved",
    "refused": "connection refused",
    "unreachable": "the host is unreachable",
    "timeout": "timed out: no answer within the deadline",
    "tls-trust": "TLS failed: the receiver's certificate is not trusted for its host name",
    "tls": "TLS failed",
    "http": "the receiver did not answer in HTTP",
    "connection": "the connection failed",
    "error": "the delivery could not be sent",
}
"""Why an attempt got no status code, in the only words the delivery log uses."""


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status code or an error, and how long it took."""

    at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str = ""

    @property
    def delivered(self) -> bool:
        """Whether the receiver took it (2xx)."""
        return self.status_code is not None and 200 <= self.status_code < 300


class _Deadline:
    """Shuts a socket when the attempt's time is up, so a blocked read or write returns."""

    def __init__(self, seconds: float) -> None:
        self.passed = False
        self._socket: socket.socket | None = None
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True

    def guard(self, sock: socket.socket) -> None:
        self._socket = sock
        if not self._timer.is_alive() and not self.passed:
            self._timer.start()

    def _expire(self) -> None:
        self.passed = True
        if self._socket is not None:
            with contextlib.suppress(OSError):  # already closed: nothing to stop
                self._socket.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, allowed: Allowed
) -> Outcome:
    """POST ``body`` to ``url``; the status code, or why there is none (never raises)."""
    started, at = time.monotonic(), datetime.now(UTC)

    def outcome(status: int | None, reason: str = "") -> Outcome:
        return Outcome(at, round((time.monotonic() - started) * 1000), status, reason)

    deadline = _Deadline(timeout)
    try:
        destination = parse(url)
        addresses = resolve(destination, allowed)
        return outcome(
            _exchange(destination, addresses, body, headers, started + timeout, deadline)
        )
    except Unusable as unusable:
        return outcome(None, str(unusable))
    except Exception as failed:  # the receiver's failure is noted, never raised
        if deadline.passed:
            return outcome(None, REASONS["timeout"])
        return outcome(None, REASONS[_reason(failed)])
    finally:
        deadline.cancel()


def _reason(failed: Exception) -> str:
    """Which of :data:`REASONS` ``failed`` is."""
    if isinstance(failed, socket.gaierror):
        return "dns"
    if isinstance(failed, TimeoutError):
        return "timeout"
    if isinstance(failed, ConnectionRefusedError):
        return "refused"
    if isinstance(failed, ssl.SSLCertVerificationError):
        return "tls-trust"
    if isinstance(failed, ssl.SSLError):
        return "tls"
    if isinstance(failed, http.client.HTTPException):
        return "http"
    if isinstance(failed, OSError):
        unreachable = (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL)
        return "unreachable" if failed.errno in unreachable else "connection"
    logger.warning("a webhook delivery failed unexpectedly (%s)", type(failed).__name__)
    return "error"


def _exchange(
    destination: Destination,
    addresses: list[str],
    body: bytes,
    headers: dict[str, str],
    until: float,
    deadline: _Deadline,
) -> int:
    """Connect to the first checked address that answers, send, and read the status."""
    sock = _connect(addresses, destination.port, until)
    deadline.guard(sock)
    try:
        if destination.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=destination.host)
            deadline.guard(sock)
        exchange = http.client.HTTPConnection(destination.host, destination.port)
        exchange.sock = sock  # already connected, to the address checked: never resolved again
        exchange.request("POST", destination.target, body=body, headers=headers)
        answer = exchange.getresponse()
        answer.read(ANSWER_BYTES)  # read a little, so the receiver is not cut off mid-answer
        if deadline.passed:  # the watchdog's shutdown reads as an answer's end: it is not one
            raise TimeoutError
        return answer.status
    finally:
        sock.close()


def _connect(addresses: list[str], port: int, until: float) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that takes one before ``until``."""
    last: OSError = TimeoutError()
    for address in addresses:
        left = until - time.monotonic()
        if left <= 0:
            break
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(left)
        try:
            sock.connect((address, port))
        except OSError as failed:
            sock.close()
            last = failed
            continue
        return sock
    raise last
