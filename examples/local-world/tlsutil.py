"""Throw-away TLS material for the local world, made at start with `cryptography` (no network).
TEST ONLY.

- a good CA ("Purse test CA") that signs every certificate served;
- a wrong CA ("Purse wrong CA") that signs nothing served (for "unknown issuer" tests);
- a server certificate for IP 127.0.0.1 and DNS localhost;
- a mismatch certificate, signed by the good CA, that names only DNS other.invalid.

Keys are EC P-256 (a few milliseconds each; RSA-4096 would cost seconds). Certificates are valid
from one hour ago (clock skew) for seven days.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MISMATCH_HOST = "other.invalid"


@dataclass
class TLSFiles:
    dir: Path
    ca_file: Path          # PEM of the good CA (trust this)
    wrong_ca_file: Path    # PEM of a CA that signed nothing served
    cert_file: Path        # server certificate: IP 127.0.0.1, DNS localhost (good CA)
    key_file: Path
    mismatch_cert_file: Path  # DNS other.invalid only (good CA)
    mismatch_key_file: Path


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Purse test world"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _window() -> tuple[dt.datetime, dt.datetime]:
    now = dt.datetime.now(dt.timezone.utc)
    return now - dt.timedelta(hours=1), now + dt.timedelta(days=7)


def _make_ca(cn: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = _key()
    start, end = _window()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder()
            .subject_name(_name(cn)).issuer_name(_name(cn))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def _make_leaf(ca_cert: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, cn: str,
               sans: list[x509.GeneralName]) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = _key()
    start, end = _window()
    cert = (x509.CertificateBuilder()
            .subject_name(_name(cn)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False,
                                         content_commitment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return cert, key


def _write(path: Path, data: bytes, private: bool = False) -> Path:
    path.write_bytes(data)
    if private:
        os.chmod(path, 0o600)
    return path


def _cert_pem(c: x509.Certificate) -> bytes:
    return c.public_bytes(serialization.Encoding.PEM)


def _key_pem(k: ec.EllipticCurvePrivateKey) -> bytes:
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption())


def make_tls_files(directory: Path) -> TLSFiles:
    """Create the CAs and certificates as PEM files in `directory` (which must exist)."""
    ca, ca_key = _make_ca("Purse test CA")
    wrong_ca, _ = _make_ca("Purse wrong CA")
    leaf, leaf_key = _make_leaf(ca, ca_key, "127.0.0.1",
                                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")])
    mism, mism_key = _make_leaf(ca, ca_key, MISMATCH_HOST, [x509.DNSName(MISMATCH_HOST)])
    d = Path(directory)
    return TLSFiles(
        dir=d,
        ca_file=_write(d / "ca.pem", _cert_pem(ca)),
        wrong_ca_file=_write(d / "wrong-ca.pem", _cert_pem(wrong_ca)),
        cert_file=_write(d / "server.pem", _cert_pem(leaf)),
        key_file=_write(d / "server.key", _key_pem(leaf_key), private=True),
        mismatch_cert_file=_write(d / "mismatch.pem", _cert_pem(mism)),
        mismatch_key_file=_write(d / "mismatch.key", _key_pem(mism_key), private=True),
    )
