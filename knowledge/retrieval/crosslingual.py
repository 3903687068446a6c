"""Passages in other languages than the question's, for when nothing in its own language answers it.

The everyday search compares a question only with the passages of its language's vector space (MiniLM for
English, the multilingual encoder for the others), and its words meet other languages' passages only where they
are spelled alike. Here every live chunk is compared in the multilingual encoder's space
(`Chunk.shared_embedding` and `shared_heading_embedding`, `knowledge.shared_space`), whatever its language, and
what carries across languages as written (numbers, names: "311", "COVID-19", "Douglas Park") adds to it.

Scoring: the better of the passage's and its heading's cosine with the question, plus `CARRY_WEIGHT` times the
share of the question's numbers and names the passage holds, each weighed by its rarity among the agency's
passages. The answer service
(`services.answers`) answers from the best passage only when that score clears
`KNOWLEDGE_CROSSLINGUAL_FLOOR`, a floor of its own, calibrated on bench/knowledge/crosslingual_set.jsonl
(`bench/knowledge/crosslingual_floor.py`).
"""

from __future__ import annotations

import math
import re

from django.conf import settings
from django.db import transaction

from core.language import primary as primary_language
from core.sql import agency_cursor
from knowledge import indexes
from knowledge.asker import without_asker
from knowledge.embedders import EmbeddingError, multilingual_embedder
from knowledge.models import Audience
from knowledge.retrieval.confidence import coverage
from knowledge.retrieval.pipeline import MAX_QUERY_CHARS, chunks_read, identical_groups, passage_of
from knowledge.retrieval.sql import audience_filter, finite, is_zero, vector_literal
from knowledge.retrieval.stats import coverage_weights, language_counts, term_stats_generation
from knowledge.retrieval.translated import translated_candidates, translated_match, translated_query
from knowledge.text import tokenize
from knowledge.translation import available as translation_available
from knowledge.translation import dictionary_language
from knowledge.types import Passage

DEPTH = 40
CROSSLINGUAL_EF_SEARCH = 200  # the HNSW beam of a large agency's scan, at least (the main search's)
# pgvector before 0.8 (the project ships 0.6.2: no `hnsw.iterative_scan`) filters rows after the HNSW scan, which
# yields at most `hnsw.ef_search` rows, nearest first. The languages wanted here are the ones the question is *not*
# in, and the encoder puts text nearer text in its own language, so in a large agency whose passages are mostly in
# the question's language the beam held few or none of them (bench/knowledge/language_filter.py). The scan is
# chosen by how many passages the language filter keeps (counted per language once per live-chunk generation):
EXACT_MAX = 2500  # at most this many: an exact scan of just those passages (a few ms)
BEAM_MARGIN = 4  # else a beam that would hold DEPTH x BEAM_MARGIN of them if they were spread evenly …
HNSW_EF_MAX = 1000  # … up to pgvector's largest beam; beyond that, exact too
# The weight of the carried numbers and names next to the cosine (bench/knowledge/crosslingual_floor.py).
CARRY_WEIGHT = 0.1
# How the passage's and its heading's cosines make one (`shared_score`; bench/knowledge/crosslingual_floor.py).
SHARED_MODE = "max"
DEFAULT_FLOOR = 0.65
# The dictionary-translated question's match (`retrieval.translated`, 0..1) next to the cosine, for the languages
# whose dictionary earns its place (`TRANSLATED_LANGUAGES`), when nothing in the question's language answers (not in
# the contest with a same-language lead: that passage's words are not English, so it would lose on this signal
# alone). Their score is cosine + 0.1 x carried + TRANSLATED_WEIGHT x match, against a floor of its own. Session
# 25, bench/knowledge/translated_lab.py, 5 folds by question: Chinese (CC-CEDICT) 54 → 58 right, 11 → 10 wrong, no
# refusal lost; the FreeDict French, Spanish and Arabic and the Ding German dictionaries added no right answer held
# out (French and Spanish lack most civic words; German costs 280 MB), Korean and Vietnamese have none.
TRANSLATED_WEIGHT = 0.6
TRANSLATED_FLOOR = 0.875
TRANSLATED_LANGUAGES = ("zh",)

