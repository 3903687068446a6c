"""One FAQ page as a document in the shape `knowledge.services.document_create` takes."""

import json


def faq(title: str, url: str, entries: list[tuple[str, str]], **extra) -> dict:
    return {
        "title": title,
        "format": "faq_json",
        "content": json.dumps([{"question": q, "answer": a} for q, a in entries], ensure_ascii=False),
        "source_url": url,
        **extra,
    }
