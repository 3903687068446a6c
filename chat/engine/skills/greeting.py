from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.registry import Skill, Turn, menu


class GreetingSkill(Skill):
    """ "Hi" (or "menu") opens the menu of what the assistant can do, as quick replies."""

    name = "greeting"
    label = gettext_lazy("Menu")
    description = "The citizen greets the assistant, asks what it can do, or asks for the menu."
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
        return turn.reply(text, actions=actions)
