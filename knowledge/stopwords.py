"""Query-side stop lists (`text.query_terms` drops them from questions).

Documents are indexed without stop-word removal; questions drop their language's stop words: ts_rank
has no IDF, so "what is the" would otherwise dominate OR queries. The lists are data, one word a line
in `knowledge/data/stopwords/<language>.txt` (lines starting with # are comments), read once per process.
"""

from __future__ import annotations

from pathlib import Path

from core.language import primary as primary_language

STOPWORDS_DIR = Path(__file__).resolve().parent / "data" / "stopwords"


def _load(directory: Path) -> dict[str, frozenset[str]]:
    lists = {}
    for path in sorted(directory.glob("*.txt")):
        lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
        lists[path.stem] = frozenset(line for line in lines if line and not line.startswith("#"))
    return lists


STOPWORDS: dict[str, frozenset[str]] = _load(STOPWORDS_DIR)


def stopwords_for(language: str | None) -> frozenset[str]:
    return STOPWORDS.get(primary_language(language), frozenset())
