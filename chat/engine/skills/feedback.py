import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.intents import _AFFIXED, _HAN, _matcher, normalize
from chat.engine.registry import Skill, Turn, get_skill, quick_reply


def rating_prompt() -> tuple[str, list[dict]]:
    actions = [quick_reply(f"{n} ★", f"feedback:{n}") for n in range(1, 6)]
    actions.append(quick_reply(_("Skip"), "feedback:skip"))
    return _("How would you rate this conversation, from 1 (poor) to 5 (excellent)?"), actions


_RATING = re.compile(r"^\s*([1-5])\s*(?:★|\*|stars?|estrellas?|星|/\s*5)?\s*$", re.IGNORECASE)
_SKIP = {"skip", "no", "no thanks", "omitir", "no gracias", "跳过", "不用了"}


def _file_feedback(turn: Turn, *, score) -> int | None:
    """The comment is also public feedback about this conversation: classified by topic and sentiment and
    triaged by staff with the rest (analytics.feedback). Its id, or None if it could not be filed."""
    from django.core.exceptions import ValidationError

    from analytics.feedback.services import feedback_submit

    try:
        feedback = feedback_submit(
            agency=turn.agency,
            text=turn.text,
            rating=score if isinstance(score, int) else None,
            language=turn.language,
            channel="chat",
            about_kind="conversation",
            about_ref=str(turn.conversation.pk),
        )
    except ValidationError:
        return None
    return feedback.pk


