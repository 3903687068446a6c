"""Signing CAP alerts as a source would: a key and a self-signed certificate made here (cryptography), the
enveloped XML signature made by signxml's signer. Used by the tests and by the browser check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner


def signing_identity(name: str = "NWS CAP signing", *, days: int = 365, expired: bool = False):
    """(private key, certificate, certificate PEM text)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    start, end = (
        (now - timedelta(days=30), now - timedelta(days=1))
        if expired
        else (now - timedelta(hours=1), now + timedelta(days=days))
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate, certificate.public_bytes(serialization.Encoding.PEM).decode()


def cap_sign(document: str | bytes, key, certificate) -> bytes:
    """The CAP alert with an enveloped XML-DSig signature (RSA-SHA256) over the whole alert, last child."""
    data = document.encode() if isinstance(document, str) else document
    root = etree.fromstring(data)
    signed = XMLSigner().sign(root, key=key, cert=[certificate])
    return etree.tostring(signed)


def cap_tamper(signed: bytes, old: str, new: str) -> bytes:
    """The signed alert with some text changed after signing (the signature is left as it was)."""
    assert old.encode() in signed
    return signed.replace(old.encode(), new.encode(), 1)
