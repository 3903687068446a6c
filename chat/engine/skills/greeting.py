from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.crisis import crisis_lead
from chat.engine.registry import Skill, Turn, menu, quick_reply


class GreetingSkill(Skill):
    """ "Hi" (or "menu") opens the menu of what the assistant can do, as quick replies."""

    name = "greeting"
    label = gettext_lazy("Menu")
    description = "The citizen greets the assistant, asks what it can do, or asks for the menu."
    max_words = 5
    keyword_max_words = 3
    examples = {
        "en": [
            "hi",
            "hello",
            "hey",
            "hi there",
            "good morning",
            "good afternoon",
            "menu",
            "start",
            "help",
            "what can you do",
            "main menu",
            "show me the options",
        ],
        "es": [
            "hola",
            "buenos días",
            "buenas tardes",
            "buenas noches",
            "menú",
            "ayuda",
            "qué puedes hacer",
            "empezar",
            "mostrar opciones",
        ],
        "zh-hans": ["你好", "您好", "嗨", "早上好", "菜单", "帮助", "你能做什么", "开始", "主菜单"],
    }
    keywords = {
        "en": ["hi", "hello", "hey", "menu", "help"],
        "es": ["hola", "menú", "menu", "ayuda", "buenos días", "buenas"],
        "zh-hans": ["你好", "您好", "菜单", "帮助"],
    }

    def handle(self, turn: Turn):
        actions = [skill.menu_action() for skill in menu(turn.agency)]
        text = _("Hello! I'm the virtual assistant of %(agency)s. What would you like to do?") % {
            "agency": turn.agency.name
        }
        if turn.decision.get("cancelled"):
            text = _("Okay, I stopped that. What would you like to do?")
        lead = crisis_lead(turn.agency, turn.language)  # the menu leads with the emergency notice
        return turn.reply(lead + text, actions=actions, decision={"crisis_notice": True} if lead else None)


class ThanksSkill(Skill):
    """ "Thanks" is not goodbye: the assistant offers more help or the end of the chat."""

    name = "thanks"
    label = gettext_lazy("Thanks")
    description = "The citizen only says thank you."
    max_words = 4
    examples = {
        "en": ["thanks", "thank you", "thanks a lot", "thx", "great thanks", "perfect thank you"],
        "es": ["gracias", "muchas gracias", "mil gracias", "perfecto gracias"],
        "zh-hans": ["谢谢", "多谢", "谢谢你", "非常感谢"],
    }

    def handle(self, turn: Turn):
        return turn.reply(
            _("You're welcome! Is there anything else I can help with?"),
            actions=[quick_reply(_("Ask another question"), "answer"), quick_reply(_("End the chat"), "feedback")],
        )