# What a citizen says to end the chat or to rate it, and the politeness around it (compared normalized). A
# message with more than these in it carries an opinion, which is filed as feedback before anything else.
CLOSING = {
    "en": ["bye", "goodbye", "bye bye", "that's all", "thats all", "that is all", "end chat", "end the chat", "i'm done",
           "im done", "nothing else", "close the chat", "rate this chat", "rate", "give feedback", "feedback", "see you",
           "see ya", "cya"],
    "es": ["adios", "eso es todo", "terminar", "ya termine", "nada mas", "hasta luego", "chao", "chau", "nos vemos",
           "eso seria todo", "cuidese",
           "dar mi opinion", "opinion", "calificar"],
    "zh-hans": ["再见", "拜拜", "结束对话", "结束", "就这样", "没有了", "评价", "反馈", "先这样", "没事了", "拜"],
    "de": ["tschuss", "tschus", "tschuess", "auf wiedersehen", "das wars", "das war's", "das war es", "das ist alles", "beenden",
           "chat beenden", "fertig", "nichts mehr", "bewerten", "feedback geben",
           # dialect: "passt, des wars, pfiat eich", "tschö", "ade"
           "des wars", "des war's", "pfiat di", "pfiat eich", "pfiat euch", "tscho", "ade", "bis dann", "ciao"],
    "fr": ["au revoir", "c'est tout", "terminer", "fin", "rien d'autre", "bonne journee", "a plus", "evaluer", "bonne soiree",
           "a bientot", "ciao", "ce sera tout",
           "donner mon avis"],
    "vi": ["tam biet", "het roi", "xong roi", "ket thuc", "ket thuc tro chuyen", "vay thoi", "danh gia", "bye",
           "vay la xong", "the la xong", "chao tam biet"],
    "ko": ["안녕히 계세요", "안녕히계세요", "안녕히 가세요", "안녕히가세요", "안녕히", "끝", "종료", "대화 종료", "채팅 종료", "됐어요",
           "평가", "수고하세요", "수고하셨습니다", "수고 많으셨어요", "수고많으세요", "됐습니다", "이만 갈게요"],
    "ar": ["مع السلامة", "وداعا", "انتهيت", "هذا كل شيء", "انهاء", "انهاء المحادثة", "تقييم", "بسلامة", "باي", "يلا باي",
           "bslama", "beslama", "ma3a salama", "ma3 salama", "bye"],
}  # fmt: skip
POLITE = {
    "en": ["thanks", "thank you", "thx", "ty", "ok", "okay", "please", "so", "well", "then", "now", "for now",
           "all", "i", "want", "to", "the", "a", "an", "chat", "this", "for", "your", "help", "very", "much", "great", "would",
           "like", "i'd", "id", "have", "got", "can", "could", "make", "file", "give", "leave"],
    "es": ["gracias", "muchas", "ok", "vale", "bueno", "por favor", "entonces", "pues", "quiero", "el", "la", "chat",
           "tengo", "una", "un", "me gustaria", "hacer", "poner", "puedo", "dejar"],
    "zh-hans": ["谢谢", "谢谢你", "好的", "好", "吧", "了", "我", "啊", "呢"],
    "de": ["danke", "vielen", "dank", "ok", "okay", "gut", "bitte", "also", "dann", "ich", "mochte", "den", "chat",
           "habe", "eine", "einen", "wurde", "gerne", "gern", "kann", "mich", "passt", "passt scho", "basst", "jut"],
    "fr": ["merci", "beaucoup", "ok", "d'accord", "bon", "alors", "je", "veux", "le", "chat", "s'il vous plait",
           "j'ai", "une", "un", "voudrais", "faire", "peux"],
    "vi": ["cam on", "ok", "vang", "da", "thoi", "nhe", "a", "toi", "muon", "vay", "la", "em", "nha", "chao", "roi",
           "minh", "the"],
    "ko": ["감사합니다", "고맙습니다", "감사해요", "네", "알겠습니다", "좋아요", "이제", "그럼", "넵", "예"],
    "ar": ["شكرا", "حسنا", "تمام", "من فضلك", "اريد"],
}  # fmt: skip
# Asking to complain or suggest without saying what: the assistant asks what it is.
ASKING = {
    "en": ["complain", "complaint", "make a complaint", "file a complaint", "suggestion", "make a suggestion",
           "leave feedback", "leave a comment"],
    "es": ["quejarme", "queja", "poner una queja", "presentar una queja", "sugerencia", "hacer una sugerencia"],
    "zh-hans": ["投诉", "我要投诉", "建议", "提建议", "提意见"],
    "de": ["beschweren", "beschwerde", "mich beschweren", "vorschlag", "anregung"],
    "fr": ["me plaindre", "plainte", "faire une plainte", "suggestion", "reclamation"],
    "vi": ["khieu nai", "gop y", "phan nan"],
    "ko": ["불만", "민원", "건의", "불만 제기", "건의하고 싶어요", "불만이 있어요"],
    "ar": ["شكوى", "تقديم شكوى", "اقتراح"],
}  # fmt: skip
_PHRASES = sorted(
    {normalize(phrase) for table in (CLOSING, POLITE) for phrases in table.values() for phrase in phrases},
    key=len,
    reverse=True,
)
_CLOSING = {phrase: _matcher(phrase) for phrase in (normalize(p) for phrases in CLOSING.values() for p in phrases)}
_ASKING = sorted({normalize(phrase) for phrases in ASKING.values() for phrase in phrases}, key=len, reverse=True)
_SPACED = re.compile(r"[^\W\d_]", re.UNICODE)


def _removal(phrase: str):
    """How `_without` takes a phrase out: anywhere in Han, Hangul and Arabic text, else as a whole word (as
    `chat.engine.intents._matcher` finds it)."""
    if _HAN.search(phrase) or _AFFIXED.search(phrase):
        return lambda text: text.replace(phrase, " ")
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
    return lambda text: pattern.sub(" ", text)


_REMOVE_PHRASES = [_removal(phrase) for phrase in _PHRASES]
_REMOVE_ASKING = [_removal(phrase) for phrase in _ASKING]


def _without(text: str, removals) -> str:
    for remove in removals:
        text = remove(text)
    return text


def _says_something(rest: str) -> bool:
    return len(_SPACED.findall(rest)) >= (2 if _HAN.search(rest) else 4)


def _read(text: str) -> tuple[bool, bool, bool]:
    """(says goodbye or asks to rate, carries an opinion, asks to complain or suggest without saying what):
    "bye" (True, False, False), "the website is confusing" (False, True, False), "that's all, the new site is
    great" (True, True, False), "I want to make a complaint" (False, False, True)."""
    normalized = normalize(text)
    closing = any(match(normalized) for match in _CLOSING.values())
    rest = _without(f" {normalized} ", _REMOVE_PHRASES)
    if not _says_something(rest):
        return closing, False, False
    if not closing and not _says_something(_without(_without(f" {normalized} ", _REMOVE_ASKING), _REMOVE_PHRASES)):
        return False, False, True
    return closing, True, False


