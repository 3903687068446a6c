"""A government service addresses people politely in every language. Vietnamese: "Quý vị", never the casual
"bạn", and requests with "vui lòng" rather than the bare imperative "hãy"/"đừng" (and no chatty "nhé").

The catalogues are checked, and the Vietnamese texts the registration engine keeps in Python. No native
speaker has reviewed these catalogues; this holds the register that was chosen, it does not prove the wording."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CASUAL_VI = re.compile(r"\b(?:[Bb]ạn|[Hh]ãy|[Đđ]ừng|nhé)\b")


def _messages(language: str):
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")):
            if entry.obsolete:
                continue
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield entry.msgid, text


def test_the_vietnamese_catalogue_is_read():
    texts = dict(_messages("vi"))
    assert texts["Your feedback"] == "Góp ý của Quý vị"


@pytest.mark.parametrize("language", ["vi"])
def test_vietnamese_messages_use_the_polite_address(language):
    casual = [(msgid, text) for msgid, text in _messages(language) if CASUAL_VI.search(text)]
    assert not casual, f"{len(casual)} casual Vietnamese messages, e.g. " + "; ".join(
        f"{msgid!r} → {text!r}" for msgid, text in casual[:5]
    )


def test_the_registration_engines_vietnamese_is_polite():
    from registrations.engine.i18n_more import MORE_MESSAGES

    casual = {key: text for key, text in MORE_MESSAGES["vi"].items() if CASUAL_VI.search(text)}
    assert not casual, casual


# Arabic: a request is "يُرجى" with a verbal noun ("يُرجى إدخال رقم"), a button or label a verbal noun ("إرسال
# رمز إليّ"), not a bare imperative ("أدخل رقمًا"). Unvocalised, a past tense looks the same as an imperative:
# these messages start with one ("قدّم %(actor)s …" is "… filed").
AR_IMPERATIVES = (
    "اكتب|أدخل|ادخل|اختر|انقر|اضغط|أرسل|تحقق|استخدم|أعد|اترك|احفظ|اطلب|أضف|ضع|قل|اسأل|راجع|انسخ|حدد|تأكد|"
    "اتصل|ابحث|اقرأ|ارفع|احذف|أفلت|جرّب|افتح|تواصل|أكّد|حاول|قدّم|حمّل|غيّر|تصفح|الصق|ابدأ|شارك|احصل|اطّلع|"
    "اطرح|احتفظ|ارجع|تابع|اجعل|أخبرنا|أجب|اذكر|اكتبه|صف(?= ال)"
)
AR_BARE_IMPERATIVE = re.compile(r"(?:^|[.!؟?؛:\n]\s*)(?:" + AR_IMPERATIVES + r")(?=\s|$|[.،:»])")
AR_PAST_TENSE = {
    "topic corrected by staff",
    "This person sent STOP: nothing is sent to them.",
    "Opted out by text message: the SMS provider confirmed it to the person itself.",
    "Opted in again by text message: the SMS provider confirmed it to the person itself.",
}


def test_arabic_messages_ask_formally():
    bare = [
        (msgid, text)
        for msgid, text in _messages("ar")
        if AR_BARE_IMPERATIVE.search(text) and msgid not in AR_PAST_TENSE and not msgid.startswith("%(actor)s")
    ]
    assert not bare, f"{len(bare)} Arabic messages give a bare order, e.g. " + "; ".join(
        f"{msgid!r} → {text!r}" for msgid, text in bare[:5]
    )


def test_the_registration_engines_arabic_asks_formally():
    from registrations.engine.i18n_more import MORE_MESSAGES

    bare = {key: text for key, text in MORE_MESSAGES["ar"].items() if AR_BARE_IMPERATIVE.search(text)}
    assert not bare, bare