# Numbers (a count, a phone number, a form number) and names: a capitalised word inside a sentence, or a word
# mixing letters and digits ("COVID-19", "1040-ES"). German capitalises every noun; those simply match nothing.
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
_NAME = re.compile(r"(?<![.!?¿¡]\s)(?<!^)\b[A-Z][\w-]*\w|\b\w*\d\w*-?\w*\b")


def crosslingual_floor(language: str | None = None) -> float:
    """The floor a cross-language answer to a question in `language` must clear (the dictionary languages' own
    when one serves it)."""
    if language and translated(language):
        return translated_floor()
    return float(getattr(settings, "KNOWLEDGE_CROSSLINGUAL_FLOOR", DEFAULT_FLOOR))


def translated(language: str) -> bool:
    """Whether a question in `language` is also matched through its dictionary (configured and installed)."""
    code = dictionary_language(language)
    served = getattr(settings, "KNOWLEDGE_TRANSLATED_LANGUAGES", TRANSLATED_LANGUAGES)
    return code in served and translated_weight() > 0 and translation_available(code)


def translated_weight() -> float:
    return float(getattr(settings, "KNOWLEDGE_TRANSLATED_WEIGHT", TRANSLATED_WEIGHT))


def translated_floor() -> float:
    return float(getattr(settings, "KNOWLEDGE_TRANSLATED_FLOOR", TRANSLATED_FLOOR))


def warm_up_dictionaries() -> None:
    """Load the served languages' dictionaries now (a web process does this before it listens): CC-CEDICT takes
    about 2.5 s to read, which the first Chinese question refused in its own language would otherwise wait."""
    for code in getattr(settings, "KNOWLEDGE_TRANSLATED_LANGUAGES", TRANSLATED_LANGUAGES):
        translation_available(code)


def encoder_unknown(language: str) -> bool:
    """A question in `language` is never compared across languages although the shared space is on: its encoder
    does not know the language (Vietnamese, …; `retrieval.loanwords` offers suggestions for it instead)."""
    from knowledge.shared_space import shared_space_enabled

    return (
        bool(language)
        and shared_space_enabled()
        and primary_language(language) not in multilingual_embedder().languages
    )


def carried_terms(query: str) -> list[str]:
    """The question's words that read the same in any language: numbers and names, as passage tokens."""
    found = [match.group(0) for match in _NUMBER.finditer(query)]
    found += [match.group(0) for match in _NAME.finditer(query.strip())]
    return list(dict.fromkeys(token for text in found for token in tokenize(text)))


def crosslingual_search(
    *, agency, query: str, language: str, audience: str = Audience.PUBLIC, limit: int = 3
) -> list[Passage]:
    """The agency's best passages in its first language (for a question in that language: in any other) when the
    question's `language` is another, compared in the shared multilingual space, best first; [] without that
    encoder, for a language it does not know, or when it fails."""
    return crosslingual_contest(agency=agency, query=query, language=language, audience=audience, limit=limit)[0]


