"""XML signatures on incoming CAP 1.2 alerts (CAP 1.2 §3.3.2.1: an enveloped XML-DSig `Signature`, the alert's
last child). Each CAP source lists the certificates it trusts (PEM, set by the agency's admin); a signature is
verified with `signxml` against exactly those certificates (never against a certificate the message carries in
its own KeyInfo), and only what the signature covers is read afterwards."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from lxml import etree
from signxml import SignatureConfiguration, SignatureMethod, XMLVerifier
from signxml.exceptions import SignXMLException

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
MAX_CERTIFICATES = 20
# Public-key signatures only: an HMAC "signature" would need a shared secret, which a CAP source never has here.
SIGNATURE_METHODS = frozenset(m for m in SignatureMethod if not m.name.startswith("HMAC"))


class CapSignatureError(Exception):
    """The alert's signature does not verify against the source's trusted certificates (the message says why)."""


@dataclass(frozen=True)
class Verified:
    element: object  # the alert as covered by the signature (the Signature element removed)
    fingerprint: str  # SHA-256 of the certificate that verified it


def certificates_parse(pem: str) -> list[x509.Certificate]:
    """The certificates in a PEM text (one or more). Raises ValidationError with a clear message for anything else,
    and for a certificate that has expired."""
    text = (pem or "").strip()
    if not text:
        return []
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise ValidationError(
            _("Paste certificates in PEM form (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).")
        )
    try:
        certificates = x509.load_pem_x509_certificates(text.encode())
    except ValueError:
        raise ValidationError(_("A certificate could not be read: check that each PEM block is complete.")) from None
    if len(certificates) > MAX_CERTIFICATES:
        raise ValidationError(_("At most %(n)d certificates per source.") % {"n": MAX_CERTIFICATES})
    now = timezone.now()
    for certificate in certificates:
        if certificate.not_valid_after_utc < now:
            raise ValidationError(
                _("The certificate for %(subject)s expired on %(date)s.")
                % {
                    "subject": certificate.subject.rfc4514_string(),
                    "date": formats.date_format(certificate.not_valid_after_utc.date(), "DATE_FORMAT"),
                }
            )
    return certificates


def fingerprint(certificate: x509.Certificate) -> str:
    from cryptography.hazmat.primitives import serialization

    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def is_signed(element) -> bool:
    return element.find(f"{{{DSIG_NS}}}Signature") is not None


def signature_verify(element, certificates: list[x509.Certificate]) -> Verified:
    """Verify the enveloped signature of a CAP alert element against each trusted certificate in turn. The alert
    is taken out of its document first (an alert inline in an Atom feed is signed on its own). Raises
    CapSignatureError."""
    if not certificates:
        raise CapSignatureError(_("signed, but no trusted certificate is set for this source"))
    standalone = etree.tostring(element)
    config = SignatureConfiguration(location="./", expect_references=1, signature_methods=SIGNATURE_METHODS)
    last_error = ""
    for certificate in certificates:
        try:
            result = XMLVerifier().verify(standalone, x509_cert=certificate, expect_config=config)
        except (SignXMLException, ValueError, etree.Error) as exc:
            last_error = str(exc) or exc.__class__.__name__
            continue
        signed = result.signed_xml
        if signed is None or signed.tag != element.tag:
            # The reference must be the whole alert (URI=""), not some other element inside it.
            last_error = "the signature does not cover the whole alert"
            continue
        return Verified(element=signed, fingerprint=fingerprint(certificate))
    raise CapSignatureError(
        _("the signature does not verify against this source's trusted certificates (%(error)s)")
        % {"error": last_error[:160]}
    )


def trust_clean(pem: str, require_signature: bool) -> str:
    """The PEM text as stored (checked, normalised). Raises ValidationError with a clear message."""
    from cryptography.hazmat.primitives import serialization

    try:
        certificates = certificates_parse(pem)
    except ValidationError as exc:
        raise ValidationError({"trusted_certificates": exc.messages}) from None
    if require_signature and not certificates:
        raise ValidationError(
            {"trusted_certificates": _("A source that accepts signed alerts only needs at least one certificate.")}
        )
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)


def cap_source_trust_set(*, agency, actor, source, trusted_certificates: str, require_signature: bool):
    """Set the certificates a CAP source's signatures are verified against, and whether it must sign. Audited
    with the actor (the source's history shows the certificates before and after)."""
    from crisis.models import CapSource
    from crisis.services.mode import actor_context

    pem = trust_clean(trusted_certificates, require_signature)
    with actor_context(actor):
        source = CapSource.objects.for_agency(agency).get(pk=source.pk)
        source.trusted_certificates, source.require_signature = pem, require_signature
        source.save(update_fields=["trusted_certificates", "require_signature"])
    return source


def certificates_summary(pem: str) -> list[dict]:
    """Subject, expiry and SHA-256 fingerprint of each stored certificate (for the staff page)."""
    try:
        certificates = x509.load_pem_x509_certificates(pem.encode()) if (pem or "").strip() else []
    except ValueError:
        return []
    return [
        {
            "subject": c.subject.rfc4514_string(),
            "expires": c.not_valid_after_utc,
            "fingerprint": fingerprint(c),
            "expired": c.not_valid_after_utc < timezone.now(),
        }
        for c in certificates
    ]
