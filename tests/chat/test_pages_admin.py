"""Pages (full-page chat, inbox console), the staff and home cards, and the transcripts admin:
scoping by agency and participation, filters, search, exports, access audit, escaping."""

import csv
import io
import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from chat import services
from chat.models import Conversation
from tenants.context import agency_context

SCRIPT = "<script>alert('x')</script>"


def _conversation(agency, *texts, language="en"):
    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel="widget", language=language)
        for text in texts:
            services.message_receive(agency=agency, conversation_id=conversation.pk, text=text)
        return Conversation.objects.unscoped().get(pk=conversation.pk)


def test_full_page_chat_loads_the_widget(agency_a, client):
    response = client.get("/a/alpha/chat/")
    assert response.status_code == 200
    html = response.text
    assert 'src="/static/chat/widget.js"' in html and 'data-agency="alpha"' in html and 'data-mode="inline"' in html
    assert client.get("/a/nowhere/chat/").status_code == 404
    assert client.get("/static/chat/widget.js").status_code == 200


def test_agency_home_offers_the_chat(agency_a, client):
    assert "/a/alpha/chat/" in client.get("/a/alpha/").text


def test_the_chat_card_names_the_languages_the_agency_lists(agency_a, client):
    """It said "in English, Español or 简体中文" whatever the agency speaks: Springfield lists eight (session-24 walk)."""
    agency_a.languages = ["en", "de", "ar"]
    agency_a.save(update_fields=["languages"])
    card = (
        client.get("/a/alpha/", HTTP_ACCEPT_LANGUAGE="en")
        .text.split('id="chat-card-heading"')[1]
        .split("</section>")[0]
    )
    assert "\u2068English\u2069, \u2068Deutsch\u2069, \u2068العربيّة\u2069" in card, card  # noqa: RUF001
    assert "简体中文" not in card and "Español" not in card
    german = client.get("/a/alpha/", HTTP_ACCEPT_LANGUAGE="de").text
    assert "in diesen Sprachen: \u2068English\u2069, \u2068Deutsch\u2069" in german
    arabic = client.get("/a/alpha/", HTTP_ACCEPT_LANGUAGE="ar").text
    assert "\u2068English\u2069\u060c \u2068Deutsch\u2069" in arabic  # an Arabic comma between the names


def test_inbox_page_for_agents_only_and_only_their_agency(agency_a, agency_b, staff_a, staff_b, client_for, client):
    assert client.get("/a/alpha/staff/inbox/").status_code == 302  # to the login page
    for role in ("agent", "supervisor", "admin"):
        response = client_for(staff_a[role]).get("/a/alpha/staff/inbox/")
        assert response.status_code == 200 and 'data-agency="alpha"' in response.text
    for user in (staff_a["analyst"], staff_a["caseworker"], staff_b["agent"], staff_b["admin"]):
        assert client_for(user).get("/a/alpha/staff/inbox/").status_code == 404


def test_staff_home_shows_the_inbox_to_agents(agency_a, staff_a, client_for):
    assert "/a/alpha/staff/inbox/" in client_for(staff_a["agent"]).get("/a/alpha/staff/").text
    assert "/a/alpha/staff/inbox/" not in client_for(staff_a["analyst"]).get("/a/alpha/staff/").text


def test_supervisor_sees_own_agency_transcripts_only(agency_a, agency_b, staff_a, staff_b, client_for):
    mine = _conversation(agency_a, "Where do I pay parking fines?")
    theirs = _conversation(agency_b, "Beta secret question")
    client = client_for(staff_a["supervisor"])
    listing = client.get(reverse("admin:chat_conversation_changelist"))
    assert listing.status_code == 200
    assert str(mine.pk)[:8] in listing.text and str(theirs.pk)[:8] not in listing.text
    assert client.get(reverse("admin:chat_conversation_change", args=[theirs.pk])).status_code == 404
    # searching does not reach across agencies either
    assert str(theirs.pk)[:8] not in client.get(reverse("admin:chat_conversation_changelist"), {"q": "Beta"}).text
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(theirs.pk)).count() == 0


def test_viewing_a_transcript_is_an_access_audit_entry(agency_a, staff_a, client_for):
    conversation = _conversation(agency_a, "Hello")
    client = client_for(staff_a["supervisor"])
    response = client.get(reverse("admin:chat_conversation_change", args=[conversation.pk]))
    assert response.status_code == 200 and "Hello" in response.text
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(conversation.pk))
    assert entry.actor == staff_a["supervisor"]
    assert entry.additional_data == {
        "agency_id": agency_a.pk,
        "access": "admin",
        "label": {"id": str(conversation.pk)[:8]},
    }
    # and the supervisor finds it in the agency's audit trail
    audit = client.get("/a/alpha/staff/audit/")
    # (the trail names auditlog's "access" action "Viewed", in the staff member's language)
    assert "· Viewed" in audit.text and str(conversation.pk)[:8] in audit.text


def test_transcript_text_is_escaped_in_admin(agency_a, staff_a, client_for):
    conversation = _conversation(agency_a, SCRIPT)
    response = client_for(staff_a["supervisor"]).get(reverse("admin:chat_conversation_change", args=[conversation.pk]))
    assert SCRIPT not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.text


