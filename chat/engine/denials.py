# ruff: noqa: RUF002 - Chinese text uses its own punctuation
"""The ask after a turn in the message: what a citizen says the message is not, or that what they want to know comes
now, and then what they want.

- *A denied act or kind of message first* ("no I don't want to report anything, I just want off the alert list", "No
  quiero denunciar nada eh, solo saber si …", "ya no tengo preguntas, … ahora sí quiero sacar la cita", "질문 아니고요 …
  이제 텃밭 신청할게요", "不是要投诉，就是想问一下 …"): the denied word names an intent the message is not (the report
  keyword won in the first two, the model read a status in the others); the part after the denial's clause decides.
- *What they want to know announced after a story* ("… eso ya lo reportó mi vecino. Lo que yo quiero saber es si …",
  "the light was already reported by my neighbour; what I want to know is …"): the part after the announcement is a
  question, unless it asks after something sent, for a person, a sign-up or the alerts.

Compared normalized (`chat.engine.matching.normalize`: lower case, no accents); Han, Hangul and Arabic words anywhere,
the others as a word's beginning. Used by `chat.understanding`.
"""

from __future__ import annotations

import re

from chat.engine.matching import _AFFIXED, _HAN, _WORD, normalize
from chat.engine.negation import NEGATIONS

# Acts and kinds of message a citizen says the message is not (a word's beginning; Han, Hangul, Arabic anywhere).
DENIABLE = {
    "en": ["report", "complain", "complaint", "question", "regist", "sign up", "signing up", "enrol", "subscrib",
           "file a", "filing a"],
    "es": ["report", "denunci", "queja", "quejar", "reclam", "pregunta", "duda", "consulta", "inscrib", "registr",
           "apunt", "anot"],
    "de": ["meld", "beschwer", "reklam", "frage", "anmeld", "registrier", "einschreib"],
    "fr": ["signal", "plainte", "plaindre", "reclam", "question", "inscri"],
    "vi": ["bao cao", "phan anh", "khieu nai", "than phien", "cau hoi", "hoi", "dang ky", "to cao"],
    "ko": ["신고", "민원", "불만", "항의", "질문", "문의", "신청", "등록", "접수"],
    "zh-hans": ["举报", "报告", "投诉", "报修", "问题", "提问", "咨询", "报名", "登记", "注册", "申请"],
    "ar": ["بلاغ", "ابلغ", "أبلغ", "الإبلاغ", "شكوى", "اشتكي", "أشتكي", "سؤال", "اسئلة", "أسئلة", "تسجيل", "اسجل", "أسجل",
           "nbelegh", "nballagh", "chikaya", "shakwa", "so2al", "as2ila"],
}  # fmt: skip
# A person or talking to one, refused ("non non je veux pas parler à quelqu'un, je voulais juste dire que la fille au
# téléphone a été super patiente", "不用转人工, 就是想说 …", "상담원 연결은 괜찮아요, …"): the rest (praise, mostly) decides.
PERSON_DENIABLE = {
    "en": ["talk to", "speak to", "speak with", "talk with", "agent", "human", "operator", "representative"],
    "es": ["hablar", "agente", "asesor", "operador", "humano", "que me pase", "que me pasen"],
    "de": ["sprechen", "reden", "mitarbeiter", "sachbearbeiter", "menschen", "verbinden", "durchstellen"],
    "fr": ["parler", "conseiller", "un humain", "agent", "operateur"],
    "vi": ["gap nhan vien", "nhan vien", "noi chuyen", "tong dai vien", "nguoi that", "chuyen may"],
    "ko": ["상담원", "상담사"],
    "zh-hans": ["转人工", "人工", "真人", "客服", "转接"],
    "ar": ["موظف", "احكي مع", "أحكي مع", "اكلم", "أكلم", "حولني", "تحولني", "mwazzaf", "mwazaf", "e7ki"],
}  # fmt: skip
# Negations a denial opens with, besides `chat.engine.negation.NEGATIONS`.
MORE_NEGATIONS = frozenset(["nichts", "nix", "ne", "khong phai", "chang phai", "msh", "mesh", "mush", "machi",
                            "mashi", "mafiya", "ma3andish", "ma3ndich"])  # fmt: skip
