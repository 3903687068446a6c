"""Parsers of prose sources: plain text, Markdown, HTML (boilerplate dropped) and PDF, into sections that
follow the source's headings."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _

from knowledge.ingestion.base import HEADING_SEPARATOR, IngestionError, Section
from knowledge.text import normalize


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


class _Outline:
    """Sections under the source's headings as they are read: text gathers in `buffer`; a heading (or the
    end) closes the section before it, named by the headings above it (the title first, unless the top
    heading already says it)."""

    def __init__(self, title: str):
        self.title = title
        self.sections: list[Section] = []
        self.stack: list[tuple[int, str]] = []
        self.buffer: list[str] = []

    def path(self) -> str:
        names = [name for _level, name in self.stack]
        if self.title and (not names or normalize(names[0]) != normalize(self.title)):
            names.insert(0, self.title)
        return HEADING_SEPARATOR.join(names)

    def flush(self) -> None:
        body = "\n".join(self.buffer).strip()
        self.buffer.clear()
        if body:
            self.sections.append(Section(self.path(), body))

    def heading(self, level: int, name: str | None) -> None:
        """A heading of `level` (1-6): close the section, leave the headings at that level or below, and
        enter `name` (None: enter nothing)."""
        self.flush()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        if name is not None:
            self.stack.append((level, name))


def parse_markdown(text: str, *, title: str = "") -> list[Section]:
    outline = _Outline(title)
    stack, buffer = outline.stack, outline.buffer
    lines = text.replace("\r\n", "\n").split("\n")
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
            level = len(match.group(1)) if match else (1 if lines[i + 1].startswith("=") else 2)
            outline.heading(level, _strip_markdown(match.group(2) if match else raw.strip()))
            continue
        if _MD_SETEXT.match(raw) and i > 0 and stack and stack[-1][1] == _strip_markdown(lines[i - 1].strip()):
            continue
        buffer.append(_strip_markdown(raw))
    outline.flush()
    return outline.sections


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
    outline = _Outline(title or page_title)
    buffer = outline.buffer

    def walk(node):
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                string = str(child).strip()
                if string and node is root:
                    buffer.append(re.sub(r"\s+", " ", string))
                continue
            if re.fullmatch(r"h[1-6]", name):
                heading = re.sub(r"\s+", " ", child.get_text(" ", strip=True))
                outline.heading(int(name[1]), heading or None)  # an empty heading closes, names nothing
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
    outline.flush()
    return outline.sections


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
