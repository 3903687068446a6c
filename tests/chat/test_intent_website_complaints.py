"""A complaint that the website is confusing and a form could not be found on it is feedback, not a sign-up (issue 19,
session 22). Found through an order-dependent test: `test_feedback_skill.py` reads its English messages without MiniLM
(`lexical_knowledge`), where the model took "the website is confusing, I could not find the form for bulk pickup" for
feedback; as shipped (MiniLM for English) the model read the form's words and started a registration ("Which service
would you like to register for?", register 0.639). The messages here are written for this test (in no set)."""

import pytest

from chat.understanding import classify
from tests.chat.test_intent_unseen_causes import EVERY_SKILL

pytestmark = pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py: the intent layer as shipped


@pytest.mark.parametrize(
    "text",
    [
        "the website is confusing, I could not find the form for bulk pickup",
        "your site is a mess, I looked everywhere for the garden plot application and gave up",
        "la web del ayuntamiento es un lío, no hay manera de encontrar el formulario del vado",
        "votre site est incompréhensible, je n'ai jamais trouvé la demande de carte de stationnement",
    ],
)
def test_a_website_that_hides_a_form_is_feedback(text):
    assert classify(text, available=EVERY_SKILL).intent == "feedback"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("where on your site is the form for bulk pickup?", "question"),
        ("I want to fill in the form for a garden plot", "register"),
    ],
)
def test_asking_where_a_form_is_or_filling_it_in_is_not_feedback(text, intent):
    assert classify(text, available=EVERY_SKILL).intent == intent
