"""The confidence floor per language: in-domain questions of a non-English FAQ set against everyday government
questions its knowledge base cannot answer, in the same language.

    DEBUG=0 nice .venv/bin/python bench/knowledge/floor_language_lab.py bench/knowledge/data/faq_eval_zh zhcal \
        bench/knowledge/data/out_of_domain_zh.txt [--dump rows.jsonl]

Loads the set into a kept throwaway agency (`variants.py`'s `--keep`; reused when it exists), searches every
question as the answer service does (`retrieval.search`, the best confidence among the first three passages) and
prints, per floor, how many in-domain questions are answered rightly / wrongly / refused and how many
out-of-domain ones are refused. With `--dump` it writes each question's top signals for `floor_language_cv.py`.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from bench.knowledge.variants import reuse  # noqa: E402
from knowledge import retrieval  # noqa: E402
from knowledge.evaluation import EvalSet, load_kb  # noqa: E402
from tenants.context import agency_context  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("slug")
    parser.add_argument("out_of_domain")
    parser.add_argument("--dump")
    args = parser.parse_args()
    evalset = EvalSet.load(args.directory)
    loaded = reuse(args.slug, evalset) or load_kb(evalset, slug=args.slug)
    outside = [
        line.strip() for line in Path(args.out_of_domain).read_text().splitlines() if line.strip() and line[0] != "#"
    ]
    rows = []
    with agency_context(loaded.agency):
        for label, questions in (
            ("in", [(q["query"], sorted(q["relevant"])) for q in evalset.queries]),
            ("out", [(q, []) for q in outside]),
        ):
            for question, relevant in questions:
                passages = retrieval.search(agency=loaded.agency, query=question, audience="public", limit=10)
                top3 = passages[:3]
                best = max(top3, key=lambda p: p.confidence) if top3 else None
                rows.append(
                    {
                        "label": label,
                        "q": question,
                        "relevant": relevant,
                        "first_right": bool(passages) and loaded.doc_to_entry.get(passages[0].document_id) in relevant,
                        "right": bool(best) and loaded.doc_to_entry.get(best.document_id) in relevant,
                        "conf": best.confidence if best else 0.0,
                        "signals": best.signals if best else {},
                        "language": best.language if best else "",
                    }
                )
    ins = [r for r in rows if r["label"] == "in"]
    outs = [r for r in rows if r["label"] == "out"]
    print(f"{len(ins)} in-domain, {len(outs)} out-of-domain; best passage right {sum(r['right'] for r in ins)}")
    for floor in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        right = sum(r["right"] and r["conf"] >= floor for r in ins)
        wrong = sum((not r["right"]) and r["conf"] >= floor for r in ins)
        refused_out = sum(r["conf"] < floor for r in outs)
        print(
            f"floor {floor:.2f}: in-domain right {right}, wrong {wrong}, refused {len(ins) - right - wrong};"
            f" out-of-domain refused {refused_out}/{len(outs)}"
        )
    if args.dump:
        with open(args.dump, "w") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
