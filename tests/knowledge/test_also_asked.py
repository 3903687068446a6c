"""An agency's synonyms and "also asked as" phrasings of a document (issue 19): staff add them on the document's
page, they feed its chunks' full text and lexical vectors at once, they stay within the agency."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from knowledge import retrieval, services
from knowledge.models import Chunk, Document
from tenants.context import agency_context

POTHOLE_ES = "Un equipo inspecciona el bache en dos días hábiles y la mayoría se reparan en cinco días hábiles."
WHEN = "¿Cuándo arreglan los baches?"


def _page(agency, document):
    return reverse("knowledge-document", kwargs={"agency_slug": agency.slug, "document_id": document.pk})


def _fulltext_ids(agency, question):
    with agency_context(agency):
        plan = retrieval.search_plan(agency=agency, query=question)
        return retrieval.pipeline._fulltext_list(agency=agency, plan=plan)


def test_a_synonym_added_on_the_staff_page_finds_the_passage(agency_a, staff_a, client_for, publish):
    document, _version = publish(agency_a, title="Baches", content=POTHOLE_ES, language="es")
    with agency_context(agency_a):
        chunk = Chunk.objects.for_agency(agency_a).get(document=document)
    assert chunk.pk not in _fulltext_ids(agency_a, "arreglan")  # the text says "reparan"
    lexical_before = list(chunk.lexical)

    client = client_for(staff_a["supervisor"])
    response = client.post(_page(agency_a, document), {"action": "also_asked", "also_asked": "arreglan\n\narreglan\n"})
    assert response.status_code == 302
    with agency_context(agency_a):
        document.refresh_from_db()
        chunk.refresh_from_db()
    assert document.also_asked == "arreglan"  # blank lines and repeats dropped
    assert chunk.pk in _fulltext_ids(agency_a, "arreglan")  # stemmed: "arreglan" -> arregl
    assert list(chunk.lexical) != lexical_before
    page = client.get(_page(agency_a, document))
    assert page.status_code == 200 and "arreglan" in page.content.decode()

    # Removing the phrasing removes its effect.
    client.post(_page(agency_a, document), {"action": "also_asked", "also_asked": ""})
    assert chunk.pk not in _fulltext_ids(agency_a, "arreglan")


def test_a_new_version_keeps_the_phrasings(agency_a, publish, django_capture_on_commit_callbacks):
    document, _version = publish(agency_a, title="Baches", content=POTHOLE_ES, language="es")
    with agency_context(agency_a):
        services.document_also_asked_set(agency=agency_a, actor=None, document=document, text="arreglan")
        with django_capture_on_commit_callbacks(execute=False):
            version = services.document_version_create(
                agency=agency_a, actor=None, document=document, content=POTHOLE_ES + " Llame al 311."
            )
        services.document_version_index(agency=agency_a, version_id=version.pk)
        chunk = Chunk.objects.for_agency(agency_a).get(version=version)
    assert chunk.pk in _fulltext_ids(agency_a, "arreglan")


def test_bad_phrasings_get_a_clear_error(agency_a, staff_a, client_for, publish):
    document, _version = publish(agency_a, title="Baches", content=POTHOLE_ES, language="es")
    with agency_context(agency_a), pytest.raises(ValidationError):
        services.document_also_asked_set(agency=agency_a, actor=None, document=document, text="x" * 201)
    client = client_for(staff_a["supervisor"])
    response = client.post(
        _page(agency_a, document), {"action": "also_asked", "also_asked": "\n".join(f"w{i}" for i in range(51))}
    )
    assert response.status_code == 400 and "At most 50 phrasings" in response.content.decode()
    # agents read the knowledge base but do not edit it
    agent = client_for(staff_a["agent"])
    assert agent.post(_page(agency_a, document), {"action": "also_asked", "also_asked": "x"}).status_code == 404


def test_another_agencys_staff_cannot_set_them_and_they_stay_in_the_agency(
    agency_a, agency_b, staff_b, client_for, publish
):
    document_a, _ = publish(agency_a, title="Baches", content=POTHOLE_ES, language="es")
    document_b, _ = publish(agency_b, title="Baches", content=POTHOLE_ES, language="es")
    client = client_for(staff_b["admin"])
    # B's admin on A's document, through A's page and through B's page: not found either way
    assert client.post(_page(agency_a, document_a), {"action": "also_asked", "also_asked": "x"}).status_code in (
        403,
        404,
    )
    url_b = reverse("knowledge-document", kwargs={"agency_slug": agency_b.slug, "document_id": document_a.pk})
    assert client.post(url_b, {"action": "also_asked", "also_asked": "arreglan"}).status_code == 404
    with agency_context(agency_a):
        assert Document.objects.for_agency(agency_a).get(pk=document_a.pk).also_asked == ""
        with pytest.raises(ValidationError):
            services.document_also_asked_set(agency=agency_b, actor=None, document=document_a, text="arreglan")
    # A's phrasings change A's search only
    with agency_context(agency_a):
        services.document_also_asked_set(agency=agency_a, actor=None, document=document_a, text="arreglan")
    with agency_context(agency_b):
        chunk_b = Chunk.objects.for_agency(agency_b).get(document=document_b)
    assert chunk_b.pk not in _fulltext_ids(agency_b, "arreglan")


def test_the_demos_when_do_you_fix_potholes_is_answered_once_staff_add_the_synonym(agency_a, dense):
    """On the demo's Springfield knowledge base (default models) "¿Cuándo arreglan los baches?" ranked the
    pothole passage first but was refused below the confidence floor: the passage says "reparan". Staff add
    "arreglan" to the Spanish FAQ; the question is answered from it."""
    from knowledge.demo import _documents

    with agency_context(agency_a):
        documents = [
            services.document_create(agency=agency_a, actor=None, queue=False, **spec)
            for spec in _documents("springfield")
        ]
        services.versions_index(agency=agency_a, version_ids=[d.versions.get().pk for d in documents])
        before = services.answer_question(agency=agency_a, question=WHEN)
        assert not before.grounded, before.text  # the defect this fixes
        spanish = next(d for d in documents if d.language == "es")
        services.document_also_asked_set(agency=agency_a, actor=None, document=spanish, text="arreglan")
        after = services.answer_question(agency=agency_a, question=WHEN)
    assert after.grounded and "cinco días hábiles" in after.text, after.text
    assert after.language == "es"
