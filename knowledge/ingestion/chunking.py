"""Sections to chunks: whole sentences packed up to a size, the last ones carried over as overlap, Q/A
boundaries kept, identical chunks stored once, each chunk's language detected."""

from __future__ import annotations

import hashlib

from core.language import FULL_WIDTH_ENDS
from core.language import detect as detect_language
from knowledge.ingestion.base import ChunkDraft, Section
from knowledge.text import count_units, has_cjk, normalize, sentences, split_units

MAX_UNITS = 80  # words (or CJK characters) per chunk: with its heading this stays under MiniLM's 128 tokens


OVERLAP_UNITS = 20


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if not out:
            out = part
        elif (has_cjk(out[-1:]) or out.endswith(FULL_WIDTH_ENDS)) and has_cjk(part[:1]):
            # "…同一天。请在…": no space after a Chinese sentence (it stood in every answer and passage page of
            # two sentences or more, "同一天。 请在", found by the session-24 walk).
            out += part
        elif part.startswith("• ") or out.endswith(("•", "\n")):
            out += "\n" + part
        else:
            out += " " + part
    return out


def chunk_section(section: Section, max_units: int = MAX_UNITS, overlap: int = OVERLAP_UNITS) -> list[str]:
    """Whole sentences packed up to `max_units`, the last sentences (≤ overlap) repeated in the next."""
    pieces: list[str] = []
    for sentence in sentences(section.text):
        if count_units(sentence) > max_units:
            pieces.extend(split_units(sentence, max_units, overlap))
        else:
            pieces.append(sentence)
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        units = count_units(piece)
        if current and size + units > max_units:
            chunks.append(_join(current))
            carried: list[str] = []
            carried_size = 0
            for previous in reversed(current):
                previous_units = count_units(previous)
                if carried_size + previous_units > overlap:
                    break
                carried.insert(0, previous)
                carried_size += previous_units
            current, size = carried, carried_size
            if size + units > max_units:
                current, size = [], 0
        current.append(piece)
        size += units
    if current:
        tail = _join(current)
        if not chunks or normalize(tail) not in normalize(chunks[-1]):
            chunks.append(tail)
    return chunks


def checksum_text(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(normalize(p).strip() for p in parts).encode()).hexdigest()


def chunk_sections(
    sections: list[Section], *, language: str | None = None, default_language: str = "en"
) -> list[ChunkDraft]:
    """`language` forces every chunk's language; otherwise each chunk's is detected, and a chunk with no
    clue (no stop words, no script or accents) takes `default_language` (its document's)."""
    drafts: list[ChunkDraft] = []
    seen: set[str] = set()
    for section in sections:
        for text in chunk_section(section):
            digest = checksum_text(section.heading_path, text)
            if digest in seen:
                continue  # identical chunks are stored once
            seen.add(digest)
            chunk_language = (
                language
                or detect_language(
                    f"{section.heading_path} {text}", hint=default_language, fallback=default_language
                ).written
            )
            drafts.append(ChunkDraft(len(drafts), section.heading_path[:500], text, chunk_language, digest))
    return drafts
