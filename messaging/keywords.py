"""The words that stop and restart everything a channel sends to a person, in every language the portal
speaks, and which of them the provider already answered itself.

A word counts only as the whole message (case, accents, spaces and a trailing "." or "!" aside), as the
carriers and Twilio count it: "stop" is one, "stop sending me the menu" is not. None of them is a word the
chat uses to leave a form ("cancel", "abbrechen", "hủy", "취소", … stay the form's, `chat.engine.engine`):
STOP itself is the one both know, and on a channel it stops the messages.

Twilio answers its own keywords on a long code (its "Advanced Opt-Out"): for STOP, UNSUBSCRIBE, END, QUIT,
STOPALL, REVOKE, OPTOUT and CANCEL it texts the person its standard confirmation and refuses every later
message to them (error 21610); START, YES and UNSTOP undo that, again with its own reply; with Advanced
Opt-Out configured on a Messaging Service the webhook says so (`OptOutType=STOP|START|HELP`), for whatever
keywords the service lists. So on SMS those words are recorded here but not confirmed again
(`messaging.providers.sms` marks them), and the words only this module knows ("退订", "baja", …) are
confirmed by us, as on WhatsApp, Telegram and Messenger.
"""

from __future__ import annotations

import re
import unicodedata

# Each language's words; a word listed under one language only says the person's language too.
OPT_OUT_WORDS = {
    "en": (
        "stop", "stopall", "stop all", "unsubscribe", "cancel subscription", "end", "quit", "optout", "opt out",
        "opt-out", "revoke",
    ),
    "es": ("baja", "darme de baja", "dar de baja", "cancelar suscripcion", "desuscribir", "parar"),
    "zh-hans": ("退订", "退訂", "取消订阅", "取消訂閱"),
    "fr": ("arret", "arrete", "desabonner", "desabonnement", "desinscrire"),
    "vi": ("ngung", "huy dang ky"),
    "ko": ("수신거부", "수신 거부", "구독취소", "구독 취소"),
    "ar": ("ايقاف", "إيقاف", "توقف", "الغاء الاشتراك", "إلغاء الاشتراك"),
    "de": ("stopp", "abmelden", "abbestellen"),
}  # fmt: skip
OPT_IN_WORDS = {
    "en": ("start", "unstop", "subscribe", "resume"),
    "es": ("alta", "reanudar"),
    "zh-hans": ("订阅", "訂閱", "恢复订阅"),
    "fr": ("reprendre", "abonner"),
    "vi": ("tiep tuc", "dang ky lai"),
    "ko": ("수신동의", "수신 동의", "다시 받기"),
    "ar": ("اشتراك", "ابدأ"),
    "de": ("fortsetzen", "abonnieren"),
}

# Twilio's own keywords on a long code (answered and enforced by Twilio without Advanced Opt-Out).
TWILIO_OPT_OUT = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "revoke", "optout", "cancel"})
TWILIO_OPT_IN = frozenset({"start", "yes", "unstop"})

STOP, START = "stop", "start"


def keyword_form(text: str) -> str:
    """The message as the words above are written: lower case, no accents, one space between words."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text).replace("đ", "d")  # Hangul composed again; Vietnamese đ is d
    return re.sub(r"\s+", " ", text).strip().strip(".!。").strip()


def _index(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{word: its language, or "" when several languages use it}"""
    index: dict[str, str] = {}
    for language, listed in words.items():
        for word in listed:
            form = keyword_form(word)
            index[form] = language if index.get(form, language) == language else ""
    return index


_OPT_OUT = _index(OPT_OUT_WORDS)
_OPT_IN = _index(OPT_IN_WORDS)


def subscription_keyword(text: str) -> tuple[str, str] | None:
    """(STOP or START, the language the word says or "") for a message that is one of the words, else None."""
    form = keyword_form(text)
    if form in _OPT_OUT:
        return STOP, _OPT_OUT[form] if _OPT_OUT[form] != "en" else ""
    if form in _OPT_IN:
        return START, _OPT_IN[form] if _OPT_IN[form] != "en" else ""
    return None


def twilio_keyword(text: str) -> str:
    """STOP or START when Twilio answers this message itself on a long code (its default keywords), else ""."""
    form = keyword_form(text)
    if form in TWILIO_OPT_OUT:
        return STOP
    if form in TWILIO_OPT_IN:
        return START
    return ""
