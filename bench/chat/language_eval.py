"""Language detection on the labelled chat sets (bench/chat/data/*.tsv: intent, language, utterance), per language:
each utterance as written, and with its accents taken off (as phones often type Vietnamese, Spanish, French and
German). A first message: the agency answers in the eight UI languages, no hint (or the page's language, `--hint`), English
when unsure. "accents off" only for the Latin-script languages.

    .venv/bin/python bench/chat/language_eval.py [--hint LANG] [--errors LANG | LANG:folded] [--glob "intents_held*.tsv"]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from core import language as language_module  # noqa: E402
from core.language import detect, normalize  # noqa: E402

LANGUAGES = ["en", "es", "zh-hans", "de", "fr", "vi", "ko", "ar"]
LATIN = ("en", "es", "de", "fr", "vi")


def unaccented(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def rows(pattern: str = "*.tsv"):
    seen = set()
    for path in sorted((ROOT / "bench/chat/data").glob(pattern)):
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3 or row[0].startswith("#"):
                    continue
                language, text = normalize(row[1]), row[2].strip()
                if language in LANGUAGES and (language, text) not in seen:
                    seen.add((language, text))
                    yield language, text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", default="", help="print the misread lines of this language (LANG or LANG:folded)")
    parser.add_argument("--hint", default=None, help="the conversation's language (the page's)")
    parser.add_argument("--glob", default="*.tsv", help="the sets read, in bench/chat/data (e.g. intents_held*.tsv)")
    parser.add_argument(
        "--words-share",
        type=float,
        default=None,
        help="core.language.WORDS_DECIDE_SHARE for this run (2 switches the words' vote on unsure texts off)",
    )
    args = parser.parse_args()
    if args.words_share is not None:
        language_module.WORDS_DECIDE_SHARE = args.words_share
    total, right, folded_total, folded_right = Counter(), Counter(), Counter(), Counter()
    as_vi = Counter()  # folded lines of another language read as Vietnamese
    for language, text in rows(args.glob):
        got = detect(text, allowed=LANGUAGES, fallback="en", hint=args.hint).language
        total[language] += 1
        right[language] += got == language
        if args.errors == language and got != language:
            print(f"  {language} -> {got}: {text}")
        plain = unaccented(text)
        if language in LATIN:
            got = detect(plain, allowed=LANGUAGES, fallback="en", hint=args.hint).language
            folded_total[language] += 1
            folded_right[language] += got == language
            as_vi[language] += got == "vi" and language != "vi"
            if args.errors == f"{language}:folded" and got != language:
                print(f"  {language} -> {got}: {plain}")
    print(f"{'language':8} {'as written':>18} {'accents off':>18} {'accents off read as vi':>24}")
    for language in LANGUAGES:
        n, f = total[language], folded_total[language]
        folded = f"{folded_right[language]}/{f} {folded_right[language] / f:.3f}" if f else "-"
        print(f"{language:8} {right[language]:>6}/{n:<5} {right[language] / n:.3f} {folded:>18} {as_vi[language]:>24}")
    n = sum(total.values())
    print(f"{'all':8} {sum(right.values()):>6}/{n:<5} {sum(right.values()) / n:.3f}")


if __name__ == "__main__":
    main()
