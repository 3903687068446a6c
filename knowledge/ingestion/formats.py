"""Which format a file is (by its name), decoding its bytes, and the parser for each format."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from knowledge.ingestion.base import IngestionError, Section
from knowledge.ingestion.faq import parse_faq_csv, parse_faq_json
from knowledge.ingestion.prose import parse_html, parse_markdown, parse_pdf, parse_text

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".csv": "faq_csv",
    ".json": "faq_json",
}


def format_for_filename(filename: str) -> str | None:
    name = (filename or "").lower()
    for ext, fmt in EXTENSIONS.items():
        if name.endswith(ext):
            return fmt
    return None


_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)


def format_for_pasted_text(text: str) -> str:
    """Pasted text with Markdown headings ("## When is …?") is Markdown, so the heading becomes the
    passage's heading and not a literal "## " in the answer; anything else is plain text."""
    return "markdown" if _MARKDOWN_HEADING.search(text or "") else "text"


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
            continue
        return text
    return data.decode("latin-1")


def parse(fmt: str, *, text: str = "", data: bytes | None = None, title: str = "") -> list[Section]:
    """Sections of a source in `fmt`. Binary formats take `data`; text formats take `text` (or `data`)."""
    if fmt == "pdf":
        if not data:
            raise IngestionError(_("The file is empty."))
        return parse_pdf(data, title=title)
    if data is not None and not text:
        text = decode_text(data)
    if not text.strip():
        raise IngestionError(_("The document is empty."))
    parsers = {
        "text": parse_text,
        "markdown": parse_markdown,
        "html": parse_html,
        "faq_csv": parse_faq_csv,
        "faq_json": parse_faq_json,
    }
    if fmt not in parsers:
        raise IngestionError(_("Unsupported format: %(fmt)s") % {"fmt": fmt})
    sections = parsers[fmt](text, title=title)
    if not sections:
        raise IngestionError(_("No text found in this document."))
    return sections
