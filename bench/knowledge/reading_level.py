"""Reading level of the assistant's extractive answers (issue 19): how long they are and how hard to read.

    .venv/bin/python bench/knowledge/reading_level.py ../shared/data/faq_eval/en [--json rows.json]
    .venv/bin/python bench/knowledge/reading_level.py ../shared/data/faq_eval/de

Loads the set's FAQ into a throwaway agency (as `manage.py eval_retrieval` does: the configured embedders,
no LLM unless one is configured; the agency is deleted at the end) and asks every question of the set through
`knowledge.services.answer_with_passages`. For the answered questions it compares the answer (the passage
trimmed to the sentences that answer, `knowledge.answering.extract`) with the whole passage it was cut from:
length in words and sentences, and a readability score where a formula exists for the language:

- en: Flesch reading ease (higher is easier; 60-70 is plain English) and Flesch-Kincaid grade (US school grade);
- de: Flesch reading ease after Amstad (180 - words per sentence - 58.5 x syllables per word);
- es: Fernández Huerta (206.84 - 0.60 x syllables per 100 words - 1.02 x sentences per 100 words);
- other languages (Chinese: no syllable formula): length only, Chinese in characters.

Syllables are counted by a vowel-group rule (an approximation: dictionaries count differently on some words),
the same rule for answers and passages, so the comparison holds.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from core.language import normalize as normalize_language  # noqa: E402
from knowledge.evaluation import EvalSet, drop_kb, load_kb  # noqa: E402
from knowledge.services import answers as answer_services  # noqa: E402
from knowledge.text import count_units, sentences  # noqa: E402
from tenants.context import agency_context  # noqa: E402

WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
VOWEL_GROUPS = {
    "en": re.compile(r"[aeiouy]+"),
    "de": re.compile(r"[aeiouyäöü]+"),
    "es": re.compile(r"[aeiouáéíóúü]+"),
}


def syllables(word: str, language: str) -> int:
    word = word.lower().strip("'\u2019-")
    if language == "en":
        if len(word) <= 3:
            return 1
        if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
            word = word[:-1]  # a silent final e ("make", "state")
    return max(1, len(VOWEL_GROUPS[language].findall(word)))


def readability(text: str, language: str) -> dict:
    units = count_units(text)  # words, a CJK character counting as one
    sentence_count = max(1, len(sentences(text)))
    row = {"units": units, "sentences": sentence_count}
    if language not in VOWEL_GROUPS:
        return row
    words = WORD.findall(text)
    count = max(1, len(words))
    per_sentence = count / sentence_count
    per_word = sum(syllables(word, language) for word in words) / count
    if language == "en":
        row["flesch"] = 206.835 - 1.015 * per_sentence - 84.6 * per_word
        row["grade"] = 0.39 * per_sentence + 11.8 * per_word - 15.59
    elif language == "de":
        row["flesch"] = 180 - per_sentence - 58.5 * per_word
    else:  # es: Fernández Huerta
        row["flesch"] = 206.84 - 0.60 * 100 * per_word - 1.02 * 100 / per_sentence
    return row


def summary(rows: list[dict], key: str) -> str:
    values = [row[key] for row in rows]
    return f"mean {statistics.fmean(values):.1f} / median {statistics.median(values):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", help="a faq_eval set: kb.jsonl + queries.jsonl")
    parser.add_argument("--json", help="write per-question rows here")
    args = parser.parse_args()
    evalset = EvalSet.load(Path(args.directory))
    started = time.monotonic()
    loaded = load_kb(evalset)
    answers: dict[str, list] = {}
    passages: dict[str, list] = {}
    refused = 0
    rows = []
    try:
        with agency_context(loaded.agency):
            for item in evalset.queries:
                language = normalize_language(item.get("lang")) or "en"
                answer, found = answer_services.answer_with_passages(
                    agency=loaded.agency, question=item["query"], record_gap=False, question_language=language
                )
                if not answer.grounded:
                    refused += 1
                    rows.append({"query": item["query"], "answered": False})
                    continue
                lead = found[0]
                text = answer.text.split("\n\n", 1)[1] if "\n\n" in answer.text else answer.text  # no note line
                kind = (lead.language or language).split("-")[0]
                answers.setdefault(kind, []).append(readability(text, kind))
                passages.setdefault(kind, []).append(readability(lead.text, kind))
                rows.append(
                    {
                        "query": item["query"],
                        "answered": True,
                        "answer": answers[kind][-1],
                        "passage": passages[kind][-1],
                    }
                )
    finally:
        drop_kb(loaded)
    answered = sum(len(value) for value in answers.values())
    print(
        f"{args.directory}: {len(evalset.queries)} questions, {answered} answered, {refused} refused "
        f"({time.monotonic() - started:.0f} s)"
    )
    for kind in sorted(answers):
        print(f"passages in {kind}:")
        for name, group in (("answer", answers[kind]), ("whole passage", passages[kind])):
            scores = [f"words {summary(group, 'units')}", f"sentences {summary(group, 'sentences')}"]
            if "flesch" in group[0]:
                scores.append(f"reading ease {summary(group, 'flesch')}")
            if "grade" in group[0]:
                scores.append(f"grade {summary(group, 'grade')}")
            print(f"  {name:>13}: " + "; ".join(scores))
        pairs = list(zip(answers[kind], passages[kind], strict=True))
        trimmed = sum(1 for answer, passage in pairs if answer["units"] < passage["units"])
        print(f"  answers shorter than their passage: {trimmed} of {len(pairs)}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
