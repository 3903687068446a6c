"""English headings in the shared space with and without the asker's pronouns (session 21, issue: Springfield's
Arabic and Korean "when is trash collected?" scored 0.621 / 0.630 against "When is my trash collected?", under the
cross-language floor of 0.65).

    flock /work/bench.lock nice -n 10 .venv/bin/python bench/knowledge/heading_pronouns_lab.py

On bench/knowledge/crosslingual_set.jsonl (the agencies as in crosslingual_floor.py: `manage.py seed_demo` first),
the English chunks' shared heading vectors are computed from the heading as written, then as
`knowledge.shared_space.heading_text` does (a question heading alone, without the asker's pronouns: "my", "I", …),
with the question as asked, and then with the question without its own pronouns too (`knowledge.asker`, as the
code does); each time every question goes through the answer path (`crosslingual_floor.observe`): right, wrong and refused at the configured
setting, overall and per language, and Springfield's trash-day questions' best score. The database is left with
the vectors the code computes (the last).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.knowledge.crosslingual_floor import SET, faq_agency, line, observe, tally
from knowledge import retrieval
from knowledge.asker import without_asker
from knowledge.embedders import multilingual_embedder
from knowledge.models import Chunk
from knowledge.retrieval import crosslingual
from knowledge.retrieval.crosslingual import CARRY_WEIGHT, SHARED_MODE
from knowledge.shared_space import heading_text, shared_vectors_fill
from tenants.context import agency_context
from tenants.models import Agency

TRASH = {
    "ar": "متى يتم جمع القمامة؟",
    "ko": "쓰레기는 언제 수거하나요?",
    "fr": "quand est-ce que les poubelles sont ramassées ?",
}


def reembed_headings(agency, text_of) -> int:
    """The agency's English live chunks' shared heading vectors from `text_of(heading, language)`."""
    embedder = multilingual_embedder()
    with agency_context(agency):
        chunks = list(
            Chunk.objects.for_agency(agency)
            .filter(is_live=True)
            .exclude(embedder=embedder.key)
            .exclude(heading_path="")
            .only("pk", "heading_path", "language")
        )
        texts = sorted({text_of(c.heading_path, c.language) for c in chunks})
        vectors = {}
        for start in range(0, len(texts), 64):
            batch = texts[start : start + 64]
            vectors.update(zip(batch, embedder.embed_documents(batch), strict=True))
        for chunk in chunks:
            chunk.shared_heading_embedding = vectors[text_of(chunk.heading_path, chunk.language)]
        Chunk.objects.bulk_update(chunks, ["shared_heading_embedding"], batch_size=500)
    return len(chunks)


def as_written(text: str, language: str) -> str:
    return text


def main():
    rows = [json.loads(text) for text in SET.read_text().splitlines() if text.strip()]
    faq = faq_agency()
    slugs = ({row["kb"] for row in rows} - {"faq_eval/en"}) | {"springfield"}
    agencies = [faq[0], *Agency.objects.filter(slug__in=slugs)]
    for agency in agencies:
        with agency_context(agency):
            shared_vectors_fill(agency=agency)
    springfield = Agency.objects.get(slug="springfield")
    setting = (SHARED_MODE, CARRY_WEIGHT, retrieval.crosslingual_floor())
    variants = (
        ("as written, the question as asked", as_written, as_written),
        ("headings without the asker's pronouns, the question as asked", heading_text, as_written),
        ("both without them (the code: heading_text, knowledge.asker)", heading_text, without_asker),
    )
    for name, text_of, question_of in variants:
        crosslingual.without_asker = question_of
        changed = sum(reembed_headings(agency, text_of) for agency in agencies)
        observed = observe(rows, faq)
        print(
            f"\n== headings {name} ({changed} English chunks); configured {setting}: {line(tally(observed, setting))}"
        )
        for language in sorted({o["lang"] for o in observed}):
            print(f"  {language}: {line(tally([o for o in observed if o['lang'] == language], setting))}")
        with agency_context(springfield):
            for language, question in TRASH.items():
                found = retrieval.crosslingual_search(agency=springfield, query=question, language=language, limit=2)
                best = ", ".join(f"{p.score:.3f} {p.title}" for p in found)
                print(f"  springfield {language} {question}: {best}")


if __name__ == "__main__":
    main()
