"""A call back asked for with a phone number ("can i get a call back tmrw before 10, 617 555 0199, it's about my
mother's taxes", "Nhờ nhân viên gọi lại cho tôi số …", "llámenme al … por la tarde"): a handoff at any length.

The handoff skill's words count only in messages of twelve words or fewer (`HandoffSkill.keyword_max_words`: a
longer question that mentions a call, "will the Health Department call me if I was exposed?", asks about a rule),
so a long message that asks to be called back and gives the number to call was read by the model alone, which
followed its topic (taxes, a permit). A number to call beside the words of calling is the ask, whatever the topic.
Not when the call is negated ("I left 0151 2345678 and nobody called me back": asking after it, a status) nor
beside a reference number (`chat.engine.skills.status.find_reference`). Words compared normalized.

Also (session 21): a person asked for first with the reason after it, at any length (`prefers_a_person`), and the
words of reaching a person (`reaches_for_a_person`): a verdict on a clerk that reaches for nobody is feedback.
"""

from __future__ import annotations

import re

from chat.engine import registry
from chat.engine.intents import _matcher, _word_matcher, normalize
from chat.engine.negation import negated

# Seven digits or more, in groups split by spaces, dots, dashes, slashes or brackets: "617 555 0199",
# "0151/2345678", "(714) 555-0188", "+49 151 2345678", "13700001111", "010-1234-5678".
_PHONE = re.compile(r"(?<![0-9A-Za-z-])\+?\(?\d[\d\s./()-]{5,}\d(?![0-9A-Za-z-])")
_MIN_DIGITS = 7

CALL_WORDS = {
    "en": ["call me", "call back", "callback", "ring me", "phone me", "give me a call", "reach me at", "call at",
           "call on", "call my"],
    "es": ["llamenme", "llameme", "llamame", "llamarme", "me llamen", "me llame", "me pueden llamar",
           "me puede llamar", "devolver la llamada", "devuelvan la llamada", "marquenme", "me marquen", "marcarme"],
    "de": ["rufen sie mich", "ruft mich", "ruf mich", "zuruckrufen", "ruckruf", "mich anrufen", "anrufen unter",
           "zrugg", "aalute", "alute"],
    "zh-hans": ["打我电话", "给我打电话", "给我打个电话", "回电", "回个电话", "打给我", "回电话", "打这个号码", "打电话给我",
                "打个电话给我", "电话联系我", "打电话过来", "来个电话", "打我手机"],
    "fr": ["rappelez", "me rappeler", "m'appeler", "me telephoner", "appelez-moi", "appelez moi", "joindre au"],
    "vi": ["gọi lại", "goi lai", "gọi cho tôi", "goi cho toi", "gọi cho em", "goi cho em", "gọi điện", "goi dien",
           "liên hệ lại", "lien he lai"],
    "ko": ["전화 주세요", "전화주세요", "전화 주시", "전화해 주", "전화 부탁", "연락 주세요", "연락주세요", "연락 주시",
           "연락 부탁", "전화 좀"],
    "ar": ["اتصلوا", "اتصل بي", "اتصل فيني", "يتصل", "تتصلون", "تتصلوا", "كلموني", "رنوا", "yetasel", "yetassel",
           "ettasel", "etsel", "ettaslo"],
}  # fmt: skip
_CALLS = [(word, _matcher(word)) for word in {normalize(w) for words in CALL_WORDS.values() for w in words}]


def phone_number(text: str) -> str:
    """The first phone number in `text` (seven digits or more), or ""."""
    for match in _PHONE.finditer(text or ""):
        if sum(ch.isdigit() for ch in match.group()) >= _MIN_DIGITS:
            return match.group()
    return ""


def asks_for_a_call(text: str) -> bool:
    """Whether `text` asks to be called and gives a number to call."""
    if not phone_number(text):
        return False
    normalized = normalize(text)
    return any(match(normalized) and not negated(normalized, word) for word, match in _CALLS)


