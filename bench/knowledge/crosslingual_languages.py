"""Answers across languages, language by language (issue 19, session 17): where the calibration set's questions
score in the shared multilingual space, why Korean and Arabic questions are refused, and whether a floor per
language or a calibrated score would do better than the one cross-language floor.

    flock /work/bench.lock nice -n 10 .venv/bin/python bench/knowledge/crosslingual_languages.py [--e5 DIR]

Reads bench/knowledge/crosslingual_set.jsonl (written by crosslingual_set_make.py; the agencies as in
crosslingual_floor.py: `manage.py seed_demo` first) and prints:

1. per language: detection, the rank of the first right passage among the cross-language candidates, its score,
   the highest score of a question nothing answers, and the outcome at the configured floor;
2. paired: the same COVID FAQ entry asked in two languages, the mean difference of the right passage's score;
3. each language's alignment with English in USE-m3, measured on the project's own translation catalogues
   (locale/<lang>/LC_MESSAGES/django.po: the cosine of each English message with its translation), which no
   labelled question went into;
4. score calibrations, each chosen by leave-one-language-out (setting picked on the other languages, scored on
   the held-out one) and 5 folds by question: the one floor; the catalogue alignment as a per-language shift of
   the score; the score minus the question's background (its mean score over the candidates ranked 10-40);
   vectors centred per language (each language's mean catalogue vector removed before the cosine); and a floor
   per language chosen on that language's own questions (5 folds within the language);
5. questions refused today whose best candidate is right (what a "did you mean …?" could offer);
6. Vietnamese (USE-m3 was not trained on it): the everyday search and the shared space with the question's
   accents folded away ("khẩu trang" -> "khau trang"), the English-looking words it carries;
7. with --e5 DIR (multilingual-e5-small on ONNX Runtime, built by bench/knowledge/e5_onnx.py; not a dependency):
   the same questions against the same English passages in e5's space.

Utility, as in crosslingual_floor.py: right - 2 x wrong; a question nothing answers counts as wrong when answered.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import types
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import numpy as np

from bench.knowledge import outcomes
from bench.knowledge.crosslingual_floor import SET, faq_agency, right  # sets Django up: first of the project's
from core.language import detect
from core.sql import agency_cursor
from knowledge import retrieval
from knowledge.embedders import multilingual_embedder
from knowledge.services.answers import _readable, confidence_floor
from knowledge.shared_space import shared_vectors_fill
from tenants.context import agency_context
from tenants.models import Agency

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("de", "es", "fr", "zh-hans", "vi", "ko", "ar")
CATALOGUE = {"zh-hans": "zh_Hans"}
FLOORS = [round(0.30 + 0.0125 * i, 4) for i in range(41)]  # 0.30 … 0.80


def answerable(row) -> bool:
    return bool(row.get("relevant") or row.get("relevant_heading"))


def observe(rows, faq, agencies) -> list[dict]:
    """Each question as the answer path sees it: the everyday search's best of three (and whether it is right),
    then every cross-language candidate (production score: the better cosine + carry weight x carried share)."""
    out = []
    for row in rows:
        agency = agencies[row["kb"]]
        with agency_context(agency):
            passages = retrieval.search(agency=agency, query=row["query"], language=row["lang"])
            passages = _readable(agency, passages, row["lang"], row["lang"])
            top = max(passages[:3], key=lambda p: p.confidence) if passages else None
            across = retrieval.crosslingual_search(agency=agency, query=row["query"], language=row["lang"], limit=200)
        out.append(
            {
                **row,
                "detected": detect(row["query"], fallback="en").written,
                "primary": top.confidence if top else 0.0,
                "primary_right": bool(top) and right(row, top, faq),
                "cands": [(p.score, right(row, p, faq), p.chunk_id, p.signals["carried"]) for p in across],
            }
        )
    return out


def decide(obs, score: float | None, ok: bool, floor: float) -> str:
    if obs["primary"] >= confidence_floor():
        return "right" if obs["primary_right"] else "wrong"
    if score is None or score < floor:
        return "refused"
    return "right" if ok else "wrong"


def tally(observed, scorer, floor) -> dict:
    return outcomes.tally((decide(obs, *scorer(obs), floor), answerable(obs)) for obs in observed)


def line(t) -> str:
    return f"right {t['right']}/{t['in']}, wrong {t['wrong']}, no-answer refused {t['refused_out']}/{t['out']}"


def cached(scorer):
    """`scorer` computed once per question (it does not depend on the floor)."""
    memo = {}

    def score(obs):
        key = id(obs)
        if key not in memo:
            memo[key] = scorer(obs)
        return memo[key]

    return score


def best(observed, family: dict) -> tuple:
    """(parameter, floor) with the highest utility on `observed` (ties: fewer wrong, higher floor)."""

    def rank(kf):
        t = tally(observed, family[kf[0]], kf[1])
        return t["utility"], -t["wrong"], kf[1]

    return max(((k, f) for k in family for f in FLOORS), key=rank)


def held_out(observed, family: dict, key) -> tuple[dict, list]:
    totals = {"right": 0, "wrong": 0, "refused_in": 0, "refused_out": 0, "in": 0, "out": 0}
    picks = []
    for group in sorted({key(i, o) for i, o in enumerate(observed)}, key=str):
        train = [o for i, o in enumerate(observed) if key(i, o) != group]
        test = [o for i, o in enumerate(observed) if key(i, o) == group]
        k, floor = best(train, family)
        picks.append((k, floor))
        for name, value in tally(test, family[k], floor).items():
            if name in totals:
                totals[name] += value
    return totals, picks


def top_of(cands, adjust=None):
    """(score, right) of the best candidate after `adjust(score, candidate)`."""
    if not cands:
        return None, False
    scored = [((adjust(c) if adjust else c[0]), c[1]) for c in cands]
    return max(scored, key=lambda s: s[0])


def catalogue_pairs(language: str) -> list[tuple[str, str]]:
    import polib

    po = polib.pofile(str(ROOT / "locale" / CATALOGUE.get(language, language) / "LC_MESSAGES" / "django.po"))
    return [(e.msgid, e.msgstr) for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags]


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def chunk_vectors(agencies, ids) -> dict[int, tuple]:
    out = {}
    for agency in agencies:
        with agency_context(agency), agency_cursor(agency) as cursor:
            cursor.execute(
                "SELECT id, shared_embedding::text, shared_heading_embedding::text FROM knowledge_chunk "
                "WHERE agency_id = %s AND id = ANY(%s)",
                [agency.pk, ids],
            )
            for chunk_id, body, head in cursor.fetchall():
                out[chunk_id] = (np.array(json.loads(body)), np.array(json.loads(head)) if head else None)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--e5", type=Path, help="directory of e5_onnx.py's build (e5-int8.onnx, tokenizer)")
    args = parser.parse_args()
    rows = [json.loads(text) for text in SET.read_text().splitlines() if text.strip()]
    faq = faq_agency()
    slugs = {row["kb"] for row in rows} - {"faq_eval/en"}
    agencies = {"faq_eval/en": faq[0], **{a.slug: a for a in Agency.objects.filter(slug__in=slugs)}}
    for agency in agencies.values():
        with agency_context(agency):
            shared_vectors_fill(agency=agency)
    observed = observe(rows, faq, agencies)
    floor = retrieval.crosslingual_floor()
    raw = {0: cached(lambda o: top_of(o["cands"]))}

    print(f"{len(rows)} questions, {sum(map(answerable, rows))} answerable; configured floor {floor}\n")
    print("1. per language (cross-language candidates, production score)")
    for lang in LANGS:
        group = [o for o in observed if o["lang"] == lang]
        ranks = [next((i + 1 for i, c in enumerate(o["cands"]) if c[1]), None) for o in group if answerable(o)]
        right_scores = [next(c[0] for c in o["cands"] if c[1]) for o in group if any(c[1] for c in o["cands"])]
        out_tops = [o["cands"][0][0] if o["cands"] else 0.0 for o in group if not answerable(o)]
        print(
            f"  {lang}: {len(group)} questions, detected right {sum(o['detected'] == lang for o in group)}; "
            f"right passage first {sum(r == 1 for r in ranks)}/{len(ranks)}, top 3 {sum(bool(r and r <= 3) for r in ranks)}, "
            f"not among the candidates {sum(r is None for r in ranks)}; right passage's score median "
            f"{statistics.median(right_scores) if right_scores else 0:.3f}; highest no-answer score "
            f"{max(out_tops, default=0):.3f}; at {floor}: {line(tally(group, raw[0], floor))}"
        )

    print("\n2. paired: the same COVID entry in two languages, mean difference of the right passage's score")
    by_entry: dict = {}
    for o in observed:
        if o["kb"] == "faq_eval/en" and o.get("relevant") and any(c[1] for c in o["cands"]):
            by_entry.setdefault(o["relevant"][0], {})[o["lang"]] = next(c[0] for c in o["cands"] if c[1])
    for a in ("ko", "ar", "zh-hans"):
        diffs = []
        for b in ("de", "es", "fr", "zh-hans"):
            d = [v[a] - v[b] for v in by_entry.values() if a in v and b in v and a != b]
            if d:
                diffs.append(f"vs {b} {statistics.mean(d):+.3f} (n {len(d)})")
        print(f"  {a}: {', '.join(diffs)}")

    print("\n3. alignment with English in USE-m3, from the translation catalogues (mean cosine msgid/msgstr)")
    model = multilingual_embedder()
    alignment, means = {}, {}
    for lang in LANGS:
        pairs = catalogue_pairs(lang)
        english = np.array(model.embed_documents([p[0] for p in pairs]))
        translated = np.array(model.embed_documents([p[1] for p in pairs]))
        alignment[lang] = float((english * translated).sum(axis=1).mean())
        means[lang], means["en"] = translated.mean(axis=0), english.mean(axis=0)
        print(f"  {lang}: {alignment[lang]:.3f} ({len(pairs)} messages)")
    reference = statistics.mean(v for k, v in alignment.items() if k != "vi")

    print("\n4. calibrations (held out: setting chosen on the rest)")
    families = {
        "one floor (today's rule)": raw,
        "catalogue alignment shift, score + b x (mean - alignment)": {
            b: (lambda o, b=b: top_of(o["cands"], lambda c: c[0] + b * (reference - alignment[o["lang"]])))
            for b in (0.5, 1.0, 1.5, 2.0)
        },
    }

    def background(o, a):
        scores = sorted((c[0] for c in o["cands"]), reverse=True)
        rest = scores[10:40] or scores[-1:]
        return top_of(o["cands"], lambda c: c[0] - a * statistics.mean(rest)) if scores else (None, False)

    families["minus the question's background"] = {a: (lambda o, a=a: background(o, a)) for a in (0.25, 0.5)}
    ids = sorted({c[2] for o in observed for c in o["cands"]})
    vectors = chunk_vectors(agencies.values(), ids)
    texts = [o["query"] for o in observed]
    questions = dict(zip(texts, model.embed_documents(texts), strict=True))

    def centred(o, weight):
        if not o["cands"]:
            return None, False
        q = np.array(questions[o["query"]]) - weight * means[o["lang"]]

        def cos(v):
            if v is None:
                return -1.0
            v = v - weight * means["en"]
            return float(q @ v / (np.linalg.norm(q) * np.linalg.norm(v)))

        return top_of(o["cands"], lambda c: max(cos(vectors[c[2]][0]), cos(vectors[c[2]][1])) + 0.1 * c[3])

    families["vectors centred per language"] = {w: (lambda o, w=w: centred(o, w)) for w in (0.5, 1.0)}
    for name, family in families.items():
        family = {k: cached(scorer) for k, scorer in family.items()}
        k, f = best(observed, family)
        lolo, picks = held_out(observed, family, lambda i, o: o["lang"])
        folds, _ = held_out(observed, family, lambda i, o: i % 5)
        print(f"  {name}: best on all {k}, floor {f}: {line(tally(observed, family[k], f))}")
        print(f"      leave one language out: {line(lolo)}; picks {picks}")
        print(f"      5 folds by question: {line(folds)}")
    totals = {"right": 0, "wrong": 0, "refused_out": 0, "in": 0, "out": 0}
    for lang in LANGS:
        group = [o for o in observed if o["lang"] == lang]
        for seed in range(20):  # 20 shuffles of 5 folds within the language, averaged
            order = list(range(len(group)))
            random.Random(seed).shuffle(order)
            for g in range(5):
                test = [group[i] for j, i in enumerate(order) if j % 5 == g]
                train = [group[i] for j, i in enumerate(order) if j % 5 != g]
                _k, f = best(train, raw)
                for name, value in tally(test, raw[0], f).items():
                    if name in totals:
                        totals[name] += value / 20
    print(
        f"  a floor per language, chosen on its own questions (5 folds within the language, 20 shuffles, mean): "
        f"right {totals['right']:.1f}/{totals['in']:.0f}, wrong {totals['wrong']:.1f}, "
        f"no-answer refused {totals['refused_out']:.1f}/{totals['out']:.0f}"
    )

    print("\n5. refused at the configured floor, best candidate right (a 'did you mean' could offer it) / not")
    for lang in LANGS:
        refused = [o for o in observed if o["lang"] == lang and decide(o, *raw[0](o), floor) == "refused"]
        good = [o for o in refused if o["cands"] and o["cands"][0][1]]
        print(
            f"  {lang}: {len(refused)} refused; best candidate right {len(good)} (scores "
            f"{', '.join(format(o['cands'][0][0], '.2f') for o in good)}); no-answer among the refused "
            f"{sum(not answerable(o) for o in refused)}"
        )

    print("\n6. Vietnamese: what the folded question finds (right / answerable)")
    vi = [o for o in observed if o["lang"] == "vi"]
    for label, language in (("everyday search, as vi", "vi"), ("everyday search, as en", "en")):
        hits = 0
        for o in vi:
            agency = agencies[o["kb"]]
            with agency_context(agency):
                ps = retrieval.search(agency=agency, query=fold(o["query"]), language=language)
            top = max(ps[:3], key=lambda p: p.confidence) if ps else None
            hits += bool(top and answerable(o) and right(o, top, faq))
        print(f"  folded, {label}: best of three right {hits}/{sum(map(answerable, vi))}")
    hits = 0
    for o in vi:  # the shared space with the folded question, as if it were a language the encoder knows
        agency = agencies[o["kb"]]
        with agency_context(agency):
            found = retrieval.crosslingual_search(agency=agency, query=fold(o["query"]), language="fr", limit=1)
        hits += bool(found and answerable(o) and right(o, found[0], faq))
    print(f"  folded, shared space (searched as if French): first candidate right {hits}/{sum(map(answerable, vi))}")
    print(f"  unfolded, shared space: {sum(bool(o['cands']) for o in vi)} searched (Vietnamese is not searched across)")

    if args.e5:
        e5_report(args.e5, rows, observed, faq, agencies)


def e5_report(directory: Path, rows, observed, faq, agencies):
    from bench.knowledge.e5_onnx import E5Onnx
    from knowledge.indexing import embedding_text
    from knowledge.models import Chunk

    print("\n7. multilingual-e5-small (ONNX int8) over the same agencies' English passages")
    e5 = E5Onnx(directory, "int8")
    bank = {}
    for kb, agency in agencies.items():
        with agency_context(agency):
            chunks = list(
                Chunk.objects.for_agency(agency)
                .filter(is_live=True, audience="public", language__startswith="en")
                .select_related("document")
            )
        passages = [
            types.SimpleNamespace(
                document_id=c.document_id, title=c.document.title, heading_path=c.heading_path, also=()
            )
            for c in chunks
        ]
        body = e5.passage([embedding_text(c.heading_path, c.text) for c in chunks])
        headings = sorted({c.heading_path or "" for c in chunks})
        by_heading = dict(zip(headings, e5.passage(headings), strict=True))
        bank[kb] = (passages, body, np.stack([by_heading[c.heading_path or ""] for c in chunks]))
    e5_observed = []
    for o in observed:
        passages, body, head = bank[o["kb"]]
        q = e5.query(o["query"])
        scores = np.maximum(body @ q, head @ q)
        order = np.argsort(-scores)[:40]
        e5_observed.append({**o, "cands": [(float(scores[i]), right(o, passages[i], faq)) for i in order]})
    global FLOORS
    FLOORS = [round(0.70 + 0.005 * i, 4) for i in range(61)]  # e5's cosines sit higher
    family = {0: cached(lambda o: top_of(o["cands"]))}
    k, f = best(e5_observed, family)
    lolo, picks = held_out(e5_observed, family, lambda i, o: o["lang"])
    print(f"  best on all: floor {f}: {line(tally(e5_observed, family[k], f))}")
    print(f"  leave one language out: {line(lolo)}; picks {[p[1] for p in picks]}")
    for lang in LANGS:
        group = [o for o in e5_observed if o["lang"] == lang]
        first = sum(bool(o["cands"] and o["cands"][0][1]) for o in group if answerable(o))
        print(
            f"  {lang}: right passage first {first}/{sum(map(answerable, group))}; at {f}: {line(tally(group, family[0], f))}"
        )


if __name__ == "__main__":
    main()
