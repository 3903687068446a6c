# ruff: noqa: RUF002 - Chinese and Arabic text use their own punctuation
"""Where the citizen lives, told beside the ask ("q dia pasa la basura por mi colonia, vivo en la calle Juárez", "my
address is 12 Oak St, when is bulk pickup?", "我住在枫树街12号，周几收垃圾？"): an address is context, not a report by
itself; the rest of the message decides (`chat.understanding`). The learned model read such questions as reports (an
address sits in most reports), 0.95 and more.

`without_residence` gives the message without its clause of residence, or "" when it has none, the clause is long
(more than an address: "I live on Elm where the light has been out for a week") or names a report's own words, or
too little is left. Compared normalized (`chat.engine.matching.normalize`: lower case, no accents); Han, Hangul and
Arabic markers anywhere, the others as whole words.
"""

from __future__ import annotations

import re

from chat.engine.denials import MIN_REST_LETTERS, _letters, _original_from, _original_to
from chat.engine.matching import _AFFIXED, _HAN, _WORD, normalize

# Words that open a clause saying where one lives (the address follows them; Korean: precedes them).
MARKERS = {
    "en": ["i live on", "i live at", "i live in", "i live off", "i live near", "we live on", "we live at", "we live in",
           "my address is", "my address:", "our address is", "my house is on", "i'm on", "im on", "i stay at",
           "i'm at", "im at"],
    "es": ["vivo en", "vivimos en", "vivo por", "mi direccion es", "mi domicilio es", "mi casa esta en",
           "mi casa queda en", "estoy en la calle", "estoy en calle", "estoy en la avenida", "estoy en av",
           "estoy en la colonia", "estoy en la col", "soy de la colonia"],
    "de": ["ich wohne in", "ich wohne an", "ich wohne am", "ich wohne im", "ich wohne auf", "ich wohne da",
           "wohne in der", "wohne in", "wohne am", "wohne da", "wir wohnen", "meine adresse ist", "meine adresse lautet",
           "meine adresse:", "unsere adresse"],
    "fr": ["j'habite", "jhabite", "j habite", "nous habitons", "on habite", "mon adresse est", "mon adresse c'est",
           "mon adresse :", "je suis rue", "je suis avenue", "je suis boulevard", "je suis au", "je reste rue",
           "je reste au"],
    "vi": ["toi o so", "toi o duong", "toi o hem", "toi o phuong", "toi o quan", "toi song o", "nha toi o",
           "nha em o", "nha minh o", "em o so", "em o duong", "em o hem", "minh o so", "minh o duong", "dia chi cua toi",
           "dia chi nha toi", "dia chi nha em", "dia chi cua em", "dia chi cua minh", "dia chi toi la", "dia chi em la",
           "nha toi so", "nha em so"],
    "zh-hans": ["我住在", "我家住在", "我家在", "我家地址是", "我家地址", "我的地址是", "我的地址", "住址是", "我住",
                "我们住在", "我们家在"],
    "ar": ["أنا ساكن", "انا ساكن", "أنا ساكنة", "انا ساكنة", "ساكن في", "ساكنة في", "ساكن ب", "أسكن في", "اسكن في",
           "عنواني", "بيتي في", "بيتنا في", "sakin f", "saken f", "sakna f", "sakin fi", "saken fi", "3onwani",
           "3enwani"],
}  # fmt: skip
# Korean tells it after the address: "저 은행로 33번지 사는데요", "중앙로에 살고 있는데"; or "주소는 …" before it.
KOREAN_AFTER = ["사는데", "살고 있는데", "살고 있어요", "살아요", "사는 주민", "거주하는데", "거주 중", "거주합니다"]
KOREAN_BEFORE = ["주소는", "집 주소"]
# Markers that say where one lives only right before a house number ("I'm on hold for 40 minutes", "je suis au courant":
# no address).
WITH_NUMBER = ["i'm on", "im on", "i'm at", "im at", "je suis au", "je reste au", "toi o so", "em o so", "minh o so"]
MAX_CLAUSE_WORDS = 8  # an address, not a story (Han: two characters a word)
_CLAUSE_END = re.compile(r"[.!?;,\n\u3002\uff01\uff1f\uff1b\uff0c\u3001\u060c\u061b\u061f\u2026]|\s[-\u2013\u2014]\s")
_HANGUL_OR_ARABIC = _AFFIXED


def _compiled(word: str) -> re.Pattern:
    word = normalize(word)
    if _HAN.search(word) or _HANGUL_OR_ARABIC.search(word):
        return re.compile(re.escape(word))
    return re.compile(rf"(?<![\w']){re.escape(word)}(?![\w'])")


_MARKERS = [_compiled(word) for words in MARKERS.values() for word in words]
_KOREAN_AFTER = [_compiled(word) for word in KOREAN_AFTER]
_KOREAN_BEFORE = [_compiled(word) for word in KOREAN_BEFORE]
_WITH_NUMBER = {normalize(word) for word in WITH_NUMBER}


def _words(text: str) -> int:
    return len(_WORD.findall(_HAN.sub(" ", text))) + (len(_HAN.findall(text)) + 1) // 2


def _clause(normalized: str) -> tuple[int, int, int, str] | None:
    """(clause start, where the address is, clause end, the marker) of the first clause of residence, or None."""
    for pattern in _MARKERS + _KOREAN_BEFORE:
        found = pattern.search(normalized)
        if found:
            starts = [m.end() for m in _CLAUSE_END.finditer(normalized, 0, found.start())]
            end = _CLAUSE_END.search(normalized, found.end())
            return (starts[-1] if starts else 0), found.end(), (end.start() if end else len(normalized)), found.group()
    for pattern in _KOREAN_AFTER:
        found = pattern.search(normalized)
        if found:
            starts = [m.end() for m in _CLAUSE_END.finditer(normalized, 0, found.start())]
            space = normalized.find(" ", found.end())
            end = _CLAUSE_END.search(normalized, found.end())
            ends = [at for at in (space, end.start() if end else -1) if at >= 0]
            start = starts[-1] if starts else 0
            return start, start, (min(ends) if ends else len(normalized)), found.group()
    return None


def without_residence(text: str, tells_a_report=None) -> str:
    """`text` without its clause saying where the citizen lives, or "" (none, longer than an address, naming a report's
    words by `tells_a_report(clause)`, or too little left)."""
    normalized = normalize(text)
    found = _clause(normalized)
    if found is None:
        return ""
    start, address, end, marker = found
    place = normalized[address:end]
    if _words(place) > MAX_CLAUSE_WORDS or (marker in _WITH_NUMBER and not re.match(r"\s*(?:no\.?\s*|#\s*)?\d", place)):
        return ""
    from_start, from_end = _original_from(text, normalized, start), _original_from(text, normalized, end)
    if tells_a_report is not None and tells_a_report(from_start[: len(from_start) - len(from_end)]):
        return ""
    before = _original_to(text, normalized, start) if start > 0 else ""
    after = re.sub(r"^[\W_]+", "", _original_from(text, normalized, end)) if end < len(normalized) else ""
    before = re.sub(r"[\s,;:\u060c\uff0c\u3001-]+$", "", before)
    rest = f"{before} {after}".strip() if before and after else before or after
    return rest if _letters(rest) >= MIN_REST_LETTERS else ""
