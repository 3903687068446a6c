"""The agent attaches the document the citizen e-mailed (or showed at the counter) when completing their form for them
(`chat.completion_files`): checked, stored and kept as the citizen's own upload would be; a bad file is a clear error
with nothing stored and nothing typed lost; a document attached while another answer is refused stays; the citizen's
own document is kept; every attachment is in the audit trail; another agency's conversation is a 404."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chat import services
from chat.engine.engine import bot_turn
from registrations.crypto import decrypt_bytes
from registrations.models import Registration, RegistrationFile, Status
from requests_app.models import RequestPhoto, ServiceRequest
from tenants.context import agency_context
from tests.chat.test_form_completion import REPORT, registration_taken, taken, url, version
from tests.chat.test_form_interrupts import agency, at_location, say, start  # noqa: F401 - fixture and helpers
from tests.requests_app.conftest import image_bytes

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ANSWERS = {
    "us_citizen": "yes", "date_of_birth": "1990-03-27", "lives_in_city": "yes", "full_name": "Pat Doe",
    "id_type": "none", "home_address__line1": "1 Main St", "home_address__city": "Springfield",
    "home_address__region": "IL", "home_address__postal_code": "62701", "registered_elsewhere": "no",
    "ballot_language": "en", "email": "pat@example.com",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="electric-bill.pdf", data=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def files(agency):  # noqa: F811
    with agency_context(agency):
        return list(RegistrationFile.objects.for_agency(agency))


def attached_entries():
    return LogEntry.objects.filter(additional_data__attached_for_citizen__isnull=False)


def the_registration(agency, conversation):  # noqa: F811
    with agency_context(agency):
        return Registration.objects.for_agency(agency).get(conversation_ref=str(conversation.pk))


def test_the_agent_attaches_the_document_the_citizen_e_mailed(
    agency,  # noqa: F811
    staff_a,
    client_for,
    django_capture_on_commit_callbacks,
):
    agent = staff_a["agent"]
    conversation, _draft = registration_taken(agency, agent, ("yes", "03/27/1990", "yes", "Pat Doe"))
    client = client_for(agent)
    form_url = url(conversation, "register_service")
    page = client.get(form_url)
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file" id="proof_document"' in html
    assert "PDF, JPEG, PNG, up to 5 MB." in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(form_url, {**ANSWERS, "version": version(page), "proof_document": pdf()})
    assert sent.status_code == 302, sent.content.decode()[:3000]
    registration = the_registration(agency, conversation)
    assert registration.status == Status.SUBMITTED
    (stored,) = files(agency)
    assert stored.registration == registration and stored.field_id == "proof_document"
    assert (stored.name, stored.content_type, stored.size) == ("electric-bill.pdf", "application/pdf", len(PDF))
    with stored.content.open("rb") as handle:
        kept = handle.read()
    assert kept != PDF and decrypt_bytes(kept) == PDF  # encrypted at rest, as the citizen's upload is
    with agency_context(agency):
        assert registration.all_answers()["proof_document"]["file_id"] == str(stored.pk)
    (entry,) = attached_entries()
    assert entry.actor == agent and entry.object_pk == str(conversation.pk)
    assert entry.additional_data["attached_for_citizen"]["name"] == "electric-bill.pdf"


def test_a_file_that_is_not_what_the_question_takes_is_refused_and_nothing_is_lost(
    agency,  # noqa: F811
    staff_a,
    client_for,
):
    agent = staff_a["agent"]
    conversation, _draft = registration_taken(agency, agent, ("yes", "03/27/1990", "yes", "Pat Doe"))
    client = client_for(agent)
    form_url = url(conversation, "register_service")
    page = client.get(form_url)
    disguised = pdf("bill.pdf", b"MZ\x90\x00 an executable, whatever its name says")
    refused = client.post(
        form_url, {**ANSWERS, "full_name": "Pat Q. Doe", "version": version(page), "proof_document": disguised}
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "PDF, JPEG, PNG" in html and 'aria-invalid="true"' in html
    assert 'value="Pat Q. Doe"' in html  # what the agent typed is still there
    assert files(agency) == [] and not attached_entries().exists()
    assert the_registration(agency, conversation).status == Status.DRAFT

    big = pdf("scan.pdf", PDF + b"0" * (5 * 1024 * 1024))
    too_big = client.post(form_url, {**ANSWERS, "version": version(refused), "proof_document": big})
    assert too_big.status_code == 400 and "5 MB" in too_big.content.decode() and files(agency) == []


def test_a_document_attached_while_another_answer_is_refused_stays(agency, staff_a, client_for):  # noqa: F811
    agent = staff_a["agent"]
    conversation, _draft = registration_taken(agency, agent, ("yes", "03/27/1990", "yes", "Pat Doe"))
    client = client_for(agent)
    form_url = url(conversation, "register_service")
    page = client.get(form_url)
    refused = client.post(
        form_url, {**ANSWERS, "email": "not an address", "version": version(page), "proof_document": pdf()}
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "Uploaded: ••••••" in html  # kept, its name masked (a sensitive answer)
    (stored,) = files(agency)
    assert version(refused) != version(page)  # the draft moved on with the document: no "changed meanwhile"
    sent = client.post(form_url, {**ANSWERS, "version": version(refused)})  # not chosen again
    assert sent.status_code == 302
    registration = the_registration(agency, conversation)
    with agency_context(agency):
        assert registration.status == Status.SUBMITTED
        assert registration.all_answers()["proof_document"]["file_id"] == str(stored.pk)
    assert attached_entries().count() == 1


def test_the_document_the_citizen_uploaded_is_kept(agency, staff_a, client_for):  # noqa: F811
    from registrations import services
    from registrations.engine import FlowState
    from registrations.flows import spec_for, state_for

    agent = staff_a["agent"]
    conversation, draft = registration_taken(agency, agent, ("yes", "03/27/1990", "yes", "Pat Doe"))
    with agency_context(agency):  # the citizen uploaded it on the web form (their resume link)
        item = spec_for(draft.form_version).field("proof_document")
        _answer, checked = services.upload_check(item, name="lease.pdf", size=len(PDF), read=lambda: PDF)
        own = services.registration_file_store(agency=agency, registration=draft, upload=checked)
        state = state_for(draft)
        answers = {**state.answers, "id_type": "none", "proof_document": services.file_answer(own)}
        services.registration_save_progress(
            agency=agency, registration=draft, state=FlowState.from_dict(state.position(), answers)
        )
    client = client_for(agent)
    form_url = url(conversation, "register_service")
    page = client.get(form_url)
    assert "Uploaded: ••••••" in page.content.decode()
    assert client.post(form_url, {**ANSWERS, "version": version(page)}).status_code == 302
    with agency_context(agency):
        registration = the_registration(agency, conversation)
        assert registration.all_answers()["proof_document"]["file_id"] == str(own.pk)
    assert [stored.pk for stored in files(agency)] == [own.pk] and not attached_entries().exists()


def test_another_agency_can_neither_attach_to_nor_fetch_the_document(
    agency,  # noqa: F811
    agency_b,
    staff_a,
    staff_b,
    client_for,
    django_capture_on_commit_callbacks,
):
    agent = staff_a["agent"]
    conversation, _draft = registration_taken(agency, agent, ("yes", "03/27/1990", "yes", "Pat Doe"))
    form_url = url(conversation, "register_service")
    other = client_for(staff_b["admin"])  # agency B's admin, at B's address and at A's
    beta_url = url(conversation, "register_service", slug="beta")
    assert other.post(beta_url, {**ANSWERS, "version": "x", "proof_document": pdf()}).status_code == 404
    assert other.get(beta_url).status_code == 404
    assert other.post(form_url, {**ANSWERS, "version": "x", "proof_document": pdf()}).status_code == 404
    assert files(agency) == [] and not attached_entries().exists()

    client = client_for(agent)
    page = client.get(form_url)
    stale = client.post(form_url, {**ANSWERS, "version": "stale", "proof_document": pdf()})
    assert stale.status_code == 302 and files(agency) == []  # "the citizen changed it meanwhile": nothing stored
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url, {**ANSWERS, "email": "bad", "version": version(page), "proof_document": pdf()})
    (stored,) = files(agency)
    media = f"/media/{stored.content.name}"
    assert client_for(staff_a["caseworker"]).get(media).status_code == 200  # who may reveal it, in its agency
    assert client_for(staff_b["admin"]).get(media).status_code == 404
    assert client_for(staff_b["admin"]).post(beta_url, {**ANSWERS, "version": "x"}).status_code == 404
    assert the_registration(agency, conversation).status == Status.DRAFT  # B sent nothing either


def test_the_agent_adds_a_photo_to_the_report(agency, staff_a, client_for):  # noqa: F811
    agent = staff_a["agent"]
    conversation = taken(agency, agent)
    client = client_for(agent)
    page = client.get(url(conversation))
    html = page.content.decode()
    assert 'accept="image/jpeg,image/png,image/webp" multiple' in html and "JPEG, PNG, WebP, up to 10 MB." in html
    assert "camera button" not in html  # the chat's hint to the citizen is not the agent's

    not_a_photo = SimpleUploadedFile("hole.png", b"not an image at all", content_type="image/png")
    refused = client.post(url(conversation), {**REPORT, "version": version(page), "photo": not_a_photo})
    assert refused.status_code == 400 and "Photos must be JPEG, PNG or WebP images." in refused.content.decode()
    with agency_context(agency):
        assert not ServiceRequest.objects.for_agency(agency).exists()

    photo = SimpleUploadedFile("hole.png", image_bytes("PNG", exif_extra=False), content_type="image/png")
    sent = client.post(url(conversation), {**REPORT, "version": version(refused), "photo": photo})
    assert sent.status_code == 302
    with agency_context(agency):
        filed = ServiceRequest.objects.for_agency(agency).get()
        assert RequestPhoto.objects.for_agency(agency).filter(request=filed).count() == 1
    entry = LogEntry.objects.get(additional_data__completed_for_citizen__reference=filed.reference)
    assert entry.actor == agent and entry.additional_data["completed_for_citizen"]["photos_attached"] == 1


def test_the_photo_the_citizen_sent_in_the_chat_is_shown_and_filed_with_the_agents(agency, staff_a, client_for):  # noqa: F811
    agent = staff_a["agent"]
    conversation = a_report_with_a_photo(agency)
    with agency_context(agency):
        services.conversation_claim(agency=agency, actor=agent, conversation_id=conversation.pk)
        (sent,) = [m.payload["photos"][0] for m in conversation.messages.all() if (m.payload or {}).get("photos")]
    client = client_for(agent)
    page = client.get(url(conversation))
    html = page.content.decode()
    assert f'<img src="/media/{sent}"' in html and "1 photo the citizen sent is filed with it." in html
    assert client.get(f"/media/{sent}").status_code == 200  # the agent can open it
    photo = SimpleUploadedFile("hole.png", image_bytes("PNG", exif_extra=False), content_type="image/png")
    assert client.post(url(conversation), {**REPORT, "version": version(page), "photo": photo}).status_code == 302
    with agency_context(agency):
        filed = ServiceRequest.objects.for_agency(agency).get()
        assert (
            RequestPhoto.objects.for_agency(agency).filter(request=filed).count() == 2
        )  # the citizen's and the agent's


def a_report_with_a_photo(agency):  # noqa: F811
    """A pothole report with its place and a photo attached in the web chat, left for a person."""
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    photo = SimpleUploadedFile("hole.png", image_bytes("PNG", exif_extra=False), content_type="image/png")
    with agency_context(agency):
        received = services.citizen_photo_receive(agency=agency, conversation=conversation, upload=photo)
        bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    say(agency, conversation, "I want to talk to a person")
    say(agency, conversation, "Yes", "report:leave")
    conversation.refresh_from_db()
    assert conversation.state == conversation.State.QUEUED
    return conversation


def agent_photo_files(agency):  # noqa: F811
    from django.core.files.storage import default_storage

    try:
        return sorted(default_storage.listdir(f"messaging/{agency.pk}")[1])
    except FileNotFoundError:
        return []


def test_a_photo_attached_while_another_answer_is_refused_is_kept_and_filed(
    agency,  # noqa: F811
    agency_b,
    staff_a,
    staff_b,
    client_for,
    django_capture_on_commit_callbacks,
):
    agent = staff_a["agent"]
    conversation = taken(agency, agent)
    client = client_for(agent)
    page = client.get(url(conversation))
    photo = SimpleUploadedFile("hole.png", image_bytes("PNG", exif_extra=False), content_type="image/png")
    refused = client.post(url(conversation), {**REPORT, "description": "", "version": version(page), "photo": photo})
    html = refused.content.decode()
    assert refused.status_code == 400 and "This question needs an answer." in html
    assert "1 photo you attached is kept with this report and filed with it." in html
    assert "choose them again" not in html
    (stored,) = agent_photo_files(agency)
    name = f"messaging/{agency.pk}/{stored}"
    assert stored.startswith("agent-") and stored.endswith(".png")
    assert f'<img src="/media/{name}"' in html
    assert client.get(f"/media/{name}").status_code == 200  # the agent opens it
    other = Client()
    other.force_login(staff_b["admin"])
    assert other.get(f"/media/{name}").status_code == 404  # another agency's staff cannot
    assert version(refused) != version(page)  # the draft moved on with the photo: no "changed meanwhile"
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url(conversation), {**REPORT, "version": version(refused)})  # not chosen again
    assert sent.status_code == 302
    with agency_context(agency):
        filed = ServiceRequest.objects.for_agency(agency).get()
        assert RequestPhoto.objects.for_agency(agency).filter(request=filed).count() == 1
    entry = LogEntry.objects.get(additional_data__completed_for_citizen__reference=filed.reference)
    assert entry.additional_data["completed_for_citizen"]["photos_attached"] == 1
    assert agent_photo_files(agency) == []  # the report keeps its own copy; the draft's is gone with the draft
    assert attached_entries().filter(additional_data__attached_for_citizen__field="photo").count() == 1


def test_a_photo_of_a_draft_left_behind_is_purged_after_the_drafts_week(agency, staff_a, client_for):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from chat.completion_photos import ABANDONED_AFTER, agent_photos_purge
    from messaging.media import channel_photo_names

    agent = staff_a["agent"]
    conversation = taken(agency, agent)
    client = client_for(agent)
    page = client.get(url(conversation))
    photo = SimpleUploadedFile("hole.jpg", image_bytes("JPEG", exif_extra=False), content_type="image/jpeg")
    client.post(url(conversation), {**REPORT, "description": "", "version": version(page), "photo": photo})
    (stored,) = agent_photo_files(agency)
    name = f"messaging/{agency.pk}/{stored}"
    later = timezone.now() + ABANDONED_AFTER + timedelta(hours=1)
    with agency_context(agency):
        assert channel_photo_names(agency=agency, conversation_ids=[conversation.pk]) == [name]  # erasure finds it
        assert agent_photos_purge(agency=agency, now=later) == 0  # a draft still holds it
        conversation.refresh_from_db()
        conversation.parked_forms = {}  # the draft was cancelled or expired
        conversation.save(update_fields=["parked_forms"])
        assert agent_photos_purge(agency=agency) == 0  # too recent: its transaction may still be running
        assert agent_photos_purge(agency=agency, now=later) == 1
    assert agent_photo_files(agency) == []
