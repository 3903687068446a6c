"""What ingestion produces and its one error: sections of a source, chunk drafts."""

from __future__ import annotations

from dataclasses import dataclass

HEADING_SEPARATOR = " › "  # noqa: RUF001


class IngestionError(ValueError):
    """The source cannot be turned into passages (unsupported, empty, broken)."""


@dataclass(frozen=True)
class Section:
    heading_path: str
    text: str
    kind: str = "text"  # "text" | "qa"


@dataclass(frozen=True)
class ChunkDraft:
    order: int
    heading_path: str
    text: str
    language: str
    checksum: str

    @property
    def embedding_text(self) -> str:
        return f"{self.heading_path}\n{self.text}".strip() if self.heading_path else self.text
