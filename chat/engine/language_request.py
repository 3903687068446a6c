"""Is a message typed at a form's question a request to go on in another language ("sorry, can we continue in English
please", "en español por favor", "I don't speak German")? Then it is not the answer: the conversation turns to the
message's language and the question is asked again in it (`chat.engine.forms`). Found by the session-24 walk: such a
message, typed at "Describe the problem", became a German report's description.

A request names a language (any of the chat's, in any of them) and is written in another language than the
conversation's, in a few words. A description that mentions a language in the conversation's own language ("das
Schild ist nur auf Englisch") is no request: the language did not change."""

from __future__ import annotations

import re
import unicodedata

from core.language import primary

# The chat's languages named in each of them (Latin-script names without accents, as phones often type them).
_NAMES = {
    "en": "english ingles anglais englisch tieng-anh 英语 英文 영어 الإنجليزية الانجليزية الإنكليزية",
    "es": "spanish espanol castellano espagnol spanisch tieng-tay-ban-nha 西班牙语 西班牙文 스페인어 الإسبانية الاسبانية",
    "zh": "chinese mandarin chino chinois chinesisch tieng-trung 中文 汉语 普通话 华语 중국어 الصينية",
    "de": "german aleman allemand deutsch tieng-duc 德语 德文 독일어 الألمانية الالمانية",
    "fr": "french frances francais franzosisch tieng-phap 法语 法文 프랑스어 الفرنسية",
    "vi": "vietnamese vietnamita vietnamien vietnamesisch tieng-viet 越南语 越南文 베트남어 الفيتنامية",
    "ko": "korean coreano coreen koreanisch tieng-han 韩语 韩文 朝鲜语 한국어 الكورية",
    "ar": "arabic arabe arabisch tieng-a-rap 阿拉伯语 阿拉伯文 아랍어 العربية",
}
_LATIN = [name.replace("-", " ") for names in _NAMES.values() for name in names.split() if name.isascii()]
_OTHER = [name for names in _NAMES.values() for name in names.split() if not name.isascii()]
_LATIN_RE = re.compile(r"\b(?:%s)\b" % "|".join(sorted(map(re.escape, _LATIN), key=len, reverse=True)))  # noqa: UP031
MAX_WORDS = 12  # a request is short; a description that happens to name a language is longer


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")


def names_a_language(text: str) -> bool:
    folded = _fold(text or "")
    return bool(_LATIN_RE.search(folded)) or any(name in (text or "") for name in _OTHER)


def asks_for_a_language(text: str, conversation_language: str | None, language: str | None) -> bool:
    """`text`, written in `language` while the conversation was in `conversation_language`, asks to go on in a
    language (the one it is written in, or names)."""
    if not text or not conversation_language or not language:
        return False
    if primary(conversation_language) == primary(language) or len(text.split()) > MAX_WORDS:
        return False
    return names_a_language(text)
