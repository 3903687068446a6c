"""Stored files go through their owner's access check in every mode: no static /media/ serving, a
staff-only document is not public, another agency's file is a 404, and production can hand the bytes
to the front server (X-Accel-Redirect / X-Sendfile) after the check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge.models import Audience, DocumentVersion
from knowledge.services import document_create
from tenants.context import agency_context


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KNOWLEDGE_EMBEDDER = "none"


def stored_document(agency, *, audience, text=b"Overtime rules for staff only.", active=True):
    with agency_context(agency):
        document = document_create(
            agency=agency,
            actor=None,
            title="Rules",
            audience=audience,
            file=SimpleUploadedFile("rules.txt", text, content_type="text/plain"),
            format="text",
            queue=False,
        )
        version = document.versions.get()
    if active:
        DocumentVersion.objects.for_agency(agency).filter(pk=version.pk).update(status="active")
    return version


def test_a_staff_only_document_is_not_public_nor_another_agencys(client, client_for, agency_a, staff_a, staff_b):
    version = stored_document(agency_a, audience=Audience.STAFF)
    url = "/media/" + version.file.name
    assert url.startswith(f"/media/knowledge/agency-{agency_a.pk}/doc-")
    assert client.get(url).status_code == 404
    assert client_for(staff_b["admin"]).get(url).status_code == 404
    for role in ("agent", "analyst", "admin"):
        response = client_for(staff_a[role]).get(url)
        assert response.status_code == 200 and response.content == b"Overtime rules for staff only."
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("attachment")
        assert "sandbox" in response["Content-Security-Policy"]


def test_debug_mode_serves_no_static_media_either(client, settings, agency_a):
    settings.DEBUG = True
    version = stored_document(agency_a, audience=Audience.STAFF)
    assert client.get("/media/" + version.file.name).status_code == 404


def test_a_public_documents_file_is_public_while_its_version_is_live(client, agency_a, staff_a):
    version = stored_document(agency_a, audience=Audience.PUBLIC, text=b"Bin days")
    url = "/media/" + version.file.name
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"Bin days"
    assert response["Cache-Control"].startswith("public")
    DocumentVersion.objects.for_agency(agency_a).filter(pk=version.pk).update(status="retired")
    assert client.get(url).status_code == 404
    draft = stored_document(agency_a, audience=Audience.PUBLIC, active=False)
    assert client.get("/media/" + draft.file.name).status_code == 404


def test_nothing_else_under_media_root_is_served(client, client_for, settings, agency_a, staff_a, superuser):
    stray = settings.MEDIA_ROOT / "exports" / "dump.csv"
    stray.parent.mkdir(parents=True)
    stray.write_text("secret")
    version = stored_document(agency_a, audience=Audience.PUBLIC)
    for user in (None, staff_a["admin"], superuser):
        if user is not None:
            client_for(user)
        for url in (
            "/media/exports/dump.csv",
            "/media/knowledge/../exports/dump.csv",
            "/media/knowledge/%2e%2e/exports/dump.csv",
            "/media/" + version.file.name.replace(f"agency-{agency_a.pk}", "agency-999999"),
            "/media/knowledge/agency-x/doc-1/rules.txt",
            "/media/requests/1/2026/01/none.png",
            "/media/registrations/1/x.bin",
        ):
            assert client.get(url).status_code == 404, (user, url)


@pytest.mark.parametrize(("mode", "header"), [("x-accel-redirect", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")])
def test_production_hands_the_checked_file_to_the_front_server(
    mode, header, client, client_for, settings, agency_a, staff_a
):
    settings.MEDIA_SERVE = mode
    version = stored_document(agency_a, audience=Audience.STAFF)
    url = "/media/" + version.file.name
    assert client.get(url).status_code == 404 and header not in client.get(url)
    response = client_for(staff_a["agent"]).get(url)
    assert response.status_code == 200 and response.content == b""
    if mode == "x-accel-redirect":
        assert response[header] == "/protected-media/" + version.file.name
    else:
        assert response[header] == str(settings.MEDIA_ROOT / version.file.name)