# A person asked for first, with the reason after it ("prefiero que me atienda alguien del ayuntamiento, esto es un lío
# de herencias", "I'd rather go over this with someone in person, it's my late father's estate and it's complicated"):
# the handoff words count in messages of at most twelve words, and the reason made this one longer, so the model read
# its topic (an inheritance: a question). A wish for a person in the message's first clause, said as a wish or a
# preference, is a handoff whatever follows.
WISH_WORDS = {
    "en": ["i'd rather", "id rather", "i would rather", "i prefer", "i'd prefer", "id prefer", "i would prefer",
           "i want", "i wanna", "i need", "i'd like", "id like", "i would like", "can i", "could i", "let me",
           "please", "pls", "rather"],
    "es": ["prefiero", "preferiria", "preferible", "quiero", "quisiera", "necesito", "me gustaria", "mejor", "puedo",
           "por favor", "porfa"],
    "de": ["lieber", "mochte", "mocht", "will", "wurde gern", "wurde gerne", "brauche", "bitte", "kann ich"],
    "fr": ["je prefere", "je prefererais", "plutot", "je veux", "je voudrais", "j'aimerais", "il me faut",
           "je peux", "svp", "s'il vous plait"],
    "vi": ["muốn", "thích", "hơn", "cho tôi", "cần", "xin"],
    "ko": ["싶", "원해", "원합니다", "주세요", "낫겠", "부탁"],
    "zh-hans": ["想", "要", "宁愿", "还是", "希望", "麻烦", "请"],
    "ar": ["أفضل", "افضل", "بفضل", "بدي", "ابي", "أبي", "أريد", "اريد", "عايز", "عاوز", "ودي", "ممكن", "لو سمحت",
           "baddi", "badde", "3ayez", "3awez", "abi", "abgha", "afaddal", "afadal"],
}  # fmt: skip
_WISHES = [_matcher(word) for word in {normalize(w) for words in WISH_WORDS.values() for w in words}]
FIRST_CLAUSE_WORDS = 12  # the first clause, as long as a message whose handoff words count
_CLAUSE_END = re.compile(r"[.!?;:,\n\u3002\uff01\uff1f\uff1b\uff0c\u3001\u060c\u061b\u061f]|\s[-\u2013\u2014]\s")


def first_clause(text: str) -> str:
    """The normalized text up to its first comma, full stop or dash ("" when it has none: a message of one clause)."""
    normalized = normalize(text)
    parts = _CLAUSE_END.split(normalized, maxsplit=1)
    return parts[0].strip() if len(parts) == 2 and parts[1].strip() else ""


# A person asked for by the way to reach them, which is the wish itself: put through to a department ("chuyen cho toi
# nguoi ben phong cap nuoc, cai nay ko giup duoc gi", "7awelni 3la chi wa7ed mn service dyal lma, …") or someone who
# speaks a language ("is there anyone there who speaks Tagalog? my mom needs help with …"). In a first clause these
# need no word of wishing; the reason after it made the message longer than the handoff words' twelve.
DIRECT_ASKS = {
    "en": ["put me through", "transfer me", "connect me to", "connect me with", "who speaks", "who can speak",
           "that speaks"],
    "es": ["paseme con", "pasame con", "pasenme con", "comuniqueme con", "comunicame con", "transfierame",
           "transfiereme", "me pasan con", "me pasa con", "alguien que hable", "alguien que sepa hablar"],
    "de": ["verbinden sie mich", "verbindet mich", "verbinde mich", "stellen sie mich durch"],
    "fr": ["passez-moi", "passez moi", "transferez-moi", "transferez moi", "mettez-moi en relation",
           "quelqu'un qui parle", "une personne qui parle"],
    "vi": ["chuyển cho tôi", "chuyển tôi qua", "chuyển tôi sang", "chuyển máy", "nối máy", "ai nói được tiếng",
           "ai biết nói tiếng", "ai nói tiếng", "người nói được tiếng", "người biết tiếng"],
    "ko": ["어 하는 직원", "어 하시는 분", "어 하는 분", "어 가능한 직원", "어 가능한 분", "어 되는 직원", "어 되는 분",
           "말 하는 분", "말 하시는 분", "로 연결해 주", "으로 연결해 주", "로 연결 부탁", "으로 연결 부탁"],
    "zh-hans": ["帮我转到", "给我转到", "转接到", "帮我转接", "给我转接", "会说", "会讲"],
    "ar": ["حولني", "حولوني", "وصلني ب", "وصلني مع", "وصلوني", "حدا بيحكي", "حدا يحكي", "حد بيتكلم", "حد يتكلم",
           "احد يتكلم", "احد يحكي", "7awelni", "7awlni", "7wlni", "7awloni", "hawelni", "wasalni", "wassalni",
           "wasselni", "7ad kayhder", "7ad kay hder", "chi wa7ed kayhder", "7ada bya7ki", "7ad byetkallem"],
}  # fmt: skip
_DIRECT = [(normalize(word), _word_matcher(word)) for words in DIRECT_ASKS.values() for word in words]


