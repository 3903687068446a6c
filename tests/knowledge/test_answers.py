"""Grounded answers: extractive with a citation, the no-answer path, audience scoping and isolation."""

from knowledge.models import UnansweredQuestion, VersionStatus
from knowledge.services import answer_question, answer_question_stream
from knowledge.types import Answer

POTHOLES = """# Reporting potholes

Report a pothole online, in the chat, or by calling 311. Crews inspect every report within two business
days and fill most potholes within five business days of the inspection.

# Street sweeping

Residential streets are swept once a month from April to November. Move your car on the posted day.
"""


def test_extractive_answer_cites_the_version(agency_a, publish):
    document, version = publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    assert version.status == VersionStatus.ACTIVE
    answer = answer_question(agency=agency_a, question="How soon are potholes filled?")
    assert isinstance(answer, Answer)
    assert answer.grounded
    assert "five business days" in answer.text
    assert answer.citations[0].document_id == document.pk
    assert answer.citations[0].version == 1
    assert answer.retrieved and {"chunk_id", "version_id", "score"} <= set(answer.retrieved[0])


def test_unknown_question_says_so_and_records_gap(agency_a, publish):
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    answer = answer_question(agency=agency_a, question="Can I renew my fishing license here?")
    assert not answer.grounded
    assert answer.citations == []
    assert "don't know" in answer.text
    assert UnansweredQuestion.objects.for_agency(agency_a).filter(question__icontains="fishing").exists()


def test_stream_without_llm_yields_only_the_answer(agency_a, publish):
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    items = list(answer_question_stream(agency=agency_a, question="When are streets swept?"))
    assert len(items) == 1 and isinstance(items[0], Answer) and items[0].grounded


SWEEPING = """# Street sweeping

Residential streets are swept once a month from April to November. Move your car on the posted day.
"""


def test_identical_passages_are_one_result_citing_each_document(agency_a, publish):
    """A passage repeated in two documents (same heading, same text) is shown once; the answer cites both
    documents; the audit payload keeps both chunks."""
    from knowledge import retrieval

    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    first, _ = publish(agency_a, title="Street sweeping", content=SWEEPING, format="markdown")
    # the same page published again elsewhere (another department's copy, another source address)
    second, _ = publish(
        agency_a, title="Street sweeping", content=SWEEPING, format="markdown", source_url="https://example.org/sweep"
    )
    passages = retrieval.search(agency=agency_a, query="When are streets swept?", limit=8)
    texts = [(p.heading_path, p.text) for p in passages]
    assert len(texts) == len(set(texts))  # never the same passage twice
    lead = passages[0]
    assert "swept once a month" in lead.text
    assert lead.document_ids == [first.pk, second.pk] and lead.also[0].url == "https://example.org/sweep"
    answer = answer_question(agency=agency_a, question="When are streets swept?")
    assert [c.document_id for c in answer.citations] == [first.pk, second.pk]
    assert {lead.chunk_id, lead.also[0].chunk_id} <= {r["chunk_id"] for r in answer.retrieved}
    # a third document: the fold does not shorten the list
    publish(
        agency_a, title="Parking", content="# Parking\n\nPark on the posted side on sweeping days.", format="markdown"
    )
    assert len(retrieval.search(agency=agency_a, query="streets swept parking", limit=3)) == 3


def test_a_staff_only_twin_is_never_cited_to_citizens(agency_a, publish):
    public, _ = publish(agency_a, title="Street sweeping", content=SWEEPING, format="markdown")
    staff_copy, _ = publish(agency_a, title="Street sweeping", content=SWEEPING, format="markdown", audience="staff")
    answer = answer_question(agency=agency_a, question="When are streets swept?")
    assert [c.document_id for c in answer.citations] == [public.pk]
    staff = answer_question(agency=agency_a, question="When are streets swept?", audience="staff")
    assert [c.document_id for c in staff.citations] == [public.pk, staff_copy.pk]


def test_staff_search_api_lists_the_folded_copies(agency_a, staff_a, client_for, publish):
    first, _ = publish(agency_a, title="Street sweeping", content=SWEEPING, format="markdown")
    second, _ = publish(agency_a, title="Street sweeping", content=SWEEPING, format="markdown")
    client = client_for(staff_a["analyst"])
    question = {"question": "When are streets swept?"}
    body = client.post("/api/v1/a/alpha/knowledge/search/", question, content_type="application/json").json()
    assert body["passages"][0]["document_id"] == first.pk
    assert [copy["document_id"] for copy in body["passages"][0]["also"]] == [second.pk]
    assert [c["document_id"] for c in body["answer"]["citations"]] == [first.pk, second.pk]


def test_ask_page_names_each_source_and_quotes_the_passage_once(agency_a, client, publish):
    publish(agency_a, title="Street sweeping", content=SWEEPING, format="markdown", source_url="https://a.example/1")
    publish(agency_a, title="Street sweeping", content=SWEEPING, format="markdown", source_url="https://a.example/2")
    page = client.post("/a/alpha/ask/", {"question": "When are streets swept?"}).content.decode()
    assert "Sources" in page and 'href="https://a.example/1"' in page and 'href="https://a.example/2"' in page
    assert page.count("<blockquote>") == 1


def test_ask_page_refusal_offers_the_chat_as_well_as_phone_and_email(agency_a, client, publish):
    from tenants.models import Agency

    Agency.objects.filter(pk=agency_a.pk).update(contact_phone="+1 555 0100", contact_email="help@alpha.example")
    page = client.post("/a/alpha/ask/", {"question": "How do I adopt a llama?"}).content.decode()
    assert "ask for a human here" in page
    assert 'href="/a/alpha/chat/"' in page and "a person can take over" in page
    assert 'href="tel:+1 555 0100"' in page and 'href="mailto:help@alpha.example"' in page


def test_an_answer_in_another_language_says_so_in_the_citizens(agency_a, publish):
    """The best passage is English and the question Spanish: the answer is that passage, with one line in
    Spanish saying it exists only in English (issue 19); in the passage's own language no note."""
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    spanish = answer_question(agency=agency_a, question="How soon are potholes filled?", language="es")
    assert spanish.grounded and "five business days" in spanish.text
    assert spanish.text.startswith("Esta respuesta solo está disponible en inglés.")
    english = answer_question(agency=agency_a, question="How soon are potholes filled?", language="en")
    assert "disponible" not in english.text and not english.text.startswith("This answer")


def test_the_refusals_phone_number_keeps_its_order_in_arabic(agency_a):
    """Arabic: the number is wrapped in the Unicode isolates (else it is drawn "0100 555 217 +1"); English and
    other left-to-right languages get no invisible characters."""
    from knowledge.answering import no_answer_text

    agency_a.contact_phone = "+1 217 555 0100"
    assert "\u2066+1 217 555 0100\u2069" in no_answer_text(agency_a, "ar")
    for language in ("en", "ko", "vi"):
        text = no_answer_text(agency_a, language)
        assert "+1 217 555 0100" in text and "\u2066" not in text and "\u2069" not in text


def test_ask_pages_call_button_isolates_the_number(agency_a, client, publish):
    from django.conf import settings

    from tenants.models import Agency

    Agency.objects.filter(pk=agency_a.pk).update(contact_phone="+1 217 555 0100", languages=["en", "ar"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.post("/a/alpha/ask/", {"question": "كيف أتبنى قطة من الملجأ؟"}).content.decode()
    assert 'dir="rtl"' in page
    assert '<bdi dir="ltr">+1 217 555 0100</bdi></a>' in page
