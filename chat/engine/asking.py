"""Whether a message is plainly a question (`is_question`): a question mark, an interrogative first word or one after
a lead-in, a Chinese question word, or the words of asking in French, Vietnamese, Korean and Arabic
(`chat.engine.question_words`); the words of asking whether one must (`OBLIGATION_WORDS`); and a question announced
with its topic (`announces_a_question`)."""

from __future__ import annotations

import re

from chat.engine import question_words
from chat.engine.matching import _AFFIXED, _HAN, _WORD, _matcher, normalize

# A message that is plainly a question: a question mark, or an interrogative first word (normalized:
# lower case, no accents), or a Chinese question word anywhere.
_QUESTION_FIRST_WORDS = frozenset(
    [
        # en
        "how", "what", "what's", "whats", "when", "where", "why", "who", "which", "whom", "whose",
        "is", "are", "can", "could", "do", "does", "did", "will", "would", "should", "may",
        # es (accents removed)
        "como", "cuanto", "cuanta", "cuantos", "cuantas", "cuando", "que", "donde", "adonde",
        "cual", "cuales", "quien", "quienes", "puedo", "puede", "pueden",
        # de
        "wie", "was", "wann", "wo", "woher", "wohin", "warum", "wieso", "weshalb", "welche", "welcher",
        "welches", "welchen", "wer", "wen", "wem", "kann", "konnen", "darf", "muss", "mussen", "gibt",
        "ist", "sind", "wird", "werden", "kommt", "hat", "geht", "holt",
    ]
)  # fmt: skip
_QUESTION_HAN = (
    "吗",
    "么",
    "如何",
    "多久",
    "多长",
    "多少",
    "为什么",
    "哪",
    "何时",
    "几时",
    "是否",
    "能否",
    "可以吗",
    "几点",
    "周几",
    "星期几",
    "礼拜几",
    "几号",
)
# An interrogative before 都/也 is indefinite: "问她什么都不耐烦" (impatient whatever one asks her), "谁都不管" (nobody
# cares), "哪儿都找不到" (found nowhere): no question.
_INDEFINITE_HAN = re.compile(r"(?:什么|什麼|怎么|怎麼|哪里|哪裡|哪儿|哪|谁|誰)(?:都|也)")
_QUESTION_MARKS = ("?", "？", "¿", "؟")  # noqa: RUF001  (؟: the Arabic question mark)
# A question put after a lead-in: "Can you tell me: what is…", "Question - when does…", "I was wondering, how
# do I…", "quisiera saber cuándo…", "ich wollte fragen, wann…". The interrogative opens a clause after a colon
# or a dash, or follows a phrase of asking (a comma alone is not enough: "a pothole, which is dangerous",
# "la farola, que está rota" are statements). Normalized text (no accents).
_WH = (
    r"what|what's|whats|when|where|why|how|which|who|whom|whose"
    r"|como|cuanto|cuanta|cuantos|cuantas|cuando|donde|adonde|cual|cuales|quien|quienes"
    r"|wie|was|wann|wo|woher|wohin|warum|wieso|weshalb|welche|welcher|welches|welchen|wer|wen|wem"
)
_ASKING = (
    r"wondering|i wonder|tell me|tell us|explain|want to know|like to know|need to know|do you know|curious"
    r"|question|saber|decirme|dime|digame|pregunta|preguntar|explicarme|explicame"
    r"|wissen|sagen sie mir|sag mir|erklaren|frage|fragen"
)
# A tag after a request ("…, ok?", "…, dale?", "…, d'accord ?", "… nhé?", "… ماشي؟"): the only question mark makes it
# no question ("anotame en el taller de los miércoles, dale?" was a question about the workshop); the words before decide.
_TAG = re.compile(
    r"[\s,]+(?:ok|okay|okey|k|dale|vale|porfa|please|pls|d'accord|d\u2019accord|ok\s+merci|nhé|nhe|nha|nhen|ماشي|تمام)"
    r"\s*[?\uff1f\u00bf\u061f!.\s]*$",
    re.IGNORECASE,
)
# Vietnamese "có thể … không," / "có … không," asks in its first clause, a statement after it ("có thể báo cáo ẩn danh
# không, tôi sợ hàng xóm biết"); normalized. ("không ai", nobody, goes on: no comma right after it.)
_VI_CLAUSE_ASKS = re.compile(r"(?:^|[,.;!]\s*)(?:co the|co|duoc)\b[^,.;!?]{3,}\s(?:khong|ko|hong)\s*[,;]")
_AM_I = re.compile(r"am (?:i|we)\b")
_LEAD_IN_QUESTION = re.compile(rf"(?::|\s[-\u2013\u2014])\s*(?:{_WH})\b|\b(?:{_ASKING})\b[\s:,\-]*(?:{_WH}|que)\b")


