"""A call back asked for with a phone number ("can i get a call back tmrw before 10, 617 555 0199, it's about my
mother's taxes", "Nhờ nhân viên gọi lại cho tôi số …", "llámenme al … por la tarde"): a handoff at any length.

The handoff skill's words count only in messages of twelve words or fewer (`HandoffSkill.keyword_max_words`: a
longer question that mentions a call, "will the Health Department call me if I was exposed?", asks about a rule),
so a long message that asks to be called back and gives the number to call was read by the model alone, which
followed its topic (taxes, a permit). A number to call beside the words of calling is the ask, whatever the topic.
Not when the call is negated ("I left 0151 2345678 and nobody called me back": asking after it, a status) nor
beside a reference number (`chat.engine.skills.status.find_reference`). Words compared normalized.
"""

from __future__ import annotations

import re

from chat.engine.intents import _matcher, normalize
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
    "zh-hans": ["打我电话", "给我打电话", "给我打个电话", "回电", "回个电话", "打给我", "回电话", "打这个号码"],
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
