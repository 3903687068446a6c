# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""Answers across languages (issue 19): when nothing in the question's language answers it, the best passage
in another language answers, compared in the multilingual encoder's space (`Chunk.shared_embedding`), with a
one-line note in the citizen's language; a cross-language floor of its own refuses what no passage answers."""

from django.utils import translation

from knowledge import retrieval, services, shared_space, tasks
from knowledge.models import Chunk
from tenants.context import agency_context

POOLS_EN = """# Swimming pools

## When do the outdoor swimming pools open?
The outdoor swimming pools at Douglas Park and Iles Park open on Memorial Day weekend and close in mid-August.
Daily admission is $4 for adults and $2 for children under 13; a season pass costs $60 for a resident family.
"""
LIBRARY_EN = """# Public library

## When is the library open?
The main library is open Monday to Saturday from 9:00 to 20:00 and closed on Sundays and public holidays.
You can return books at any time in the drop box next to the entrance.
"""
BULKY_EN = """# Bulky items

## How do I get rid of a couch or a mattress?
Schedule a bulk item pickup at least three business days ahead. Each household gets two free bulk pickups a
year of up to five items each; after that a pickup costs $35. Mattresses must be wrapped in plastic.
"""
TRASH_DE = """# Müllabfuhr

## An welchem Tag wird der Müll abgeholt?
Restmüll und Wertstoffe werden einmal pro Woche abgeholt, immer am selben Wochentag, je nach Ihrer Adresse.
Stellen Sie die Tonnen am Abholtag vor 6:00 Uhr morgens an den Straßenrand.
"""
TRASH_EN = """# Trash

## When is my trash collected?
Trash and recycling are collected once a week on the same day, depending on your address. Put carts at the
curb by 6:00 a.m. on collection day.
"""
REFUNDS_ES = """# Reembolsos

## ¿Cuánto tarda mi reembolso?
La mayoría de los reembolsos de declaraciones presentadas por internet con depósito directo se emiten en un
plazo de 21 días. Las declaraciones en papel tardan de 8 a 10 semanas.
"""

POOLS_FR = """# Piscines

## Quand les piscines extérieures ouvrent-elles ?
Les piscines extérieures de Douglas Park et Iles Park ouvrent le week-end de Memorial Day et ferment à la mi-août.
"""


def _publish(publish, agency, docs, *, language="en"):
    for title, content in docs:
        publish(agency, title=title, content=content, language=language, format="markdown")
    with agency_context(agency):
        # what the activation queues (knowledge.fill_shared_vectors), run here in the test's transaction
        shared_space.shared_vectors_fill(agency=agency)


def _ask(agency, question, **kwargs):
    with agency_context(agency):
        return services.answer_question(agency=agency, question=question, **kwargs)


def test_a_german_question_is_answered_from_the_english_passage_with_a_german_note(agency_a, publish, dense):
    """The agency does not list German: the note is in the reply's language, the page's (the front door in German
    has it; on the agency's English page the English answer needs none: a German note was the reply's one German
    line, seen by the session-25 walk in Chinese)."""
    _publish(publish, agency_a, [("Pools", POOLS_EN), ("Library", LIBRARY_EN), ("Bulky items", BULKY_EN)])
    with translation.override("de"):
        answer = _ask(agency_a, "Wann hat die Bibliothek geöffnet?")
    assert answer.grounded, answer.text
    assert answer.text.startswith("Diese Antwort gibt es nur auf Englisch.")
    with translation.override("en"):
        english_page = _ask(agency_a, "Wann hat die Bibliothek geöffnet?")
    assert english_page.grounded and english_page.text.startswith("The main library"), english_page.text
    assert "Monday to Saturday" in answer.text and answer.citations[0].title == "Library"
    assert any(row.get("crosslingual") for row in answer.retrieved)


def test_a_chinese_question_is_answered_from_the_english_passage_with_a_chinese_note(agency_a, publish, dense):
    _publish(publish, agency_a, [("Pools", POOLS_EN), ("Library", LIBRARY_EN), ("Bulky items", BULKY_EN)])
    answer = _ask(agency_a, "图书馆的开放时间是什么？")
    assert answer.grounded, answer.text
    assert answer.text.startswith("此回答仅提供英语版本。")
    assert answer.citations[0].title == "Library"
    # the chat passes the conversation's language: the note follows it
    answer = _ask(agency_a, "我怎么扔掉旧床垫？", language="zh-hans")
    assert answer.grounded and answer.citations[0].title == "Bulky items"
    assert answer.text.startswith("此回答仅提供英语版本。")


