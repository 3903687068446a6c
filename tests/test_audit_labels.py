"""The audit trail names an entry's object in its reader's language, whatever the writer's language was.

Entries stored the object's name as its writer's request rendered it ("dana — Sachbearbeitung @ Alpha City",
"SPR-REG-1: Status change", "Gespräch 1a2b3c4d"), and the page showed those words to every reader. New
entries store the name's parts as codes; old entries are read back from their stored name. Entries stay as
written: exports keep the stored name and the codes."""

import json
import re
from zoneinfo import ZoneInfo

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.utils import timezone, translation

from chat.models import Conversation
from registrations.models import RegistrationEvent
from requests_app.models import Follower
from tenants.context import agency_context
from tenants.models import Membership
from tests.test_audit_page import audit_url, entry, sentence


def _page(client_for, user, agency, language: str) -> str:
    client = client_for(user)
    client.cookies["django_language"] = language
    response = client.get(audit_url(agency))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_entry_stores_codes_and_reads_in_the_readers_language(agency_a, staff_a, client_for):
    member = Membership.objects.unscoped().get(user=staff_a["agent"])
    with agency_context(agency_a), set_actor(staff_a["admin"]), translation.override("de"):
        member.role = "caseworker"
        member.save()
    with agency_context(agency_a):
        written = LogEntry.objects.get_for_object(member).order_by("-pk").first()
    assert "Sachbearbeitung" in written.object_repr  # as the German writer's request rendered it, kept
    assert written.additional_data["label"] == {"user": "alpha-agent", "role": "caseworker", "agency": "Alpha City"}

    arabic = _page(client_for, staff_a["supervisor"], agency_a, "ar")
    assert "alpha-agent — موظف حالات في Alpha City" in arabic
    assert "Sachbearbeitung" not in arabic
    english = _page(client_for, staff_a["supervisor"], agency_a, "en")
    assert "alpha-agent — Caseworker at Alpha City" in english


def test_old_entries_are_read_back_from_their_stored_names(agency_a, staff_a):
    update, create = LogEntry.Action.UPDATE, LogEntry.Action.CREATE
    with agency_context(agency_a):
        event = entry(agency_a, RegistrationEvent, create, {}, repr_="SPR-REG-1: Status change", object_pk="4")
        follower = entry(agency_a, Follower, create, {}, repr_="SPR-9 follower 3", object_pk="3")
        talk = entry(agency_a, Conversation, LogEntry.Action.ACCESS, None, repr_="Gespräch 1a2b3c4d")
        role = entry(agency_a, Membership, update, {"role": ["agent", "caseworker"]}, repr_="kim — Agent @ Alpha City")
        with translation.override("de"):
            assert "„SPR-REG-1: Statusänderung“" in sentence(event)
            assert "„Abonnent 3 von SPR-9“" in sentence(follower)
            assert "„Gespräch 1a2b3c4d“" in sentence(talk)
            assert "kim — Mitarbeiter, Alpha City" in sentence(role)
        with translation.override("ar"):
            assert "محادثة 1a2b3c4d" in sentence(talk)
            assert "Gespräch" not in sentence(talk)
        with translation.override("en"):
            assert sentence(event) == "The system created registration event “SPR-REG-1: Status change”"
            # A name that matches none of the known forms is shown as stored.
            odd = entry(agency_a, RegistrationEvent, create, {}, repr_="something else", object_pk="5")
            assert sentence(odd) == "The system created registration event “something else”"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "exported the audit trail from"),
        ("de", "hat das Prüfprotokoll vom"),
        ("ar", "سجل التدقيق من"),
    ],
)
def test_an_export_reads_as_what_happened(agency_a, staff_a, client_for, language, words):
    client = client_for(staff_a["supervisor"])
    response = client.get(audit_url(agency_a) + "export/?from=2026-01-01&to=2026-01-31&format=json")
    assert response.status_code == 200
    body = _page(client_for, staff_a["supervisor"], agency_a, language)
    assert words in body
    assert "CSV" not in body.split("audit-list", 1)[1] and "(JSON)" in body


@pytest.mark.usefixtures("audit_links_now")
def test_exports_keep_the_stored_name_and_the_codes(agency_a, staff_a, client_for):
    member = Membership.objects.unscoped().get(user=staff_a["agent"])
    with agency_context(agency_a), set_actor(staff_a["admin"]), translation.override("de"):
        member.role = "caseworker"
        member.save()
    with agency_context(agency_a):
        written = LogEntry.objects.get_for_object(member).order_by("-pk").first()
    day = timezone.localdate(written.timestamp, timezone=ZoneInfo(agency_a.timezone)).isoformat()
    client = client_for(staff_a["supervisor"])
    client.cookies["django_language"] = "ar"
    response = client.get(audit_url(agency_a) + f"export/?from={day}&to={day}&format=json")
    exported = json.loads(b"".join(response.streaming_content))
    row = next(item for item in exported["entries"] if item["entry_id"] == written.pk)
    assert row["object"] == written.object_repr
    assert '"role": "caseworker"' in row["payload"] or '"role":"caseworker"' in row["payload"]


def test_feedback_topics_are_named_in_the_readers_language(agency_a, staff_a, client_for):
    from analytics.feedback import services

    with agency_context(agency_a):
        services.topics_ensure(agency=agency_a)
        services.feedback_submit(agency=agency_a, text="My garbage was not picked up this week, again")
    german = _page(client_for, staff_a["supervisor"], agency_a, "de")
    assert "„Müll und Recycling“" in german  # the topic's own entry
    assert "<strong>Thema</strong>: Müll und Recycling" in german  # the feedback's topic
    sentences = re.findall(r'<p class="audit-sentence">(.*?)</p>', german)
    assert sentences and not [sentence for sentence in sentences if "Trash and recycling" in sentence]
