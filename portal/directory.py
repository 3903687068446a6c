"""Agency directory search: find an agency by what it does, not only by its name.

Each agency gets a small search document: its name and description, plus phrases the apps publish
about it (report categories, registration forms, public knowledge document titles), in every
language they carry. Apps register a source: `register_directory_source(name, fn)` where `fn()`
yields `DirectoryPhrase`s for all active agencies (public content only: the directory is public).

A query is split into words (Chinese into character pairs); each word matches a document's words
exactly, by prefix either way ("pot" → "pothole", "impuestos" → "impuesto"), or with a typo
(trigram similarity, the measure pg_trgm uses; the embedded PostgreSQL has no pg_trgm). Agencies
are ranked by the weighted sum of their best match per query word. The documents of all agencies
are built with one query per source and kept per process for `TTL` seconds.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.cache import TTLCache
from core.fuzzy import edit_distance
from core.vietnamese import VI_STOP_SYLLABLES, looks_vietnamese

TTL = 60
VI_SYLLABLE_QUALITY = 0.5


@dataclass(frozen=True)
class DirectoryPhrase:
    agency_id: int
    kind: str  # shown to people, e.g. "Report a problem"
    text: str
    weight: float = 1.0
    label: str = ""  # what to show as the reason it matched, when not `text` (a category's name for its keywords)


DirectorySource = Callable[[], Iterable[DirectoryPhrase]]
_sources: dict[str, DirectorySource] = {}


def register_directory_source(name: str, source: DirectorySource) -> None:
    _sources[name] = source


# Words that say nothing about what an agency does, in the UI languages.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "get",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "what",
        "where",
        "who",
        "with",
        "you",
        "your",
        "want",
        "need",
        "de",
        "del",
        "el",
        "la",
        "las",
        "los",
        "un",
        "una",
        "unos",
        "unas",
        "y",
        "o",
        "en",
        "mi",
        "mis",
        "para",
        "por",
        "con",
        "que",
        "como",
        "donde",
        "quiero",
        "necesito",
        "su",
        "sus",
    ]
)
# Vietnamese syllables other than `VI_STOP_SYLLABLES` (core.language) are searched alone too, but only exactly and
# at a lower weight than a two-syllable word: "rác" (trash) names a service, "tiền" (money) ~ "viên" must not.
VI_SYLLABLE = "vi:"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _fold(text: str) -> str:
    """Lower case without accents: "Impuéstos" → "impuestos"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Search words of `text`: folded Latin words (no stop words), and Chinese as character pairs
    (a lone character when a run has only one). Vietnamese as pairs of syllables too: its words are
    mostly two syllables ("đèn đường", street light; "giấy phép", licence), and its syllables alone are short
    enough to match anything by prefix or typo (a question about a tax refund, "…nhận được tiền hoàn thuế…",
    matched a city's street-light phrases by "được", "tiền" ~ "viên", "bang" ~ "đang")."""
    if looks_vietnamese(text or ""):
        syllables = [word.replace("đ", "d") for word in _WORD.findall(_fold(text))]
        pairs = [f"{a}_{b}" for a, b in itertools.pairwise(syllables)]
        return pairs + [VI_SYLLABLE + s for s in dict.fromkeys(syllables) if s not in VI_STOP_SYLLABLES]
    out = []
    for word in _WORD.findall(_fold(text or "")):
        if _CJK.search(word):
            for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", word):
                out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
            rest = _CJK.sub(" ", word).split()
            out.extend(w for w in rest if w not in STOP_WORDS and len(w) > 1)
        elif word not in STOP_WORDS and (len(word) > 1 or word.isdigit()):
            out.append(word)
    return out


def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def edits(a: str, b: str) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions, swaps of neighbours)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    return edit_distance(a, b)


@dataclass
class _Index:
    # word → {agency_id: best weight of a phrase holding it}
    postings: dict[str, dict[int, float]] = field(default_factory=dict)
    # word → the phrases (kind, text) of each agency holding it, to say why an agency matched
    phrases: dict[tuple[str, int], list[tuple[str, str]]] = field(default_factory=dict)
    grams: dict[str, frozenset[str]] = field(default_factory=dict)
    by_gram: dict[str, set[str]] = field(default_factory=dict)


def _build() -> _Index:
    from tenants.models import Agency

    index = _Index()
    postings: dict[str, dict[int, float]] = defaultdict(dict)
    phrases: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)

    def add(phrase: DirectoryPhrase) -> None:
        for word in set(words(phrase.text)):
            if postings[word].get(phrase.agency_id, 0.0) < phrase.weight:
                postings[word][phrase.agency_id] = phrase.weight
            holders = phrases[(word, phrase.agency_id)]
            shown = (phrase.kind, phrase.label or phrase.text)
            if phrase.kind and len(holders) < 3 and shown not in holders:
                holders.append(shown)

    for agency in Agency.objects.filter(is_active=True).only("pk", "name", "slug", "description", "translations"):
        add(DirectoryPhrase(agency.pk, "", agency.name, 3.0))
        add(DirectoryPhrase(agency.pk, "", agency.slug.replace("-", " "), 2.0))
        add(DirectoryPhrase(agency.pk, "", agency.description, 1.0))
        for entry in (agency.translations or {}).values():  # its name and description in other languages
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                add(DirectoryPhrase(agency.pk, "", entry["name"], 3.0))
            if isinstance(entry, dict) and isinstance(entry.get("description"), str):
                add(DirectoryPhrase(agency.pk, "", entry["description"], 1.0))
    active = set(Agency.objects.filter(is_active=True).values_list("pk", flat=True))
    for source in _sources.values():
        for phrase in source():
            if phrase.agency_id in active:
                add(phrase)
    index.postings = dict(postings)
    index.phrases = dict(phrases)
    by_gram: dict[str, set[str]] = defaultdict(set)
    for word in index.postings:
        grams = trigrams(word)
        index.grams[word] = grams
        for gram in grams:
            by_gram[gram].add(word)
    index.by_gram = dict(by_gram)
    return index


