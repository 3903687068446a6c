"""The dependency-free multilingual lexical embedder: hashed words and character n-grams (CJK character
uni/bigrams) in 1024 dimensions. Always computed: the third retrieval signal, and the fallback for
languages no dense model knows."""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from knowledge.text import cjk_bigrams, runs

LEXICAL_DIM = 1024


def _crc(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8"))


class LexicalEmbedder:
    """Hashed bag of words + character n-grams, L2-normalised into `dim` floats.

    Two feature groups, each sublinear-TF weighted and normalised on its own, then mixed:
      word: word unigrams and CJK character bigrams;
      char: n-grams (3-5) of "<word>" (so German compound parts match) and CJK single characters.
    Documents are TF-only; queries are IDF-weighted (SMART lnc.ltc) from the agency's document
    frequencies (`idf` maps feature hash → idf), so ingestion stays stateless per chunk.
    """

    name = "lexical"

    def __init__(self, dim: int = LEXICAL_DIM, nmin: int = 3, nmax: int = 5, w_word: float = 0.5, w_char: float = 0.5):
        self.dim, self.nmin, self.nmax = dim, nmin, nmax
        self.w_word, self.w_char = w_word, w_char

    def features(self, text: str) -> tuple[Counter, Counter]:
        """(word feature hashes, char feature hashes) with counts."""
        words: Counter = Counter()
        chars: Counter = Counter()
        for is_cjk, run in runs(text):
            if is_cjk:
                words.update(_crc("w:" + gram) for gram in cjk_bigrams(run))
                chars.update(_crc("c:" + ch) for ch in run)
                continue
            words[_crc("w:" + run)] += 1
            marked = "<" + run + ">"
            length = len(marked)
            for n in range(self.nmin, self.nmax + 1):
                if length < n:
                    break
                for i in range(length - n + 1):
                    chars[_crc("c:" + marked[i : i + n])] += 1
        return words, chars

    def feature_set(self, text: str) -> set[int]:
        words, chars = self.features(text)
        return set(words) | set(chars)

    def embed(self, text: str, idf: dict[int, float] | None = None, unseen_idf: float = 1.0) -> list[float]:
        vec = [0.0] * self.dim
        for counts, group_weight in zip(self.features(text), (self.w_word, self.w_char), strict=True):
            if not counts:
                continue
            weights = {}
            for feature, tf in counts.items():
                weight = 1.0 + math.log(tf)
                if idf is not None:
                    weight *= idf.get(feature, unseen_idf)
                weights[feature] = weight
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            scale = math.sqrt(group_weight) / norm
            for feature, weight in weights.items():
                sign = -1.0 if (feature >> 31) & 1 else 1.0
                vec[feature % self.dim] += sign * weight * scale
        length = math.sqrt(sum(x * x for x in vec))
        return [x / length for x in vec] if length > 0 else vec

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed(text) for text in texts]


@lru_cache(maxsize=1)
def lexical_embedder() -> LexicalEmbedder:
    return LexicalEmbedder()
