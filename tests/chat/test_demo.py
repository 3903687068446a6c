"""The chat demo: one finished, rated, handed-off conversation per agency; safe to run twice."""

from chat.demo import DEMO_COMMENT, seed_demo
from chat.models import Conversation, Message


def test_demo_is_idempotent(agency_a, staff_a):
    seed_demo({"alpha": agency_a})
    seed_demo({"alpha": agency_a})
    conversation = Conversation.objects.unscoped().get(agency=agency_a)
    assert conversation.csat_score == 5 and conversation.csat_comment == DEMO_COMMENT
    assert conversation.state == "closed" and conversation.outcome == "agent" and conversation.handed_off
    roles = list(Message.objects.unscoped().filter(conversation=conversation).values_list("role", flat=True))
    assert "agent" in roles and "bot" in roles