NEGATION_WINDOW = 4  # words between a negation and the denied word ("don't want to report", "ya no tengo preguntas")
HAN_DENIALS = ("不是", "不想", "不要", "没有", "没", "不用", "并非", "并不是", "不需要", "用不着")
# A verb asked as "A or not A" denies nothing: "要不要申请许可" (must one apply for a permit?), "是不是", "有没有", "用不用".
HAN_ASKING = ("要不要", "是不是", "有没有", "用不用", "需不需要", "想不想", "能不能", "可不可以")
HAN_WINDOW = 4  # characters between them and the denied word ("不是要投诉")
# Korean denies after the word: "질문 아니고요", "신고하려는 게 아니라", "문의는 없고요", "신고 안 할게요".
KOREAN_DENIALS = ("아니", "없", "안 ", "괜찮")  # (괜찮아요 after an offer: no, thank you)
KOREAN_WINDOW = 24  # in letters as normalized (Hangul as its jamo: about eight syllables)
# What they want to know, announced: the part after it is a question.
KNOWING = {
    "en": ["what i want to know is", "what i wanna know is", "what i want to know", "what i'd like to know is",
           "what i would like to know is", "all i want to know is", "my question is", "my question is,",
           "my actual question is", "the question is", "i just want to know", "i only want to know",
           "i just wanna know", "i just want to ask", "i only want to ask"],
    "es": ["lo que quiero saber", "lo que yo quiero saber", "lo que quisiera saber", "lo que me interesa saber",
           "mi pregunta es", "la pregunta es", "solo quiero saber", "solo quisiera saber", "nomas quiero saber",
           "nada mas quiero saber", "solo saber", "nomas saber", "solo preguntar", "solo queria preguntar",
           "solo queria saber"],
    "de": ["was ich wissen will", "was ich wissen mochte", "was ich wissen wollte", "meine frage ist",
           "meine frage ware", "die frage ist", "ich will nur wissen", "ich mochte nur wissen", "ich wollte nur wissen",
           "ich will nur fragen", "ich wollte nur fragen", "ich mochte nur fragen"],
    "fr": ["ce que je veux savoir", "ce que je voudrais savoir", "ce que j'aimerais savoir", "ma question c'est",
           "ma question est", "ma question, c'est", "la question c'est", "je veux juste savoir",
           "je voudrais juste savoir", "je veux seulement savoir", "je veux juste demander", "je voulais juste savoir",
           "je voulais juste demander"],
    "vi": ["điều tôi muốn biết", "cái tôi muốn biết", "điều tôi muốn hỏi", "cái tôi muốn hỏi", "câu hỏi của tôi là",
           "tôi chỉ muốn hỏi", "tôi chỉ muốn biết", "em chỉ muốn hỏi", "em chỉ muốn biết", "mình chỉ muốn hỏi",
           "mình chỉ muốn biết", "chỉ muốn hỏi", "chỉ muốn biết", "điều em muốn hỏi", "điều mình muốn hỏi"],
    "ko": ["궁금한 건", "궁금한 것은", "궁금한 거는", "궁금한게", "궁금한 게", "제 질문은", "여쭤보고 싶은 건",
           "묻고 싶은 건", "알고 싶은 건", "그냥 궁금해서 여쭤", "그냥 여쭤"],
    "zh-hans": ["我想问的是", "我想知道的是", "我的问题是", "我就是想问", "我只是想问", "只是想问", "就是想问",
                "我就想问", "就想问", "只想问", "只想知道", "就想知道", "我想了解的是"],
    "ar": ["اللي بدي اعرفه", "اللي بدي أعرفه", "اللي عايز اعرفه", "اللي عايز أعرفه", "اللي ابي اعرفه", "اللي أبي أعرفه",
           "ما أريد معرفته", "ما اريد معرفته", "سؤالي هو", "سؤالي", "بس بدي اعرف", "بس عايز اعرف", "فقط أريد أن أعرف",
           "بس ابي اعرف", "bghit ghir n3ref", "ghir bghit n3ref", "bas baddi a3ref", "bas 3ayez a3raf"],
}  # fmt: skip
# Words that open the ask after a denial's clause with no punctuation ("… report anything I just want off the list").
PIVOTS = {
    "en": ["just", "only", "but", "i just", "i only", "all i want", "now"],
    "es": ["solo", "sólo", "nomas", "nomás", "pero", "sino", "ahora", "nada mas", "nada más"],
    "de": ["nur", "sondern", "aber", "jetzt", "ich will nur", "ich möchte nur"],
    "fr": ["juste", "seulement", "mais", "maintenant", "je veux juste", "je voudrais juste"],
    "vi": ["chỉ", "mà", "nhưng", "giờ", "bây giờ", "chỉ là"],
    "ko": ["그냥", "이제", "근데", "다만"],
    "zh-hans": ["只是", "就是", "只想", "就想", "但是", "现在", "我想"],
    "ar": ["فقط", "بس", "لكن", "بل", "الحين", "هلق", "دلوقتي", "ghir", "bas", "walakin"],
}  # fmt: skip
_CLAUSE_END = re.compile(r"[.!?;:,\n\u3002\uff01\uff1f\uff1b\uff0c\u3001\u060c\u061b\u061f\u2026]|\s[-\u2013\u2014]\s")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
MIN_REST_LETTERS = 6  # the ask after the turn: at least this many letters (3 Han characters count as 6)


