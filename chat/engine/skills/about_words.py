"""Asking what the assistant is or what it can do ("what can you do", "y tú quién eres?", "Was kannst du eigentlich
alles?", "tu peux faire quoi exactement", "bạn làm được gì", "넌 누구야?", "你是谁?能帮我做什么", "السلام عليكم، إيش تقدر
تسوي؟", "enta te2dar te3mel eh"): the greeting intent, whose skill answers with the menu of what it can do.

A message of only these words, a salutation and words that say nothing else (`asks_what_it_does`): "what can you do
about the noise next door" asks about a matter (the city's part in it), not about the assistant. Compared normalized
(lower case, no accents, đ as d); Han, Hangul and Arabic phrases anywhere, the others as whole words.
"""

from __future__ import annotations

import re

from chat.engine.intents import _AFFIXED, _HAN, _matcher, normalize
from chat.engine.skills.greeting import GreetingSkill

ABOUT_YOU = {
    "en": ["what can you do", "what can u do", "what do you do", "what do u do", "what can you help me with",
           "what can you help with", "what can u help with", "how can you help me", "how can you help",
           "what can i ask you", "what can i ask", "what kind of stuff can i ask you", "what kind of things can i ask you",
           "what kind of stuff can you do", "what kind of things can you do", "what are you able to do",
           "what are you for", "what is this chat for", "what's this chat for", "whats this chat for",
           "what is this bot", "what's this bot", "whats this bot", "who are you", "who r u", "what are you",
           "who am i talking to", "who am i talking with", "what do you help with", "what can this bot do",
           "what can this chat do"],
    "es": ["que puedes hacer", "que sabes hacer", "que puede hacer usted", "que haces", "que eres", "quien eres",
           "quien es usted", "para que sirves", "para que sirve este chat", "en que me puedes ayudar",
           "en que me puede ayudar", "en que puedes ayudarme", "en que me ayudas", "con que me puedes ayudar",
           "que cosas puedes hacer", "que te puedo preguntar", "que le puedo preguntar", "que tipo de cosas haces"],
    "de": ["was kannst du", "was konnen sie", "was machst du", "was machen sie", "wer bist du", "wer sind sie",
           "wobei kannst du helfen", "wobei kannst du mir helfen", "wobei konnen sie mir helfen", "was bist du",
           "wofur bist du da", "wofur bist du", "was kann ich dich fragen", "was kann ich sie fragen",
           "was kann der bot", "was kann der chat", "wer isch do", "was chasch du"],
    "fr": ["tu peux faire quoi", "vous pouvez faire quoi", "que peux-tu faire", "que pouvez-vous faire",
           "qu'est-ce que tu peux faire", "qu'est-ce que vous pouvez faire", "qu'est-ce que tu sais faire",
           "tu sais faire quoi", "tu sers a quoi", "vous servez a quoi", "ca sert a quoi ce chat", "tu es qui",
           "t'es qui", "vous etes qui", "qui etes-vous", "qui es-tu", "tu fais quoi", "vous faites quoi",
           "je peux te demander quoi", "je peux vous demander quoi"],
    "vi": ["bạn làm được gì", "bạn làm gì được", "bạn giúp được gì", "bạn giúp gì được", "bạn có thể làm gì",
           "bạn có thể giúp gì", "bạn là ai", "em làm được gì", "em giúp được gì", "em là ai", "ad làm được gì",
           "bot làm được gì", "bot này làm gì", "mày làm được gì", "mày là ai", "làm được những gì",
           "giúp được những gì", "hỏi được gì", "hỏi bạn cái gì được"],
    "ko": ["넌 누구", "너는 누구", "너 누구", "누구세요", "당신은 누구", "뭐 할 수 있", "뭘 할 수 있", "무엇을 할 수 있",
           "뭐 해줄 수 있", "뭘 해줄 수 있", "뭐 해 줄 수 있", "뭘 도와줄 수 있", "뭘 도와주실 수 있", "뭐 도와줄 수 있",
           "뭐 도와주실 수 있", "무엇을 도와", "뭐 하는 곳", "뭐 하는 봇", "뭐 하는 챗봇", "뭘 물어볼 수 있", "뭐 물어봐도"],
    "zh-hans": ["你是谁", "你是什么", "你能做什么", "你会做什么", "你可以做什么", "你能干什么", "你会干什么", "你能干嘛",
                "你会干嘛", "你会什么", "能帮我做什么", "能帮我干什么", "能帮我干嘛", "可以帮我做什么", "你能帮什么",
                "能帮什么忙", "我能问你什么", "我可以问什么", "这是什么机器人"],
    "ar": ["إيش تقدر تسوي", "ايش تقدر تسوي", "وش تقدر تسوي", "شو بتقدر تعمل", "شو بتعمل", "شو فيك تعمل", "تقدر تعمل ايه",
           "بتعمل ايه", "ماذا يمكنك", "ماذا تستطيع", "ماذا تفعل", "من أنت", "من انت", "مين انت", "انت مين", "إنت مين",
           "مين حضرتك", "بماذا تساعدني", "شو بتساعدني", "إيش تسوي", "ايش تسوي", "وش تسوي",
           # Arabizi
           "te2dar te3mel eh", "t2dar t3mel eh", "bte3mel eh", "enta meen", "inta meen", "enta min", "inta min",
           "meen enta", "shu bti2dar ta3mil", "shu bt2dar t3mel", "shu bta3mil", "esh t2dar tsawi", "wesh t2dar tsawi"],
}  # fmt: skip
# Words around it that say nothing more ("what can you actually do", "Was kannst du eigentlich alles?", "hey so…").
FILLERS = {
    "en": ["actually", "exactly", "even", "really", "here", "for me", "for us", "so", "ok", "okay", "um", "uh", "and",
           "hmm", "then", "please", "pls", "anyway", "bot", "chat", "in here", "exactly", "i mean", "like"],
    "es": ["y", "tu", "usted", "exactamente", "aqui", "por mi", "oye", "oiga", "bueno", "entonces", "pues", "a ver",
           "realmente", "de verdad", "por favor", "exacto"],
    "de": ["eigentlich", "alles", "genau", "denn", "so", "hier", "fur mich", "mir", "also", "sag mal", "bitte", "uberhaupt",
           "du", "ihr", "dann", "eigentlich so"],
    "fr": ["exactement", "au juste", "alors", "donc", "ici", "pour moi", "toi", "vous", "en fait", "vraiment", "bon",
           "et", "svp", "s'il vous plait"],
    "vi": ["vậy", "vay", "thế", "the", "ạ", "a", "ơi", "oi", "cho tôi", "cho mình", "cho em", "nhỉ", "nhi", "hả", "ha",
           "nha", "đó", "do", "bạn", "ban", "à", "ad", "admin", "hay", "em", "mình", "minh", "nhé"],
    "ko": ["요", "은", "는", "이", "가", "어", "니", "나요", "습니까", "어요", "야", "이야", "예요", "에요", "세요", "그래서",
           "근데", "혹시", "어떤 거", "거", "나", "저", "너", "넌", "여기서", "제가", "저는", "안녕하세요", "하세요"],
    "zh-hans": ["呀", "啊", "呢", "吗", "吧", "到底", "具体", "都", "我", "你", "请问", "那", "这个"],
    "ar": ["يا", "انت", "إنت", "طيب", "بالضبط", "هنا", "لي", "إلي", "الي", "ya", "enta", "inta", "tayeb", "ba2a"],
}  # fmt: skip
_ABOUT = [_matcher(normalize(phrase)) for phrases in ABOUT_YOU.values() for phrase in phrases]
_SPACED = re.compile(r"[^\W\d_]", re.UNICODE)