def is_question(text: str) -> bool:
    """Is `text` plainly a question (en, es, de, zh)?"""
    raw = (text or "").strip()
    if not raw:
        return False
    if any(mark in raw for mark in _QUESTION_MARKS):
        untagged = _TAG.sub("", raw)
        if untagged == raw or any(mark in untagged for mark in _QUESTION_MARKS):
            return True
        raw = untagged  # "sign me up for the Wednesday workshop, ok?": a request with a tag, asked as nothing else
    normalized = normalize(raw)
    if _HAN.search(normalized) and any(word in _INDEFINITE_HAN.sub(" ", normalized) for word in _QUESTION_HAN):
        return True
    if f"{' '.join(_WORD.findall(normalized)[:4])} ".startswith(_EXCLAIMING):
        return False  # "Qué buen servicio, …", "what a great job …": an exclamation, no question mark
    first = _WORD.findall(_HAN.sub(" ", normalized))[:1]
    if (bool(first) and first[0] in _QUESTION_FIRST_WORDS) or _LEAD_IN_QUESTION.search(normalized) is not None:
        return True
    if _AM_I.match(normalized):
        # "am I eligible…"; German "am" (an dem) opens statements: "am Spielplatz liegt überall Glas"
        return True
    return _asks_in_other_languages(normalized, first[0] if first else "")


def _asks_in_other_languages(normalized: str, first: str) -> bool:
    """An interrogative of fr/vi/ko/ar (`chat.engine.question_words`) opening the message, anywhere in it, or
    a sentence-final particle that asks ("… không", "…나요")."""
    if (
        first in _OTHER_FIRST_WORDS
        and not normalized.startswith(_NOT_ASKING_OPENINGS)
        and not (first == "ai" and _TRAILING.sub("", normalized).endswith(_EXCLAIMING_ENDS))
    ):
        return True
    if any(match(normalized) for match in _ANYWHERE) or _VI_CLAUSE_ASKS.search(normalized):
        return True
    stripped = _TRAILING.sub("", normalized)
    last = stripped.rsplit(" ", 1)
    if len(last) == 2 and last[1] in _TAILS:
        stripped = _TRAILING.sub("", last[0])
    if stripped.endswith(_NOT_ASKING_ENDINGS):
        return False
    for ending in _ENDINGS:
        if stripped.endswith(ending):
            before = stripped[: -len(ending)]
            # A Vietnamese particle is a word of its own ("… không"), a Korean ending part of the verb; alone it
            # answers ("không": no, "chưa ạ": not yet, to a form's question) rather than asks.
            if before.strip() and (_AFFIXED.search(ending) or before.endswith(" ")):
                return True
    return False


