"""A webhook delivery goes only where it may, within one deadline, and its log says nothing of
what another host answered.

One parser reads a hook's URL when it is added and when it is sent; a delivery resolves the
host at delivery time, refuses loopback, private and link-local addresses unless
``SHOWCLEAR_WEBHOOK_ALLOW_HOSTS`` names them, and connects to the address it checked; one
attempt takes at most its timeout, whatever the receiver does; the log keeps a status code or
a reason in our words. (``tests/api/test_api_webhooks.py`` plays the same through a served
``showclear serve``: the URL refused at ``webhook add``, a broken receiver not delaying another
hook's STOP WORK, several workers sending each delivery once.)
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from showclear.web.hooks import destination, sender
from showclear.web.hooks.destination import Allowed, Unusable, parse

LOOPBACK = Allowed(networks=(destination.ipaddress.ip_network("127.0.0.0/8"),))


@contextmanager
def answering(reply: bytes, *, trickle: float = 0.0) -> Iterator[tuple[str, list[bytes]]]:
    """A loopback server answering every connection with ``reply`` (a byte each ``trickle``
    seconds when set); the URL and what each connection sent."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    got: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    got.append(conn.recv(65536))
                    for start in range(0, len(reply), 1 if trickle else len(reply) or 1):
                        if stop.is_set():
                            break
                        conn.sendall(reply[start : start + (1 if trickle else len(reply))])
                        time.sleep(trickle)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook", got
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def post(url: str, *, allowed: Allowed = LOOPBACK, timeout: float = 2.0) -> Any:
    return sender.post(
        url, b"{}", {"Content-Type": "application/json"}, timeout=timeout, allowed=allowed
    )


# -- one parser ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@hooks.example.com/in",
        "https://user@hooks.example.com/in",
        "http://user:pass@hooks.example.com:8443/in",
        "http://:@hooks.example.com/",
    ],
)
def test_a_url_with_a_user_name_or_password_is_refused_by_the_parser_the_sender_uses(
    url: str,
) -> None:
    with pytest.raises(Unusable, match=r"no user name or password \(user:password@\)"):
        parse(url)
    outcome = post(url)
    assert outcome.status_code is None
    assert "no user name or password" in outcome.error


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://example.com/x", "is not an http:// or https:// URL"),
        ("http://hooks.example.com:99999/", "port is a number from 1 to 65535"),
        ("http://hooks.example.com:x/", "port is a number from 1 to 65535"),
        ("http://hooks.example.com/a b", "no spaces or control characters"),
        ("http://hooks.example.com/\x00", "no spaces or control characters"),
        ("http://hooks.example.com/é", "is ASCII"),
        ("http://hooks.example.com/#top", "no #fragment"),
        ("http:///in", "is not an http:// or https:// URL"),
        ("http://[::1/", "is not an http:// or https:// URL"),
        ("http://" + "a" * 64 + ".example.com/", "is not a host name"),
    ],
)
def test_a_url_the_sender_could_not_use_is_refused_with_why(url: str, why: str) -> None:
    with pytest.raises(Unusable) as refused:
        parse(url)
    assert why in str(refused.value)


def test_what_the_parser_reads_is_what_is_sent() -> None:
    read = parse("HTTPS://Hooks.Example.com:8443/in/showclear?studio=7")
    assert (read.scheme, read.host, read.port, read.target) == (
        "https",
        "hooks.example.com",
        8443,
        "/in/showclear?studio=7",
    )
    assert parse("http://[2001:db8::7]/").host == "2001:db8::7"
    assert parse("http://hooks.example.com").target == "/"


# -- where a delivery may go ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.7.20", "169.254.169.254", "100.64.0.1",
        "0.0.0.0",  # noqa: S104  (an address judged, never bound)
        "224.0.0.1", "::1", "fe80::1", "fd00::7", "::ffff:127.0.0.1", "::",
    ],
)  # fmt: skip
def test_loopback_private_and_link_local_addresses_are_not_public(address: str) -> None:
    assert not destination.is_public(destination.ipaddress.ip_address(address))
    with pytest.raises(Unusable, match="not public"):
        destination.check_named(
            parse(f"http://{'[' + address + ']' if ':' in address else address}/"), Allowed()
        )


