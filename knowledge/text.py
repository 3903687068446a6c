"""Language-agnostic text handling shared by ingestion, indexing and retrieval.

Normalisation is NFKC + casefold (full-width digits in Chinese text, German ß → ss). Words are runs of
letters/digits; CJK runs (no spaces) become overlapping character bigrams, because PostgreSQL has no
Chinese parser. The full-text column is built from these tokens with the 'simple' configuration, so
the same tokens are used on both sides. Deterministic across processes (no salted `hash()`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

_CJK = (
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u3400-\u4dbf"  # CJK ext A
    "\u4e00-\u9fff"  # CJK unified
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
_RUN_RE = re.compile(r"([%s]+)|([^\W_]+(?:['\u2019][^\W_]+)*)" % _CJK)  # noqa: UP031
_CJK_CHAR_RE = re.compile(r"[%s]" % _CJK)  # noqa: UP031
_APOS_RE = re.compile(r"['\u2019]")
_UNITS_RE = re.compile(r"[%s]|[^\s%s]+" % (_CJK, _CJK))  # noqa: UP031


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def runs(text: str) -> Iterable[tuple[bool, str]]:
    """(is_cjk, run) for each CJK run or word; internal apostrophes dropped."""
    for match in _RUN_RE.finditer(normalize(text)):
        if match.group(1):
            yield True, match.group(1)
        else:
            yield False, _APOS_RE.sub("", match.group(2))


def cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    out: list[str] = []
    for is_cjk, run in runs(text):
        if is_cjk:
            out.extend(cjk_bigrams(run))
        else:
            out.append(run)
    return out


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR_RE.search(text or ""))


def count_units(text: str) -> int:
    """Words, counting each CJK character as one unit."""
    return len(_UNITS_RE.findall(text or ""))


def split_units(text: str, max_units: int, overlap: int) -> list[str]:
    """Windows of at most `max_units` units (a word or a CJK character) with `overlap`."""
    units = _UNITS_RE.findall(text or "")
    if len(units) <= max_units:
        return [text.strip()] if text and text.strip() else []
    step = max(1, max_units - overlap)
    out = []
    for start in range(0, len(units), step):
        window = units[start : start + max_units]
        parts = [window[0]]
        for prev, cur in itertools.pairwise(window):
            # No space between two CJK characters, so bigrams survive re-tokenisation.
            parts.append(cur if (_CJK_CHAR_RE.fullmatch(prev[-1]) and _CJK_CHAR_RE.fullmatch(cur[0])) else " " + cur)
        out.append("".join(parts))
        if start + max_units >= len(units):
            break
    return out


# Query-side stop lists only (documents are indexed without stop-word removal): ts_rank has no IDF,
# so "what is the" would otherwise dominate OR queries.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "a",
            "about",
            "above",
            "after",
            "again",
            "against",
            "all",
            "am",
            "an",
            "and",
            "any",
            "are",
            "arent",
            "as",
            "at",
            "be",
            "because",
            "been",
            "before",
            "being",
            "below",
            "between",
            "both",
            "but",
            "by",
            "can",
            "cant",
            "cannot",
            "could",
            "couldnt",
            "did",
            "didnt",
            "do",
            "does",
            "doesnt",
            "doing",
            "dont",
            "down",
            "during",
            "each",
            "few",
            "for",
            "from",
            "further",
            "had",
            "hadnt",
            "has",
            "hasnt",
            "have",
            "havent",
            "having",
            "he",
            "her",
            "here",
            "hers",
            "herself",
            "him",
            "himself",
            "his",
            "how",
            "i",
            "if",
            "in",
            "into",
            "is",
            "isnt",
            "it",
            "its",
            "itself",
            "lets",
            "me",
            "more",
            "most",
            "my",
            "myself",
            "no",
            "nor",
            "not",
            "of",
            "off",
            "on",
            "once",
            "only",
            "or",
            "other",
            "ought",
            "our",
            "ours",
            "ourselves",
            "out",
            "over",
            "own",
            "same",
            "she",
            "should",
            "shouldnt",
            "so",
            "some",
            "such",
            "than",
            "that",
            "the",
            "their",
            "theirs",
            "them",
            "themselves",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "through",
            "to",
            "too",
            "under",
            "until",
            "up",
            "very",
            "was",
            "wasnt",
            "we",
            "were",
            "werent",
            "what",
            "when",
            "where",
            "which",
            "while",
            "who",
            "whom",
            "why",
            "will",
            "with",
            "wont",
            "would",
            "wouldnt",
            "you",
            "your",
            "yours",
            "yourself",
            "yourselves",
            "im",
            "ive",
            "youre",
            "theres",
            "get",
        ]
    ),
    "de": frozenset(
        [
            "aber",
            "alle",
            "allem",
            "allen",
            "aller",
            "alles",
            "als",
            "also",
            "am",
            "an",
            "ander",
            "andere",
            "anderem",
            "anderen",
            "anderer",
            "anderes",
            "anderm",
            "andern",
            "anderr",
            "anders",
            "auch",
            "auf",
            "aus",
            "bei",
            "bin",
            "bis",
            "bist",
            "da",
            "damit",
            "dann",
            "das",
            "dass",
            "dasselbe",
            "dazu",
            "dein",
            "deine",
            "deinem",
            "deinen",
            "deiner",
            "deines",
            "dem",
            "demselben",
            "den",
            "denn",
            "denselben",
            "der",
            "derer",
            "derselbe",
            "derselben",
            "des",
            "desselben",
            "dessen",
            "dich",
            "die",
            "dies",
            "diese",
            "dieselbe",
            "dieselben",
            "diesem",
            "diesen",
            "dieser",
            "dieses",
            "dir",
            "doch",
            "dort",
            "du",
            "durch",
            "ein",
            "eine",
            "einem",
            "einen",
            "einer",
            "eines",
            "einig",
            "einige",
            "einigem",
            "einigen",
            "einiger",
            "einiges",
            "einmal",
            "er",
            "es",
            "etwas",
            "euch",
            "euer",
            "eure",
            "eurem",
            "euren",
            "eurer",
            "eures",
            "für",
            "gegen",
            "gewesen",
            "hab",
            "habe",
            "haben",
            "hat",
            "hatte",
            "hatten",
            "hier",
            "hin",
            "hinter",
            "ich",
            "ihm",
            "ihn",
            "ihnen",
            "ihr",
            "ihre",
            "ihrem",
            "ihren",
            "ihrer",
            "ihres",
            "im",
            "in",
            "indem",
            "ins",
            "ist",
            "jede",
            "jedem",
            "jeden",
            "jeder",
            "jedes",
            "jene",
            "jenem",
            "jenen",
            "jener",
            "jenes",
            "jetzt",
            "kann",
            "kein",
            "keine",
            "keinem",
            "keinen",
            "keiner",
            "keines",
            "können",
            "könnte",
            "machen",
            "man",
            "manche",
            "manchem",
            "manchen",
            "mancher",
            "manches",
            "mein",
            "meine",
            "meinem",
            "meinen",
            "meiner",
            "meines",
            "mich",
            "mir",
            "mit",
            "muss",
            "musste",
            "nach",
            "nicht",
            "nichts",
            "noch",
            "nun",
            "nur",
            "ob",
            "oder",
            "ohne",
            "sehr",
            "sein",
            "seine",
            "seinem",
            "seinen",
            "seiner",
            "seines",
            "selbst",
            "sich",
            "sie",
            "sind",
            "so",
            "solche",
            "solchem",
            "solchen",
            "solcher",
            "solches",
            "soll",
            "sollte",
            "sondern",
            "sonst",
            "über",
            "um",
            "und",
            "uns",
            "unsere",
            "unserem",
            "unseren",
            "unser",
            "unseres",
            "unter",
            "viel",
            "vom",
            "von",
            "vor",
            "während",
            "war",
            "waren",
            "warst",
            "was",
            "weg",
            "weil",
            "weiter",
            "welche",
            "welchem",
            "welchen",
            "welcher",
            "welches",
            "wenn",
            "werde",
            "werden",
            "wie",
            "wieder",
            "will",
            "wir",
            "wird",
            "wirst",
            "wo",
            "wollen",
            "wollte",
            "würde",
            "würden",
            "zu",
            "zum",
            "zur",
            "zwar",
            "zwischen",
            "wann",
            "warum",
            "wer",
            "wen",
            "wem",
            "wieso",
            "weshalb",
        ]
    ),
    "es": frozenset(
        [
            "a",
            "al",
            "algo",
            "algunas",
            "algunos",
            "ante",
            "antes",
            "como",
            "con",
            "contra",
            "cual",
            "cuando",
            "de",
            "del",
            "desde",
            "donde",
            "durante",
            "e",
            "el",
            "ella",
            "ellas",
            "ellos",
            "en",
            "entre",
            "era",
            "es",
            "esa",
            "esas",
            "ese",
            "eso",
            "esos",
            "esta",
            "estas",
            "este",
            "esto",
            "estos",
            "fue",
            "ha",
            "hay",
            "la",
            "las",
            "le",
            "les",
            "lo",
            "los",
            "mas",
            "me",
            "mi",
            "mis",
            "mucho",
            "muy",
            "nada",
            "ni",
            "no",
            "nos",
            "o",
            "otra",
            "otro",
            "para",
            "pero",
            "poco",
            "por",
            "porque",
            "que",
            "qué",
            "quien",
            "se",
            "ser",
            "si",
            "sin",
            "sobre",
            "son",
            "su",
            "sus",
            "también",
            "te",
            "tengo",
            "tiene",
            "tu",
            "un",
            "una",
            "uno",
            "unos",
            "y",
            "ya",
            "yo",
            "cómo",
            "dónde",
            "cuál",
            "puedo",
        ]
    ),
    "zh": frozenset(
        [
            "什么",
            "怎么",
            "如何",
            "是否",
            "可以",
            "哪些",
            "哪里",
            "为什么",
            "多少",
            "吗",
            "呢",
            "的",
            "了",
            "是",
            "我",
            "我们",
            "你",
            "您",
            "在",
            "有",
            "要",
            "需要",
            "应该",
            "能否",
            "能不能",
            "一个",
            "这个",
            "那个",
            "如果",
            "还是",
            "或者",
            "以及",
            "怎样",
            "请问",
        ]
    ),
    # Snowball's Russian stop list (the words the multilingual path would otherwise match in every passage)
    "ru": frozenset(
        [
            "а",
            "без",
            "более",
            "больше",
            "будет",
            "будто",
            "бы",
            "был",
            "была",
            "были",
            "было",
            "быть",
            "в",
            "вам",
            "вас",
            "вдруг",
            "ведь",
            "во",
            "вот",
            "впрочем",
            "все",
            "всегда",
            "всего",
            "всех",
            "всю",
            "вы",
            "где",
            "да",
            "даже",
            "два",
            "для",
            "до",
            "другой",
            "его",
            "ее",
            "ей",
            "ему",
            "если",
            "есть",
            "еще",
            "ж",
            "же",
            "за",
            "зачем",
            "здесь",
            "и",
            "из",
            "или",
            "им",
            "иногда",
            "их",
            "к",
            "как",
            "какая",
            "какие",
            "какой",
            "каком",
            "какую",
            "когда",
            "конечно",
            "кто",
            "куда",
            "ли",
            "лучше",
            "между",
            "меня",
            "мне",
            "много",
            "может",
            "можно",
            "мой",
            "моя",
            "мы",
            "на",
            "над",
            "надо",
            "наконец",
            "нас",
            "не",
            "него",
            "нее",
            "ней",
            "нельзя",
            "нет",
            "ни",
            "нибудь",
            "никогда",
            "ним",
            "них",
            "ничего",
            "но",
            "ну",
            "о",
            "об",
            "один",
            "он",
            "она",
            "они",
            "опять",
            "от",
            "перед",
            "по",
            "под",
            "после",
            "потом",
            "потому",
            "почти",
            "при",
            "про",
            "раз",
            "разве",
            "с",
            "сам",
            "свою",
            "себе",
            "себя",
            "сейчас",
            "со",
            "совсем",
            "так",
            "такой",
            "там",
            "тебя",
            "тем",
            "теперь",
            "то",
            "тогда",
            "того",
            "тоже",
            "только",
            "том",
            "тот",
            "три",
            "тут",
            "ты",
            "у",
            "уж",
            "уже",
            "хорошо",
            "хоть",
            "чего",
            "чем",
            "через",
            "что",
            "чтоб",
            "чтобы",
            "чуть",
            "эти",
            "этого",
            "этой",
            "этом",
            "этот",
            "эту",
            "я",
        ]
    ),
}


def stopwords_for(language: str | None) -> frozenset[str]:
    return STOPWORDS.get((language or "")[:2].lower(), frozenset())


def query_terms(query: str, language: str | None = None) -> list[str]:
    """Distinct query tokens minus the language's stop list (all tokens when nothing is left)."""
    tokens = tokenize(query)
    stop = stopwords_for(language or "en")
    kept = [token for token in tokens if token not in stop]
    return list(dict.fromkeys(kept or tokens))


