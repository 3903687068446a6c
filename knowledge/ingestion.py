"""From an uploaded source to passages: parse each format into sections, then chunk.

Parsers return `Section(heading_path, text, kind)`; `kind == "qa"` marks one question-answer pair (the
question is the heading). Chunking follows sections and Q/A boundaries, packs whole sentences up to a
size, carries the last sentence(s) over as overlap, and drops identical chunks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.language import detect as detect_language
from knowledge.text import count_units, has_cjk, normalize, sentences, split_units

MAX_UNITS = 80  # words (or CJK characters) per chunk: with its heading this stays under MiniLM's 128 tokens
OVERLAP_UNITS = 20
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


# --- parsers ---------------------------------------------------------------------------------------


def _paragraph_sections(text: str, heading: str = "") -> list[Section]:
    return [Section(heading, text)] if text.strip() else []


def parse_text(text: str, *, title: str = "") -> list[Section]:
    return _paragraph_sections(text, title)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")


def _strip_markdown(line: str) -> str:
    line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)  # images → alt text
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)  # links → text
    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
    line = re.sub(r"(?<![\w*])[*_](\S.*?\S|\S)[*_](?![\w*])", r"\1", line)
    line = re.sub(r"`([^`]*)`", r"\1", line)
    line = re.sub(r"^\s*>\s?", "", line)
    line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "• ", line)
    return line


def parse_markdown(text: str, *, title: str = "") -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    buffer: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")

    def path() -> str:
        names = [name for _level, name in stack]
        if title and (not names or normalize(names[0]) != normalize(title)):
            names.insert(0, title)
        return HEADING_SEPARATOR.join(names)

    def flush():
        body = "\n".join(buffer).strip()
        buffer.clear()
        if body:
            sections.append(Section(path(), body))

    in_code = False
    for i, raw in enumerate(lines):
        if raw.strip().startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else _MD_HEADING.match(raw)
        setext = (
            not in_code
            and i + 1 < len(lines)
            and raw.strip()
            and _MD_SETEXT.match(lines[i + 1])
            and not (buffer and buffer[-1].strip())
        )
        if match or setext:
            flush()
            level = len(match.group(1)) if match else (1 if lines[i + 1].startswith("=") else 2)
            name = _strip_markdown(match.group(2) if match else raw.strip())
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, name))
            continue
        if _MD_SETEXT.match(raw) and i > 0 and stack and stack[-1][1] == _strip_markdown(lines[i - 1].strip()):
            continue
        buffer.append(_strip_markdown(raw))
    flush()
    return sections


_BOILERPLATE_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
]
_BOILERPLATE_HINT = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|footer|header|sidebar|cookie|banner|skip|social|share|site-?map)([\s_-]|$)",
    re.I,
)
_BLOCK_TAGS = {"p", "li", "dd", "dt", "td", "th", "pre", "blockquote", "figcaption", "address", "summary"}


def parse_html(text: str, *, title: str = "") -> list[Section]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    page_title = ""
    if soup.title and soup.title.string:
        page_title = soup.title.string.strip()
    for tag in soup(_BOILERPLATE_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": re.compile(r"navigation|banner|contentinfo|search", re.I)}):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed if hasattr(tag, "decomposed") else False:
            continue
        attrs = getattr(tag, "attrs", None) or {}
        hint = " ".join([attrs.get("id", "") or "", *(attrs.get("class") or [])])
        if hint and _BOILERPLATE_HINT.search(hint) and tag.name not in ("body", "html", "main", "article"):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"}) or soup.body or soup
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    buffer: list[str] = []
    doc_title = title or page_title

    def path() -> str:
        names = [name for _level, name in stack]
        if doc_title and (not names or normalize(names[0]) != normalize(doc_title)):
            names.insert(0, doc_title)
        return HEADING_SEPARATOR.join(names)

    def flush():
        body = "\n".join(buffer).strip()
        buffer.clear()
        if body:
            sections.append(Section(path(), body))

    def walk(node):
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                string = str(child).strip()
                if string and node is root:
                    buffer.append(re.sub(r"\s+", " ", string))
                continue
            if re.fullmatch(r"h[1-6]", name):
                flush()
                level = int(name[1])
                heading = re.sub(r"\s+", " ", child.get_text(" ", strip=True))
                while stack and stack[-1][0] >= level:
                    stack.pop()
                if heading:
                    stack.append((level, heading))
            elif name in _BLOCK_TAGS:
                if name in ("li", "td", "dd", "blockquote") and child.find(
                    [*_BLOCK_TAGS, "h1", "h2", "h3", "h4", "h5", "h6"]
                ):
                    walk(child)
                    continue
                value = re.sub(r"\s+", " ", child.get_text(" ", strip=True))
                if value:
                    buffer.append(("• " + value) if name == "li" else value)
            else:
                walk(child)

    walk(root)
    flush()
    return sections


def parse_pdf(data: bytes, *, title: str = "") -> list[Section]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise IngestionError(_("This PDF is password-protected.")) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestionError(_("This PDF could not be read (it may be damaged): %(error)s") % {"error": exc}) from exc
    except Exception as exc:
        raise IngestionError(_("This PDF could not be read (it may be damaged).")) from exc
    sections = []
    for number, page in enumerate(pages, 1):
        text = re.sub(r"[ \t]+\n", "\n", page)
        text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # re-join hyphenated line breaks
        paragraphs = re.split(r"\n\s*\n", text)
        joined = "\n".join(re.sub(r"\s*\n\s*", " ", p).strip() for p in paragraphs if p.strip())
        if joined:
            heading = HEADING_SEPARATOR.join(filter(None, [title, _("page %(n)s") % {"n": number}]))
            sections.append(Section(heading, joined))
    if not sections:
        raise IngestionError(_("This PDF has no extractable text (scanned images are not supported)."))
    return sections


_QUESTION_KEYS = ("question", "q", "title", "frage", "问题", "pregunta")
_ANSWER_KEYS = ("answer", "a", "text", "antwort", "答案", "respuesta")


def _qa_sections(pairs: list[tuple[str, str]]) -> list[Section]:
    sections = []
    for question, answer in pairs:
        question, answer = (question or "").strip(), (answer or "").strip()
        if question and answer:
            sections.append(Section(question, answer, "qa"))
    if not sections:
        raise IngestionError(_("No question–answer pairs found (expected columns or keys 'question' and 'answer')."))  # noqa: RUF001
    return sections


def _pick(row: dict, keys: tuple[str, ...]) -> str:
    lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for key in keys:
        if key in lowered and lowered[key] is not None:
            return str(lowered[key])
    return ""


def parse_faq_csv(text: str, **_kwargs) -> list[Section]:
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise IngestionError(_("This CSV file could not be read: %(error)s") % {"error": exc}) from exc
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise IngestionError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    q_index = next((header.index(k) for k in _QUESTION_KEYS if k in header), None)
    a_index = next((header.index(k) for k in _ANSWER_KEYS if k in header), None)
    if q_index is None or a_index is None:
        if all(len(row) >= 2 for row in rows):
            q_index, a_index, body = 0, 1, rows  # no header: first two columns
        else:
            raise IngestionError(_("A FAQ CSV needs 'question' and 'answer' columns."))
    else:
        body = rows[1:]
    pairs = [(row[q_index], row[a_index]) for row in body if len(row) > max(q_index, a_index)]
    return _qa_sections(pairs)


def parse_faq_json(text: str, **_kwargs) -> list[Section]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestionError(_("This JSON file is not valid: %(error)s") % {"error": exc}) from exc
    if isinstance(data, dict):
        data = next(
            (
                v
                for k, v in data.items()
                if isinstance(v, list) and k.lower() in ("faq", "faqs", "items", "questions", "data")
            ),
            [data],
        )
    if not isinstance(data, list):
        raise IngestionError(_("A FAQ JSON file holds a list of {question, answer} objects."))
    pairs = []
    for item in data:
        if isinstance(item, dict):
            pairs.append((_pick(item, _QUESTION_KEYS), _pick(item, _ANSWER_KEYS)))
        elif isinstance(item, list | tuple) and len(item) >= 2:
            pairs.append((str(item[0]), str(item[1])))
    return _qa_sections(pairs)


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


# --- chunking --------------------------------------------------------------------------------------


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if not out:
            out = part
        elif has_cjk(out[-1:]) and has_cjk(part[:1]):
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
