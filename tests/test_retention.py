"""Retention with a frozen clock: nothing younger than its period is touched, holds are respected,
requests stay as anonymous public records, counts go to the audit trail (never values), the audit
chain still verifies after its oldest entries are pruned, periods below the minimum are refused, and
another agency's admin can do none of it."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.chain import audit_maintenance, chain_verify
from chat import services as chat
from chat.models import Conversation, Message
from privacy import services
from privacy.models import DataKind, LegalHold
from privacy.retention import retention_preview, retention_run
from tenants.context import agency_context

pytestmark = pytest.mark.usefixtures("audit_links_now")

NOW = timezone.now()
OLD = NOW - dt.timedelta(days=400)


def conversation(agency, text, *, at):
    with agency_context(agency):
        started, _token = chat.conversation_start(agency=agency, channel="widget")
        chat.message_receive(agency=agency, conversation_id=started.pk, text=text)
        Conversation.objects.for_agency(agency).filter(pk=started.pk).update(last_message_at=at, created_at=at)
        return started


def closed_request(agency, *, closed_at, email="pat@example.com", reference_hint=""):
    from requests_app.models import ServiceRequest
    from requests_app.services import Reporter
    from tests.requests_app.test_services import file

    request = file(
        agency, description="Deep hole " + reference_hint, reporter=Reporter(email=email, first_name="Pat")
    ).request
    with agency_context(agency):
        ServiceRequest.objects.for_agency(agency).filter(pk=request.pk).update(status="closed", closed_at=closed_at)
    return request


@pytest.fixture
def catalogues(agency_a, agency_b):
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)
    make_catalogue(agency_b)


def test_periods_below_the_minimum_are_refused(agency_a, staff_a):
    from auditlog.context import set_actor

    from privacy.models import RetentionPolicy

    admin = staff_a["admin"]
    with agency_context(agency_a), set_actor(admin):
        with pytest.raises(ValidationError, match="at least 365"):
            services.retention_policy_set(agency=agency_a, actor=admin, kind=DataKind.AUDIT, days=30, enabled=True)
        with pytest.raises(ValidationError, match="at least 30"):
            services.retention_policy_set(agency=agency_a, actor=admin, kind=DataKind.TRANSCRIPTS, days=3, enabled=True)
        assert not RetentionPolicy.objects.exists()
        policy = services.retention_policy_set(
            agency=agency_a, actor=admin, kind=DataKind.AUDIT, days=365, enabled=False
        )
    assert LogEntry.objects.get_for_object(policy).get().actor == admin


def test_a_run_removes_only_what_is_past_its_period_and_not_held(agency_a, agency_b, staff_a, catalogues):
    from requests_app.models import Follower, RequestPhoto, ServiceRequest

    admin = staff_a["admin"]
    old_chat = conversation(agency_a, "my old question", at=OLD)
    held_chat = conversation(agency_a, "a question under investigation", at=OLD)
    new_chat = conversation(agency_a, "a recent question", at=NOW - dt.timedelta(days=10))
    other_agency_chat = conversation(agency_b, "beta old question", at=OLD)
    old_request = closed_request(agency_a, closed_at=OLD, email="pat@example.com", reference_hint="1")
    held_citizen_request = closed_request(agency_a, closed_at=OLD, email="held@example.com", reference_hint="2")
    recent_request = closed_request(agency_a, closed_at=NOW - dt.timedelta(days=5), reference_hint="3")
    with agency_context(agency_a):
        for kind in (DataKind.TRANSCRIPTS, DataKind.REQUEST_PERSONAL):
            services.retention_policy_set(agency=agency_a, actor=admin, kind=kind, days=365, enabled=True)
        services.legal_hold_place(
            agency=agency_a, actor=admin, target="conversation", reference=str(held_chat.pk), reason="Case 2026-17"
        )
        services.legal_hold_place(
            agency=agency_a, actor=admin, target="citizen", reference="HELD@example.com", reason="Court order"
        )
        preview = {row["kind"]: row["due"] for row in retention_preview(agency=agency_a)}
        assert preview[DataKind.TRANSCRIPTS] == 1 and preview[DataKind.REQUEST_PERSONAL] == 1
        run = retention_run(agency=agency_a)
    assert run.counts == {DataKind.TRANSCRIPTS: 1, DataKind.REQUEST_PERSONAL: 1}
    remaining = set(Conversation.objects.unscoped().values_list("pk", flat=True))
    assert old_chat.pk not in remaining and {held_chat.pk, new_chat.pk, other_agency_chat.pk} <= remaining
    assert not Message.objects.unscoped().filter(conversation_id=old_chat.pk).exists()
    anonymous = ServiceRequest.objects.unscoped().get(pk=old_request.pk)
    assert (anonymous.reporter_email, anonymous.reporter_first_name, anonymous.status) == ("", "", "closed")
    assert not Follower.objects.unscoped().filter(request=anonymous).exists()
    assert not RequestPhoto.objects.unscoped().filter(request=anonymous).exists()
    assert ServiceRequest.objects.unscoped().get(pk=held_citizen_request.pk).reporter_email == "held@example.com"
    assert ServiceRequest.objects.unscoped().get(pk=recent_request.pk).reporter_email == "pat@example.com"
    entry = LogEntry.objects.filter(additional_data__retention__isnull=False).get()
    assert entry.additional_data["agency_id"] == agency_a.pk and "pat@example.com" not in str(entry.__dict__)
    assert "anonymise 1" in entry.changes_text and "delete 1" in entry.changes_text


def test_released_holds_stop_protecting(agency_a, staff_a):
    admin = staff_a["admin"]
    held = conversation(agency_a, "kept while held", at=OLD)
    with agency_context(agency_a):
        services.retention_policy_set(agency=agency_a, actor=admin, kind=DataKind.TRANSCRIPTS, days=100, enabled=True)
        hold = services.legal_hold_place(
            agency=agency_a, actor=admin, target="conversation", reference=str(held.pk), reason="x"
        )
        assert retention_run(agency=agency_a).counts[DataKind.TRANSCRIPTS] == 0
        services.legal_hold_release(agency=agency_a, actor=admin, hold_id=hold.pk)
        assert retention_run(agency=agency_a).counts[DataKind.TRANSCRIPTS] == 1
    hold.refresh_from_db()
    assert hold.released_by == admin
    actions = LogEntry.objects.get_for_object(hold).values_list("action", flat=True)
    assert set(actions) >= {LogEntry.Action.CREATE, LogEntry.Action.UPDATE}


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])  # tampering: the owner, committed rows
def test_pruning_old_audit_entries_keeps_the_chain_verifiable(agency_a, staff_a):
    from audit.models import AuditLink, AuditPrune
    from tenants.models import Department

    with agency_context(agency_a):
        roads = Department.objects.get(slug="roads")
        for name in ("One", "Two", "Three", "Four"):
            roads.name = name
            roads.save()
    links = list(AuditLink.objects.filter(agency_id=agency_a.pk).order_by("seq"))
    old_ids = [link.entry_id for link in links[:3]]
    with audit_maintenance():  # on the owner's connection: the app's role is refused
        LogEntry.objects.using("owner").filter(pk__in=old_ids).update(timestamp=OLD)
    # the chain now fails at the backdated entries; retention removes exactly them
    with agency_context(agency_a):
        services.retention_policy_set(
            agency=agency_a, actor=staff_a["admin"], kind=DataKind.AUDIT, days=365, enabled=True
        )
        run = retention_run(agency=agency_a, kinds=[DataKind.AUDIT])
    assert run.counts[DataKind.AUDIT] == 3
    assert not LogEntry.objects.filter(pk__in=old_ids).exists()
    prune = AuditPrune.objects.get(agency_id=agency_a.pk)
    assert prune.up_to_seq == links[2].seq and prune.last_hash == links[2].hash
    assert chain_verify(agency_a.pk).ok, chain_verify(agency_a.pk).problems
    # Removing the next oldest by hand is still caught.
    first = AuditLink.objects.filter(agency_id=agency_a.pk).order_by("seq").first()
    with audit_maintenance():
        AuditLink.objects.using("owner").filter(pk=first.pk).delete()
    assert not chain_verify(agency_a.pk).ok


def test_the_privacy_page_is_for_this_agencys_admins(agency_a, agency_b, staff_a, staff_b, client_for):
    url = reverse("agency-privacy", kwargs={"agency_slug": agency_a.slug})
    page = client_for(staff_a["admin"]).get(url)
    assert page.status_code == 200 and "Retention periods" in page.text and "Legal holds" in page.text
    for user in (staff_a["supervisor"], staff_a["analyst"], staff_b["admin"]):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"action": "policy", "kind": "transcripts", "days": 40}).status_code == 404
    with agency_context(agency_a):
        from privacy.models import RetentionPolicy

        assert not RetentionPolicy.objects.exists()
    client = client_for(staff_a["admin"])
    bad = client.post(url, {"action": "policy", "kind": "audit", "days": "10", "enabled": "on"})
    assert bad.status_code == 400 and "at least 365" in bad.text
    assert (
        client.post(url, {"action": "policy", "kind": "transcripts", "days": "90", "enabled": "on"}).status_code == 302
    )
    foreign = conversation(agency_b, "beta", at=OLD)
    response = client.post(
        url, {"action": "hold", "target": "conversation", "reference": str(foreign.pk), "reason": "x"}
    )
    assert response.status_code == 400 and "Nothing of this agency" in response.text
    assert client.post(url, {"action": "release", "hold": "abc"}).status_code == 400
    with agency_context(agency_b):
        assert not LegalHold.objects.exists()


@pytest.mark.parametrize(
    ("language", "transcripts", "requests"),
    [
        ("en", "would delete 1", "would anonymise 0"),
        ("es", "se eliminarían 1", "se anonimizarían 0"),
        ("de", "würde 1 löschen", "würde 0 anonymisieren"),
        ("ko", "1건 삭제 예정", "0건 익명화 예정"),
    ],
)
def test_the_privacy_page_says_what_the_next_run_would_do_in_the_pages_language(
    agency_a, staff_a, client_for, settings, language, transcripts, requests
):
    """The preview is one translated phrase per action: it read "would delete 1" in English inside every language,
    the verb being an untranslated word put into a translated frame."""
    conversation(agency_a, "hello", at=OLD)
    client = client_for(staff_a["admin"])
    url = reverse("agency-privacy", kwargs={"agency_slug": agency_a.slug})
    for kind in ("transcripts", "request_personal"):
        assert client.post(url, {"action": "policy", "kind": kind, "days": "90", "enabled": "on"}).status_code == 302
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url).text
    assert transcripts in page and requests in page
    if language != "en":
        assert "would" not in page
