"""A production's other software, for the webhook tests: a real HTTP server on loopback that
keeps every request it is sent and answers with the statuses it is told to, in order."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    """One request as the receiver got it."""

    at: float  # time.monotonic()
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the receiver got, and the statuses it still has to answer with (then 200)."""

    url: str
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int, timeout: float = 60.0) -> list[Received]:
        """The first ``count`` requests, once they have come."""
        until(lambda: len(self.received) >= count, timeout, f"{count} deliveries")
        with self.lock:
            return list(self.received[:count])


def until(condition: Callable[[], Any], timeout: float, what: str) -> None:
    """Wait until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


@contextmanager
def receiving(answers: list[int] | None = None, port: int = 0) -> Iterator[Receiver]:
    """A receiver on ``127.0.0.1:port`` (a free port when 0), stopped afterwards."""
    receiver = Receiver("", list(answers or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.received.append(
                    Received(time.monotonic(), self.path, dict(self.headers.items()), body)
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/showclear"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Silent:
    """A receiver that takes every connection and never answers (the sender times out)."""

    url: str
    reached: threading.Event = field(default_factory=threading.Event)

    def wait_reached(self, timeout: float = 30) -> None:
        """Wait until a sender has connected (an attempt is in flight)."""
        if not self.reached.wait(timeout):
            raise AssertionError(f"waited {timeout} s for a sender to connect")


@contextmanager
def silent() -> Iterator[Silent]:
    """A URL whose server takes the connection and never answers (the sender times out)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    receiver = Silent(f"http://127.0.0.1:{listener.getsockname()[1]}/silent")
    held: list[socket.socket] = []  # accepted, never read from nor answered

    def take() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # the listener was closed
                return
            held.append(connection)
            receiver.reached.set()

    taker = threading.Thread(target=take, daemon=True)
    taker.start()
    try:
        yield receiver
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept (Linux)
        listener.close()
        for connection in held:
            connection.close()
        taker.join(timeout=5)