def _removal(phrase: str):
    if _HAN.search(phrase) or _AFFIXED.search(phrase):
        return lambda text: text.replace(phrase, " ")
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
    return lambda text: pattern.sub(" ", text)


_SALUTATIONS = [word for words in GreetingSkill.purpose_keywords.values() for word in words if not word.endswith("*")]
_REMOVE = [
    _removal(phrase)
    for phrase in sorted(
        {normalize(p) for table in (ABOUT_YOU, FILLERS) for ps in table.values() for p in ps}
        | {normalize(p) for p in _SALUTATIONS},
        key=len,
        reverse=True,
    )
]


# Words said inside the question that change nothing ("what can you actually help me with", "was kannst du eigentlich").
INNER = ["actually", "really", "even", "exactly", "eigentlich", "denn", "genau", "vraiment", "exactement", "au juste",
         "realmente", "de verdad", "exactamente", "thật ra", "that ra", "대체", "到底"]  # fmt: skip
_REMOVE_INNER = [_removal(normalize(word)) for word in INNER]


def asks_what_it_does(text: str) -> bool:
    """Whether `text` only asks what the assistant is or can do, with a salutation or not; a word like "actually" inside
    the question counts as said without it ("what can you actually help me with")."""
    normalized = normalize(text)
    if not any(match(normalized) for match in _ABOUT):
        plain = f" {normalized} "
        for remove in _REMOVE_INNER:
            plain = remove(plain)
        normalized = " ".join(plain.split())
        if not any(match(normalized) for match in _ABOUT):
            return False
    rest = f" {normalized} "
    for remove in _REMOVE:
        rest = remove(rest)
    return not _SPACED.search(rest)
