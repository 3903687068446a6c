"""Whether a keyword is said with a negation just before it: "ولم يتصل بي أحد" (and nobody called me) names a
call back but asks for none; "没人回电话" (nobody called back) names one too. A skill whose purpose keywords ask
for something (`Skill.negated_purpose`: a person, a call back) does not count them when negated
(`chat.engine.intents`); the other detectors read the message as usual.

The words are compared normalized (`chat.engine.intents.normalize`: lower case, no accents).
"""

from __future__ import annotations

WINDOW_WORDS = 3  # a negation counts within this many words before the keyword
WINDOW_HAN = 6  # or this many characters of Chinese text (no spaces between words)

NEGATIONS = frozenset(
    [
        # en
        "no one", "nobody", "noone", "never", "not", "didnt", "didn't", "hasnt", "hasn't", "havent", "haven't",
        "wont", "won't", "dont", "don't", "doesnt", "doesn't",
        # es
        "nadie", "no", "nunca", "jamas",
        # de
        "niemand", "nicht", "nie", "keiner", "kein", "keine",
        # fr
        "personne", "jamais", "pas",
        # vi
        "khong ai", "chua ai", "chang ai", "khong", "chua",
        # ko
        "아무도",
        # ar ("و" and: "ولم")
        "لم", "ولم", "ما", "لا", "ولا", "محد", "ماحد", "ما حدا", "ولا حدا", "مش", "مو", "موش",
    ]
)  # fmt: skip
# Nobody (not a bare 没/不: "有没有真人客服", is there a real person, "能不能转人工", can you put me through, ask for one).
HAN_NEGATIONS = ("没人", "没有人", "无人")
HAN_ASKING = ("有没有", "能不能", "可不可以", "是不是")
# A word denied as what the message is: "不是投诉 就想问下…" (not a complaint, just asking), "불만은 아니고요" (Korean:
# the denial after the word).
HAN_DENIALS = ("不是", "并不是", "不算", "并非")
KOREAN_DENIAL = "아니"
DENIAL_AFTER = 4  # characters between a Korean word and 아니 ("불만은 아니고", "신고가 아니라")


def negated(normalized: str, keyword: str) -> bool:
    """Whether every occurrence of `keyword` in `normalized` comes right after a negation."""
    start = normalized.find(keyword)
    if start < 0:
        return False
    while start >= 0:
        if not _ends_negated(normalized[:start]):
            return False
        start = normalized.find(keyword, start + 1)
    return True


def _ends_negated(before: str) -> bool:
    han = before[-WINDOW_HAN - 2 :]
    for asking in HAN_ASKING:
        han = han.replace(asking, "")
    if any(word in han[-WINDOW_HAN:] for word in HAN_NEGATIONS):
        return True
    window = f" {' '.join(before.split()[-WINDOW_WORDS:])} "
    return any(f" {word} " in window for word in NEGATIONS)


def denied(normalized: str, word: str) -> bool:
    """Whether `word` is denied wherever it is said: after a negation ("no es una queja", "pas une plainte", "keine
    Beschwerde", "مش شكوى"), after 不是 in Chinese ("不是投诉"), before 아니 in Korean ("불만은 아니고요"). A message
    that says it is not a complaint is not one by that word."""
    start = normalized.find(word)
    if start < 0:
        return False
    while start >= 0:
        before, after = normalized[:start], normalized[start + len(word) : start + len(word) + DENIAL_AFTER + 2]
        han = before[-4:]
        if not (
            _ends_negated(before)
            or any(denial in han for denial in HAN_DENIALS)
            or KOREAN_DENIAL in after[: DENIAL_AFTER + 2]
        ):
            return False
        start = normalized.find(word, start + 1)
    return True
