"""A supervisor's transcript page names the conversation's language and intent in the reader's language, code
beside (found by the session-25 walk: the Korean page said "언어: de" and "의도: answer")."""

from django.urls import reverse

from chat import services
from chat.models import Conversation
from tenants.context import agency_context


def test_the_transcript_page_names_language_and_intent(agency_a, staff_a, client_for):
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        Conversation.objects.for_agency(agency_a).filter(pk=conversation.pk).update(language="de", last_intent="answer")
    client = client_for(staff_a["supervisor"])
    client.cookies["django_language"] = "ko"
    html = client.get(reverse("admin:chat_conversation_change", args=[conversation.pk])).content.decode()
    assert "독일어 (de)" in html
    assert "질문하기 (answer)" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("admin:chat_conversation_change", args=[conversation.pk])).content.decode()
    assert "German (de)" in html and "Ask a question (answer)" in html
