"""Which form a citizen's message names (the register skill's direct jump, issue 19): the marks of a text —
word stems, Han bigrams, Korean syllable starts, Arabic stems after the article, Vietnamese syllables and their
pairs — less the words that only say "register"; a form is named when the message shares its marks with the
form's titles or, failing that, its description."""

import itertools
import re
import unicodedata

from core.vietnamese import VI_STOP_SYLLABLES, looks_vietnamese
from registrations import signup_words


def _unaccented(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def norm(text: str) -> str:
    return " ".join(str(text or "").casefold().replace("-", " ").split())


# Words that say "register" or "a service", not which one (en, es, de; Han bigrams for zh).
_GENERIC = frozenset(
    [
        "register",
        "registration",
        "registrations",
        "registering",
        "sign",
        "signup",
        "up",
        "apply",
        "application",
        "applying",
        "enrol",
        "enroll",
        "enrollment",
        "enrolment",
        "form",
        "forms",
        "service",
        "services",
        "program",
        "programme",
        "for",
        "the",
        "a",
        "an",
        "to",
        "my",
        "me",
        "i",
        "want",
        "would",
        "like",
        "need",
        "please",
        "how",
        "do",
        "can",
        "of",
        "in",
        "on",
        "and",
        "with",
        "new",
        "inscribir",
        "inscribirme",
        "inscripcion",
        "inscripción",
        "registrar",
        "registrarme",
        "registro",
        "solicitar",
        "solicitud",
        "quiero",
        "para",
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "un",
        "una",
        "mi",
        "me",
        "por",
        "favor",
        "servicio",
        "programa",
        "anmelden",
        "anmeldung",
        "registrieren",
        "beantragen",
        "antrag",
        "ich",
        "möchte",
        "mich",
        "für",
        "ein",
        "eine",
        "einen",
        "den",
        "die",
        "das",
        "zu",
        "dienst",
        "programm",
        "als",
        "will",
        "gerne",
        "bitte",
    ]
)
_GENERIC_HAN = frozenset(["登记", "报名", "注册", "申请", "办理", "我想", "我要", "服务", "项目", "参加"])
_HAN = re.compile(r"[\u4e00-\u9fff]+")


# Korean words carry their particles and endings ("투표하려면", to vote; "유권자", voter): their first two
# syllables name the thing. These two-syllable starts say "register", "want", "how", not which service.
_GENERIC_HANGUL = frozenset(
    ["등록", "신청", "가입", "싶어", "싶습", "하고", "하려", "원해", "원합", "어떻", "방법", "서비"]
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Arabic writes the article and short prepositions onto the word ("للتصويت", for voting; "التسجيل", the
# registration): stems are taken after them.
_ARABIC_PREFIX = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=\w{3})")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ARABIC_MARKS = re.compile(r"[\u064b-\u0652\u0670]")  # short vowels, shadda, sukun: rarely typed
_GENERIC_ARABIC = frozenset(
    ["اريد", "أريد", "أود", "اود", "ارغب", "أرغب", "تسجيل", "خدمة", "كيف", "ممكن", "عايز", "بدي"]
)


def _stem(word: str) -> str:
    if _HANGUL.match(word):
        return word[:2]
    if _ARABIC.match(word):
        return _ARABIC_PREFIX.sub("", _ARABIC_MARKS.sub("", word))[:4]
    # "Wähler" names "Wahlregistrierung": an umlaut is no other stem.
    return _unaccented(word)[:4]


_GENERIC_STEMS = frozenset(
    [*(_stem(word) for word in _GENERIC_ARABIC), *_GENERIC_HANGUL, *(_stem(word) for word in signup_words.GENERIC)]
)


# The syllables of Vietnamese signing up ("đăng ký", "ghi danh", "ghi tên"), folded: no name of a form.
_GENERIC_VI = frozenset(
    _unaccented(word.replace("đ", "d"))
    for phrase in signup_words.VERBS.get("vi", ())
    for word in phrase.casefold().split()
)


def _vietnamese_marks(text: str) -> set[str]:
    """Vietnamese is written a syllable at a time and its words are mostly two ("bầu cử", election; "cử tri",
    voter): every pair of syllables with a syllable that says something, and such syllables alone, accents folded
    (a phone's "bau cu" is "bầu cử")."""
    syllables = [word.replace("đ", "d") for word in re.findall(r"\w+", _unaccented(text.casefold()))]
    bare = VI_STOP_SYLLABLES | _GENERIC_VI
    pairs = {f"{a}_{b}" for a, b in itertools.pairwise(syllables) if not {a, b} <= bare}
    return pairs | {syllable for syllable in syllables if syllable not in bare}


def marks(text: str, *, vietnamese: bool = False) -> set[str]:
    """What names a service in `text`: word stems (their first four letters; two syllables of Korean; Arabic
    after its article), Han bigrams, and Vietnamese syllables and their pairs."""
    if vietnamese or looks_vietnamese(text):
        return _vietnamese_marks(text)
    marks = {
        _stem(word)
        for word in re.findall(r"\w+", _HAN.sub(" ", text))
        if (len(word) > 2 or (len(word) == 2 and _HANGUL.match(word)))
        and word not in _GENERIC
        and _unaccented(word) not in signup_words.GENERIC
        and _stem(word) not in _GENERIC_STEMS
    }
    for run in _HAN.findall(text):
        # A generic word's characters start no other mark: "我想登记投票" is "投票" (to vote), not also "想登", "记投".
        generic = {i + k for i in range(len(run) - 1) if run[i : i + 2] in _GENERIC_HAN for k in (0, 1)}
        marks.update(
            run[i : i + 2]
            for i in range(len(run) - 1)
            if run[i : i + 2] not in _GENERIC_HAN and not {i, i + 1} & generic
        )
    return marks
