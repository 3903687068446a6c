"""What a question asks for: a time, a place, a cost or a duration (`kinds`), in the chat's languages.

The answer is given from the passage the ranking puts first (`services.answers._lead`), unless a close second is
a FAQ entry asking the same kind of thing as the citizen while the first asks another: "什么时候收垃圾" (when is
trash picked up?) put "节假日收垃圾吗" (is trash picked up on holidays?) first, by the words the two share
("收垃圾", written the same way in both, while "垃圾哪天收集" says "收集") and by a hair of the encoder's cosine; the
citizen asked when, and "哪天" (which day) is the entry that says when. A question of no kind ("can I put pizza boxes
in the recycling?") leaves the ranking as it is.
"""

from __future__ import annotations

import re
import unicodedata

# Each kind's words, as `_plain` leaves them (lower case, accents kept: "où" is not "ou").
_WORDS = {
    "when": [
        "when", "what time", "which day", "what day", "what days", "how often",
        "wann", "welchem tag", "welcher tag", "welchen tagen", "wie oft", "um wie viel uhr",
        "cuándo", "cuando", "qué día", "que dia", "qué días", "a qué hora", "cada cuánto",
        "quand", "quel jour", "quels jours", "à quelle heure",
        "khi nào", "bao giờ", "ngày nào", "mấy giờ", "lúc nào",
        "언제", "몇 시", "무슨 요일", "며칠",
        "متى", "أي يوم", "اي يوم",
        "什么时候", "几号", "哪天", "哪一天", "几点", "何时", "星期几", "周几", "哪几天", "什么时间",
    ],
    "where": [
        "where", "which office", "what address",
        "wo", "wohin",
        "dónde", "donde", "adónde",
        "où",
        "ở đâu", "chỗ nào", "nơi nào",
        "어디",
        "أين", "وين",
        "哪里", "在哪", "哪儿", "什么地方",
    ],
    "cost": [
        "how much", "cost", "costs", "fee", "fees", "price",
        "wie viel kostet", "was kostet", "kosten", "gebühr", "gebühren", "preis",
        "cuánto cuesta", "cuanto cuesta", "costo", "precio", "tarifa",
        "combien coûte", "coût", "prix", "frais",
        "bao nhiêu tiền", "phí", "giá",
        "얼마", "비용", "요금",
        "كم سعر", "تكلفة", "رسوم", "بكم",
        "多少钱", "费用", "收费",
    ],
    "duration": [
        "how long", "wie lange", "cuánto tiempo", "cuanto tiempo", "cuánto tarda", "combien de temps", "bao lâu",
        "얼마나 걸", "كم من الوقت", "كم يستغرق", "多久", "多长时间",
    ],

}  # fmt: skip
_HAN_HANGUL = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af]")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text or "").lower())).strip()


def _matcher(word: str):
    if _HAN_HANGUL.search(word):
        return lambda text: word in text  # no spaces between words
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    return lambda text: pattern.search(text) is not None


_MATCHERS = {kind: [_matcher(_plain(word)) for word in words] for kind, words in _WORDS.items()}


def kinds(text: str) -> frozenset[str]:
    """The kinds of thing `text` asks for ("when", "where", "cost", "duration"); empty: none of them. Not "who":
    in a heading it is mostly a relative pronoun ("… when evaluating a patient who may have COVID-19"), measured on
    faq_eval/en (bench/knowledge/kind_lab.py)."""
    plain = _plain(text)
    return frozenset(kind for kind, matchers in _MATCHERS.items() if any(match(plain) for match in matchers))


def heading_question(heading_path: str) -> str:
    """The last part of a passage's heading path: a FAQ entry's question."""
    return re.split(r"\s+[>\u203a\u00bb/]\s+", heading_path or "")[-1]
