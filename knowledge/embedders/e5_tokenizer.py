"""multilingual-e5-small's tokenizer (XLM-R's SentencePiece Unigram, 250k pieces) in plain Python: the same token ids
as the `tokenizers` Unigram over the same pieces and scores (Metaspace split, "always" prepended; unknown characters
scored min - 10 and runs of them fused, as it does; 3,508 texts of the cross-language sets, faq_eval and random
characters compared: 0 differ), in ~90 MB instead of its ~210-280 MB per process, for ~0.7 ms more per question
(bench/knowledge/RESULTS.md session 27)."""

from __future__ import annotations

import array
import json
from pathlib import Path

SPACE = "\u2581"
UNK_PENALTY = 10.0


class UnigramTokenizer:
    def __init__(self, path: Path):
        model = json.loads(path.read_text(encoding="utf-8"))["model"]
        vocab = model["vocab"]
        self.unk = int(model["unk_id"])
        self.ids = {piece: i for i, (piece, _score) in enumerate(vocab)}
        self.scores = array.array("d", (score for _piece, score in vocab))
        self.unk_score = min(self.scores) - UNK_PENALTY
        self.longest = max(len(piece) for piece, _score in vocab)

    def encode(self, text: str) -> list[int]:
        """Token ids of `text` (no <s> / </s>)."""
        text = text.replace(" ", SPACE)
        if not text.startswith(SPACE):
            text = SPACE + text
        ids, start = [], 0
        for at in range(1, len(text)):
            if text[at] == SPACE:
                ids += self._word(text[start:at])
                start = at
        return ids + self._word(text[start:])

    def _word(self, word: str) -> list[int]:
        """The highest-scoring segmentation of one word into pieces (Viterbi)."""
        n = len(word)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int] | None] = [None] * (n + 1)
        best[0] = 0.0
        for start in range(n):
            base = best[start]
            if base == float("-inf"):
                continue
            single = False
            for end in range(start + 1, min(n, start + self.longest) + 1):
                piece = self.ids.get(word[start:end])
                if piece is None:
                    continue
                single = single or end == start + 1
                score = base + self.scores[piece]
                if score > best[end]:
                    best[end], back[end] = score, (start, piece)
            if not single and base + self.unk_score > best[start + 1]:
                best[start + 1], back[start + 1] = base + self.unk_score, (start, self.unk)
        out, at = [], n
        while at > 0:
            start, piece = back[at]
            out.append(piece)
            at = start
        out.reverse()
        return [piece for i, piece in enumerate(out) if not (piece == self.unk and i and out[i - 1] == self.unk)]
