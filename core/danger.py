"""A message that tells of danger to someone right now (hurt, not breathing, a fire, a gas smell, a break-in, shots,
"call the police"), in the eight languages the chat speaks: the reply leads with "call 911" (`EMERGENCY_NUMBER`),
whatever else it does. A city's chat and a state's front door are not watched around the clock and route no
emergency; a citizen who tells them of one must hear at once where to turn (a 311 line says the same before its
menu). The reply is otherwise what it would have been: the notice costs a line when the words mislead
("the crew injured my lawn"), and nothing is taken away.

Phrases, not single words, where a word is also everyday ("fire" in "fire hydrant", "총" (gun) in "총 금액" (total),
"ban" in unaccented Vietnamese); no bare numbers ("112 Main St"). Matched on the folded text (case and, for Latin
letters, accents off) so that phone typing without accents still counts. Measured for false alarms on every labelled
intent set (bench/chat/data/intents_*.tsv): see bench/chat/RESULTS.md, session 27.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "not breathing",
        "stopped breathing",
        "unconscious",
        "heart attack",
        "is bleeding",
        "bleeding badly",
        "badly hurt",
        "someone is hurt",
        "people are hurt",
        "injured",
        "on fire",
        "house fire",
        "smell gas",
        "smells like gas",
        "gas leak",
        "breaking in",
        "broke in",
        "break-in",
        "intruder",
        "has a gun",
        "shots fired",
        "shooting",
        "stabbed",
        "overdose",
        "drowning",
        "being attacked",
        "call the police",
        "call 911",
    ),
    "es": (
        "no respira",
        "inconsciente",
        "infarto",
        "sangrando",
        "herido",
        "heridos",
        "herida grave",
        "incendio",
        "se esta quemando",
        "huele a gas",
        "fuga de gas",
        "un ladron",
        "ladrones",
        "se metieron a robar",
        "intruso",
        "disparos",
        "balacera",
        "apunalad*",
        "sobredosis",
        "se esta ahogando",
        "me estan atacando",
        "llamar a la policia",
        "llamen a la policia",
    ),
    "de": (
        "atmet nicht",
        "bewusstlos",
        "herzinfarkt",
        "blutet",
        "verletzt*",
        "es brennt",
        "haus brennt",
        "feuer im",
        "gasgeruch",
        "riecht nach gas",
        "gasleck",
        "einbrecher",
        "eingebrochen",
        "einbruch",
        "schusse",
        "erstochen",
        "uberdosis",
        "ertrinkt",
        "werde angegriffen",
        "polizei rufen",
        "notruf",
    ),
    "fr": (
        "ne respire plus",
        "ne respire pas",
        "inconscient*",
        "crise cardiaque",
        "saigne*",
        "blesse",
        "blesses",
        "blessee",
        "blessees",
        "en feu",
        "incendie",
        "odeur de gaz",
        "fuite de gaz",
        "cambrioleur",
        "cambriolage",
        "un voleur",
        "intrus",
        "coups de feu",
        "poignarde",
        "overdose",
        "se noie",
        "on m'agresse",
        "appeler la police",
        "appelez la police",
    ),
    "vi": (
        "cap cuu",
        "khong tho",
        "bat tinh",
        "dau tim",
        "chay mau",
        "bi thuong",
        "chay nha",
        "hoa hoan",
        "mui gas",
        "xi gas",
        "ro ri gas",
        "an trom",
        "trom vao nha",
        "ke cuop",
        "no sung",
        "bi dam",
        "soc thuoc",
        "chet duoi",
        "cuu voi",
        "goi cong an",
        "goi canh sat",
    ),
    "zh": (
        "报警",
        "着火",
        "失火",
        "火灾",
        "受伤",
        "流血",
        "昏迷",
        "不省人事",
        "没有呼吸",
        "没呼吸",
        "心脏病发作",
        "煤气泄漏",
        "燃气泄漏",
        "有煤气味",
        "有小偷",
        "闯进",
        "入室",
        "抢劫",
        "开枪",
        "枪击",
        "被刺",
        "溺水",
        "吸毒过量",
        "救命",
    ),
    "ko": (
        "숨을 안 쉬",
        "숨을 쉬지",
        "숨을 안쉬",
        "의식이 없",
        "심장마비",
        "피가 나",
        "피를 흘",
        "다쳤",
        "부상자",
        "불이 났",
        "불났",
        "화재",
        "가스 냄새",
        "가스냄새",
        "가스가 새",
        "도둑",
        "강도가 들",
        "침입",
        "총을",
        "총소리",
        "총격",
        "칼에 찔",
        "과다복용",
        "물에 빠",
        "살려주세요",
        "경찰 불러",
        "경찰에 신고",
    ),
    "ar": (
        "اسعاف",
        "لا يتنفس",
        "مش بيتنفس",
        "فاقد الوعي",
        "مغمى عليه",
        "ازمة قلبية",
        "ينزف",
        "بينزف",
        "نزيف",
        "مصاب",
        "جرحى",
        "حريق",
        "ولعت",
        "ريحة غاز",
        "رائحة غاز",
        "تسرب غاز",
        "حرامي",
        "اقتحم",
        "اطلاق نار",
        "ضرب نار",
        "انطعن",
        "مطعون",
        "جرعة زائدة",
        "الحقوني",
        "البوليس",
        "الشرطة",
    ),
}


def _fold(text: str) -> str:
    """Lower case; Latin letters without accents (đ as d); Arabic without its hamza seats and short vowels."""
    text = text.casefold().replace("đ", "d").replace("\u2019", "'")
    text = re.sub("[\u0623\u0625\u0622]", "\u0627", text)  # the hamza seats as a plain alef
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@functools.cache
def _pattern() -> re.Pattern:
    parts = []
    for phrases in PHRASES.values():
        for phrase in phrases:
            stem = phrase.endswith("*")
            folded = re.escape(_fold(phrase.rstrip("*")))
            if _BOUNDLESS.search(phrase):
                parts.append(folded)  # Han and Hangul: no spaces between words
            else:
                # a word's start and, unless a stem ("apunalad*" takes its endings), its end: "مصاب" (hurt) is not
                # "مصابيح" (lamps), "blesse" not "blessed"
                parts.append(rf"(?<!\w){folded}" + ("" if stem else r"(?!\w)"))
    return re.compile("|".join(parts))


_BOUNDLESS = re.compile("[\u3040-\u9fff\uac00-\ud7af]")


def in_danger(text: str | None) -> bool:
    """Whether the message tells of danger to someone now, in any of the eight languages."""
    if not text or not text.strip():
        return False
    # Hangul and Han are kept as written: folding would decompose Hangul into its letters
    return bool(_pattern().search(_fold(text)) or _pattern().search(text.casefold()))


def danger_notice() -> str:
    """The line a reply leads with, in the active language."""
    number = getattr(settings, "EMERGENCY_NUMBER", "911")
    return _("If anyone is in danger or hurt right now, call %(number)s. This service cannot send help.") % {
        "number": number
    }
