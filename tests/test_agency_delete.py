"""Deleting an agency (tenants.services.delete_agency): the cascade runs in the agency's scope, so under
row-level security it sees and removes every row the agency owns, and nothing of another agency; the
platform's audit chain records it; the agency's own trail is kept (the platform admin) or, for throwaway
agencies, dropped by the owner's function, which refuses an agency that still exists."""

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AuditLink
from chat import services as chat
from chat.models import Conversation
from knowledge.models import Chunk, Document
from requests_app.models import ServiceRequest
from tenants.context import agency_context, cross_agency
from tenants.models import Agency, Department, Membership
from tenants.services import delete_agency
from tests.chat.conftest import publish_document
from tests.requests_app.conftest import make_catalogue
from tests.requests_app.services_support import file

MODELS = (Department, Membership, ServiceRequest, Document, Chunk, Conversation)
NAMES = [model.__name__ for model in MODELS]


def counts(agency_id: int) -> dict[str, int]:
    with cross_agency(reason="the test counts an agency's rows"):
        found = {model.__name__: model.objects.unscoped().filter(agency_id=agency_id).count() for model in MODELS}
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM auditlog_logentry WHERE agency_id = %s", [agency_id])
            found["audit entries"] = cursor.fetchone()[0]
    return found


@pytest.fixture
def world(agency_a, agency_b, staff_a, staff_b, settings, audit_links_now):
    settings.KNOWLEDGE_EMBEDDER = "none"
    for agency in (agency_a, agency_b):
        make_catalogue(agency)
        file(agency, description=f"{agency.slug} pothole")
        publish_document(agency, title="Trash", content="Trash is collected on Mondays.")
        with agency_context(agency):
            chat.conversation_start(agency=agency, channel="widget")
    return {agency.slug: counts(agency.pk) for agency in (agency_a, agency_b)}


def test_the_platform_admin_deletes_an_agency_and_nothing_of_another(world, agency_a, agency_b, superuser, client_for):
    before = world[agency_a.slug]
    assert all(before[name] > 0 for name in before), before
    pk = agency_a.pk
    response = client_for(superuser).post(f"/admin/tenants/agency/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Agency.objects.filter(pk=pk).exists()
    after = counts(pk)
    assert {name: after[name] for name in after if name != "audit entries"} == dict.fromkeys(NAMES, 0)
    assert counts(agency_b.pk) == world[agency_b.slug]  # the other agency untouched
    # Its trail is kept (and grew by the cascade's DELETE entries), readable across agencies or as the owner.
    assert after["audit entries"] > before["audit entries"]
    with cross_agency(reason="the test reads the deleted agency's trail"):
        assert LogEntry.objects.filter(additional_data__agency_id=pk, action=LogEntry.Action.DELETE).exists()
    with agency_context(agency_b):
        assert not LogEntry.objects.filter(additional_data__agency_id=pk).exists()
    # The platform's chain records who deleted which agency, why, and the head of its chain.
    with cross_agency(reason="the test reads the platform's record"):
        record = LogEntry.objects.get(additional_data__deleted_agency__id=pk)
        head = AuditLink.objects.filter(agency_id=pk).order_by("-seq").first()
    assert record.actor == superuser and record.action == LogEntry.Action.DELETE
    assert record.additional_data["audit_trail"] == "keep"
    assert record.additional_data["chain_head"] == {"seq": head.seq, "hash": head.hash}
    assert record.additional_data["removed"]["requests_app.ServiceRequest"] == before["ServiceRequest"]
    call_command("audit_verify")  # every chain, the deleted agency's and the platform's, still verifies


def test_a_throwaway_agencys_trail_is_dropped_with_it_and_the_drop_recorded(world, agency_a, agency_b):
    pk = agency_a.pk
    links = AuditLink.objects.filter(agency_id=pk).count()
    assert links > 0
    delete_agency(agency_a, reason="a benchmark's agency", audit_trail="purge")
    assert counts(pk) == dict.fromkeys([*NAMES, "audit entries"], 0)
    with cross_agency(reason="the test looks for the dropped trail"):
        assert not AuditLink.objects.filter(agency_id=pk).exists()
        assert not LogEntry.objects.filter(additional_data__agency_id=pk).exists()
    assert counts(agency_b.pk) == world[agency_b.slug]
    with cross_agency(reason="the test reads the platform's record"):
        record = LogEntry.objects.get(additional_data__deleted_agency__id=pk)
    assert record.additional_data["audit_trail"] == "purge" and record.additional_data["chain_links"] == links
    assert record.additional_data["audit_entries_purged"] == links
    call_command("audit_verify")


def test_the_app_cannot_drop_a_living_agencys_trail_or_the_platforms(world, agency_a):
    for chain, message in ((agency_a.pk, "still exists"), (0, "only a deleted agency")):
        with pytest.raises(DatabaseError, match=message), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT audit_drop_chain(%s)", [chain])
    assert counts(agency_a.pk) == world[agency_a.slug]


def test_a_reason_and_a_known_trail_choice_are_required(agency_a):
    for kwargs in ({"reason": " "}, {"reason": "x", "audit_trail": "shred"}):
        with pytest.raises(ValueError):
            delete_agency(agency_a, **kwargs)
    assert Agency.objects.filter(pk=agency_a.pk).exists()


@pytest.mark.parametrize("who", ["other agency's admin", "own admin"])
def test_only_a_platform_superuser_deletes_an_agency(world, agency_a, staff_a, staff_b, client_for, who):
    user = staff_b["admin"] if who == "other agency's admin" else staff_a["admin"]
    response = client_for(user).post(f"/admin/tenants/agency/{agency_a.pk}/delete/", {"post": "yes"})
    assert response.status_code in (403, 404)
    assert counts(agency_a.pk) == world[agency_a.slug]


def test_its_stored_files_go_with_it_and_nothing_of_another_agencys(
    agency_a, agency_b, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Documents, report photos, registration uploads and channel media are stored under the agency's id."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    names = {}
    for agency in (agency_a, agency_b):
        names[agency.pk] = [
            default_storage.save(name, ContentFile(b"x"))
            for name in (
                f"knowledge/agency-{agency.pk}/doc-1/rules.pdf",
                f"requests/{agency.pk}/2026/12/photo.jpg",
                f"registrations/{agency.pk}/7.bin",
                f"messaging/{agency.pk}/voice.ogg",
            )
        ]
    gone = agency_a.pk
    with django_capture_on_commit_callbacks(execute=True):
        delete_agency(agency_a, reason="the test deletes an agency", audit_trail="purge")
    assert not any(default_storage.exists(name) for name in names[gone])
    assert all(default_storage.exists(name) for name in names[agency_b.pk])