def test_every_label_of_the_transcript_page_is_translated():
    """A German supervisor's transcript page read "Agency:", "Id:", "Last seq:", "Last message at:" and, on each
    message, "created at" in English (session-24 walk): fields without a translatable name."""
    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field
    from django.utils import translation

    page = admin.site._registry[Conversation]
    owners = [page, *(inline(Conversation, admin.site) for inline in page.inlines)]
    untranslated = []
    for owner in owners:
        for name in owner.readonly_fields:
            with translation.override("en"):
                english = str(label_for_field(name, owner.model, owner))
            with translation.override("de"):
                german = str(label_for_field(name, owner.model, owner))
            if german == english:
                untranslated.append(f"{owner.model.__name__}.{name}: {english!r}")
    assert not untranslated, untranslated


def test_the_transcript_page_in_german_names_the_agency_in_german(agency_a, staff_a, client_for):
    conversation = _conversation(agency_a, "Hallo")
    response = client_for(staff_a["supervisor"]).get(
        reverse("admin:chat_conversation_change", args=[conversation.pk]), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert "Behörde:" in response.text
    assert all(label not in response.text for label in ("Agency:", "Last seq:", "Last message at:", "Id:"))


def test_agents_and_caseworkers_see_only_conversations_they_took_part_in(agency_a, staff_a, client_for):
    taken = _conversation(agency_a, "I need a person")
    other = _conversation(agency_a, "Just browsing")
    Conversation.objects.unscoped().filter(pk=taken.pk).update(state="queued")  # waiting for a person
    with agency_context(agency_a):
        services.conversation_claim(agency=agency_a, actor=staff_a["agent"], conversation_id=taken.pk)
    agent = client_for(staff_a["agent"])
    listing = agent.get(reverse("admin:chat_conversation_changelist"))
    assert str(taken.pk)[:8] in listing.text and str(other.pk)[:8] not in listing.text
    assert agent.get(reverse("admin:chat_conversation_change", args=[other.pk])).status_code == 404
    assert agent.get(reverse("admin:chat_conversation_change", args=[taken.pk])).status_code == 200
    caseworker = client_for(staff_a["caseworker"])
    listing = caseworker.get(reverse("admin:chat_conversation_changelist"))
    assert str(taken.pk)[:8] not in listing.text and str(other.pk)[:8] not in listing.text


def test_transcripts_are_read_only(agency_a, staff_a, client_for):
    conversation = _conversation(agency_a, "Hello")
    client = client_for(staff_a["admin"])
    url = reverse("admin:chat_conversation_change", args=[conversation.pk])
    response = client.post(url, {"state": "closed"})
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.state == "bot"
    assert client.get(reverse("admin:chat_conversation_add")).status_code == 403


def test_filters_and_search(agency_a, staff_a, client_for):
    spanish = _conversation(agency_a, "¿Dónde pago la multa?", language="es")
    english = _conversation(agency_a, "pothole on Main Street")
    with agency_context(agency_a):
        Conversation.objects.filter(pk=english.pk).update(last_intent="answer")
    client = client_for(staff_a["supervisor"])
    changelist = reverse("admin:chat_conversation_changelist")
    cases = [
        ({"language": "es"}, spanish, english),
        ({"last_intent": "answer"}, english, spanish),
        ({"q": "pothole"}, english, spanish),
        ({"state": "bot", "channel": "widget", "handed_off__exact": "0", "outcome": ""}, english, None),
        ({"created_at__gte": "2000-01-01 00:00:00+00:00"}, english, None),
    ]
    for params, present, absent in cases:
        response = client.get(changelist, params)
        assert response.status_code == 200, params
        assert str(present.pk)[:8] in response.text, params
        if absent is not None:
            assert str(absent.pk)[:8] not in response.text, params


def _export(client, action, conversations):
    return client.post(
        reverse("admin:chat_conversation_changelist"),
        {"action": action, "_selected_action": [str(c.pk) for c in conversations]},
    )


def test_csv_and_json_exports_are_scoped_and_audited(agency_a, agency_b, staff_a, client_for):
    mine = _conversation(agency_a, "=HYPERLINK('http://evil')", "second line")
    theirs = _conversation(agency_b, "beta only")
    client = client_for(staff_a["supervisor"])

    response = _export(client, "export_csv", [mine, theirs])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    texts = [row[13] for row in rows[1:]]
    assert texts == ["'=HYPERLINK('http://evil')", "second line"]  # no formulas; nothing of agency B

    response = _export(client, "export_json", [mine, theirs])
    data = json.loads(response.content)
    assert [c["id"] for c in data] == [str(mine.pk)]
    assert [m["text"] for m in data[0]["messages"]] == ["=HYPERLINK('http://evil')", "second line"]

    accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert sorted(e.additional_data["access"] for e in accesses) == ["export_csv", "export_json"]
    assert {e.object_pk for e in accesses} == {str(mine.pk)}


@pytest.mark.parametrize("role", ["analyst"])
def test_roles_without_transcripts_do_not_see_the_admin(agency_a, staff_a, client_for, role):
    _conversation(agency_a, "Hello")
    response = client_for(staff_a[role]).get(reverse("admin:chat_conversation_changelist"))
    assert response.status_code == 403
