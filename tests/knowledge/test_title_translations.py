"""A document's title in the reader's language where the agency gave one (session 20's walk: a Spanish reader's
answer from an English FAQ was cited "Street repairs"): citations in the chat's and the page's language, the
passage page, the staff document page; without a translation the document's own title."""

import pytest

from knowledge import services as knowledge
from knowledge.models import Chunk, Document
from tenants.context import agency_context
from tests.chat.conftest import publish_document
from tests.knowledge.test_passage_page import LONG

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_models(settings):
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None


@pytest.fixture
def repairs(agency_a, no_models):
    document = publish_document(agency_a, title="Street repairs", content=LONG)
    with agency_context(agency_a):
        knowledge.document_update(
            agency=agency_a,
            actor=None,
            document=Document.objects.get(pk=document.pk),
            translations={"es": {"title": "Reparación de calles"}},
        )
        chunk = Chunk.objects.filter(document=document).order_by("order").first()
    return document, chunk


def test_a_citation_names_the_document_in_the_answers_language(agency_a, repairs):
    _document, chunk = repairs
    with agency_context(agency_a):
        spanish = knowledge.answer_from_passage(agency=agency_a, chunk_id=chunk.pk, language="es")
        chinese = knowledge.answer_from_passage(agency=agency_a, chunk_id=chunk.pk, language="zh-hans")
    assert [c.title for c in spanish.citations] == ["Reparación de calles"]
    assert [c.title for c in chinese.citations] == ["Street repairs"]  # none given: its own


def test_the_ask_page_cites_by_the_page_language(agency_a, repairs, client):
    client.cookies["django_language"] = "es"
    body = client.post("/a/alpha/ask/", {"question": "How long does it take to fix a pothole?"}).content.decode()
    # an English question on a Spanish page is answered in English: the citation follows the answer
    assert "Street repairs" in body
    _document, chunk = repairs
    page = client.get(f"/a/alpha/ask/passage/{chunk.pk}/").content.decode()
    assert "<h1>Reparación de calles</h1>" in page


def test_a_translation_in_a_language_the_ui_does_not_have_is_refused(agency_a, repairs):
    from django.core.exceptions import ValidationError

    document, _chunk = repairs
    with agency_context(agency_a), pytest.raises(ValidationError):
        knowledge.document_update(
            agency=agency_a,
            actor=None,
            document=Document.objects.get(pk=document.pk),
            translations={"xx": {"title": "?"}},
        )
