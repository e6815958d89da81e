"""``showclear serve`` on the set's network: HTTPS with a certificate made for the server, or a
refusal, or plain HTTP only when told ``--insecure`` (which says what it risks)."""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from fault_server import KillableServer, Phone, init_production, make_login, showclear_env

from served_process import free_port

EVERY_ADDRESS = "0.0.0.0"  # noqa: S104  (serving the set's network is what is tested)


def test_serving_on_a_network_address_without_tls_is_refused_with_a_clear_message(
    tmp_path: Path,
) -> None:
    env = showclear_env(tmp_path / "data")
    init_production(env, "Network Western")
    port = free_port()
    ran = subprocess.run(
        [sys.executable, "-m", "showclear", "serve", "--host", EVERY_ADDRESS, "--port", str(port)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode == 2
    said = ran.stderr
    assert "0.0.0.0 is reachable from the network" in said
    assert "--tls" in said
    assert "--insecure" in said
    assert "read every password, PIN and session cookie" in said
    assert "serving at" not in ran.stdout
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)


def test_insecure_serves_plain_http_on_the_network_and_says_what_it_risks(tmp_path: Path) -> None:
    env = showclear_env(tmp_path / "data")
    init_production(env, "Network Western")
    server = KillableServer(env, tmp_path / "serve.log", "--insecure", host=EVERY_ADDRESS)
    server.start()
    try:
        with urllib.request.urlopen(server.base + "/login/", timeout=10) as response:
            assert response.status == 200
            cookies = response.headers.get_all("Set-Cookie") or []
    finally:
        server.stop()
    log = server.tail()
    assert "WARNING: --insecure: plain HTTP on a network address" in log
    assert "read every password, PIN and session cookie" in log
    assert cookies, "the login page sets the CSRF cookie"
    assert not any("Secure" in cookie for cookie in cookies), "plain HTTP cookies"


def _cookie_flags(cookies: list[str], name: str) -> list[str]:
    (found,) = [c for c in cookies if c.startswith(f"{name}=")]
    return [part.strip() for part in found.split(";")[1:]]


def test_tls_serves_https_with_a_kept_certificate_whose_fingerprint_is_shown_and_secure_cookies(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    env = showclear_env(data_dir)
    init_production(env, "Network Western")
    password = make_login(env, "person-1", "hannah")
    cert = data_dir / "tls" / "showclear.crt"
    server = KillableServer(env, tmp_path / "serve.log", "--tls", host=EVERY_ADDRESS, https=cert)
    server.start()
    try:
        trusted = server.context()
        assert trusted is not None
        request = urllib.request.Request(server.base + "/login/")
        with urllib.request.urlopen(request, timeout=10, context=trusted) as response:
            assert response.status == 200
            page = response.read().decode()
            cookies = response.headers.get_all("Set-Cookie") or []
        assert 'name="password"' in page, "the login page, over HTTPS"
        assert {"Secure", "SameSite=Lax"} <= set(_cookie_flags(cookies, "csrftoken"))

        phone = Phone(server.base, trusted)
        phone.sign_in("hannah", password)
        session = [c for c in phone.jar if c.name == "sessionid"]
        assert session, "signed in"
        assert session[0].secure, "the session cookie travels over HTTPS only"
        assert session[0].has_nonstandard_attr("HttpOnly")

        # A phone that has not trusted it is warned off; and the port speaks no plain HTTP.
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            urllib.request.urlopen(server.base + "/health", timeout=10)
        with pytest.raises((OSError, http.client.HTTPException)):
            urllib.request.urlopen(server.base.replace("https", "http") + "/health", timeout=10)
    finally:
        server.stop()

    der = x509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(Encoding.DER)
    fingerprint = hashlib.sha256(der).hexdigest().upper()
    shown = ":".join(re.findall("..", fingerprint))
    log = server.tail(200)
    assert f"SHA-256 fingerprint: {shown}" in log
    assert "made just now" in log
    assert "█" in log, "and as a QR code"
    key = data_dir / "tls" / "showclear.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key.parent).st_mode) == 0o700

    server.start()  # the next day: the same certificate, so the phones still trust it
    server.stop()
    next_day = server.log_path.read_text().split("--- start 2 ---")[1]
    assert "certificate kept" in next_day
    assert f"SHA-256 fingerprint: {shown}" in next_day