# Asking whether one must: "do I need to register my dog?", "muss ich meinen Hund anmelden?", "¿tengo que
# inscribirme?", "我需要登记吗" ask about a rule, even when they name the act (a request to act asks how or says
# it wants to: "how do I register?", "I want to register"). Matched in a question only; normalized.
OBLIGATION_WORDS = {
    "en": ["do i need to", "do i have to", "do we need to", "do we have to", "does one need to", "must i",
           "must we", "should i", "is it mandatory", "is it required", "is it necessary", "am i required"],
    "es": ["tengo que", "tenemos que", "hay que", "es obligatorio", "es necesario", "debo"],
    "de": ["muss ich", "mussen wir", "muss man", "brauche ich", "pflicht", "vorgeschrieben", "notig"],
    "fr": ["dois-je", "je dois", "faut-il", "il faut", "obligatoire"],
    "vi": ["có cần", "có phải", "bắt buộc"],
    "ko": ["해야 하나요", "해야 되나요", "해야 돼", "해야 해", "해야 합니까", "필수", "필요한가요"],
    "zh-hans": ["需要", "必须", "要不要", "用不用"],
    "ar": ["هل يجب", "هل لازم", "هل يلزم", "ضروري", "إلزامي"],
}  # fmt: skip


# fr/vi/ko/ar interrogatives (`is_question`), compared normalized
_OTHER_FIRST_WORDS = frozenset(normalize(word) for words in question_words.FIRST_WORDS.values() for word in words)
_NOT_ASKING_OPENINGS = tuple(normalize(opening) for opening in question_words.NOT_ASKING_OPENINGS)
_NOT_ASKING_ENDINGS = tuple(normalize(ending) for ending in question_words.NOT_ASKING_ENDINGS)
_ENDINGS = tuple(normalize(ending) for endings in question_words.ENDINGS.values() for ending in endings)
_TRAILING = re.compile(r"[\W_]+$")
_EXCLAIMING_ENDS = tuple(f" {normalize(word)}" for word in question_words.EXCLAIMING_ENDS)
_TAILS = frozenset(normalize(word) for word in question_words.TAILS)
_ANYWHERE = [_matcher(normalize(word)) for words in question_words.ANYWHERE.values() for word in words]
_EXCLAIMING = tuple(f"{normalize(opening)} " for openings in question_words.EXCLAIMING.values() for opening in openings)


_SWITCHED = [
    f"{noun} {topic}"
    for language, nouns in question_words.ANNOUNCING_NOUNS.items()
    for noun in nouns
    for other, topics in question_words.ANNOUNCING_TOPIC.items()
    if other != language
    for topic in topics
]
_ANNOUNCING = [
    (normalize(word), _AFFIXED.search(normalize(word)) is not None or _HAN.search(word) is not None)
    for words in (*question_words.ANNOUNCING.values(), _SWITCHED)
    for word in words
]
_ANNOUNCING_FILLER = re.compile("|".join(re.escape(f) for f in question_words.ANNOUNCING_FILLER_HAN))
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def announces_a_question(text: str) -> bool:
    """Whether `text` announces a question and names its topic ("Hola buenas, tengo una duda sobre la basura",
    "…我想咨询一下垃圾的问题", "안녕하세요, 도서관 회원증 관련해서 질문이 있어요", code-switched: "tôi có câu hỏi about the
    trash pickup"): a question for the knowledge base, not a greeting. The words alone ("Hallo, ich habe eine Frage", "…想咨询一下") announce one to come."""
    normalized = normalize(text)
    for word, anywhere in _ANNOUNCING:
        if anywhere:
            start = normalized.find(word)
        else:
            found = re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", normalized)
            start = found.start() if found else -1
        if start < 0:
            continue
        if _is_korean(word):
            return bool(_LETTER.search(normalized[:start]))  # the topic before the words ("… 관련해서 질문")
        after = normalized[start + len(word) :]
        if _HAN.search(word):
            after = _ANNOUNCING_FILLER.sub("", after)
            # (or a topic in another script: "我有个问题 about the parking permit")
            if len(_HAN.findall(after)) >= 2 or len(_LETTER.findall(_HAN.sub("", after))) >= 3:
                return True
            continue
        if len(_LETTER.findall(after)) >= 3:
            return True
    return False


def _is_korean(word: str) -> bool:
    return any("\u1100" <= ch <= "\u11ff" or "\uac00" <= ch <= "\ud7af" for ch in word)
