"""One trail per conversation in the supervisors' transcript view: each question, the passages
retrieved with their document versions, the answer or refusal, the handoff and every staff action,
in order, each linked to its audit entry and chain position."""

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from audit.models import AuditLink
from chat import services
from chat.engine.engine import bot_turn
from chat.models import Conversation
from chat.trail import conversation_trail
from tenants.context import agency_context
from tests.chat.conftest import publish_document

pytestmark = pytest.mark.usefixtures("audit_links_now")


def test_the_trail_tells_the_whole_conversation_in_order(agency_a, staff_a, client_for, lexical_knowledge):
    publish_document(
        agency_a, title="Potholes", content="How long does it take to fix a pothole? Crews fix potholes in five days."
    )
    agent = staff_a["agent"]
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        for text in (
            "How long does it take to fix a pothole?",
            "Who won the football game?",
            "I want to talk to a person",
        ):
            received = services.message_receive(agency=agency_a, conversation_id=conversation.pk, text=text)
            bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)
        with set_actor(agent):
            services.conversation_claim(agency=agency_a, actor=agent, conversation_id=conversation.pk)
            services.message_post_agent(
                agency=agency_a, actor=agent, conversation_id=conversation.pk, text="Hello, Dana here."
            )
            services.note_add(
                agency=agency_a, actor=agent, conversation_id=conversation.pk, text="Citizen asked twice."
            )
            services.conversation_close(agency=agency_a, actor=agent, conversation_id=conversation.pk)
        conversation = Conversation.objects.get(pk=conversation.pk)
        items = conversation_trail(agency=agency_a, conversation=conversation)
    kinds = [item.kind for item in items]
    assert kinds[0] == "action" and "started" in items[0].text
    assert kinds[1:5] == ["question", "answer", "question", "refusal"]
    answer = items[2]
    assert answer.passages and answer.passages[0]["title"] == "Potholes" and answer.passages[0]["version"] == 1
    assert "agent" in kinds and "note" in kinds and "action" in kinds
    agent_line = next(item for item in items if item.kind == "agent" and "Dana here" in item.text)
    assert agent_line.entry is not None and agent_line.entry.actor == agent
    assert AuditLink.objects.get(entry_id=agent_line.entry.pk) == agent_line.link
    assert [item.at for item in items] == sorted(item.at for item in items)

    response = client_for(staff_a["supervisor"]).get(reverse("admin:chat_conversation_change", args=[conversation.pk]))
    assert response.status_code == 200
    html = response.text
    assert 'class="conversation-trail"' in html and "Potholes (v1," in html and "refusal (no answer)" in html
    assert f"#{agent_line.link.seq} {agent_line.link.hash[:12]}" in html


def test_another_agencys_conversation_has_no_trail_here(agency_a, agency_b, staff_b, client_for):
    import pytest

    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        services.message_receive(agency=agency_a, conversation_id=conversation.pk, text="Alpha secret")
    with agency_context(agency_b), pytest.raises(Conversation.DoesNotExist):
        conversation_trail(agency=agency_b, conversation=conversation)
    response = client_for(staff_b["supervisor"]).get(reverse("admin:chat_conversation_change", args=[conversation.pk]))
    assert response.status_code in (302, 404) and "Alpha secret" not in response.text
