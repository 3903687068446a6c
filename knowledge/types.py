"""Value types returned by the knowledge services (the contract other apps build on)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    document_id: int
    version: int  # the DocumentVersion number the passage came from (pinned)
    title: str
    url: str
    snippet: str
    chunk_id: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    text: str
    citations: list[Citation]
    confidence: float
    grounded: bool
    language: str
    # What retrieval returned, for the audit payload: [{"chunk_id", "version_id", "score"}, …]
    retrieved: list[dict] = field(default_factory=list)
    # Other questions one tap away (`knowledge.related`): under an answer, the passages after its lead; under
    # "I don't know", the near misses ("did you mean …?"). [{"question", "chunk_id"}, …]
    related: list[dict] = field(default_factory=list)
    # Under "I don't know": one line in the citizen's language when the suggestions are in another ("" otherwise).
    related_note: str = ""
    # The knowledge gap recorded for a refusal (`UnansweredQuestion`), so the chat can note what was meant.
    gap_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "citations": [citation.as_dict() for citation in self.citations],
            "confidence": self.confidence,
            "grounded": self.grounded,
            "language": self.language,
            "retrieved": list(self.retrieved),
            "related": list(self.related),
            "related_note": self.related_note,
        }


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk with its fused score and the signals behind it."""

    chunk_id: int
    version_id: int
    version_number: int
    document_id: int
    title: str
    url: str
    heading_path: str
    text: str
    language: str
    audience: str
    is_crisis: bool
    score: float
    signals: dict = field(default_factory=dict)
    confidence: float = 0.0
    # Passages with the same heading and text in other documents (a FAQ page that repeats a question, a
    # policy copied into two documents): folded into this one, so a result list never shows the same
    # passage twice, and cited with it (`answering.citations_for`).
    also: tuple[Passage, ...] = ()
    # The document's title in other languages (`Document.translations`): a citation names it in the reader's.
    title_translations: dict = field(default_factory=dict)

    @property
    def document_ids(self) -> list[int]:
        return [self.document_id, *(twin.document_id for twin in self.also)]
