"""The encoder the intent layer reads a message with follows the settings in force (session 23).

It was chosen once per process and kept: `tests/chat/test_feedback_skill.py` (its agency fixture sets
`KNOWLEDGE_EMBEDDER=none`, so an English message is read with the multilingual encoder) read English messages
with MiniLM when a test that loaded MiniLM (`tests/chat/test_ui_languages.py`) ran before it in the same process,
and failed only in that order (session 22). Here both orders run in one process, with no `semantic.reset()`
between them: whichever came first decided both on the old code."""

import numpy as np
import pytest

from chat.engine import semantic

ENGLISH = "the website is confusing, I could not find the form for bulk pickup"
GERMAN = "Die Webseite ist total verwirrend, ich finde nichts"


@pytest.fixture
def intent_layer(settings):
    settings.KNOWLEDGE_MULTILINGUAL_EMBEDDER = "use"
    settings.CHAT_SEMANTIC_INTENTS = True
    return settings


def space_of(text: str) -> tuple[str, int] | None:
    read = semantic.query_vector(text)
    return None if read is None else (read[0], len(read[1]))


def test_english_is_read_with_minilm_only_while_minilm_is_the_dense_embedder(intent_layer):
    for first, second in (("minilm", "none"), ("none", "minilm"), ("minilm", "none")):
        for embedder in (first, second):
            intent_layer.KNOWLEDGE_EMBEDDER = embedder
            expected = ("en", 384) if embedder == "minilm" else ("use", 512)
            assert space_of(ENGLISH) == expected, f"{first} then {second}: read as {space_of(ENGLISH)}"
            assert space_of(GERMAN) == ("use", 512)  # any other language: the multilingual encoder either way


def test_turning_the_layer_off_and_on_takes_effect_at_once(intent_layer):
    intent_layer.KNOWLEDGE_EMBEDDER = "minilm"
    assert space_of(ENGLISH) == ("en", 384)
    intent_layer.CHAT_SEMANTIC_INTENTS = False
    assert space_of(ENGLISH) is None
    assert semantic.agency_vectors([("handoff", "en", ENGLISH)]) is None
    intent_layer.CHAT_SEMANTIC_INTENTS = True
    assert space_of(ENGLISH) == ("en", 384)


def test_an_agencys_corrections_are_encoded_in_the_spaces_in_force(intent_layer):
    rows = [("handoff", "en", ENGLISH)]
    intent_layer.KNOWLEDGE_EMBEDDER = "none"
    assert set(semantic.agency_vectors(rows)) == {"use"}
    intent_layer.KNOWLEDGE_EMBEDDER = "minilm"
    vectors = semantic.agency_vectors(rows)
    assert set(vectors) == {"use", "en"}
    assert vectors["en"][0].shape == (1, 384)
    # the question read the same way is the correction itself, in the space it is read in
    space, vector = semantic.query_vector(ENGLISH)
    assert space == "en" and float(vectors["en"][0][0] @ vector) == pytest.approx(1.0, abs=1e-5)
    assert np.isclose(np.linalg.norm(vector), 1.0)
