"""A second look across languages with multilingual-e5-small, for a question nothing answers in its own language
and the shared space (`retrieval.crosslingual`, USE-m3) does not answer either.

USE-m3 does not know Vietnamese, and citizens' own questions score low in its space (the right English section
first for half of them, at 0.3-0.5). e5 (`knowledge.embedders.e5`, trained on ~100 languages) ranks the right
section of the agency's first-language passages first for 413 of 624 answerable questions of four development sets
in seven languages (USE-m3's candidates: 333; Vietnamese 47 of 83 against none). bench/knowledge/e5_across_lab.py,
RESULTS.md session 27: chosen with no more wrong answers and no more noise than the rule before it, 5 folds by
question, the right section answered or one tap away for 388 instead of 309 of 624, wrong answers 28 instead of 30.

The rule, on the cross-language floor's scale (e5's cosine c as `A + B x c`, which gives e5's first ten candidates
the mean and spread of USE-m3's): the first passage answers when it scores `FLOOR`, or `LEAD_FLOOR` and leads the
best passage under another question by `LEAD`; else the first `DEPTH` are offered as "did you mean" from
`SUGGEST_FLOOR` and within `SUGGEST_WINDOW` of the first. Only the agency's first-language passages (their e5
vectors are computed after activation, `shared_space.e5_vectors_fill`), and only for a question in another
language. `KNOWLEDGE_E5_ACROSS = False` switches it off.
"""

from __future__ import annotations

from django.conf import settings

from core.language import primary as primary_language
from core.sql import agency_cursor
from knowledge import related
from knowledge.embedders import EmbeddingError, dense_embedder_name
from knowledge.embedders.e5 import e5_embedder
from knowledge.models import Audience
from knowledge.retrieval.pipeline import MAX_QUERY_CHARS, chunks_read, identical_groups, passage_of
from knowledge.retrieval.sql import audience_filter, vector_literal
from knowledge.types import Passage

A, B = -3.33, 4.64  # bench/knowledge/e5_across_rules.py E5_MAP: c = 0.80 scores 0.382, 0.85 0.614
FLOOR = 0.75  # c >= 0.879
LEAD = 0.15  # c ahead by 0.032 …
LEAD_FLOOR = 0.45  # … from c = 0.815
SUGGEST_FLOOR = 0.4  # c >= 0.804
SUGGEST_WINDOW = 0.08  # within 0.017 of the first
LOOK_AT = 10


def rule() -> dict[str, float]:
    def value(name: str, default: float) -> float:
        return float(getattr(settings, f"KNOWLEDGE_E5_{name}", default))

    return {
        "floor": value("FLOOR", FLOOR),
        "lead": value("LEAD", LEAD),
        "lead_floor": value("LEAD_FLOOR", LEAD_FLOOR),
        "suggest_floor": value("SUGGEST_FLOOR", SUGGEST_FLOOR),
        "suggest_window": value("SUGGEST_WINDOW", SUGGEST_WINDOW),
    }


def e5_candidates(*, agency, query: str, language: str, audience: str = Audience.PUBLIC) -> list[Passage]:
    """The agency's first-language passages nearest the question in e5's space (one per identical text), best
    first, scored on the cross-language floor's scale; [] when e5 is off or not built, for a question in the
    agency's first language, or when it fails."""
    query = (query or "").strip()[:MAX_QUERY_CHARS]
    first = primary_language((agency.languages or ["en"])[0])
    if not query or primary_language(language) == first or dense_embedder_name() == "none":
        return []
    embedder = e5_embedder()
    if embedder is None:
        return []
    try:
        vector = embedder.embed_query(query)
    except EmbeddingError:
        return []
    audience_sql, audience_params = audience_filter(audience)
    literal = vector_literal(vector.tolist())
    with agency_cursor(agency) as cursor:
        # Materialized: only the agency's live first-language rows are read (`knowledge_chunk_language`), scanned
        # exactly.
        cursor.execute(
            "WITH wanted AS MATERIALIZED (SELECT id, e5_embedding AS v FROM knowledge_chunk WHERE agency_id = %s "  # noqa: S608 - our filter
            f"AND is_live AND (language = %s OR language LIKE %s) AND e5_embedding IS NOT NULL{audience_sql}) "
            "SELECT id, 1 - (v <=> %s::vector) FROM wanted ORDER BY v <=> %s::vector LIMIT %s",
            [int(agency.pk), first, f"{first}-%", *audience_params, literal, literal, 3 * LOOK_AT],
        )
        cosines = dict(cursor.fetchall())
    chunks = chunks_read(agency=agency, ids=list(cosines))
    ordered = [chunks[i] for i in sorted(cosines, key=lambda i: (-cosines[i], i)) if i in chunks]

    def passage(chunk, also=()) -> Passage:
        score = A + B * float(cosines[chunk.pk])
        return passage_of(
            chunk,
            score=score,
            signals={"e5": round(float(cosines[chunk.pk]), 4)},
            confidence=round(max(0.0, min(1.0, score)), 3),
            also=also,
        )

    return [passage(lead, [passage(t) for t in twins]) for lead, *twins in identical_groups(ordered)][:LOOK_AT]


def e5_answer(found: list[Passage]) -> Passage | None:
    """The first of `found` when it clears the floor, or the lead floor with a clear lead over the best passage
    under another question; else None."""
    if not found:
        return None
    settings_now = rule()
    first = found[0]
    if first.score >= settings_now["floor"]:
        return first
    if settings_now["lead"] <= 0 or first.score < settings_now["lead_floor"]:
        return None
    rival = next((p.score for p in found[1:] if related._key(p) != related._key(first)), None)
    return first if rival is None or first.score - rival >= settings_now["lead"] else None


def e5_second_look(*, agency, question: str, audience: str, spoken: str) -> tuple[Passage | None, list[Passage]]:
    """(the passage that answers, or None; the candidates a refusal offers from) for a question the shared space
    did not answer."""
    found = e5_candidates(agency=agency, query=question, language=spoken, audience=audience)
    return e5_answer(found), found