def prefers_a_person(text: str, person_words) -> bool:
    """Whether the first clause of a longer message wishes for a person (`person_words`: (word, matcher) pairs of the
    handoff skill's purpose keywords, not negated there) or asks for one by the way to reach them (`DIRECT_ASKS`)."""
    from chat.engine.tails import message_words

    head = first_clause(text)
    if not head or message_words(head) > FIRST_CLAUSE_WORDS:
        return False
    if any(match(head) and not negated(head, word) for word, match in _DIRECT):
        return True
    if not any(match(head) for match in _WISHES):
        return False
    return any(match(head) and not negated(head, word) for word, match in person_words)


# Reaching a person, said as an act ("talk to", "pásame con", "verbinden", "通电话", "حولني"): a message that judges a
# clerk or a crew and names one ("the agent at the counter was rude", "الموظف اللي عالشباك كان قليل ادب") without any
# of these complains about them; it asks for nobody.
REACHING = {
    "en": ["talk", "speak", "transfer", "connect", "call me", "call back", "supervisor", "put me through", "human"],
    "es": ["hablar", "pasame", "pasar con", "comunicar", "llamen", "llame", "supervisor", "atienda", "humano"],
    "de": ["sprechen", "reden", "verbinden", "ruckruf", "zuruckrufen", "anrufen", "vorgesetzt*", "mensch*"],
    "fr": ["parler", "passez", "rappel*", "appeler", "humain", "superieur"],
    "vi": ["nói chuyện", "gặp", "gọi", "cấp trên", "người thật"],
    "ko": ["통화", "바꿔", "연결", "얘기", "상담원", "사람과"],
    "zh-hans": ["转", "找", "通电话", "谈", "人工", "真人", "领导"],
    "ar": ["أكلم", "اكلم", "احكي", "أحكي", "حولني", "حولوني", "كلموني", "يتصل", "التحدث", "التكلم", "المدير",
           "e7ki", "a7ki", "kallem"],
}  # fmt: skip
_REACHING = [_word_matcher(word) for words in REACHING.values() for word in words]


def reaches_for_a_person(text: str) -> bool:
    normalized = normalize(text)
    return any(match(normalized) for match in _REACHING)


def names_a_person(text: str) -> bool:
    normalized = normalize(text)
    return any(match(normalized) for _word, match in person_words())


_PERSONS_CACHE: tuple[int, list] = (-1, [])


def person_words() -> list:
    """(word, matcher) of the handoff skill's purpose keywords: asking for a person (`prefers_a_person`); built once
    per registry version."""
    global _PERSONS_CACHE
    version = registry.registry_version()
    if _PERSONS_CACHE[0] != version:
        skill = registry.get_skill("handoff")
        words = {normalize(w.rstrip("*")): w for ws in (skill.purpose_keywords.values() if skill else ()) for w in ws}
        _PERSONS_CACHE = (version, [(word, _word_matcher(original)) for word, original in words.items()])
    return _PERSONS_CACHE[1]