def test_public_addresses_and_names_pass_the_check_when_a_hook_is_added() -> None:
    for url in (
        "https://93.184.215.14/in",
        "https://[2606:4700::1111]/",
        "https://hooks.example.com/",
    ):
        destination.check_named(parse(url), Allowed())
    with pytest.raises(Unusable):
        destination.check_named(parse("http://localhost:8000/"), Allowed())


def test_the_allow_setting_names_hosts_addresses_and_networks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(destination.ALLOW_SETTING, "safety.studio.lan, 10.20.0.0/16 127.0.0.1")
    allowed = Allowed.from_environment()
    ip = destination.ipaddress.ip_address
    assert allowed.permits("safety.studio.lan", ip("192.168.1.5"))
    assert allowed.permits("anything", ip("10.20.3.4"))
    assert allowed.permits("anything", ip("127.0.0.1"))
    assert not allowed.permits("anything", ip("127.0.0.2"))
    assert not allowed.permits("other.studio.lan", ip("192.168.1.5"))
    destination.check_named(parse("http://127.0.0.1:9/"), allowed)


def test_a_name_is_resolved_at_delivery_and_refused_when_it_now_points_inside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with answering(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") as (url, got):
        port = int(url.split(":")[2].split("/")[0])
        destination.check_named(parse(f"http://hooks.example.com:{port}/"), Allowed())  # added

        def rebound(host: str, *args: Any, **kwargs: Any) -> list[Any]:
            assert host == "hooks.example.com"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

        monkeypatch.setattr(socket, "getaddrinfo", rebound)  # DNS now says: loopback
        refused = post(f"http://hooks.example.com:{port}/", allowed=Allowed())
        assert refused.status_code is None
        assert refused.error.startswith("not sent: its address is not public")
        time.sleep(0.3)
        assert got == [], "nothing was sent to the loopback address"

        allowed = Allowed(names=frozenset({"hooks.example.com"}))
        delivered = post(f"http://hooks.example.com:{port}/", allowed=allowed)
        assert delivered.status_code == 200
        assert got
        assert got[0].startswith(b"POST / HTTP/1.1")
        assert b"Host: hooks.example.com:" in got[0]


def test_a_name_resolving_to_a_public_and_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    both = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: both)
    with pytest.raises(Unusable):
        destination.resolve(parse("http://hooks.example.com/"), Allowed())


# -- one deadline, our own words -----------------------------------------------------------------


def test_a_receiver_that_never_answers_costs_one_attempt_of_the_timeout_and_no_more() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # connections wait in the backlog, never answered
    try:
        started = time.monotonic()
        outcome = post(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=1.0)
        took = time.monotonic() - started
    finally:
        listener.close()
    assert outcome.status_code is None
    assert outcome.error == sender.REASONS["timeout"]
    assert 0.9 <= took < 3


def test_a_receiver_answering_a_byte_at_a_time_is_cut_off_at_the_deadline() -> None:
    slow = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"z" * 200 + b"\r\n\r\n"
    with answering(slow, trickle=0.05) as (url, _):
        started = time.monotonic()
        outcome = post(url, timeout=1.0)
        took = time.monotonic() - started
    assert outcome.status_code is None
    assert outcome.error == sender.REASONS["timeout"]
    assert took < 3, f"{took:.1f} s: each byte came within the socket timeout, the whole did not"


def test_the_log_keeps_the_status_and_never_the_receivers_words() -> None:
    told = b"database at 10.0.0.7:5432 refused: password for admin is hunter2"
    answer = (
        b"HTTP/1.1 500 Internal db.corp.internal Error\r\nContent-Length: "
        + str(len(told)).encode()
        + b"\r\n\r\n"
        + told
    )
    with answering(answer) as (url, _):
        outcome = post(url)
    assert (outcome.status_code, outcome.error) == (500, "")
    with answering(b"SSH-2.0-OpenSSH_9.2 internal-bastion\r\n") as (url, _):
        garbled = post(url)
    assert garbled.status_code is None
    assert garbled.error == sender.REASONS["http"]
    assert "bastion" not in garbled.error


def test_a_refused_connection_and_an_unknown_name_are_said_in_our_words() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    assert post(f"http://127.0.0.1:{port}/").error == "connection refused"
    unknown = post(
        "http://no-such-host.invalid/", allowed=Allowed(names=frozenset({"no-such-host.invalid"}))
    )
    assert unknown.error == sender.REASONS["dns"]
