"""A greeting and small talk before the matter ("Bonjour bonjour, belle journée hein! … ça fait deux semaines qu'on a
signalé la fuite …", "صباح الخير، الجو حلو اليوم ما شاء الله. بلغت عن تسريب المي … من أسبوعين"): the pleasantries say
nothing of the ask, and read with it they pulled a follow-up towards a report or a question. `after_small_talk` gives
the message after them (`chat.understanding` reads it), or "" when it does not open with a greeting, or nothing is left.

A greeting opens the message (`GREETINGS`); the clauses after it are dropped while each is short and a pleasantry
(`SMALL_TALK`: the weather, hoping they are well, a nice day) or another greeting. Compared normalized
(`chat.engine.matching.normalize`); Han, Hangul and Arabic words anywhere in a clause, the others as whole words.
"""

from __future__ import annotations

import re

from chat.engine.denials import MIN_REST_LETTERS, _letters, _original_from
from chat.engine.matching import _AFFIXED, _HAN, _WORD, normalize

GREETINGS = {
    "en": ["hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "greetings", "hi there",
           "hello there", "howdy"],
    "es": ["hola", "buenas", "buenos dias", "buenas tardes", "buenas noches", "buen dia", "saludos", "que tal"],
    "de": ["hallo", "guten morgen", "guten tag", "guten abend", "servus", "moin", "gruss gott", "gruezi", "hi"],
    "fr": ["bonjour", "bonsoir", "salut", "coucou", "allo", "bonjour bonjour"],
    "vi": ["xin chao", "chao", "chao anh", "chao chi", "chao ban", "chao anh chi", "alo", "kinh chao"],
    "ko": ["안녕하세요", "안녕하십니까", "안녕", "수고하십니다", "수고 많으십니다"],
    "zh-hans": ["你好", "您好", "你们好", "大家好", "早上好", "下午好", "晚上好", "ni hao", "nin hao", "nihao",
                "ni men hao", "zao shang hao"],
    "ar": ["السلام عليكم", "سلام عليكم", "مرحبا", "مرحباً", "أهلا", "اهلا", "صباح الخير", "مساء الخير", "هلا",
           "salam", "salam alikoum", "salam 3alaykom", "marhaba", "ahlan", "sba7 lkhir", "sabah el kheir"],
}  # fmt: skip
SMALL_TALK = {
    "en": ["hope you", "hope u", "hope all", "hope everyone", "how are you", "how r u", "how's it going",
           "how is your day", "nice day", "beautiful day", "lovely day", "great day", "good day", "nice weather",
           "lovely weather", "what a day", "hot today", "cold today", "have a good", "happy monday", "happy friday",
           "good week", "sorry to bother", "thanks for being there"],
    "es": ["espero que", "como esta", "como estan", "como le va", "buen dia", "bonito dia", "lindo dia", "que calor",
           "que frio", "hace calor", "hace frio", "buen tiempo", "que bonito", "feliz dia", "disculpe la molestia",
           "perdone la molestia", "que tal todo"],
    "de": ["ich hoffe", "hoffe es geht", "hoffe ihnen", "wie geht", "schones wetter", "schoner tag", "heiss heute",
           "kalt heute", "tolles wetter", "entschuldigen sie die storung", "sorry fur die storung"],
    "fr": ["j'espere", "jespere", "comment allez", "comment ca va", "ca va", "belle journee", "beau temps",
           "il fait beau", "il fait chaud", "il fait froid", "bonne journee", "quelle chaleur", "desole de vous deranger",
           "excusez-moi de vous deranger"],
    "vi": ["chuc", "khoe khong", "co khoe", "troi dep", "hom nay dep", "ngay tot lanh", "nong qua", "lanh qua",
           "xin loi lam phien", "lam phien"],
    "ko": ["날씨", "좋은 하루", "잘 지내", "수고 많", "수고하십", "고생 많", "실례합니다", "감사합니다 항상"],
    "zh-hans": ["天气", "辛苦了", "最近好吗", "打扰了", "打扰一下", "吃了吗", "tian qi", "xin ku le", "da rao"],
    "ar": ["الجو", "كيف حالك", "كيف حالكم", "كيفكم", "شلونكم", "إن شاء الله بخير", "ان شاء الله بخير", "يعطيكم العافية",
           "يعطيك العافية", "صباح النور", "ما شاء الله", "الحمد لله", "نهاركم سعيد", "نهارك سعيد", "labas",
           "kidayr", "kidayrin", "ça va"],
}  # fmt: skip
CLAUSE_WORDS = 9  # a pleasantry is short (Han: two characters a word)
FIRST_LEFT = 2  # words besides the greeting in the first clause ("hi there team", "bonjour à tous")
_CLAUSE_END = re.compile(r"[.!?;,\n\u3002\uff01\uff1f\uff1b\uff0c\u3001\u060c\u061b\u061f\u2026~]+|\s[-\u2013\u2014]\s")


def _compiled(word: str) -> re.Pattern:
    word = normalize(word)
    if _HAN.search(word) or _AFFIXED.search(word):
        return re.compile(re.escape(word))
    return re.compile(rf"(?<![\w']){re.escape(word)}(?![\w'])")


_GREETINGS = [_compiled(word) for words in GREETINGS.values() for word in words]
_SMALL_TALK = [_compiled(word) for words in SMALL_TALK.values() for word in words]


def _words(text: str) -> int:
    return len(_WORD.findall(_HAN.sub(" ", text))) + (len(_HAN.findall(text)) + 1) // 2


def _pleasantry(clause: str, *, first: bool) -> bool:
    if not clause.strip():
        return True
    if _words(clause) > CLAUSE_WORDS:
        return False
    if first:  # the message opens with a greeting, and its first clause is little else ("hola buenas", "hi there team")
        if not any(pattern.match(clause.strip()) for pattern in _GREETINGS):
            return False
        for pattern in _GREETINGS + _SMALL_TALK:
            clause = pattern.sub(" ", clause)
        return _words(clause) <= FIRST_LEFT
    return any(pattern.search(clause) for pattern in _GREETINGS + _SMALL_TALK)


def after_small_talk(text: str) -> str:
    """The message after its opening greeting and the small talk after it, or ""."""
    normalized = normalize(text)
    start, first = 0, True
    for end in _CLAUSE_END.finditer(normalized):
        if not _pleasantry(normalized[start : end.start()], first=first):
            break
        start, first = end.end(), False
    if first or start >= len(normalized):
        return ""
    rest = re.sub(r"^[\W_]+", "", _original_from(text, normalized, start))
    return rest if _letters(rest) >= MIN_REST_LETTERS else ""
