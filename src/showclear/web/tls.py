"""TLS for ``showclear serve`` on a set's own network: a certificate made for this server.

A laptop in the armory truck serves phones over the set's Wi-Fi. Without TLS anyone on that
network reads every password, PIN and session cookie that crosses it, and can change what a
phone is told. There is no public name to get a certificate for, so Showclear makes one: an
ECDSA P-256 key and a self-signed certificate naming this machine's name and addresses, kept in
``<data dir>/tls/`` (the key owner-only). Each phone trusts it once, after checking that its
SHA-256 fingerprint is the one ``showclear serve`` shows (as text and as a QR code); the
certificate file itself (public) can be copied to a phone and installed
(``docs/operations.md``).

The certificate is a *leaf*, never an authority: ``CA:FALSE``, key usage ``digitalSignature``
only, extended key usage ``serverAuth`` only, and the names of this server alone. A phone that
trusts it trusts this server and nothing else; a certificate marked as an authority, once
installed on a phone, would let whoever holds its key (anyone who copies the laptop's data
directory) impersonate *every* site to that phone. ``keyEncipherment`` is not asserted: it
means RSA key transport, which an ECDSA key cannot do (RFC 5480 forbids it for EC keys; TLS
1.2's ECDHE and TLS 1.3 only sign with the key). It is made once and kept, so a phone trusts it
for the whole shoot; it is made anew (with a new fingerprint, said loudly) only when it is
about to expire, does not name the address asked for, or was made as an authority by an older
version.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_DAYS = 825
"""The longest life phones accept for a server certificate."""

RENEW_DAYS = 30
"""A certificate this close to expiring is made anew."""

EVERY_ADDRESS = ("0.0.0.0", "::", "")  # noqa: S104  (names what binding to all means)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Certificate:
    """The server's certificate and key files, and what a phone checks."""

    cert: Path
    key: Path
    fingerprint: str
    """SHA-256 of the certificate, as browsers show it (``AB:CD:...``)."""
    names: tuple[str, ...]
    """The names and addresses it is valid for."""
    made: bool
    """Whether it was made just now (phones must trust it anew)."""

    def qr_text(self) -> str:
        """What the QR code holds: the fingerprint, said the way certificate viewers say it."""
        return f"SHA256 Fingerprint={self.fingerprint}"


def fingerprint_of(certificate: x509.Certificate) -> str:
    """``AB:CD:...``: the certificate's SHA-256, in the form a certificate viewer shows."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def local_names(host: str) -> list[str]:
    """The names and addresses a phone may use to reach this machine when serving on ``host``."""
    names = ["localhost", "127.0.0.1", "::1"]
    hostname = socket.gethostname()
    names += [hostname, f"{hostname}.local"]
    if host not in EVERY_ADDRESS:
        names.append(host.strip("[]"))
    else:
        names += _addresses(hostname)
    return list(dict.fromkeys(names))


def _addresses(hostname: str) -> list[str]:
    """This machine's own addresses: those its name resolves to, and the one it reaches out on."""
    found: list[str] = []
    try:
        for *_, sockaddr in socket.getaddrinfo(hostname, None):
            found.append(str(sockaddr[0]))
    except OSError:
        pass
    for family, probe in (
        (socket.AF_INET, ("192.0.2.1", 9)),
        (socket.AF_INET6, ("2001:db8::1", 9)),
    ):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect(probe)  # no packet is sent: this only picks the outgoing address
                found.append(str(udp.getsockname()[0]))
        except OSError:
            pass
    return [address for address in found if not address.startswith("fe80")]


def _subject_names(names: list[str]) -> list[x509.GeneralName]:
    general: list[x509.GeneralName] = []
    for name in names:
        try:
            general.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            general.append(x509.DNSName(name))
    return general