def crosslingual_contest(
    *, agency, query: str, language: str, audience: str = Audience.PUBLIC, limit: int = 3, rival=None
) -> tuple[list[Passage], float | None]:
    """`crosslingual_search`'s passages, and the score the `rival` passage (one the everyday search found, in any
    language) gets by the same measure in the same space, or None (no rival, no shared vector, nothing across):
    what the answer service weighs a same-language answer against (`services.across`)."""
    from knowledge.shared_space import shared_space_enabled

    query = (query or "").strip()[:MAX_QUERY_CHARS]
    own = primary_language(language)
    if not query or not shared_space_enabled():
        return [], None
    embedder = multilingual_embedder()
    if own not in embedder.languages:
        # The encoder was not trained on it (Vietnamese, …): its vector of the question is noise that lands near
        # whatever shares a name ("COVID-19"), measured: no right answer, only wrong ones. "I don't know" instead.
        return [], None
    first = primary_language((agency.languages or ["en"])[0])
    terms = carried_terms(query)
    words = translated_query(query, own) if rival is None and translated(own) else None
    # One small query: the carried and translated words' statistics and the live-chunk generation (the language
    # counts' key).
    dfs, total, generation = term_stats_generation(
        agency=agency, terms=list(dict.fromkeys(terms + (words.terms if words else [])))
    )
    # No passage in a language that may answer it: the question is not embedded and no vector is read.
    if scan_plan(language_counts(agency, generation), own, first)[0] == "none":
        return [], None
    try:
        vector = embedder.embed_query(without_asker(query, own))  # as the headings are embedded (knowledge.asker)
    except EmbeddingError:
        return [], None
    if is_zero(vector):
        return [], None
    rival_id = getattr(rival, "chunk_id", None)
    also = [rival_id] if rival_id is not None else []
    pairs = _nearest(
        agency=agency,
        vector=vector,
        audience=audience,
        own=own,
        first=first,
        generation=generation,
        also=also + translated_candidates(agency=agency, translated=words, audience=audience),
    )
    cosines = {chunk_id: shared_score(body, head, SHARED_MODE) for chunk_id, (body, head) in pairs.items()}
    chunks = chunks_read(agency=agency, ids=list(cosines))
    others = [chunks[i] for i in sorted(cosines, key=lambda i: (-cosines[i], i)) if i in chunks]
    # A passage in the agency's first language (the one its knowledge base is written in), or any other language
    # for a question in that one; never a third language's (an Arabic question is not answered with the Chinese
    # FAQ when the English one is there).
    others = [
        chunk
        for chunk in others
        if primary_language(chunk.language) != own and (own == first or primary_language(chunk.language) == first)
    ]
    if not others:
        return [], None
    rarity = _rarity(terms, dfs, total)

    def passage(chunk, also=()) -> Passage:
        shared = cosines[chunk.pk]
        text = f"{chunk.heading_path} {chunk.text} {chunk.document.also_asked}"
        carried = sum(weight * coverage([term], {term: 1.0}, text) for term, weight in rarity.items()) / max(
            1, len(rarity)
        )
        matched = translated_match(words, text, dfs, total)
        score = shared + CARRY_WEIGHT * carried + translated_weight() * matched
        return passage_of(
            chunk,
            score=score,
            signals={
                "shared": round(shared, 4),
                "shared_body": round(pairs[chunk.pk][0], 4),
                **({"shared_head": round(pairs[chunk.pk][1], 4)} if pairs[chunk.pk][1] is not None else {}),
                "carried": round(carried, 4),
                **({"translated": round(matched, 4)} if words is not None else {}),
            },
            confidence=round(max(0.0, min(1.0, score)), 3),
            also=also,
        )

    built = [passage(lead, [passage(twin) for twin in twins]) for lead, *twins in identical_groups(others)]
    built.sort(key=lambda p: (-p.score, p.chunk_id))
    rival_score = passage(chunks[rival_id]).score if rival_id in chunks else None
    return built[:limit], rival_score


def _rarity(terms: list[str], dfs: dict[str, int], total: int) -> dict[str, float]:
    """term → its IDF among the agency's live chunks as a share of the highest possible: a number or name that
    every passage holds ("COVID-19" in a COVID FAQ) says nothing about which passage answers."""
    if not terms:
        return {}
    weights = coverage_weights(dfs, total)
    highest = math.log((total + 1) / 2) + 1.0
    return {term: min(1.0, weights[term] / highest) for term in terms}


def _wanted(language: str | None, own: str, first: str) -> bool:
    """Whether a passage in `language` may answer a question in `own` (see `crosslingual_search`)."""
    language = primary_language(language or "")
    return language != own and (own == first or language == first)


