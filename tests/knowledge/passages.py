"""A retrieved passage built by hand, for tests of what is decided after retrieval (leads, suggestions, notes)."""

from knowledge.types import Passage


def make_passage(chunk_id: int, heading: str, score: float, *, language: str = "en", title: str = "FAQ") -> Passage:
    """Chunk `chunk_id` under `heading`, scored `score` (its confidence too), in `language`."""
    return Passage(
        chunk_id=chunk_id,
        version_id=1,
        version_number=1,
        document_id=1,
        title=title,
        url="",
        heading_path=heading,
        text="…",
        language=language,
        audience="public",
        is_crisis=False,
        score=score,
        confidence=score,
    )