# Thanks, and what people say around it ("thanks so much!!", "Danke vielmals", "cam on nhieu nha", "شكرا جزيلا"):
# a message of only these thanks, and is no goodbye (`says_thanks_only`). Compared normalized.
THANKS = {
    "en": ["thanks", "thank you", "thank u", "thanx", "thx", "ty", "tysm", "many thanks", "cheers", "much appreciated",
           "appreciate it", "i appreciate it"],
    "es": ["gracias", "muchas gracias", "muchisimas gracias", "mil gracias", "se agradece", "te lo agradezco",
           "se lo agradezco"],
    "zh-hans": ["谢谢", "多谢", "感谢", "谢啦", "谢了", "辛苦了", "xiexie", "xie xie"],
    "de": ["danke", "dank", "dankeschon", "danke schon", "vielen dank", "besten dank", "herzlichen dank", "merci",
           "vergelt's gott"],
    "fr": ["merci", "merci bien", "merci beaucoup", "je vous remercie", "mille mercis", "merci mille fois"],
    "vi": ["cam on", "cam ơn", "cám ơn", "thank", "thanks", "tks"],
    "ko": ["감사합니다", "고맙습니다", "감사해요", "고마워요", "고마워", "감사", "땡큐", "ㄱㅅ", "ㄳ"],
    "ar": ["شكرا", "شكراً", "شكرًا", "مشكور", "مشكورين", "يعطيك العافية", "يعطيكم العافية", "جزاك الله خير",
           "merci", "shukran", "shokran"],
}  # fmt: skip
# What makes thanks warmer and says nothing else.
WARMER = {
    "en": ["so", "much", "very", "a lot", "lots", "again", "really", "for that", "for this", "for the info",
           "for the information", "for your help", "for helping", "you", "guys", "so much", "all", "super", "tons",
           "got it", "perfect", "awesome", "alright", "cool", "heaps", "loads", "kindly", "a bunch", "a million",
           # blessings and endearments ("thank you dear, god bless you")
           "god bless you", "god bless", "bless you", "bless your heart", "dear", "honey", "sweetie", "you're an angel",
           "youre an angel", "you're a star", "youre a star", "so kind", "very kind", "you are very kind"],
    "es": ["muchisimas", "muchisimo", "de verdad", "por todo", "por la ayuda", "por la informacion", "otra vez", "mil",
           "amable", "muy", "perfecto", "genial", "entendido", "de nuevo", "por su ayuda", "por tu ayuda",
           "dios la bendiga", "dios lo bendiga", "dios te bendiga", "dios le bendiga", "dios los bendiga",
           "que dios", "bendiciones", "mija", "mijo", "mi reina", "joven", "senorita", "es usted un angel", "un angel",
           "corazon", "que diosito", "diosito", "se lo pague", "te lo pague", "que dios se lo pague"],
    "zh-hans": ["啦", "了", "哈", "呀", "你们", "您", "非常", "太", "多", "~", "明白了", "知道了", "好的", "好人一生平安",
                "祝你", "祝您", "身体健康", "万事如意", "好人", "姑娘", "小姑娘", "小伙子"],
    "de": ["vielmals", "sehr", "schon", "vielen", "herzlich", "nochmal", "fur die hilfe", "fur die info", "fur die auskunft",
           "echt", "super", "dir", "ihnen", "euch", "perfekt", "prima", "alles klar", "lieben", "liebe", "tausend", "vielmal",
           "gott segne sie", "gott segne dich", "gottes segen", "vergelt's gott", "vergelts gott", "sehr freundlich"],
    "fr": ["beaucoup", "bien", "encore", "infiniment", "pour l'info", "pour l'aide", "pour votre aide", "pour tout",
           "a vous", "vous", "mille fois", "parfait", "super", "top", "que dieu vous benisse", "dieu vous benisse",
           "que dieu te benisse", "vous etes un ange", "t'es un ange", "ma belle", "mon petit", "tres gentil",
           "tres gentille", "c'est gentil"],
    "vi": ["nhieu", "nha", "nhe", "a", "ban", "ad", "admin", "rat", "nhieu lam", "lam", "anh", "chi", "em", "nhen",
           "chuc", "suc khoe", "nhieu suc khoe", "binh an", "troi thuong", "phuc", "chau", "con"],
    "ko": ["정말", "진짜", "너무", "많이", "대단히", "요", "~", "알겠습니다", "넵", "복 많이 받으세요", "복 받으실 거예요",
           "복 받으세요", "천사", "친절하시네요"],
    "ar": ["جزيلا", "جزيلاً", "كتير", "كثير", "لك", "لكم", "الله", "يا", "على المساعدة", "اوي", "awi", "ktir",
           "kteer", "jazilan", "الله يبارك فيك", "بارك الله فيك", "الله يخليك", "ربنا يخليك", "الله يحفظك",
           "الله يسعدك", "الله يجزاك خير", "يا بنتي", "يا ابني", "allah ybarek fik", "allah y5alik", "rabbi y5alik"],
}  # fmt: skip
_THANKS = {
    phrase: _matcher(phrase) for phrase in {normalize(p) for table in (THANKS,) for ps in table.values() for p in ps}
}
_REMOVE_THANKS = [
    _removal(phrase)
    for phrase in sorted(
        {normalize(p) for table in (THANKS, WARMER, POLITE) for ps in table.values() for p in ps}, key=len, reverse=True
    )
]


