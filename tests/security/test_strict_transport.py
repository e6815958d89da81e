"""Strict-Transport-Security: sent with every answer served over HTTPS (``serve --tls``, or a TLS
proxy on the same machine), so a phone that has seen it asks this server only for HTTPS; never
sent over plain HTTP on loopback."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from pathlib import Path

from fault_server import KillableServer, init_production, make_token, showclear_env

A_YEAR = "max-age=31536000"


def _headers(
    url: str, context: ssl.SSLContext | None = None, headers: dict[str, str] | None = None
) -> dict[str, str]:
    """The headers of a GET of ``url``, whatever its status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            return dict(response.headers)
    except urllib.error.HTTPError as error:
        return dict(error.headers)


def test_every_answer_over_tls_carries_strict_transport_security_for_a_year(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    env = showclear_env(data_dir)
    slug = init_production(env, "Dust Road")
    token = make_token(env, slug, "truck scanner")
    cert = data_dir / "tls" / "showclear.crt"
    server = KillableServer(env, tmp_path / "serve.log", "--tls", https=cert)
    server.start()
    try:
        trusted = server.context()
        login = _headers(server.base + "/login/", context=trusted)
        board = _headers(server.base + f"/p/{slug}/", context=trusted)  # a redirect to sign in
        api = _headers(
            server.base + f"/api/v1/productions/{slug}",
            context=trusted,
            headers={"Authorization": f"Bearer {token}"},
        )
        refused = _headers(server.base + f"/api/v1/productions/{slug}", context=trusted)  # 401
    finally:
        server.stop()
    for headers in (login, board, api, refused):
        assert headers["Strict-Transport-Security"] == A_YEAR
    assert "includeSubDomains" not in login["Strict-Transport-Security"]


def test_plain_http_on_loopback_carries_no_strict_transport_security(tmp_path: Path) -> None:
    env = showclear_env(tmp_path / "data")
    init_production(env, "Dust Road")
    server = KillableServer(env, tmp_path / "serve.log")
    server.start()
    try:
        login = _headers(server.base + "/login/")
    finally:
        server.stop()
    assert "Content-Security-Policy" in login  # the other headers are there
    assert "Strict-Transport-Security" not in login


def test_behind_a_tls_proxy_on_the_same_machine_the_answers_carry_it(tmp_path: Path) -> None:
    env = {**showclear_env(tmp_path / "data"), "SHOWCLEAR_SECURE_COOKIES": "1"}
    init_production(env, "Dust Road")
    server = KillableServer(env, tmp_path / "serve.log")
    server.start()
    try:
        proxied = _headers(server.base + "/login/", headers={"X-Forwarded-Proto": "https"})
        direct = _headers(server.base + "/login/")
    finally:
        server.stop()
    assert proxied["Strict-Transport-Security"] == A_YEAR
    assert "Strict-Transport-Security" not in direct  # what came over plain HTTP says nothing
