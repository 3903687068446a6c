"""Confidence calibration: signals of the top passage for in-domain questions vs out-of-domain ones.

    KNOWLEDGE_EMBEDDER=minilm .venv/bin/python bench/knowledge/calibrate.py /work/shared/data/faq_eval/en evalen
    KNOWLEDGE_EMBEDDER=none   .venv/bin/python bench/knowledge/calibrate.py /work/shared/data/faq_eval/en evalen

The agency must exist (made by `variants.py --keep evalen`). Out-of-domain questions are everyday
government questions that a COVID FAQ cannot answer; a good floor keeps most in-domain questions and
refuses most of these.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)  # as the process that searches would at start

from bench.knowledge.variants import reuse  # noqa: E402
from knowledge import retrieval  # noqa: E402
from knowledge.evaluation import EvalSet  # noqa: E402
from tenants.context import agency_context  # noqa: E402

OUT_OF_DOMAIN = [
    "How do I report a pothole on my street?",
    "When is my trash picked up?",
    "How do I renew my driver's license?",
    "Where can I pay a parking ticket?",
    "How do I apply for a building permit?",
    "What are the library opening hours?",
    "How do I register to vote?",
    "Can I get a refund of my property tax?",
    "How do I reserve a picnic shelter in the park?",
    "Who do I call about a broken street light?",
    "How do I get a copy of my birth certificate?",
    "When is the deadline to file my income tax return?",
    "How do I adopt a dog from the animal shelter?",
    "Where do I recycle old electronics?",
    "How can I change the name on my water bill?",
    "Is there a fee to register a boat?",
    "How do I apply for a passport?",
    "What is the speed limit in school zones?",
    "How do I dispute my electricity bill?",
    "Can I burn leaves in my backyard?",
    "How do I get a fishing license?",
    "Where is the nearest DMV office?",
    "How do I file a noise complaint about my neighbor?",
    "What documents do I need to start a business?",
    "How do I appeal my property assessment?",
    "When does the city pool open for the summer?",
    "How do I request a new recycling bin?",
    "Can I park on the street overnight?",
    "How much does a marriage license cost?",
    "How do I sign up for snow removal alerts?",
]


def main():
    directory, slug = sys.argv[1], sys.argv[2]
    evalset = EvalSet.load(directory)
    loaded = reuse(slug, evalset)
    rows = []
    with agency_context(loaded.agency):
        for label, questions in (
            ("in", [(q["query"], set(q["relevant"])) for q in evalset.queries]),
            ("out", [(q, set()) for q in OUT_OF_DOMAIN]),
        ):
            for question, relevant in questions:
                passages = retrieval.search(agency=loaded.agency, query=question, audience="staff", limit=3)
                top = max(passages[:3], key=lambda p: p.confidence) if passages else None
                correct = bool(top) and loaded.doc_to_entry.get(top.document_id) in relevant
                rows.append(
                    {
                        "label": label,
                        "q": question,
                        "conf": top.confidence if top else 0.0,
                        "signals": top.signals if top else {},
                        "correct": correct,
                    }
                )
    ins = sorted(r["conf"] for r in rows if r["label"] == "in")
    outs = sorted(r["conf"] for r in rows if r["label"] == "out")
    print("in-domain  conf quantiles:", [ins[int(len(ins) * q)] for q in (0.05, 0.1, 0.25, 0.5)])
    print("out-domain conf quantiles:", [outs[int(len(outs) * q)] for q in (0.5, 0.75, 0.9, 0.95)], "max", outs[-1])
    for floor in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        kept = sum(c >= floor for c in ins) / len(ins)
        refused = sum(c < floor for c in outs) / len(outs)
        print(f"floor {floor:.2f}: answers {kept:.0%} of in-domain, refuses {refused:.0%} of out-of-domain")
    if "-v" in sys.argv:
        for r in rows:
            print(json.dumps(r))


if __name__ == "__main__":
    main()