_cache = TTLCache("directory search index", ttl=TTL, maxsize=1)


def directory_index_clear() -> None:
    _cache.clear()


def _index() -> _Index:
    return _cache.get_or_load("index", _build)


def _matches(index: _Index, word: str) -> dict[str, float]:
    """Document words matching one query word, with how well (1 exact, less for a prefix or typo)."""
    found: dict[str, float] = {}
    if word.startswith(VI_SYLLABLE):  # a Vietnamese syllable alone: exactly, and weaker than a word of two
        return {word: VI_SYLLABLE_QUALITY} if word in index.postings else {}
    if "_" in word:  # a Vietnamese word of two syllables: exactly, or with one letter wrong
        # (trigrams would match any pair sharing a syllable: "được tiền" ~ "được thu")
        close = {other for gram in trigrams(word) for other in index.by_gram.get(gram, ()) if "_" in other}
        found.update({other: 0.8 for other in close if other != word and edits(word, other) <= 1})
        return found
    if word in index.postings:
        found[word] = 1.0
    if _CJK.search(word):
        if len(word) == 1:  # one character: the pairs holding it
            found.update({other: 0.7 for other in index.postings if word in other and other != word})
        return found
    grams = trigrams(word)
    candidates: dict[str, int] = defaultdict(int)
    for gram in grams:
        for other in index.by_gram.get(gram, ()):
            candidates[other] += 1
    enough = max(2, len(grams) // 3)
    for other, shared in candidates.items():
        if other == word:
            continue
        if len(word) >= 3 and other.startswith(word):
            found[other] = max(found.get(other, 0.0), 0.85)
        elif len(other) >= 4 and word.startswith(other) and len(word) - len(other) <= 3:
            found[other] = max(found.get(other, 0.0), 0.8)
        elif len(word) >= 4 and shared >= enough:
            score = similarity(grams, index.grams[other])
            allowed = 1 if len(word) < 8 else 2
            # A typo in the word, or in the start of a longer word ("refnd" → "refunds").
            if score >= 0.4 or min(edits(word, other), edits(word, other[: len(word) + 1])) <= allowed:
                found[other] = max(found.get(other, 0.0), 0.3 + max(score, 0.5) / 2)
    return found


@dataclass(frozen=True)
class DirectoryHit:
    agency_id: int
    score: float
    reasons: tuple[tuple[str, str], ...]  # (kind, text) of the phrases that matched


def agencies_search(*, query: str) -> list:
    """Active agencies matching `query`, best first, each with `search_reasons`: up to three
    (kind, text) phrases saying what matched ("Report a problem", "Pothole")."""
    from tenants.models import Agency

    hits = directory_search(query)
    agencies = Agency.objects.filter(is_active=True).in_bulk([hit.agency_id for hit in hits])
    found = []
    for hit in hits:
        agency = agencies.get(hit.agency_id)
        if agency is not None:
            agency.search_reasons = [(str(kind), text) for kind, text in hit.reasons if kind]
            found.append(agency)
    return found


def _best_reasons(counts: dict[tuple[str, str], int]) -> tuple[tuple[str, str], ...]:
    """The phrases that matched most query words first (stable among equals), at most three."""
    ranked = sorted(enumerate(counts.items()), key=lambda item: (-item[1][1], item[0]))
    return tuple(reason for _, (reason, _count) in ranked[:3])


def directory_search(query: str, *, limit: int = 50) -> list[DirectoryHit]:
    """Agencies for `query`, best first. Empty when nothing matches well."""
    query_words = list(dict.fromkeys(words(query)))[:12]
    if not query_words:
        return []
    index = _index()
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, int] = defaultdict(int)
    reasons: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    # Rare words count more than words many agencies share ("department", "city").
    agencies = max(1, len({a for posting in index.postings.values() for a in posting}))
    for word in query_words:
        best: dict[int, tuple[float, str]] = {}
        for other, quality in _matches(index, word).items():
            posting = index.postings[other]
            rarity = 1.0 + math.log(agencies / len(posting)) / 4 if agencies > 1 else 1.0
            for agency_id, weight in posting.items():
                value = quality * weight * rarity
                if value > best.get(agency_id, (0.0, ""))[0]:
                    best[agency_id] = (value, other)
        for agency_id, (value, other) in best.items():
            scores[agency_id] += value
            matched[agency_id] += 1
            for reason in index.phrases.get((other, agency_id), ()):
                reasons[agency_id][reason] = reasons[agency_id].get(reason, 0) + 1
    if not scores:
        return []
    # An agency matching only a weak part of a longer query is noise next to one matching it all.
    top = max(scores.values())
    hits = [
        DirectoryHit(agency_id, round(score, 3), _best_reasons(reasons[agency_id]))
        for agency_id, score in scores.items()
        if score >= top * 0.4 and (matched[agency_id] * 2 >= len(query_words) or score >= top * 0.9)
    ]
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]
