"""From an uploaded source to passages: parse each format into sections, then chunk.

Parsers return `Section(heading_path, text, kind)`; `kind == "qa"` marks one question-answer pair (the
question is the heading). Chunking follows sections and Q/A boundaries, packs whole sentences up to a
size, carries the last sentence(s) over as overlap, and drops identical chunks.

Modules: base.py (the types and the error), formats.py (format by file name, decoding, `parse`),
prose.py (text, Markdown, HTML, PDF), faq.py (FAQ CSV and JSON), chunking.py. Import from here.
"""

from knowledge.ingestion.base import HEADING_SEPARATOR, ChunkDraft, IngestionError, Section
from knowledge.ingestion.chunking import MAX_UNITS, OVERLAP_UNITS, checksum_text, chunk_section, chunk_sections
from knowledge.ingestion.faq import parse_faq_csv, parse_faq_json
from knowledge.ingestion.formats import EXTENSIONS, decode_text, format_for_filename, format_for_pasted_text, parse
from knowledge.ingestion.prose import parse_html, parse_markdown, parse_pdf, parse_text

__all__ = [
    "EXTENSIONS",
    "HEADING_SEPARATOR",
    "MAX_UNITS",
    "OVERLAP_UNITS",
    "ChunkDraft",
    "IngestionError",
    "Section",
    "checksum_text",
    "chunk_section",
    "chunk_sections",
    "decode_text",
    "format_for_filename",
    "format_for_pasted_text",
    "parse",
    "parse_faq_csv",
    "parse_faq_json",
    "parse_html",
    "parse_markdown",
    "parse_pdf",
    "parse_text",
]