def test_an_english_question_is_answered_from_a_spanish_passage_with_a_note(agency_a, publish, dense):
    _publish(publish, agency_a, [("Reembolsos", REFUNDS_ES)], language="es")
    answer = _ask(agency_a, "How long does my refund take?")
    assert answer.grounded, answer.text
    assert answer.text.startswith("This answer is only available in Spanish.")
    assert "21" in answer.text


def test_a_passage_in_the_questions_own_language_answers_with_no_note(agency_a, publish, dense):
    _publish(publish, agency_a, [("Trash", TRASH_EN), ("Library", LIBRARY_EN)])
    _publish(publish, agency_a, [("Müllabfuhr", TRASH_DE)], language="de")
    answer = _ask(agency_a, "An welchem Tag wird der Müll abgeholt?")
    assert answer.grounded and answer.citations[0].title == "Müllabfuhr"
    assert "Englisch" not in answer.text and not any(row.get("crosslingual") for row in answer.retrieved)
    # and where the German knowledge base has nothing, the English one answers, saying so (on a German page)
    with translation.override("de"):
        answer = _ask(agency_a, "Wann hat die Bibliothek geöffnet?")
    assert answer.grounded and answer.citations[0].title == "Library"
    assert answer.text.startswith("Diese Antwort gibt es nur auf Englisch.")


def test_another_agencys_english_passage_never_answers(agency_a, agency_b, publish, dense):
    _publish(publish, agency_b, [("Pools", POOLS_EN), ("Library", LIBRARY_EN)])
    _publish(publish, agency_a, [("Bulky items", BULKY_EN)])
    answer = _ask(agency_a, "Wann hat die Bibliothek geöffnet?")
    assert not answer.grounded and answer.citations == []
    with agency_context(agency_a):
        found = retrieval.crosslingual_search(agency=agency_a, query="图书馆的开放时间是什么？", language="zh-hans")
        theirs = set(Chunk.objects.for_agency(agency_b).values_list("pk", flat=True))
    assert found and not {p.chunk_id for p in found} & theirs
    assert all(p.title == "Bulky items" for p in found)


def test_the_cross_language_floor_refuses_what_nothing_answers(agency_a, publish, dense):
    _publish(publish, agency_a, [("Pools", POOLS_EN), ("Library", LIBRARY_EN), ("Bulky items", BULKY_EN)])
    for question in (
        "Wie melde ich mein Boot an?",
        "如何申请护照？",
        "¿Dónde pago una multa de estacionamiento?",
        "Comment obtenir un permis de construire ?",
        "qzxv blorft wemmp?",
    ):
        answer = _ask(agency_a, question)
        assert not answer.grounded, (question, answer.text)


def test_staff_only_passages_never_answer_a_citizen_across_languages(agency_a, publish, dense):
    publish(agency_a, title="Library", content=LIBRARY_EN, format="markdown", audience="staff")
    with agency_context(agency_a):
        shared_space.shared_vectors_fill(agency=agency_a)
    assert not _ask(agency_a, "Wann hat die Bibliothek geöffnet?").grounded
    assert _ask(agency_a, "Wann hat die Bibliothek geöffnet?", audience="staff").grounded


def test_english_chunks_get_shared_vectors_after_activation_and_others_at_once(agency_a, publish, dense):
    publish(agency_a, title="Library", content=LIBRARY_EN, format="markdown")
    publish(agency_a, title="Müllabfuhr", content=TRASH_DE, format="markdown", language="de")
    with agency_context(agency_a):
        rows = Chunk.objects.for_agency(agency_a)
        german = rows.filter(language="de").first()
        assert german.shared_embedding is not None and list(german.shared_embedding) == list(german.embedding)
        assert not rows.filter(language="en", shared_embedding__isnull=False).exists()
        assert shared_space.shared_vectors_missing(agency=agency_a)
        # before the follow-up the English passage answers in English only
        assert not services.answer_question(agency=agency_a, question="Wann hat die Bibliothek geöffnet?").grounded
        filled = shared_space.shared_vectors_fill(agency=agency_a)
        assert filled == rows.filter(language="en").count() > 0
        english = rows.filter(language="en").first()
        assert len(english.shared_embedding) == 512 and len(english.embedding) == 384
        assert not shared_space.shared_vectors_missing(agency=agency_a)
        assert shared_space.shared_vectors_fill(agency=agency_a) == 0


