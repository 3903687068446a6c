"""Signed CAP in: each source's trusted certificates (PEM, set by the agency's admin); an enveloped XML signature
made by signxml's signer is verified against them. Valid → acted on; tampered, signed by another key, signed with
no certificate configured, or unsigned where the source requires signing → refused with the reason; a bad
signature is audited on the source."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from crisis.models import Alert, CapMessage, CapSource
from crisis.services import cap_feeds_poll_due, cap_receive, cap_source_create, cap_source_trust_set
from tenants.context import agency_context
from tests.crisis.cap_server import FeedServer, atom, cap_alert
from tests.crisis.cap_signing import cap_sign, cap_tamper, signing_identity

pytestmark = pytest.mark.django_db
TRUSTED = "w-nws.webmaster@noaa.gov"
HEADLINE = "Flash Flood Warning for Sangamon County"


@pytest.fixture(scope="module")
def nws():
    return signing_identity("NWS CAP signing")


@pytest.fixture(scope="module")
def forger():
    return signing_identity("Not the NWS")


def _source(agency, actor, *, pem="", require=False, kind="push", url=""):
    with agency_context(agency):
        source, _key = cap_source_create(
            agency=agency,
            actor=actor,
            name="NWS",
            kind=kind,
            url=url,
            allowed_senders=[TRUSTED],
            min_severity="Severe",
            action="draft",
            trusted_certificates=pem,
            require_signature=require,
        )
    return source


def _receive(agency, source, data):
    with agency_context(agency):
        return {m.identifier: (m.outcome, m.reason) for m in cap_receive(agency=agency, source=source, data=data)}


def _refusals_audited(agency, source):
    with agency_context(agency):
        return list(
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(CapSource),
                object_pk=str(source.pk),
                additional_data__cap_identifier__isnull=False,
            ).values_list("additional_data__cap_identifier", flat=True)
        )


def test_a_valid_signature_is_accepted_and_a_tampered_one_refused_and_audited(agency_a, staff_a, nws, forger):
    key, certificate, pem = nws
    source = _source(agency_a, staff_a["admin"], pem=pem, require=True)

    signed = cap_sign(cap_alert("S-1"), key, certificate)
    assert _receive(agency_a, source, signed) == {"S-1": ("acted", "")}
    with agency_context(agency_a):
        draft = Alert.objects.get()
        assert draft.status == Alert.Status.DRAFT and draft.texts["en"]["headline"] == HEADLINE

    tampered = cap_tamper(cap_sign(cap_alert("S-2"), key, certificate), "Move to higher ground", "Stay where you are")
    outcome, reason = _receive(agency_a, source, tampered)["S-2"]
    assert outcome == "refused" and "does not verify against this source's trusted certificates" in reason

    by_forger = cap_sign(cap_alert("S-3"), forger[0], forger[1])  # carries its own certificate: not trusted
    outcome, reason = _receive(agency_a, source, by_forger)["S-3"]
    assert outcome == "refused" and "does not verify" in reason

    outcome, reason = _receive(agency_a, source, cap_alert("S-4").encode())["S-4"]
    assert outcome == "refused" and reason == "unsigned, and this source accepts signed alerts only"

    with agency_context(agency_a):
        assert Alert.objects.count() == 1  # only the validly signed one drafted anything
        assert dict(CapMessage.objects.values_list("identifier", "outcome")) == {
            "S-1": "acted",
            "S-2": "refused",
            "S-3": "refused",
            "S-4": "refused",
        }
    assert sorted(_refusals_audited(agency_a, source)) == ["S-2", "S-3"]  # bad signatures, not the unsigned one

    # A tampered copy of the accepted alert (same identifier) is refused and audited again, not silently dropped.
    replay = cap_tamper(cap_sign(cap_alert("S-1"), key, certificate), HEADLINE, "All clear, go outside")
    assert _receive(agency_a, source, replay)["S-1"][0] == "refused"
    assert sorted(_refusals_audited(agency_a, source)) == ["S-1", "S-2", "S-3"]


def test_a_signed_alert_needs_a_certificate_and_unsigned_ones_pass_where_signing_is_optional(agency_a, staff_a, nws):
    key, certificate, _pem = nws
    source = _source(agency_a, staff_a["admin"])  # no certificate, signing not required
    outcome, reason = _receive(agency_a, source, cap_sign(cap_alert("N-1"), key, certificate))["N-1"]
    assert outcome == "refused" and reason == "signed, but no trusted certificate is set for this source"
    assert _receive(agency_a, source, cap_alert("N-2").encode()) == {"N-2": ("acted", "")}
    assert _refusals_audited(agency_a, source) == ["N-1"]

    # A certificate that has expired since the admin set it: refused, saying so (signxml would refuse it too).
    old_key, old_certificate, old_pem = signing_identity("Expired NWS", expired=True)
    with agency_context(agency_a):
        CapSource.objects.filter(pk=source.pk).update(trusted_certificates=old_pem)
        source.refresh_from_db()
    outcome, reason = _receive(agency_a, source, cap_sign(cap_alert("N-3"), old_key, old_certificate))["N-3"]
    assert outcome == "refused" and reason.startswith("the source's trusted certificates cannot be used: ")
    assert "expired on" in reason


def test_a_signed_alert_inline_in_a_polled_atom_feed_verifies(agency_a, staff_a, nws):
    key, certificate, pem = nws
    server = FeedServer()
    try:
        signed = cap_sign(cap_alert("F-1"), key, certificate).decode()
        tampered = cap_tamper(cap_sign(cap_alert("F-2"), key, certificate), "Severe", "Extreme").decode()
        server.documents["/feed.atom"] = atom(signed, tampered)
        source = _source(agency_a, staff_a["admin"], pem=pem, require=True, kind="feed", url=server.url + "/feed.atom")
        assert cap_feeds_poll_due() == 1
    finally:
        server.stop()
    with agency_context(agency_a):
        outcomes = dict(CapMessage.objects.values_list("identifier", "outcome"))
        source.refresh_from_db()
    assert outcomes == {"F-1": "acted", "F-2": "refused"} and source.last_error == ""


def test_trusted_certificates_are_checked_and_set_by_the_service(agency_a, staff_a, nws):
    _key, _certificate, pem = nws
    source = _source(agency_a, staff_a["admin"])
    with agency_context(agency_a):
        with pytest.raises(ValidationError, match="PEM form"):
            cap_source_trust_set(
                agency=agency_a,
                actor=staff_a["admin"],
                source=source,
                trusted_certificates="hello",
                require_signature=False,
            )
        with pytest.raises(ValidationError, match="could not be read"):
            broken = pem.replace(pem.splitlines()[3], "AAAA")
            cap_source_trust_set(
                agency=agency_a,
                actor=staff_a["admin"],
                source=source,
                trusted_certificates=broken,
                require_signature=False,
            )
        with pytest.raises(ValidationError, match="expired on"):
            cap_source_trust_set(
                agency=agency_a,
                actor=staff_a["admin"],
                source=source,
                trusted_certificates=signing_identity(expired=True)[2],
                require_signature=False,
            )
        with pytest.raises(ValidationError, match="at least one certificate"):
            cap_source_trust_set(
                agency=agency_a, actor=staff_a["admin"], source=source, trusted_certificates="", require_signature=True
            )
        cap_source_trust_set(
            agency=agency_a, actor=staff_a["admin"], source=source, trusted_certificates=pem, require_signature=True
        )
        source.refresh_from_db()
        assert source.require_signature and source.trusted_certificates.strip() == pem.strip()
        change = LogEntry.objects.get_for_object(source).filter(action=LogEntry.Action.UPDATE).get()
        assert set(change.changes) == {"trusted_certificates", "require_signature"}
        assert change.actor == staff_a["admin"]


def test_the_admin_sets_a_sources_certificates_on_the_crisis_page(
    agency_a, staff_a, agency_b, staff_b, client_for, nws
):
    _key, _certificate, pem = nws
    source = _source(agency_a, staff_a["admin"])
    url = reverse("crisis:staff-home", kwargs={"agency_slug": agency_a.slug})
    form = {"action": "cap_trust", "source": source.pk, "trusted_certificates": pem, "require_signature": "on"}

    supervisor = client_for(staff_a["supervisor"])
    assert 'value="cap_trust"' not in supervisor.get(url).text
    response = supervisor.post(url, form, follow=True)
    assert "Only the agency&#x27;s administrators set the trusted certificates." in response.text

    admin = client_for(staff_a["admin"])
    response = admin.post(url, {**form, "trusted_certificates": "-----BEGIN CERTIFICATE-----\nnope\n"})
    assert response.status_code == 200 and "A certificate could not be read" in response.text
    with agency_context(agency_a):
        source.refresh_from_db()
        assert source.trusted_certificates == "" and not source.require_signature

    response = admin.post(url, form, follow=True)
    assert "Trusted certificates of NWS saved." in response.text
    assert "CN=NWS CAP signing" in response.text and "signed alerts only" in response.text
    with agency_context(agency_a):
        source.refresh_from_db()
        assert source.require_signature and "BEGIN CERTIFICATE" in source.trusted_certificates

    # Another agency's admin cannot reach this source through their own page: 404, nothing changed.
    other = client_for(staff_b["admin"])
    other_url = reverse("crisis:staff-home", kwargs={"agency_slug": agency_b.slug})
    assert other.post(other_url, {**form, "require_signature": ""}).status_code == 404
    with agency_context(agency_a):
        source.refresh_from_db()
        assert source.require_signature
