"""Offline understanding without a database: the multilingual intents and their inverted index, and language
detection limited to the agency's languages."""

import pytest

from chat.engine import registry
from chat.engine.intents import detect_intent
from core.language import detect as detect_language

ALL = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Hi", "greeting"),
        ("Hola", "greeting"),
        ("你好", "greeting"),
        ("menu", "greeting"),
        ("I want to talk to a person", "handoff"),
        ("quiero hablar con una persona", "handoff"),
        ("转人工", "handoff"),
        ("我想和人说话", "handoff"),
        ("bye", "feedback"),
        ("adiós", "feedback"),
        ("再见", "feedback"),
        ("thanks", "thanks"),
        ("gracias", "thanks"),
        ("谢谢", "thanks"),
        ("what is the status of my request SPR-2026-000123", "check_status"),
        ("estado de mi solicitud", "check_status"),
        ("我的申请进度", "check_status"),
        # questions for the knowledge base, in three languages
        ("When is trash pickup?", ""),
        ("¿Cuándo recogen la basura?", ""),
        ("垃圾什么时候收？", ""),  # noqa: RUF001
        ("help me find the office hours", ""),
        ("hi, how do I renew my license?", ""),
    ],
)
def test_offline_intents_in_three_languages(text, intent):
    assert detect_intent(text, available=ALL).intent == intent


def test_intent_index_scores_exactly_like_comparing_with_every_example():
    """The inverted index only skips examples that share no term with the message."""
    import random

    from chat.engine import intents

    index = intents._get_index()

    def reference(text: str, available) -> tuple[float, str, str] | None:
        words = intents.message_words(intents.normalize(text))
        vector = index._weigh(intents.features(text))
        norm = intents._norm(vector)
        best = None
        if norm:
            for intent, language, example, example_norm in index.examples:
                if not example_norm or words > index.max_words.get(intent, 10**6):
                    continue
                score = sum(weight * example.get(term, 0.0) for term, weight in vector.items()) / (norm * example_norm)
                if (best is None or score > best[0]) and intent in available:
                    best = (score, intent, language)
        return best

    rng = random.Random(9)
    vocabulary = sorted({word for _i, _l, example, _n in index.examples for word in example if word.startswith("w:")})
    samples = ["Hi", "I want to talk to a person", "hola", "你好", "report a pothole", "what is my status?"]
    samples += [" ".join(rng.choice(vocabulary)[2:] for _ in range(rng.randint(1, 6))) for _ in range(400)]
    everything = {skill.name for skill in registry.all_skills()}
    compared = matched = 0
    for text in samples:
        if intents.is_question(text):
            continue  # questions never pick a request-only intent (tests/chat/test_understanding.py)
        for available in (everything, everything - {"greeting"}):
            expected = reference(text, available)
            detected = index.detect(text, available=available)
            if detected.detector != "similarity":
                continue  # a keyword decided
            compared += 1
            if expected is None or expected[0] < intents.THRESHOLD:
                assert (detected.intent, detected.confidence) == ("", expected[0] if expected else 0.0), text
            else:
                matched += 1
                assert (detected.intent, detected.confidence) == (expected[1], min(1.0, expected[0])), text
    assert compared > 300 and matched > 10, (compared, matched)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("When is trash pickup?", "en"),
        ("¿Cuándo recogen la basura en mi calle?", "es"),
        ("垃圾什么时候收？", "zh-hans"),  # noqa: RUF001
        ("quiero hablar con una persona", "es"),
        ("I would like to talk to a person", "en"),
    ],
)
def test_language_detection_offline(text, language):
    assert detect_language(text, allowed=["en", "es", "zh-hans"], fallback="en").language == language


def test_language_is_limited_to_the_agency_languages():
    assert detect_language("¿Cuándo recogen la basura?", allowed=["en"], fallback="en").language == "en"
