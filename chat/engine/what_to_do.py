"""A problem told, then "what should I do?" ("the street light outside my house is broken, what should I do?",
"路灯坏了怎么办", "집 앞 가로등이 고장 났어요 어떻게 해요?"): the ask at its end is no question about a topic but a
request for help with the matter told, which a careful agent takes as a report when the telling alone is one.
`told_before` gives the telling; `chat.understanding.classify` reads it."""

from __future__ import annotations

import re

# What citizens append to a problem to ask for help with it, in the chat's languages. Only the generic asks: a
# question with its own subject ("what should I do with old paint?") is not listed.
WHAT_TO_DO = {
    "en": ["what should i do", "what do i do", "what can i do", "what can be done", "who do i call",
           "who should i call", "who do i contact", "who should i contact", "what now", "any help"],
    "es": ["que hago", "que puedo hacer", "que debo hacer", "que tengo que hacer", "a quien llamo",
           "a quien aviso", "que se puede hacer"],
    "de": ["was soll ich tun", "was kann ich tun", "was soll ich machen", "was kann ich machen", "was tun",
           "wen soll ich anrufen", "an wen wende ich mich", "an wen kann ich mich wenden"],
    "fr": ["que dois-je faire", "que faire", "qu'est-ce que je dois faire", "que puis-je faire",
           "qui dois-je appeler", "je fais quoi", "qui contacter"],
    "zh-hans": ["怎么办", "该怎么办", "怎么处理", "找谁", "该找谁", "找谁处理", "怎么弄"],
    "ko": ["어떻게 해요", "어떻게 해야 하나요", "어떻게 해야 해요", "어떻게 하나요", "어떻게 하죠", "어떡해요",
           "어디에 연락해요", "어디에 연락해야 하나요"],
    "vi": ["phai lam gi", "phai lam sao", "lam sao bay gio", "lam gi bay gio", "toi nen lam gi", "lien he ai"],
    "ar": ["ماذا افعل", "ماذا يجب ان افعل", "شو اعمل", "شو بعمل", "ايش اسوي", "اعمل ايه", "بمن اتصل"],
}  # fmt: skip
_MARKS = " ,;.!?\u00bf\u00a1\uff0c\u3002\u3001\uff01\uff1f\u061f\u060c"
_END = "[\\s?!.\uff1f\uff01\u061f]"
MIN_TOLD = 2  # words (Han: two characters a word) the telling needs before the ask


def _pattern() -> re.Pattern:
    from chat.engine.intents import normalize  # (that module imports the engine's word lists)

    phrases = sorted({normalize(p) for ps in WHAT_TO_DO.values() for p in ps}, key=len, reverse=True)
    # After a space or a mark ("…, ¿qué hago?"), or straight after Chinese (which has no spaces: "路灯坏了怎么办").
    before = "(?:^|[\\s,;.!?\u00bf\u00a1\uff0c\u3002\u3001\uff01\uff1f\u061f\u060c]|(?<=[\u4e00-\u9fff]))"
    return re.compile(before + "(?:" + "|".join(map(re.escape, phrases)) + ")" + _END + "*$")


_compiled: re.Pattern | None = None


def told_before(text: str) -> str:
    """The telling before a message's closing "what should I do?", or "" when it does not end so (or tells too
    little: "what should I do?" alone)."""
    global _compiled
    from chat.engine.intents import normalize
    from chat.engine.tails import message_words

    if _compiled is None:
        _compiled = _pattern()
    normalized = normalize(text)
    found = _compiled.search(normalized)
    if found is None:
        return ""
    told = normalized[: found.start()].strip(_MARKS)
    return told if message_words(told) >= MIN_TOLD else ""
