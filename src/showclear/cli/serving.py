"""How ``showclear serve`` secures itself, and what it tells the person starting it.

Loopback: plain HTTP (nothing leaves the machine; a reverse proxy on it brings TLS). Any other
address: HTTPS with the certificate made for this server (``--tls``) or one given (``--cert``
and ``--key``); plain HTTP only with ``--insecure``, which says what that risks every time.
"""

from __future__ import annotations

from pathlib import Path

import click

from showclear import config
from showclear.web.tls import Certificate


def secured(
    host: str, port: int, tls: bool, cert: Path | None, key: Path | None, insecure: bool
) -> Certificate | None:
    """The certificate to serve with (None: plain HTTP), after refusing what is not allowed;
    says where Showclear is served and, for HTTPS, the fingerprint (text and QR code)."""
    from showclear.web import tls as certificates
    from showclear.web.serving import (
        INSECURE_RISK,
        ServeRefused,
        refuse_plain_http,
        refuse_taken_port,
    )

    if (cert is None) != (key is None):
        raise ServeRefused("--cert and --key go together (the certificate and its private key)")
    if insecure and (tls or cert is not None):
        raise ServeRefused("--insecure is for plain HTTP: leave it out to serve HTTPS")
    certificate = None
    if cert is not None and key is not None:
        try:
            certificate = certificates.given(cert, key)
        except ValueError as error:
            raise ServeRefused(str(error)) from error
    elif tls:
        certificate = certificates.certificate_for(config.data_dir(), host)
    refuse_plain_http(host, certificate, insecure)
    refuse_taken_port(host, port)
    scheme = "https" if certificate is not None else "http"
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Showclear is serving at {scheme}://{shown}:{port}/ (Ctrl+C stops it)")
    if certificate is not None:
        click.echo(certificates.announce(certificate, port))
    elif insecure and not certificates.is_loopback(host):
        click.echo(f"WARNING: --insecure: {INSECURE_RISK}.", err=True)
    return certificate