def _names_in(certificate: x509.Certificate) -> list[str]:
    try:
        alternatives = certificate.extensions.get_extension_for_class(
            x509.SubjectAlternativeName
        ).value
    except x509.ExtensionNotFound:
        return []
    return [str(n) for n in alternatives.get_values_for_type(x509.DNSName)] + [
        str(a) for a in alternatives.get_values_for_type(x509.IPAddress)
    ]


def is_authority(certificate: x509.Certificate) -> bool:
    """Whether ``certificate`` says it may sign others (``CA:TRUE`` or ``keyCertSign``)."""
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
        if constraints.ca:
            return True
    except x509.ExtensionNotFound:
        pass
    try:
        return certificate.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    except x509.ExtensionNotFound:
        return False


def certificate_for(
    data_dir: Path, host: str, *, now: datetime.datetime | None = None
) -> Certificate:
    """The certificate to serve ``host`` with: the kept one, or a new one when it is missing,
    about to expire, or does not name ``host``."""
    directory = data_dir / "tls"
    cert_path, key_path = directory / "showclear.crt", directory / "showclear.key"
    now = now or datetime.datetime.now(datetime.UTC)
    wanted = local_names(host)
    if cert_path.exists() and key_path.exists():
        kept = x509.load_pem_x509_certificate(cert_path.read_bytes())
        covers = host in EVERY_ADDRESS or host.strip("[]") in _names_in(kept)
        fresh = kept.not_valid_after_utc - now > datetime.timedelta(days=RENEW_DAYS)
        if covers and fresh and not is_authority(kept):
            return Certificate(
                cert_path, key_path, fingerprint_of(kept), tuple(_names_in(kept)), made=False
            )
    made = _make(wanted, now)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    key_pem = made[1].private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(key_path, key_pem, 0o600)
    _write(cert_path, made[0].public_bytes(serialization.Encoding.PEM), 0o644)
    return Certificate(cert_path, key_path, fingerprint_of(made[0]), tuple(wanted), made=True)


def _make(
    names: list[str], now: datetime.datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Showclear on {socket.gethostname()}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Showclear"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,  # RSA key transport: never with an ECDSA key
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(_subject_names(names)), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``path`` whole (a new file renamed into place) with ``mode`` from the start."""
    partial = path.with_name(f".{path.name}.new")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def terminal_qr(text: str) -> str:
    """``text`` as a QR code drawn with block characters, for a phone to scan off the screen."""
    import io

    import segno

    out = io.StringIO()
    segno.make(text, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def fingerprint_of_file(cert_path: Path) -> str:
    """The SHA-256 fingerprint of the PEM certificate at ``cert_path``."""
    return fingerprint_of(x509.load_pem_x509_certificate(cert_path.read_bytes()))


def given(cert_path: Path, key_path: Path) -> Certificate:
    """A certificate and key the production already has (a studio's own authority, say)."""
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(
            f"cannot use {cert_path} and {key_path} (PEM, key unencrypted): {error}"
        ) from error
    names = tuple(_names_in(certificate))
    return Certificate(cert_path, key_path, fingerprint_of(certificate), names, made=False)


def announce(certificate: Certificate, port: int) -> str:
    """What the terminal shows: the addresses, the fingerprint, and the fingerprint as a QR."""
    addresses = [
        f"https://[{name}]:{port}/" if ":" in name else f"https://{name}:{port}/"
        for name in certificate.names
        if name not in ("localhost", "::1") and not name.startswith("127.")
    ]
    lines = [
        "HTTPS certificate "
        + ("made just now" if certificate.made else "kept")
        + f": {certificate.cert}",
        f"SHA-256 fingerprint: {certificate.fingerprint}",
        "Before a phone signs in, check that its browser shows this fingerprint (the QR code "
        "below holds it), or install the certificate file on the phone.",
    ]
    if certificate.made:
        lines.append("It is a NEW certificate: every phone must trust it again.")
    if addresses:
        lines.append("Phones reach this server at: " + "  ".join(addresses))
    return "\n".join(lines) + "\n" + terminal_qr(certificate.qr_text())