def says_thanks_only(text: str) -> bool:
    """Whether `text` only thanks ("thanks so much!!", "Danke vielmals", "merci beaucoup", "cam on nhieu nha",
    "감사합니다", "شكرا جزيلا"): no goodbye, no opinion, no request. The thanks skill answers it (you're welcome, anything
    else?) and the chat goes on; a goodbye with thanks ends it (`says_goodbye`)."""
    normalized = normalize(text)
    if not any(match(normalized) for match in _THANKS.values()):
        return False
    if any(match(normalized) for phrase, match in _CLOSING.items() if phrase not in HELLO_ELSEWHERE):
        return False
    return not _SPACED.search(_without(f" {normalized} ", _REMOVE_THANKS))


HELLO_ELSEWHERE = {"chao"}  # Spanish "bye", Vietnamese "hello" ("chào ad")


def says_goodbye(text: str) -> bool:
    """Whether `text` only ends the chat, with thanks or not ("ok thanks bye"), carrying no opinion, in words that
    are no salutation in another chat language."""
    normalized = normalize(text)
    if not any(match(normalized) for phrase, match in _CLOSING.items() if phrase not in HELLO_ELSEWHERE):
        return False
    closing, opinion, _asks = _read(text)
    return closing and not opinion


class FeedbackSkill(Skill):
    """The end of a conversation: a rating from 1 to 5, then an optional comment."""

    name = "feedback"
    label = gettext_lazy("End the chat")
    leave_label = gettext_lazy("Give feedback")  # what a form asks when a message there reads as feedback
    description = "The citizen says goodbye, is done, wants to end the chat or wants to give feedback."
    menu_order = 95
    events = ("closed",)
    after_close = True  # rating a closed conversation does not open it again
    max_words = 7
    keyword_max_words = 4
    examples = {
        "en": [
            "bye",
            "goodbye",
            "that's all",
            "end chat",
            "I'm done",
            "thanks bye",
            "give feedback",
            "rate this chat",
            "nothing else",
        ],
        "es": ["adiós", "eso es todo", "terminar", "ya terminé", "dar mi opinión", "nada más"],
        "zh-hans": ["再见", "结束", "就这样", "没有了", "评价", "结束对话"],
    }
    keywords = {
        "en": ["bye", "goodbye", "end chat", "that's all"],
        "es": ["adiós", "adios", "eso es todo", "terminar"],
        "zh-hans": ["再见", "结束"],
    }

    # The vocabulary of giving an opinion (nouns and verbs, not adjectives: "the app is slow" is for the
    # semantic layer). A trailing * matches word beginnings: "complain*" covers complaint, complaining.
    cues = {
        "en": ["feedback", "complain*", "suggest*", "praise", "compliment*", "kudos", "my opinion"],
        # "reclamo"/"reclamación" (a complaint), not the verb "reclamar" (also "to claim": a refund, a benefit)
        "es": [
            "queja*",
            "quejar*",
            "reclamo",
            "reclamos",
            "reclamacion*",
            "sugerencia*",
            "opinion",
            "comentario*",
            "felicit*",
            "elogio*",
        ],
        "de": ["feedback", "ruckmeldung*", "beschwer*", "anregung*", "vorschlag", "lob", "kompliment*", "meinung"],
        "zh-hans": ["反馈", "投诉", "意见", "建议", "表扬", "点赞", "吐槽"],
    }

    def on_event(self, event: str, turn: Turn):
        """An agent closed the conversation: ask for a rating, once."""
        if event != "closed" or turn.conversation.csat_score is not None or turn.state.get("step"):
            return None
        text, actions = rating_prompt()
        return turn.reply(text, actions=actions, state={"step": "rating"})

    def handle(self, turn: Turn):
        step = turn.state.get("step")
        if step is None:
            closing, opinion, asks = (True, False, False) if turn.action == "feedback" else _read(turn.text)
            if asks:
                return turn.reply(
                    _("What would you like to tell us? Write it here and I will pass it on to the staff of %(agency)s.")
                    % {"agency": turn.agency.name_in(turn.language)},
                    state={"step": "note"},
                )
            filed = _file_feedback(turn, score=None) if opinion else None
            if opinion and not closing:
                # An opinion ("the website is confusing"): kept for the staff at once, and the chat goes on.
                return turn.reply(
                    _(
                        "Thank you: your feedback has been passed on to the staff of %(agency)s. "
                        "Is there anything else I can help with?"
                    )
                    % {"agency": turn.agency.name_in(turn.language)},
                    actions=_after_feedback(turn),
                    decision={"feedback_id": filed},
                )
            text, actions = rating_prompt()
            lead = _("Thank you for contacting %(agency)s.") % {"agency": turn.agency.name_in(turn.language)}
            if opinion:
                lead = _("Thank you for your feedback.")
            return turn.reply(
                f"{lead} {text}",
                actions=actions,
                state={"step": "rating"},
                close=True,
                decision={"feedback_id": filed} if opinion else None,
            )
        if step == "note":
            if turn.action:
                return None  # a button: the citizen moved on
            return turn.reply(
                _(
                    "Thank you: your feedback has been passed on to the staff of %(agency)s. "
                    "Is there anything else I can help with?"
                )
                % {"agency": turn.agency.name_in(turn.language)},
                actions=_after_feedback(turn),
                decision={"feedback_id": _file_feedback(turn, score=None)},
            )
        value = turn.action.split(":", 1)[1] if turn.action.startswith("feedback:") else turn.text.strip()
        if step == "rating":
            if value.lower() in _SKIP:
                return turn.reply(_("No problem. Thank you for chatting with us."))
            match = _RATING.match(value)
            if match is None:
                return None  # not a rating: the citizen moved on; route it normally
            score = int(match.group(1))
            return turn.reply(
                _("Thank you! Is there anything you would like to add? Write a comment, or choose Skip."),
                actions=[quick_reply(_("Skip"), "feedback:skip")],
                state={"step": "comment", "score": score},
                csat_score=score,
                decision={"csat": score},
            )
        if step == "comment":
            if value.lower() in _SKIP:
                return turn.reply(_("Thank you for your feedback."))
            filed = _file_feedback(turn, score=turn.state.get("score"))
            return turn.reply(
                _("Thank you for your feedback."),
                csat_comment=turn.text,
                decision={"comment": True, "feedback_id": filed},
            )
        return None


def _after_feedback(turn: Turn) -> list[dict]:
    actions = [quick_reply(_("Ask another question"), "answer")]
    handoff = get_skill("handoff")
    if handoff is not None and handoff.available(turn.agency):
        actions.append(handoff.menu_action())
    actions.append(quick_reply(_("End the chat"), "feedback"))
    return actions
