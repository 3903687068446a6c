"""Parsers of FAQ files (CSV and JSON): one section per question-answer pair, the question as its heading."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from core.input_guard import BadInput, json_loads_checked
from knowledge.ingestion.base import IngestionError, Section

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
        data = json_loads_checked(text)  # nesting capped, no NUL or unpaired surrogates
    except BadInput as exc:
        raise IngestionError(_("This JSON file is not valid: %(error)s") % {"error": exc.message}) from exc
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
