# ruff: noqa: RUF001, RUF002 - Chinese text uses full-width punctuation
"""A same-language passage of another topic that clears the confidence floor no longer beats a clearly better
passage in the agency's first language (issue 19, session 23: `knowledge.services.across`). Before, the
cross-language search ran only when nothing in the question's language cleared the floor."""

from django.utils import translation

from knowledge import retrieval, services, shared_space
from knowledge.models import Chunk
from tenants.context import agency_context

TRASH_EN = """# Trash

## When is my trash collected?
Trash and recycling are collected once a week on the same day, depending on your address. Put carts at the
curb by 6:00 a.m. on collection day.
"""
YARD_EN = """# Yard waste

## When is yard waste collected?
Yard waste is collected weekly on your regular day from April through November. Use paper yard-waste bags or a
cart marked "yard waste"; bundle branches in lengths under 1.2 m.
"""
LIBRARY_EN = """# Public library

## When is the library open?
The main library is open Monday to Saturday from 9:00 to 20:00 and closed on Sundays and public holidays.
"""
TRASH_ES = """# Basura

## ¿Qué día recogen la basura?
La basura y el reciclaje se recogen una vez por semana, siempre el mismo día, según su dirección. Saque los
contenedores a la acera antes de las 6:00 de la mañana del día de recogida.
"""
POTHOLE_EN = """# Streets

## Reporting a pothole
Report a pothole online through Public Works, in the chat on this site, or by calling 311.

## Damage to your car
If a pothole damaged your vehicle, you can file a claim with the City Clerk within 60 days. Include the date, the
exact location, repair receipts and photos.
"""
TRASH_DE = """# Müllabfuhr

## An welchem Tag wird der Müll abgeholt?
Restmüll und Wertstoffe werden einmal pro Woche abgeholt, immer am selben Wochentag, je nach Ihrer Adresse.
Stellen Sie die Tonnen am Abholtag vor 6:00 Uhr morgens an den Straßenrand.
"""
TRASH_ZH = """# 垃圾

## 垃圾哪天收集？
生活垃圾和可回收物每周收集一次，根据您的地址固定在同一天。请在收集日早上6点前把垃圾桶放到路边。
"""
LIGHTS_EN = """# Street lights

## How do I report a broken street light?
Report a dark or flickering street light with the pole number (on a metal tag at eye level) online or by calling
311. Lights are repaired within five business days.
"""
POTHOLE_DE = """# Schlaglöcher

## Wie melde ich ein Schlagloch?
Melden Sie das Schlagloch online, im Chat dieser Website oder telefonisch unter 311. Ein Team prüft es innerhalb von
zwei Werktagen.
"""
POTHOLE_ZH = """# 坑洞

## 如何报告路面坑洞？
您可以在网上、在本网站的聊天中或拨打311报告坑洞。工作人员会在两个工作日内查看，大多数坑洞在五个工作日内修好。
"""


def _publish(publish, agency, docs):
    for title, content, language in docs:
        publish(agency, title=title, content=content, language=language, format="markdown")
    with agency_context(agency):
        shared_space.shared_vectors_fill(agency=agency)


def _ask(agency, question, **kwargs):
    with agency_context(agency):
        answer, passages = services.answer_with_passages(agency=agency, question=question, **kwargs)
    return answer, passages


def _chat(agency, text, *, language="en"):
    """One citizen message through the chat engine, as the widget's turn runs it: the reply."""
    from chat.engine import engine
    from chat.services.messages import conversation_start, message_receive

    with agency_context(agency):
        conversation, _token = conversation_start(agency=agency, channel="web", language=language)
        received = message_receive(agency=agency, conversation_id=conversation.pk, text=text)
        return engine.decide(agency=agency, conversation=conversation, message=received.message)


def _clears_the_floor(agency, question, title):
    """The same-language passage `title` is among the everyday search's first three and clears the confidence floor
    (what made it the answer before)."""
    with agency_context(agency):
        found = retrieval.search(agency=agency, query=question)[:3]
    return any(p.title == title and p.confidence >= services.confidence_floor() for p in found)


def test_a_spanish_question_yields_to_the_better_english_passage(agency_a, agency_b, publish, dense):
    """Springfield's Spanish FAQ holds trash day, not yard waste: "¿Cuándo recogen los residuos del jardín?" was
    answered from "¿Qué día recogen la basura?" (it clears the floor) although the English yard-waste passage answers
    it. Another agency's copy of that passage never answers."""
    _publish(publish, agency_b, [("Yard waste", YARD_EN, "en")])
    _publish(
        publish,
        agency_a,
        [
            ("Trash", TRASH_EN, "en"),
            ("Yard waste", YARD_EN, "en"),
            ("Library", LIBRARY_EN, "en"),
            ("Basura", TRASH_ES, "es"),
        ],
    )
    question = "¿Cuándo recogen los residuos del jardín?"
    assert _clears_the_floor(agency_a, question, "Basura")
    answer, _passages = _ask(agency_a, question)
    assert answer.grounded and answer.citations[0].title == "Yard waste", answer.text
    assert answer.text.startswith("Esta respuesta solo está disponible en inglés.\n\n"), answer.text
    assert "April through November" in answer.text
    with agency_context(agency_a):
        ours = set(Chunk.objects.for_agency(agency_a).values_list("pk", flat=True))
    assert {row["chunk_id"] for row in answer.retrieved if row.get("crosslingual")} <= ours
    # the Spanish passage still answers what it answers, with no note
    answer, _passages = _ask(agency_a, "¿Qué día recogen la basura?")
    assert answer.citations[0].title == "Basura" and "inglés" not in answer.text
    # and in the chat, in Spanish
    reply = _chat(agency_a, question, language="es")
    assert reply.text.startswith("Esta respuesta solo está disponible en inglés.\n\n"), reply.text
    assert reply.citations[0]["title"] == "Yard waste"


def test_german_and_chinese_questions_yield_to_the_better_english_passage(agency_a, publish, dense):
    """The same in German ("Wann werden Gartenabfälle abgeholt?" was answered from the German trash-day passage)
    and Chinese ("如何报告坏掉的路灯？", how to report a broken street light, from the Chinese pothole passage)."""
    _publish(
        publish,
        agency_a,
        [
            ("Trash", TRASH_EN, "en"),
            ("Yard waste", YARD_EN, "en"),
            ("Street lights", LIGHTS_EN, "en"),
            ("Müllabfuhr", TRASH_DE, "de"),
            ("Schlaglöcher", POTHOLE_DE, "de"),
            ("垃圾", TRASH_ZH, "zh-hans"),
            ("坑洞", POTHOLE_ZH, "zh-hans"),
        ],
    )
    for question, before, title, note in (
        ("Wann werden Gartenabfälle abgeholt?", "Müllabfuhr", "Yard waste", "Diese Antwort gibt es nur auf Englisch."),
        ("如何报告坏掉的路灯？", "坑洞", "Street lights", "此回答仅提供英语版本。"),
    ):
        assert _clears_the_floor(agency_a, question, before), question
        with translation.override("de" if "Englisch" in note else "en"):  # German: a page in German (not listed)
            answer, _passages = _ask(agency_a, question)
        assert answer.grounded and answer.citations[0].title == title, (question, answer.text)
        assert answer.text.startswith(note + "\n\n"), answer.text
    # their own passages still answer their own questions, with no note
    for question, title in (("An welchem Tag wird der Müll abgeholt?", "Müllabfuhr"), ("垃圾哪天收集？", "垃圾")):
        answer, _passages = _ask(agency_a, question)
        assert answer.citations[0].title == title and not any(row.get("crosslingual") for row in answer.retrieved)
