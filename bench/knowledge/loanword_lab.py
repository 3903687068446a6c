"""Could a Vietnamese question refused everywhere at least be offered suggestions through the words it writes in
English? (issue 19, session 26) The multilingual encoder does not know Vietnamese, so the cross-language search is
never run for it (`retrieval.crosslingual`), and no Vietnamese-English dictionary ships in a package. What a
Vietnamese message can share with an English page as written: numbers, names and loanwords ("picnic",
"Social Security", "online", "Independence Day").

    .venv/bin/python bench/knowledge/loanword_lab.py [--set PATH …] [-v]

For each Vietnamese question of the sets (default: the three cross-language sets), its words written in ASCII
letters or digits (three or more characters, or digits; not English stop words) that occur in the agency's live
public English passages are matched against them, each weighed by its IDF among those passages; the passages
holding the most weight are the candidates. Counted per minimum weight: refused answerable questions with the right
section among the first three (hits), and questions nothing answers offered anything (noise). Measurement only: no
production path reads it.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.knowledge import crosslingual_floor  # noqa: I001 - sets Django up: first of the project's
from bench.knowledge import translated_lab
from knowledge.models import Audience, Chunk
from knowledge.retrieval.confidence import _passage_tokens
from knowledge.retrieval.pipeline import passage_of
from knowledge.stopwords import stopwords_for
from tenants.context import agency_context
from tenants.models import Agency

SETS = [
    crosslingual_floor.SET,
    Path(__file__).with_name("data") / "crosslingual_dev25.jsonl",
    Path(__file__).with_name("data") / "crosslingual_held25.jsonl",
]
MIN_WEIGHTS = (0.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0)
SHOWN = 3
_WORD = re.compile(r"[A-Za-z0-9]+")


def loanwords(query: str) -> list[str]:
    stop = stopwords_for("en")
    words = [w.lower() for w in _WORD.findall(query) if w.isdigit() or len(w) >= 3]
    return [w for w in dict.fromkeys(words) if w not in stop]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, nargs="*", default=SETS)
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args()
    faq = crosslingual_floor.faq_agency()
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=["springfield", "revenue"])} | {"faq_eval/en": faq[0]}
    passages: dict[str, list] = {}
    for key, agency in agencies.items():
        with agency_context(agency):
            chunks = Chunk.objects.for_agency(agency).filter(
                is_live=True, language__startswith="en", audience=Audience.PUBLIC
            )
            passages[key] = [
                (passage_of(c, score=1.0, signals={}, confidence=1.0), _passage_tokens(f"{c.heading_path} {c.text}"))
                for c in chunks.select_related("document", "version")
            ]
    rows = []
    for path in args.set:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row["lang"] == "vi":
                row["kb"] = row.get("kb") or row["agency"]
                rows.append(row)
    observed = []
    for row in rows:
        found = passages[row["kb"]]
        words = loanwords(row["query"])
        dfs = {w: sum(1 for _p, tokens in found if tokens.match(w) > 0) for w in words}
        idf = {w: math.log((len(found) + 1) / (df + 1)) + 1 for w, df in dfs.items() if df}
        scored = sorted(
            ((sum(weight * tokens.match(w) for w, weight in idf.items()), p) for p, tokens in found),
            key=lambda s: -s[0],
        )
        top = [(score, p) for score, p in scored[:SHOWN] if score > 0]
        if row["kb"] == "faq_eval/en":
            is_right = lambda p, row=row: crosslingual_floor.right(row, p, faq)  # noqa: E731
        else:
            is_right = lambda p, row=row: translated_lab.heading_right(row, p)  # noqa: E731
        answerable = bool(row.get("answer") or row.get("relevant") or row.get("relevant_heading"))
        observed.append((answerable, [(score, is_right(p)) for score, p in top]))
        if args.v:
            print(
                json.dumps(
                    {"query": row["query"], "words": sorted(idf)}
                    | {"top": [(round(score, 2), p.heading_path[-40:]) for score, p in top]},
                    ensure_ascii=False,
                )
            )
    answerable = sum(a for a, _t in observed)
    print(f"{len(observed)} Vietnamese questions, {answerable} answerable (all refused today, no suggestion)")
    print("min weight  right among the first 3  answerable offered only wrong  no-answer offered anything")
    for floor in MIN_WEIGHTS:
        hit = sum(1 for a, top in observed if a and any(ok for s, ok in top if s >= floor))
        wrong = sum(1 for a, top in observed if a and top[:1] and top[0][0] >= floor) - hit
        noise = sum(1 for a, top in observed if not a and top[:1] and top[0][0] >= floor)
        print(
            f"{floor:10.1f}  {hit:3} of {answerable:<3}               {wrong:3}                          "
            f"{noise:3} of {len(observed) - answerable}"
        )


if __name__ == "__main__":
    main()
