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
from portal.directory_words import PART_MIN, compound_parts, compounds, function_words

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


def words(text: str, language: str | None = None) -> list[str]:
    """Search words of `text`: folded Latin words (no stop words, nor `language`'s function words when it is
    given: `portal.directory_words`), and Chinese as character pairs
    (a lone character when a run has only one). Vietnamese as pairs of syllables too: its words are
    mostly two syllables ("đèn đường", street light; "giấy phép", licence), and its syllables alone are short
    enough to match anything by prefix or typo (a question about a tax refund, "…nhận được tiền hoàn thuế…",
    matched a city's street-light phrases by "được", "tiền" ~ "viên", "bang" ~ "đang")."""
    if looks_vietnamese(text or ""):
        syllables = [word.replace("đ", "d") for word in _WORD.findall(_fold(text))]
        pairs = [f"{a}_{b}" for a, b in itertools.pairwise(syllables)]
        return pairs + [VI_SYLLABLE + s for s in dict.fromkeys(syllables) if s not in VI_STOP_SYLLABLES]
    out = []
    stop = STOP_WORDS | function_words(language) if language else STOP_WORDS
    for word in _WORD.findall(_fold(text or "")):
        if _CJK.search(word):
            for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", word):
                out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
            rest = _CJK.sub(" ", word).split()
            out.extend(w for w in rest if w not in stop and len(w) > 1)
        elif word not in stop and (len(word) > 1 or word.isdigit()):
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


def _matches(index: _Index, word: str, language: str | None = None) -> dict[str, float]:
    """Document words matching one query word, with how well (1 exact, less for a prefix or typo, or a part of a
    German compound: `_compound_matches`)."""
    found: dict[str, float] = {}
    if word.startswith(VI_SYLLABLE):  # a Vietnamese syllable alone: exactly, and weaker than a word of two
        return {word: VI_SYLLABLE_QUALITY} if word in index.postings else {}
    if "_" in word:  # a Vietnamese word of two syllables: exactly, or with one letter wrong
        # (trigrams would match any pair sharing a syllable: "được tiền" ~ "được thu")
        if word in index.postings:
            found[word] = 1.0
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


def _inner_grams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


def _compound_matches(index: _Index, word: str, language: str | None) -> dict[str, tuple[float, str]]:
    """A German word matched by parts, below a match of the whole (other word → (quality, which part: "head" or
    "tail")): the query's compound by its last part, the thing it names ("Steuer|erstattung" → "erstattungen"),
    exactly or inflected (up to three letters more), or its first part ("steuer") as the start of a document's word
    ("steuerbehörde"), weaker: it says of what kind; and the query's word as the last part of a document's compound
    ("staat" in "bundesstaates")."""
    found: dict[str, tuple[float, str]] = {}

    def add(other: str, quality: float, part: str) -> None:
        if quality > found.get(other, (0.0, ""))[0]:
            found[other] = (quality, part)

    def near(part: str) -> set[str]:
        return {other for gram in _inner_grams(part)[:3] for other in index.by_gram.get(gram, ())}

    if compounds(language) and len(word) >= PART_MIN:
        for other in near(word):
            at = other.find(word, PART_MIN)
            if at > 0 and len(other) - at - len(word) <= 3:
                add(other, 0.45, "")
    for head, tail in compound_parts(word, language):
        for other in near(tail):
            if other.startswith(tail) and len(other) - len(tail) <= 3:
                add(other, 0.5 if other == tail else 0.45, "tail")
        for other in near(head):
            if other.startswith(head) and other != word:
                add(other, 0.35, "head")
    return found


def _units(index: _Index, word: str, language: str | None) -> list[tuple[str, float, str]]:
    """(document word, quality, the unit of the query it stands for) for one query word: the word itself for a
    match of the whole (and both parts of a compound), "word|head" or "word|tail" for one part of a compound."""
    whole = _matches(index, word, language)
    parts = compound_parts(word, language)
    units = []
    for other, quality in whole.items():
        # A near miss of a compound that is one of its parts ("staatsstrasse" ~ "strasse") matched that part only.
        part = (
            next(
                (
                    p
                    for head, tail in parts
                    for p, text in (("head", head), ("tail", tail))
                    if other.startswith(text) and len(other) - len(text) <= 3
                ),
                "",
            )
            if quality < 0.8
            else ""
        )
        units.append((other, min(quality, 0.5) if part else quality, f"{word}|{part}" if part else word))
    for other, (quality, part) in _compound_matches(index, word, language).items():
        if quality > whole.get(other, 0.0):
            units.append((other, quality, f"{word}|{part}" if part else word))
    return units


def _covered(units: set[str], language: str | None) -> set[str]:
    """A compound matched whole covers its parts too (to compare what two agencies matched)."""
    out = set(units)
    for unit in units:
        if "|" not in unit and compound_parts(unit, language):
            out |= {f"{unit}|head", f"{unit}|tail"}
    return out


@dataclass(frozen=True)
class DirectoryHit:
    agency_id: int
    score: float
    reasons: tuple[tuple[str, str], ...]  # (kind, text) of the phrases that matched
    words: frozenset[str] = frozenset()  # the query's words it matched
    # Another agency matched every word this one matched, and more ("nid-de-poule … autoroute de l'État": the state
    # highways match the road too, the city only the pothole): what this agency matched does not say it is the one.
    dominated: bool = False


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


def directory_search(query: str, *, limit: int = 50, language: str | None = None) -> list[DirectoryHit]:
    """Agencies for `query`, best first. Empty when nothing matches well. `language`: the query's, when known
    (its function words are left out, a German compound is matched by its parts too)."""
    query_words = list(dict.fromkeys(words(query, language)))[:12]
    if not query_words:
        return []
    index = _index()
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, set[str]] = defaultdict(set)
    covered: dict[int, set[str]] = defaultdict(set)  # the query's words and compound parts matched
    reasons: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    # Rare words count more than words many agencies share ("department", "city").
    agencies = max(1, len({a for posting in index.postings.values() for a in posting}))
    for word in query_words:
        best: dict[int, tuple[float, str]] = {}
        units: dict[int, set[str]] = defaultdict(set)
        for other, quality, unit in _units(index, word, language):
            posting = index.postings[other]
            rarity = 1.0 + math.log(agencies / len(posting)) / 4 if agencies > 1 else 1.0
            for agency_id, weight in posting.items():
                units[agency_id].add(unit)
                value = quality * weight * rarity
                if value > best.get(agency_id, (0.0, ""))[0]:
                    best[agency_id] = (value, other)
        for agency_id, (value, other) in best.items():
            scores[agency_id] += value
            matched[agency_id].add(word)
            covered[agency_id] |= _covered(units[agency_id], language)
            for reason in index.phrases.get((other, agency_id), ()):
                reasons[agency_id][reason] = reasons[agency_id].get(reason, 0) + 1
    if not scores:
        return []
    # An agency matching only a weak part of a longer query is noise next to one matching it all.
    top = max(scores.values())
    hits = [
        DirectoryHit(
            agency_id,
            round(score, 3),
            _best_reasons(reasons[agency_id]),
            frozenset(covered[agency_id]),
            any(covered[agency_id] < other for other in covered.values()),
        )
        for agency_id, score in scores.items()
        if score >= top * 0.4 and (len(matched[agency_id]) * 2 >= len(query_words) or score >= top * 0.9)
    ]
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]
