"""The words of not having the reference number, typed when the status skill asks for it ("I don't have it",
"lost it", "no lo tengo", "没有编号", "habe ich nicht", "je l'ai perdu", "tôi không có mã", "번호가 없어요",
"ليس لدي رقم"), in the languages the chat speaks. Only read at that step: out of it, "I lost it" is about
something else. Matched normalized (lower case, no accents, đ as d), as whole words; Han, Hangul and Arabic
anywhere in the message.
"""

from chat.engine.intents import _word_matcher, normalize

WORDS = {
    "en": ["don't have it", "dont have it", "do not have it", "don't have one", "dont have one", "do not have one",
           "don't have the", "dont have the", "do not have the", "don't have a", "dont have a", "have no reference",
           "no reference", "lost it", "lost the", "lost my", "i lost", "can't find it", "cant find it",
           "cannot find it", "can't find the", "cannot find the", "don't know it", "dont know it",
           "don't remember", "dont remember", "forgot it", "forgot the", "never got one", "never got it",
           "not sure what it is"],
    "es": ["no lo tengo", "no la tengo", "no tengo", "lo perdi", "la perdi", "perdi el", "no lo encuentro",
           "no la encuentro", "no me acuerdo", "no lo recuerdo", "no se cual es", "no lo se", "se me olvido"],
    "zh-hans": ["没有编号", "没有号码", "没有参考", "没编号", "没有", "没了", "丢了", "找不到", "忘了", "不记得",
                "不知道编号"],
    "de": ["habe ich nicht", "hab ich nicht", "hab ihn nicht", "habe ihn nicht", "habe sie nicht", "hab sie nicht",
           "habe keine", "hab keine", "habe keinen", "hab keinen", "verloren", "finde ich nicht", "find ich nicht",
           "weiss ich nicht", "weiß ich nicht", "vergessen", "keine nummer", "keine referenz"],
    "fr": ["je ne l'ai pas", "je l'ai pas", "je ne l'ai plus", "je l'ai perdu", "j'ai perdu", "perdu", "pas de numero",
           "pas de reference", "je n'ai pas", "je ne le trouve pas", "je ne la trouve pas", "je ne sais pas",
           "oublie"],
    "vi": ["không có", "khong co", "mất rồi", "bị mất", "làm mất", "không nhớ", "quên", "không tìm thấy",
           "không biết mã"],
    "ko": ["없어요", "없어", "없습니다", "없는데", "잃어버렸", "분실", "모르겠", "기억이 안", "기억 안", "못 찾",
           "까먹"],
    "ar": ["ليس لدي", "ليس عندي", "ما عندي", "ماعندي", "مش معي", "ما معي", "فقدته", "فقدت", "أضعته", "ضاع",
           "نسيت", "لا أعرف", "لا اعرف", "ما أعرف"],
}  # fmt: skip

_MATCHERS = [_word_matcher(word) for words in WORDS.values() for word in words]


def says_lost(text: str) -> bool:
    """Whether `text` says the citizen does not have the reference number."""
    normalized = normalize((text or "").replace("\u2019", "'"))  # a phone keyboard types U+2019 for the apostrophe
    return bool(normalized) and any(match(normalized) for match in _MATCHERS)
