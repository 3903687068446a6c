from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat import presence
from chat.engine.registry import Skill, Turn, quick_reply
from chat.models import Conversation
from tenants.translations import translated


class HandoffSkill(Skill):
    """The citizen asks for a person: the conversation joins the agency's queue.

    With nobody online the citizen is told the office hours and may leave a message, which stays in
    the queue for the next agent.
    """

    name = "handoff"
    label = gettext_lazy("Talk to a person")
    description = "The citizen wants to talk to a human: a person, an agent, a representative, staff."
    menu_order = 90
    examples = {
        "en": [
            "talk to a person",
            "speak to a human",
            "I want to talk to someone",
            "connect me to an agent",
            "real person please",
            "customer service representative",
            "can I speak with staff",
            "operator",
        ],
        "es": [
            "hablar con una persona",
            "quiero hablar con alguien",
            "hablar con un agente",
            "un humano por favor",
            "persona real",
            "representante",
        ],
        "zh-hans": [
            "转人工",
            "人工客服",
            "我要找真人",
            "和工作人员说话",
            "找客服",
            "人工服务",
            "我想和人说话",
            "请帮我转接人工",
            "我要和真人聊天",
        ],
    }
    keywords = {
        "en": [
            "human",
            "real person",
            "agent",
            "representative",
            "operator",
            "talk to a person",
            "speak to a person",
            "talk to someone",
            "speak to someone",
            "speak with someone",
        ],
        "es": ["humano", "hablar con una persona", "agente", "representante", "hablar con alguien"],
        # Not 工作人员 (staff) alone: a complaint about the staff is not a request to talk to them.
        "zh-hans": ["人工", "真人", "客服"],
    }
    keyword_max_words = 8

    def handle(self, turn: Turn):
        agency = turn.agency
        online = presence.agents_online(agency_id=agency.pk)
        back = [quick_reply(_("Back to the assistant"), "cancel_handoff")]
        if online:
            ahead = Conversation.objects.for_agency(agency).filter(state=Conversation.State.QUEUED).count()
            text = _("I'm connecting you with a person from %(agency)s. You are number %(n)d in the queue.") % {
                "agency": agency.name,
                "n": ahead + 1,
            }
        else:
            hours = translated(agency, "office_hours") or _("our regular office hours")
            text = _(
                "Nobody is available right now. Our office hours: %(hours)s. Leave your message here and a "
                "person will reply; come back to this chat to read it."
            ) % {"hours": hours}
        return turn.reply(text, actions=back, handoff=True, decision={"agents_online": online})