def scan_plan(counts: dict[str, int], own: str, first: str) -> tuple[str, int]:
    """("none", 0): no passage in a wanted language; ("exact", 0): scan just those passages; ("hnsw", beam):
    the agency's partial index with that `hnsw.ef_search` (only where an index can exist and the beam would hold
    enough of them)."""
    wanted = sum(n for language, n in counts.items() if _wanted(language, own, first))
    total = sum(counts.values())
    if not wanted:
        return "none", 0
    if wanted <= EXACT_MAX or total < indexes.hnsw_threshold() // 2:
        return "exact", 0
    beam = math.ceil(DEPTH * BEAM_MARGIN * total / wanted)
    if beam > HNSW_EF_MAX:
        return "exact", 0
    return "hnsw", max(CROSSLINGUAL_EF_SEARCH, beam)


def _nearest(
    *, agency, vector, audience: str, own: str, first: str, generation: int | None = None, also=()
) -> dict[int, tuple[float, float | None]]:
    """chunk id → (passage cosine, heading cosine or None) of the chunks in the languages that may answer (not
    `own`; `first` unless `own` is it) among either column's nearest `DEPTH`: an exact scan of just those chunks
    when they are few, else the agency's partial HNSW index with a beam wide enough for them (`scan_plan`). A
    question no passage could answer (an English one to an English-only agency) reads no row at all. The chunks
    `also` names get their cosines too, whatever their language."""
    counts = language_counts(agency, generation)
    how, beam = scan_plan(counts, own, first)
    if how == "none":
        return {}
    literal = vector_literal(vector)
    audience_sql, audience_params = audience_filter(audience)
    # The languages by name (sargable: the exact scan reads just their rows through `knowledge_chunk_language`).
    languages = sorted(language for language in counts if _wanted(language, own, first))
    ids: set[int] = set()
    with transaction.atomic():
        if how == "hnsw":
            indexes.prepare_session(beam)
        for column in ("shared_embedding", "shared_heading_embedding"):
            where = f"agency_id = {int(agency.pk)} AND is_live AND language = ANY(%s) AND {column} IS NOT NULL{audience_sql}"
            if how == "hnsw":
                sql = f"SELECT id FROM knowledge_chunk WHERE {where} ORDER BY {column} <=> %s::vector LIMIT %s"  # noqa: S608 - our column names
            else:
                # Materialized: the rows are filtered first, so no index can order them (the HNSW one would filter
                # after its beam again).
                sql = (
                    f"WITH wanted AS MATERIALIZED (SELECT id, {column} AS v FROM knowledge_chunk WHERE {where}) "  # noqa: S608 - our column names
                    "SELECT id FROM wanted ORDER BY v <=> %s::vector LIMIT %s"
                )
            with agency_cursor(agency) as cursor:
                cursor.execute(sql, [languages, *audience_params, literal, DEPTH])
                ids.update(row[0] for row in cursor.fetchall())
    if not ids:
        return {}
    ids.update(also)
    with agency_cursor(agency) as cursor:  # both cosines of every candidate
        cursor.execute(
            "SELECT id, 1 - (shared_embedding <=> %s::vector), 1 - (shared_heading_embedding <=> %s::vector) "
            "FROM knowledge_chunk WHERE agency_id = %s AND is_live AND id = ANY(%s)",
            [literal, literal, int(agency.pk), list(ids)],
        )
        rows = cursor.fetchall()
    return {
        chunk_id: (body, finite(head)) for chunk_id, body_raw, head in rows if (body := finite(body_raw)) is not None
    }


def shared_score(body: float, head: float | None, mode: str = "max") -> float:
    """The question's closeness to a passage from its two cosines: "max" (the better), "body", "mean"."""
    if head is None or mode == "body":
        return body
    return max(body, head) if mode == "max" else (body + head) / 2
