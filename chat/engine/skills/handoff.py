from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat import presence
from chat.engine.registry import Skill, Turn, quick_reply
from chat.selectors import people_waiting_ahead
from tenants.translations import translated_in_sentence


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
    # Asking for a person is the purpose whatever the topic.
    purpose_keywords = {
        "en": [
            # a human, not "Human Services" (an agency's name; the load's wordings name one)
            "a human",
            "the human",
            "human being",
            "human agent",
            "real human",
            "human please",
            "human not",
            "real person",
            "agent",
            "representative",
            "operator",
            "talk to a person",
            "speak to a person",
            "talk to someone",
            "speak to someone",
            "speak with someone",
            # a call back is a person ("can someone from the office call me back")
            "call me back", "call me", "callback", "call back", "staff member",
            # or a phone call asked for in other words ("… if someone could give me a call when they get a chance")
            "give me a call", "phone me", "ring me",
            # asking whether a person is there at all ("is there an actual human I can talk to?")
            "actual person", "actual human", "living person", "live person", "real people",
            # a person rather than this chat ("I'd rather go over this with a member of staff than a computer")
            "member of staff", "than a computer", "than a bot", "than a machine", "not a bot", "not a machine",
            "actual employee", "real employee",
            # someone above the clerk ("the clerk was rude, i want to speak to her supervisor")
            "supervisor",
            # put through to a department, or someone who speaks a language ("anyone who speaks Tagalog?")
            "put me through", "transfer me", "connect me to", "connect me with", "anyone who speaks",
            "anybody who speaks", "someone who speaks", "somebody who speaks",
        ],
        "es": ["humano", "hablar con una persona", "agente", "representante", "hablar con alguien",
               "me atienda", "me llame", "me llamen", "llamarme", "devolver la llamada", "funcionario",
               "pasame con", "pasar con", "me llamara", "me llamaran", "devolviera la llamada",
               "persona de verdad", "persona real", "ser humano", "carne y hueso", "me pueden llamar", "me puede llamar",
               "me podrian llamar", "me marquen", "marcarme", "me pueden marcar", "devuelvan la llamada", "supervisor", "supervisora",
               "paseme con", "pasenme con", "comuniqueme con", "comunicame con", "transfierame", "me pasan con",
               "alguien que hable"],
        # Not 工作人员 (staff) alone: a complaint about the staff is not a request to talk to them.
        "zh-hans": ["人工", "真人", "客服", "回电", "回个电话", "回电话", "给我打电话", "给我打个电话", "通电话", "活人",
                    "打我电话", "跟负责", "当面谈", "直接跟工作人员", "直接和工作人员",
                    # pinyin typed without tones
                    "zhenren", "zhen ren", "rengong", "ren gong", "kefu", "huoren", "gongzuo renyuan",
                    "帮我转到", "给我转到", "转接到", "帮我转接"],
        # The other languages the chat speaks (none had a handoff word): a person, or reaching one.
        "de": ["mit einem menschen", "mit jemandem sprechen", "mit einem mitarbeiter", "sachbearbeiter*",
               "zuruckrufen", "ruckruf", "echter mensch", "echten menschen", "mit jemandem", "anrufen",
               "mit einer person", "zustandigen person", "vorgesetzte*",
               # Swiss German ("mit emne Mönsch rede", "mit öpperem verbinde", "zrugg-rüefe", "aalüüte")
               "mit emne mansch", "mit emene mansch", "mit emne monsch", "mit emene monsch", "mit opperem",
               "zrugg-ruefe", "zruggruefe", "zrugg ruefe", "aaluute", "aalute", "opper vom", "opper vo de",
               "verbinden sie mich", "verbindet mich", "stellen sie mich durch"],
        "fr": ["parler a un conseiller", "parler a quelqu'un", "un humain", "une vraie personne", "conseiller",
               "me rappeler", "rappelez-moi", "rappelez moi", "me telephoner", "m'appeler",
               "vraie personne", "etre humain", "quelqu'un de vrai", "passez-moi", "passez moi",
               "mettez-moi en relation", "transferez-moi", "transferez moi", "quelqu'un qui parle"],
        "vi": ["nói chuyện với", "gặp nhân viên", "người thật", "tổng đài viên", "nhân viên tư vấn", "gọi lại cho",
               "gọi điện lại", "liên hệ lại", "gọi điện cho tôi", "gọi cho tôi", "gặp trực tiếp", "trao đổi trực tiếp",
               "cán bộ phụ trách", "làm việc trực tiếp", "người thật",
               # put through to a department, someone who speaks a language
               "chuyển cho tôi", "chuyển tôi qua", "chuyển tôi sang", "nối máy", "chuyển máy", "ai nói được tiếng",
               "ai nói tiếng", "ai biết nói tiếng"],
        "ko": ["상담원", "상담사", "직원과", "사람과", "진짜 사람", "실제 사람", "직접 얘기하고 싶", "직접 통화하고 싶", "전화 주세요", "전화 주시", "전화해 주", "전화 좀 해", "전화 한 통", "연락 주세요", "연락 주시",
               "로 연결해 주", "으로 연결해 주", "어 하는 직원", "어 하시는 분", "어 가능한 직원", "어 가능한 분"],
        "ar": ["التحدث مع", "التكلم مع", "موظف", "شخص حقيقي", "يتصل بي", "اتصل بي", "يتصل فيني", "يكلمني", "أكلم حد",
               "احكي مع", "يتصل علي", "يتصلون علي", "اتصلوا علي",
               "حدا حقيقي", "أحد حقيقي", "احد حقيقي", "حد حقيقي", "إنسان", "تتصلون علي", "تتصلوا علي", "تتصلوا بي",
               "تتصلون بي", "اتصلوا بي", "كلموني", "أكلم المسؤول", "اكلم المسؤول", "e7ki ma3", "a7ki ma3", "mwazzaf", "mwazaf",
               "yetassel", "yetasel", "yettasel", "ykallemni", "yekallemni",
               # put through to a department ("حولني على قسم المياه", "7awelni 3la service dyal lma"), a speaker of a language
               "حولني", "حولوني", "وصلني ب", "وصلوني", "حدا بيحكي", "حد بيتكلم", "حد يتكلم", "احد يتكلم", "7awelni",
               "7awlni", "hawelni", "wasalni", "wassalni", "wasselni"],
    }  # fmt: skip
    negated_purpose = True  # "nobody called me back" asks after something, not for a call
    keyword_max_words = 12  # longer: a question that mentions a call ("will the Health Department call me")
    # A question about a subject is for the knowledge base, not a person, unless it asks for one: "Can you
    # tell me: what is the guidance for employees…" reads like "can I talk to someone" to the encoder (the
    # same opening), but names nobody to talk to. A question is a handoff only when it names a person or
    # reaching one ("can someone call me back?", "¿me pasa con un agente?", "能转人工吗").
    questions = False
    request_words = {
        "en": [
            "talk to", "talk with", "speak to", "speak with", "chat with", "a person", "real person",
            "live person", "a human", "human being", "humans", "someone", "somebody", "agent",
            "representative", "operator", "staff member", "call me", "call back", "callback", "transfer me",
            "connect me", "put me through", "call me back", "give me a call", "phone me", "ring me",
            "actual person", "actual human", "living person", "real people", "member of staff", "than a computer",
            "than a bot", "than a machine", "employee", "a machine", "a bot", "a robot",
            # someone who speaks a language, put through to a department
            "who speaks", "who can speak", "anyone there", "anybody there", "transfer",
        ],
        "es": [
            "hablar con", "una persona", "persona real", "humano", "alguien", "agente", "asesor*",
            "representante", "operador*", "pasar con", "pasa con", "pasas con", "pasame con", "ponme con",
            "ponerme con", "comunicar con", "comunicarme con", "me llamen", "me llame", "llamame", "llamarme", "me atienda",
            "funcionario", "me llamara", "me llamaran", "devolviera la llamada",
            "persona de verdad", "alguna persona", "ser humano", "carne y hueso", "empleado", "me pueden llamar",
            "me puede llamar", "me podrian llamar", "me marquen", "marcarme", "me pueden marcar",
            "devuelvan la llamada", "que hable", "paseme", "pasenme", "comuniqueme", "transfier*",
        ],
        "de": [
            "sprechen", "reden", "mensch", "menschen", "person", "jemand*", "sachbearbeiter*",
            "zuruckrufen", "ruckruf", "ruft mich", "rufen sie mich", "verbinden", "durchstellen", "weiterleiten",
            "mich anrufen", "rufen sie mich",
            # Swiss German
            "mansch", "monsch", "opperem", "opper", "verbinde", "rede", "zrugg", "aaluute", "aalute", "spricht",
        ],
        "zh-hans": ["人工", "真人", "客服", "工作人员", "转接", "说话", "找人", "接线员", "回电", "回个电话", "给我打电话",
                    "给我打个电话", "活人", "打我电话", "负责人", "办事员", "会说", "会讲", "转到",
                    "zhenren", "zhen ren", "rengong", "ren gong", "kefu", "huoren", "gongzuo renyuan", "dianhua"],
        "fr": ["parler", "conseill*", "une personne", "humain", "agent", "quelqu'un", "rappeler", "rappelez",
               "me telephoner", "m'appeler", "vraie personne", "etre humain", "responsable", "passez-moi",
               "passez moi"],
        "vi": ["nói chuyện", "noi chuyen", "nhân viên", "nhan vien", "người thật", "tư vấn viên", "gọi lại",
               "gọi điện lại", "liên hệ lại", "gọi điện cho tôi", "gọi cho tôi", "gặp trực tiếp", "trao đổi trực tiếp",
               "cán bộ phụ trách", "cán bộ", "người hay", "hay với người", "chuyển cho tôi", "chuyển tôi",
               "nối máy", "chuyển máy", "nói được tiếng", "biết nói tiếng", "nói tiếng"],
        "ko": ["상담원", "상담사", "직원", "사람", "통화", "담당자", "어 하시는", "어 가능한", "연결", "전화 부탁", "전화 주세요", "전화 주시", "전화해 주", "전화 좀 해", "연락 주세요", "연락 주시"],
        "ar": ["موظف", "شخص", "التحدث", "التكلم", "إنسان", "وكيل", "يتصل بي", "يتصل فيني", "يكلمني", "أكلم", "يتصل علي",
               "يتصلون علي", "اتصلوا علي", "حدا حقيقي", "أحد حقيقي", "احد حقيقي", "حد حقيقي", "تتصلون", "تتصلوا",
               "اتصلوا بي", "كلموني", "المسؤول", "insan", "7ad", "mwazzaf", "mwazaf", "e7ki", "a7ki", "yetassel",
               "yetasel", "yettasel", "ykallemni", "yekallemni", "حدا", "حولني", "حولوني", "وصلني", "وصلوني", "بيحكي",
               "يتكلم", "7awelni", "7awlni", "hawelni", "wasalni", "wassalni", "wasselni"],
    }  # fmt: skip

    def handle(self, turn: Turn):
        agency = turn.agency
        online = presence.agents_online(agency_id=agency.pk)
        back = [quick_reply(_("Back to the assistant"), "cancel_handoff")]
        if online:
            ahead = people_waiting_ahead(agency=agency, conversation_id=turn.conversation.pk)
            text = _("I'm connecting you with a person from %(agency)s. You are number %(n)d in the queue.") % {
                "agency": agency.name_in(turn.language),
                "n": ahead + 1,
            }
        else:
            hours = translated_in_sentence(agency, "office_hours") or _("our regular office hours")
            text = _(
                "Nobody is available right now. Our office hours: %(hours)s. Leave your message here and a "
                "person will reply; come back to this chat to read it."
            ) % {"hours": hours}
        return turn.reply(text, actions=back, handoff=True, decision={"agents_online": online})