def _pattern(word: str) -> re.Pattern:
    word = normalize(word)
    if _HAN.search(word) or _AFFIXED.search(word):
        return re.compile(re.escape(word))
    # (after a French elision too: "je m'inscris pas", "s'inscrire")
    return re.compile(rf"(?:(?<![\w'])|(?<=\b[mtsdlnjc]')){re.escape(word)}")


def _whole(word: str) -> re.Pattern:
    word = normalize(word)
    if _HAN.search(word) or _AFFIXED.search(word):
        return re.compile(re.escape(word))
    return re.compile(rf"(?<![\w']){re.escape(word)}(?![\w'])")


_DENIABLE = [_pattern(word) for table in (DENIABLE, PERSON_DENIABLE) for words in table.values() for word in words]
_KNOWING = sorted({normalize(w) for words in KNOWING.values() for w in words}, key=len, reverse=True)
_KNOWING_PATTERNS = [_whole(word) for word in _KNOWING]
_PIVOTS = [_whole(word) for words in PIVOTS.values() for word in words]
_NEGATIONS = {normalize(word) for word in NEGATIONS | MORE_NEGATIONS}
_KOREAN_DENIALS = tuple(normalize(word) for word in KOREAN_DENIALS)
# French denies after the verb, its "ne" dropped in speech ("je m'inscris pas tout de suite, je me renseigne"): "pas",
# "plus", "rien" or "jamais" right after the denied word (its ending first); not "pas mal" (quite a lot).
_AFTER_WORD = re.compile(r"[\w']*\s+(pas|plus|jamais|rien)\b")
_FRENCH_NOT_DENYING = re.compile(r"pas mal\b|plus tard\b|plus de\b")
_NO_PROBLEM = "没问题"  # "no problem" (all right), no denied question


def _negated_before(before: str) -> bool:
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    before = (
        before[ends[-1] :] if ends else before
    )  # within its clause ("… có nhỏ quá không, muốn đăng ký": a question)
    window = before[-(HAN_WINDOW + 6) :]
    for asking in HAN_ASKING:
        window = window.replace(asking, " ")
    window = window[-(HAN_WINDOW + 3) :]
    if _HAN.search(window) and any(denial in window for denial in HAN_DENIALS):
        return True
    words = _WORD.findall(before.replace("n't", " not"))[-NEGATION_WINDOW:]
    window = f" {' '.join(words)} "
    return any(f" {negation} " in window for negation in _NEGATIONS)


def _denial_end(normalized: str) -> int:
    """Where the word that denies an act or a kind of message ends (-1: none denied)."""
    for pattern in _DENIABLE:
        for found in pattern.finditer(normalized):
            after = normalized[found.end() : found.end() + KOREAN_WINDOW]
            korean = next((after.find(word) for word in _KOREAN_DENIALS if word in after), -1)
            if korean >= 0 and _AFFIXED.search(found.group()):
                # the end of the word that denies it ("질문 아니고요 …": after "아니고요")
                space = normalized.find(" ", found.end() + korean + 1)
                return space if space >= 0 else len(normalized)
            if normalized.startswith(_NO_PROBLEM, max(0, found.start() - 1)):
                continue
            if _negated_before(normalized[: found.start()]):
                return found.end()
            after_word = _AFTER_WORD.match(normalized, found.end())
            if after_word and not _FRENCH_NOT_DENYING.match(normalized, after_word.start(1)):
                return after_word.end()  # "je m'inscris pas tout de suite", "je signale rien": French drops its "ne"
    return -1


