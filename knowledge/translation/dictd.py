"""Reading the bilingual dictionaries Debian ships for dictd (`/usr/share/dictd/<name>.index` + `.dict.dz`).

The index has one line a headword: the headword, then the entry's offset and length in the (dictzip, i.e. gzip)
data file in dictd's base64 digits. Two layouts are read:

- FreeDict (`dict-freedict-*`): the first line is the headword with its pronunciation and part of speech, the
  translations follow, one sense a line ("1. pole", "2. cavity") or comma-separated on one line;
- Ding (`dict-de-en`: `german-english`): the headword, a line of grammar ("{n}", "[Sprw.]"), then indented
  translations separated by ";" ("pothole (in the road); chuckhole [Am.] (road building)").

What comes out is (headword, [translation, …]) in the dictionary's order of senses, markup left to the caller.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

_DIGITS = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SENSE_NUMBER = re.compile(r"^\s*\d+\.\s*")


def _number(digits: str) -> int:
    value = 0
    for char in digits:
        value = value * 64 + _DIGITS[char]
    return value


def entries(directory: Path, name: str) -> Iterator[tuple[str, list[str]]]:
    """Every (headword, translations) of the dictionary `name` in `directory`; FileNotFoundError when absent."""
    index = (directory / f"{name}.index").read_text(encoding="utf-8")
    data = gzip.decompress((directory / f"{name}.dict.dz").read_bytes())
    seen: set[tuple[int, int]] = set()
    for line in index.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith("00-database"):
            continue
        try:
            span = (_number(parts[1]), _number(parts[2]))
        except KeyError:
            continue
        if span in seen:  # an entry indexed under several spellings is read once
            continue
        seen.add(span)
        text = data[span[0] : span[0] + span[1]].decode("utf-8", "replace")
        headword, senses = _parse(text)
        if headword and senses:
            yield headword, senses


def _parse(text: str) -> tuple[str, list[str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", []
    head = lines[0]
    headword = re.split(r"\s+/|\s+<", head, maxsplit=1)[0].strip()
    senses: list[str] = []
    for line in lines[1:]:
        if _grammar_only(line):
            continue
        line = _SENSE_NUMBER.sub("", line.strip())
        for part in re.split(r";|,(?![^(\[]*[)\]])", line):
            part = part.strip()
            if part:
                senses.append(part)
    return headword, senses


def _grammar_only(line: str) -> bool:
    """Ding's second line ("{n}", "{f} (Straßenbau)", "[Sprw.]"): grammar and field labels, no translation."""
    return not re.sub(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)", "", line).strip()
