"""Lab: every signal the front door could route by, dumped per question and agency, so routing rules can be
compared offline on both question sets (questions.jsonl, questions_i18n.jsonl) without re-searching.

    .venv/bin/python bench/frontdoor/route_lab.py dump --out /tmp/route_feats.json
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

from chat.engine import registry  # noqa: E402
from chat.understanding import classify  # noqa: E402
from frontdoor import routing  # noqa: E402
from knowledge import retrieval  # noqa: E402
from knowledge.models import Audience  # noqa: E402
from portal.directory import directory_search  # noqa: E402
from tenants.context import agency_context  # noqa: E402

HERE = Path(__file__).resolve().parent


def dump(out: str) -> None:
    available = {s.name for s in registry.all_skills()}
    rows = []
    for name in ("questions.jsonl", "questions_i18n.jsonl"):
        for line in (HERE / name).read_text().splitlines():
            if line.strip():
                rows.append({**json.loads(line), "set": name.split(".")[0]})
    for row in rows:
        route = routing.route_question(question=row["q"], language=row.get("lang"))
        hits = {h.agency_id: (h.score, [list(r) for r in h.reasons]) for h in directory_search(row["q"], limit=50)}
        understood = classify(row["q"], available=available)
        agencies = []
        for s in route.agencies:
            with agency_context(s.agency):
                across = retrieval.crosslingual_search(
                    agency=s.agency, query=route.question, language=route.language, audience=Audience.PUBLIC, limit=1
                )
            raw, reasons = hits.get(s.agency.pk, (0.0, []))
            agencies.append(
                {
                    "slug": s.agency.slug,
                    "score": s.score,
                    "confidence": s.confidence,
                    "coverage": s.coverage,
                    "dense": s.dense,
                    "directory": s.directory,
                    "directory_raw": raw,
                    "reasons": [[str(k), str(t)] for k, t in reasons],
                    "across": across[0].score if across else 0.0,
                    "n_passages": len(s.passages),
                }
            )
        rows_out = {
            **row,
            "language": route.language,
            "decision": route.decision,
            "offered": [s.agency.slug for s in route.choices]
            if route.decision == "choose"
            else ([route.best.agency.slug] if route.decision == "answer" else []),
            "intent": getattr(understood, "intent", str(understood)),
            "intent_confidence": getattr(understood, "confidence", None),
            "signals": agencies,
        }
        row.update(rows_out)
        print(row["q"][:50], row["decision"], row["intent"], flush=True)
    Path(out).write_text(json.dumps(rows, ensure_ascii=False, indent=0))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["dump"])
    parser.add_argument("--out", default="/tmp/route_feats.json")
    args = parser.parse_args()
    dump(args.out)
