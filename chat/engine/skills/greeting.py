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
    # Salutations in every language the chat speaks, as people type them on a phone ("holaa", "xin chao ban",
    # "在吗", "ㅎㅇ"), in a message of three words at most (`keyword_max_words`): there they are the purpose, and
    # the encoder reads so short a text poorly ("在吗", "alo chào ad" sat nearest to goodbyes).
    purpose_keywords = {
        "en": ["hi", "hello", "hey", "heyy*", "hii*", "hiya", "howdy", "good morning", "good afternoon",
               "good evening"],
        "es": ["hola", "holaa*", "buenos días", "buenas", "buen día", "saludos"],
        "zh-hans": ["你好", "您好", "在吗", "在不在", "在么", "哈喽", "嗨", "早上好", "下午好", "晚上好"],
        "de": ["hallo", "hallöchen", "moin", "servus", "guten tag", "guten morgen", "guten abend", "grüß gott",
               "grüezi"],
        "fr": ["bonjour", "bonsoir", "salut", "coucou", "allô"],
        "vi": ["xin chào", "chào bạn", "chào ad", "chào admin", "chào anh", "chào chị", "alo", "alô"],
        "ko": ["안녕", "ㅎㅇ", "하이", "반갑습니다", "반가워요", "여보세요"],
        "ar": ["مرحبا", "مرحباً", "السلام عليكم", "سلام عليكم", "أهلا", "اهلا", "هلا", "صباح الخير", "مساء الخير"],
    }  # fmt: skip
    # Asking for the menu or for help: a request for help with something ("ayuda para el alquiler", "申请就业帮助")
    # is not the menu, so these leave the encoder's clear nearest example to decide.
    keywords = {
        "en": ["menu", "help"],
        "es": ["menú", "menu", "ayuda"],
        "zh-hans": ["菜单", "帮助"],
        "de": ["menü", "hilfe"],
        "fr": ["menu", "aide"],
        "ko": ["메뉴", "도움말"],
        "ar": ["القائمة", "مساعدة"],
    }

    def handle(self, turn: Turn):
        actions = [skill.menu_action() for skill in menu(turn.agency)]
        text = _("Hello! I'm the virtual assistant of %(agency)s. What would you like to do?") % {
            "agency": turn.agency.name_in(turn.language)
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
