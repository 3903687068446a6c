"""Demo content: one finished conversation per agency (greeting, handoff, an agent's reply, a
rating), so supervisors find a transcript in the admin. Office hours come from the agencies' seed.
Idempotent: skipped when the demo conversation exists."""

from django.contrib.auth import get_user_model

from chat import services
from chat.engine.engine import bot_event, bot_turn
from chat.models import Conversation
from tenants.context import agency_context

DEMO_COMMENT = "Quick and friendly. (demo)"


def _say(agency, conversation, text, action=""):
    received = services.message_receive(agency=agency, conversation_id=conversation.pk, text=text, action=action)
    bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)


def seed_demo(agencies: dict) -> None:
    for slug, agency in agencies.items():
        with agency_context(agency):
            _seed_agency(slug, agency)


def _seed_agency(slug, agency) -> None:
    User = get_user_model()
    if Conversation.objects.for_agency(agency).filter(csat_comment=DEMO_COMMENT).exists():
        return
    agent = User.objects.filter(username=f"{slug}-agent").first()
    if agent is None:
        return
    conversation, _token = services.conversation_start(agency=agency, channel=Conversation.Channel.WEB)
    _say(agency, conversation, "Hi")
    _say(agency, conversation, "I want to talk to a person")
    services.message_receive(agency=agency, conversation_id=conversation.pk, text="My bin was not emptied this week.")
    services.conversation_claim(agency=agency, actor=agent, conversation_id=conversation.pk)
    services.message_post_agent(
        agency=agency,
        actor=agent,
        conversation_id=conversation.pk,
        text="Sorry about that. I have asked the crew to come back tomorrow morning.",
    )
    services.note_add(agency=agency, actor=agent, conversation_id=conversation.pk, text="Missed pickup logged.")
    services.conversation_close(agency=agency, actor=agent, conversation_id=conversation.pk)
    bot_event(agency=agency, conversation_id=conversation.pk, event="closed")
    _say(agency, conversation, "5 ★", action="feedback:5")
    _say(agency, conversation, DEMO_COMMENT)