def test_the_sweep_queues_a_fill_for_agencies_still_missing_vectors(agency_a, agency_b, publish, dense, monkeypatch):
    publish(agency_a, title="Pools", content=POOLS_EN, format="markdown")
    queued = []
    monkeypatch.setattr(tasks.fill_shared_vectors, "delay", lambda **kwargs: queued.append(kwargs))
    assert tasks.shared_vectors_sweep() == 1
    assert queued == [{"agency_id": agency_a.pk}]


def test_without_dense_vectors_there_is_no_cross_language_answer(agency_a, publish, dense, settings):
    settings.KNOWLEDGE_EMBEDDER = "none"
    _publish(publish, agency_a, [("Library", LIBRARY_EN)])
    with agency_context(agency_a):
        assert not Chunk.objects.for_agency(agency_a).filter(shared_embedding__isnull=False).exists()
    assert not _ask(agency_a, "Wann hat die Bibliothek geöffnet?").grounded


def test_a_chat_question_whose_words_the_detector_left_in_the_conversations_language(agency_a, publish, dense):
    """The chat passes the reply language and the words' language; unsure of the words, the detector keeps the
    conversation's (English, from the page) while the reply is German: the German question still meets the
    English passage, and the note is in German."""
    agency_a.languages = ["en", "de"]  # the chat's reply language is one the agency lists
    agency_a.save(update_fields=["languages"])
    _publish(publish, agency_a, [("Library", LIBRARY_EN), ("Bulky items", BULKY_EN)])
    answer = _ask(agency_a, "Wann hat die Bibliothek geöffnet?", language="de", question_language="en")
    assert answer.grounded, answer.text
    assert answer.text.startswith("Diese Antwort gibt es nur auf Englisch.")


def _chat(agency, text, *, language="en"):
    """One citizen message through the chat engine, as the widget's turn runs it: the reply's text."""
    from chat.engine import engine
    from chat.services.messages import conversation_start, message_receive

    with agency_context(agency):
        conversation, _token = conversation_start(agency=agency, channel="web", language=language)
        received = message_receive(agency=agency, conversation_id=conversation.pk, text=text)
        return engine.decide(agency=agency, conversation=conversation, message=received.message)


def test_a_chat_with_an_agency_not_listing_the_citizens_language_replies_in_one_language(agency_a, publish, dense):
    """The chat replies in a language the agency lists (Natural Resources on the demo: English and Spanish): a
    German or Chinese question gets the English passage in an English reply, with no note in German or Chinese
    (the session-25 walk saw "此回答仅提供英语版本。" as the one Chinese line of an English reply and page)."""
    agency_a.languages = ["en", "es"]
    agency_a.save(update_fields=["languages"])
    _publish(publish, agency_a, [("Pools", POOLS_EN), ("Library", LIBRARY_EN), ("Bulky items", BULKY_EN)])
    reply = _chat(agency_a, "Wann hat die Bibliothek geöffnet?")
    assert reply.text.startswith("The main library"), reply.text
    assert "Monday to Saturday" in reply.text and reply.citations[0]["title"] == "Library"
    reply = _chat(agency_a, "图书馆的开放时间是什么？")
    assert reply.text.startswith("The main library"), reply.text
    # a language the agency lists is the reply's: no note for its own passages, as before
    assert not _chat(agency_a, "When is the library open?").text.startswith("This answer")
    reply = _chat(agency_a, "¿Cuándo abre la biblioteca los sábados?", language="es")
    assert reply.text.startswith("Esta respuesta solo está disponible en inglés."), reply.text
    # a passage in the question's own language needs no note, whatever the reply's (it said "This answer is only
    # available in French." to a French question answered from the French passage)
    publish(agency_a, title="Piscines", content=POOLS_FR, format="markdown", language="fr")
    reply = _chat(agency_a, "Quand les piscines extérieures ouvrent-elles ?")
    assert reply.citations[0]["title"] == "Piscines" and reply.text.startswith("Les piscines"), reply.text
