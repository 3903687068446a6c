"""Photos people send over a channel are citizen files like report photos: erasure (by the number they
texted from) and the transcripts' retention period delete them with their conversation, and nothing of
another agency's."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from chat.models import Conversation, Message
from privacy import services as privacy
from privacy.models import DataKind
from privacy.retention import retention_run
from privacy.rights import citizen_erase
from tenants.context import agency_context
from tests.messaging.test_sms import PHONE, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_links_now")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _photo_sent(client, twilio, agency, connection, sender=PHONE) -> str:
    text(client, twilio, agency, connection, "Hi", sender=sender)
    text(client, twilio, agency, connection, "here is the hole", photos=1, sender=sender)
    names = [
        name
        for payload in Message.objects.for_agency(agency)
        .filter(payload__has_key="photos")
        .values_list("payload", flat=True)
        for name in payload["photos"]
    ]
    assert len(names) == 1 and names[0].startswith(f"messaging/{agency.pk}/")
    assert default_storage.exists(names[0])
    return names[0]


def _photo_elsewhere(agency) -> str:
    """Agency B's own channel photo (stored as `messaging.media` stores one, in a conversation of B's)."""
    from django.core.files.base import ContentFile

    from chat import services as chat
    from messaging.fakes.telegram import sample_photo

    with agency_context(agency):
        name = default_storage.save(f"messaging/{agency.pk}/b-photo.jpg", ContentFile(sample_photo()))
        started, _token = chat.conversation_start(agency=agency, channel="sms")
        chat.message_receive(agency=agency, conversation_id=started.pk, text="photo", extra={"photos": [name]})
    return name


def test_erasure_by_phone_deletes_the_channel_conversation_and_its_photos(
    client, twilio, sms_a, agency_a, agency_b, django_capture_on_commit_callbacks
):
    name = _photo_sent(client, twilio, agency_a, sms_a)
    other = _photo_elsewhere(agency_b)
    with agency_context(agency_a), django_capture_on_commit_callbacks(execute=True):
        counts = citizen_erase(agency=agency_a, phone="(555) 765-4321")
    assert counts["conversations"] == 1
    assert not Conversation.objects.for_agency(agency_a).exists()
    assert not default_storage.exists(name)
    assert default_storage.exists(other)  # agency B's is B's business
    assert Conversation.objects.for_agency(agency_b).count() == 1


def test_retention_of_transcripts_deletes_channel_photos(
    client, twilio, sms_a, agency_a, agency_b, staff_a, django_capture_on_commit_callbacks
):
    from auditlog.context import set_actor

    name = _photo_sent(client, twilio, agency_a, sms_a)
    other = _photo_elsewhere(agency_b)
    old = timezone.now() - dt.timedelta(days=400)
    for agency in (agency_a, agency_b):
        Conversation.objects.for_agency(agency).update(last_message_at=old, created_at=old)
    admin = staff_a["admin"]
    with agency_context(agency_a), set_actor(admin), django_capture_on_commit_callbacks(execute=True):
        privacy.retention_policy_set(agency=agency_a, actor=admin, kind=DataKind.TRANSCRIPTS, days=365, enabled=True)
        run = retention_run(agency=agency_a)
    assert run.counts[DataKind.TRANSCRIPTS] == 1
    assert not default_storage.exists(name)
    assert default_storage.exists(other)