# A particular clerk, named with the article as someone the citizen dealt with ("الموظف في الشباك", the clerk at the
# window; "der Sachbearbeiter im Bürgerbüro"; "le conseiller du bureau 2"): a handoff keyword in some languages
# (موظف, Sachbearbeiter, conseiller), told about rather than asked for. Without a word of reaching or wishing for a
# person, the message is no handoff by its keywords: the verdict rule and the model read it (a complaint, mostly).
CLERK_NAMED = {
    "ar": ["الموظف", "الموظفة", "الموظفين", "الموظفه", "للموظف", "للموظفة", "بالموظف", "el mwazzaf", "el mwazaf",
           "el mowazzaf", "el mowazaf", "il mwazzaf"],
    "de": ["der sachbearbeiter", "die sachbearbeiterin", "dem sachbearbeiter", "den sachbearbeiter",
           "der sachbearbeiterin", "der mitarbeiter", "die mitarbeiterin", "dem mitarbeiter", "der mitarbeiterin"],
    "fr": ["le conseiller", "la conseillere", "ce conseiller", "cette conseillere", "du conseiller",
           "de la conseillere"],
}  # fmt: skip
_CLERK_NAMED = [_word_matcher(word) for words in CLERK_NAMED.values() for word in words]


def names_a_particular_clerk(text: str) -> bool:
    """Whether `text` tells about a particular clerk (`CLERK_NAMED`) and neither reaches for nor wishes for a person."""
    normalized = normalize(text)
    if not any(match(normalized) for match in _CLERK_NAMED):
        return False
    return not reaches_for_a_person(text) and not any(match(normalized) for match in _WISHES)


# A role word alone ("agent", "operator", "nhân viên", "상담원", "موظف", "人工"), perhaps with please: a person asked for,
# as a phone menu is answered (the model read "nhân viên", staff, as a greeting).
ROLE_WORDS = {
    "en": ["agent", "operator", "human", "a human", "person", "a person", "real person", "representative", "rep",
           "staff", "someone", "somebody", "live agent", "customer service", "support"],
    "es": ["agente", "operador", "operadora", "asesor", "asesora", "humano", "persona", "una persona", "alguien",
           "representante", "empleado", "funcionario", "atencion al cliente"],
    "de": ["mitarbeiter", "mitarbeiterin", "sachbearbeiter", "sachbearbeiterin", "mensch", "ein mensch", "person",
           "berater", "beraterin", "kundendienst", "jemand"],
    "fr": ["agent", "conseiller", "conseillere", "operateur", "operatrice", "humain", "un humain",
           "une personne", "quelqu'un", "service client"],
    "vi": ["nhan vien", "nhan vien tu van", "tong dai vien", "tu van vien", "nguoi that", "can bo", "tong dai"],
    "ko": ["상담원", "상담사", "직원", "사람", "담당자", "상담원 연결"],
    "zh-hans": ["人工", "人工客服", "客服", "真人", "转人工", "工作人员", "接线员", "人工服务"],
    "ar": ["موظف", "موظفة", "الموظف", "إنسان", "انسان", "شخص", "خدمة العملاء", "mwazzaf", "mwazaf", "insan"],
}  # fmt: skip
# Courtesies said around it ("agent please", "nhân viên ạ", "상담원이요", "موظف لو سمحت").
ROLE_COURTESIES = ["please", "pls", "plz", "por favor", "porfa", "bitte", "s'il vous plait", "svp", "a", "oi", "nhe",
                   "cho toi", "cho em", "gap", "请", "麻烦", "谢谢", "لو سمحت", "من فضلك", "بليز",
                   "ya", "the", "an", "un", "una", "el", "la", "le", "ein", "einen", "eine"]  # fmt: skip
_ROLES = {normalize(word) for words in ROLE_WORDS.values() for word in words}
_KOREAN_TAILS = (normalize("이요"), normalize("요"), normalize("님"))
_COURTESY = re.compile(
    r"(?:^|\s)(?:"
    + "|".join(re.escape(normalize(word)) for word in sorted(ROLE_COURTESIES, key=len, reverse=True))
    + r")(?=\s|$)"
)


def names_only_a_role(text: str) -> bool:
    """Whether `text` is a role word alone (`ROLE_WORDS`), with courtesies at most."""
    words = re.sub(r"[^\w' ]+", " ", normalize(text)).strip()
    if words in _ROLES:
        return True
    bare = re.sub(r"\s+", " ", _COURTESY.sub(" ", f" {words} ")).strip()
    for tail in _KOREAN_TAILS:  # "상담원이요", "직원요"
        bare = bare.removesuffix(tail) if bare.endswith(tail) and bare[: -len(tail)] in _ROLES else bare
    return bare in _ROLES