def tsquery_literal(term: str) -> str:
    return "'" + term.replace("\\", "").replace("'", "''") + "'"


def or_tsquery(terms: Iterable[str]) -> str:
    """Argument for to_tsquery('simple', …): OR of quoted literals (an AND of all terms misses paraphrases)."""
    return " | ".join(tsquery_literal(term) for term in terms if term)


_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
# Scripts that name their language well enough to pick an embedder (the multilingual encoder knows these).
_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)


def detect_language(text: str, default: str = "en") -> str:
    """A cheap script/stop-word guess, good enough to pick a stop list and embedder: zh, ja, ko, ru, ar, th
    by script; en, de, es by stop words; otherwise `default`."""
    if not text:
        return default
    cjk = len(_CJK_CHAR_RE.findall(text))
    if cjk and cjk * 3 >= len(text.strip()) * 1 // 2:
        if _KANA_RE.search(text):
            return "ja"
        return "ko" if len(_HANGUL_RE.findall(text)) * 2 >= cjk else "zh"
    letters = sum(1 for ch in text if ch.isalpha())
    for code, script in _SCRIPTS:
        if letters and len(script.findall(text)) * 2 >= letters:
            return code
    words = [token for is_cjk, token in runs(text) if not is_cjk]
    if not words:
        return "zh" if cjk else default
    scores = {}
    for code in ("en", "de", "es"):
        stop = STOPWORDS[code]
        scores[code] = sum(1 for word in words if word in stop)
    if any(ch in text for ch in "äöüß"):
        scores["de"] += 2
    if any(ch in text for ch in "ñ¿¡áéíóú"):
        scores["es"] += 2
    best = max(scores, key=lambda code: (scores[code], code == default))
    return best if scores[best] > 0 else default


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|(?<=[。！？；])|\n+")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


def snippet(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"