def _rest_after(normalized: str, text: str, start: int) -> str:
    """The original text from the first clause end or pivot word after `start` (normalized offsets), or ""."""
    ends = [m.start() for m in (_CLAUSE_END.search(normalized, start),) if m]
    ends += [m.start() for pattern in _PIVOTS for m in (pattern.search(normalized, start),) if m]
    if not ends:
        return ""
    return _rest_from(normalized, text, min(ends))


def _rest_from(normalized: str, text: str, cut: int) -> str:
    """The original text from `cut` (a normalized offset) without its leading punctuation, or "" when too short."""
    rest = _original_from(text, normalized, cut)
    rest = re.sub(r"^[\W_]+", "", rest)
    letters = len(_LETTERS.findall(_HAN.sub("", rest))) + 2 * len(_HAN.findall(rest))
    return rest if letters >= MIN_REST_LETTERS else ""


def _original_from(text: str, normalized: str, offset: int) -> str:
    """`text` from the place `normalized[offset:]` begins (normalizing keeps the characters' order; the count of
    characters may differ, so the place is found by normalizing `text`'s prefixes)."""
    target = normalize(normalized[:offset])
    low, high = 0, len(text)
    while low < high:  # the shortest prefix of `text` whose normalized form is as long as the target
        middle = (low + high) // 2
        if len(normalize(text[:middle])) < len(target):
            low = middle + 1
        else:
            high = middle
    return text[low:]


def after_a_denial(text: str) -> str:
    """The ask beside a denied act or kind of message ("no I don't want to report anything, I just want off the alert
    list" → "I just want off the alert list"), or "". A denial said last ("How long does a pothole take to fix? I'm
    not reporting one, just asking") leaves little after it: the part before it, when longer, is the ask."""
    normalized = normalize(text)
    end = _denial_end(normalized)
    if end < 0:
        return ""
    # A denial closed by its own comma ("신고하려는 건 아니고요, 가로등 …": Korean denies after the word, and its end is
    # the clause's) is followed by the ask; its clause began before it, not at that comma.
    denial = re.sub(r"[\W_]+$", "", normalized[:end])
    closed = _CLAUSE_END.search(normalized[len(denial) : end]) is not None
    rest = _rest_from(normalized, text, end) if closed else _rest_after(normalized, text, end)
    starts = [m.end() for m in _CLAUSE_END.finditer(denial)]
    before = _original_to(text, normalized, starts[-1]) if starts else ""
    return before if _letters(before) > max(_letters(rest), MIN_REST_LETTERS - 1) else rest


def _letters(text: str) -> int:
    return len(_LETTERS.findall(_HAN.sub("", text))) + 2 * len(_HAN.findall(text))


def _original_to(text: str, normalized: str, offset: int) -> str:
    rest = _original_from(text, normalized, offset)
    return text[: len(text) - len(rest)].strip()


def opens_with_knowing(text: str) -> str:
    """What they want to know, when the message opens with its announcement ("je veux seulement savoir jusqu'à quand on
    peut s'inscrire", the ask left after a denial), or ""."""
    normalized = normalize(text)
    for pattern in _KNOWING_PATTERNS:
        found = pattern.match(normalized)
        if found is None:
            continue
        rest = re.sub(r"^[\W_]+", "", _original_from(text, normalized, found.end()))
        return rest if _letters(rest) >= MIN_REST_LETTERS else ""
    return ""


def after_knowing(text: str) -> str:
    """What they want to know, after its announcement ("… lo que yo quiero saber es si puedo poner una rampa" → "si
    puedo poner una rampa"), or "": only when the announcement follows something told (a message that opens with it is
    read whole)."""
    normalized = normalize(text)
    for pattern in _KNOWING_PATTERNS:
        found = pattern.search(normalized)
        if found is None or len(_LETTERS.findall(normalized[: found.start()])) < MIN_REST_LETTERS:
            continue
        rest = re.sub(r"^[\W_]+", "", _original_from(text, normalized, found.end()))
        rest = re.sub(r"^(?:es|is|ist|est|c'est|là|la|هو)\b[\s,:]*", "", rest, flags=re.IGNORECASE)
        letters = len(_LETTERS.findall(_HAN.sub("", rest))) + 2 * len(_HAN.findall(rest))
        return rest if letters >= MIN_REST_LETTERS else ""
    return ""
