"""The certificate ``showclear serve --tls`` makes is a leaf for this server's own names, never
an authority: a phone that trusts it trusts this server and no other site.

(``test_serving_tls.py`` serves HTTPS with it and checks a client trusting this one file.)
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from showclear.web import tls

NOW = datetime.datetime(2026, 10, 13, 7, 0, tzinfo=datetime.UTC)


def made(data_dir: Path, host: str = "0.0.0.0") -> x509.Certificate:  # noqa: S104  (every address)
    certificate = tls.certificate_for(data_dir, host, now=NOW)
    return x509.load_pem_x509_certificate(certificate.cert.read_bytes())


def test_the_certificate_is_not_an_authority(tmp_path: Path) -> None:
    certificate = made(tmp_path)
    constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca is False
    assert constraints.value.path_length is None
    assert not tls.is_authority(certificate)


def test_its_key_may_only_sign_a_tls_handshake_as_a_server(tmp_path: Path) -> None:
    certificate = made(tmp_path)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature
    assert not usage.value.key_cert_sign, "it signs no certificate"
    assert not usage.value.crl_sign
    # keyEncipherment is RSA key transport: RFC 5480 forbids it with an ECDSA key.
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    assert not usage.value.key_encipherment
    purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(purposes) == [ExtendedKeyUsageOID.SERVER_AUTH]


def test_it_names_this_server_and_its_addresses_and_nothing_else(tmp_path: Path) -> None:
    certificate = made(tmp_path, "192.168.7.20")
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    dns = names.get_values_for_type(x509.DNSName)
    addresses = names.get_values_for_type(x509.IPAddress)
    hostname = socket.gethostname()
    assert set(dns) == {"localhost", hostname, f"{hostname}.local"}
    assert ipaddress.ip_address("192.168.7.20") in addresses
    assert ipaddress.ip_address("127.0.0.1") in addresses
    assert not any("*" in name for name in dns), "no wildcard"
    cn = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn == f"Showclear on {hostname}"[:64]


def test_it_is_self_signed_by_its_own_key_for_at_most_825_days(tmp_path: Path) -> None:
    certificate = made(tmp_path)
    assert certificate.issuer == certificate.subject
    certificate.verify_directly_issued_by(certificate)
    subject_key = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    authority_key = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    assert authority_key.value.key_identifier == subject_key.value.digest
    life = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert life <= datetime.timedelta(days=825, minutes=5)
    assert certificate.signature_hash_algorithm is not None
    assert certificate.signature_hash_algorithm.name == hashes.SHA256.name


def test_a_kept_authority_certificate_from_an_older_version_is_replaced_by_a_leaf(
    tmp_path: Path,
) -> None:
    old = tls.certificate_for(tmp_path, "0.0.0.0", now=NOW)  # noqa: S104
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Showclear on an old laptop")])
    authority = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW)
        .not_valid_after(NOW + datetime.timedelta(days=800))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    old.cert.write_bytes(authority.public_bytes(Encoding.PEM))
    assert tls.is_authority(authority)

    again = tls.certificate_for(tmp_path, "0.0.0.0", now=NOW)  # noqa: S104
    assert again.made, "a new certificate, said loudly: phones must trust it anew"
    assert not tls.is_authority(x509.load_pem_x509_certificate(again.cert.read_bytes()))
    kept = tls.certificate_for(tmp_path, "0.0.0.0", now=NOW)  # noqa: S104
    assert not kept.made
    assert kept.fingerprint == again.fingerprint
