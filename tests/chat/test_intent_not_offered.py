"""A message about something the agency does not offer (issue 19, session 24, seen on make run at the health
department, which takes no reports): it is not read as the next offered intent down. "I want to report food
poisoning" asked for a reference number (status) or started a registration; "Quiero reportar una intoxicación
alimentaria" was passed on to staff as feedback. Now the learned model weighs the intents the agency does not offer
too, and a message that is most likely one of those is answered as a question (from the knowledge base, or "I don't
know" with a person offered)."""

import pytest

from chat.understanding import classify
from tests.chat.test_intent_unseen_causes import EVERY_SKILL

NO_REPORTS = EVERY_SKILL - {"report_problem"}
NO_FORMS = EVERY_SKILL - {"register_service"}


@pytest.mark.parametrize(
    "text, offered",
    [
        ("I want to report food poisoning", NO_REPORTS),
        ("Quiero reportar una intoxicación alimentaria", NO_REPORTS),
        ("I want to register my dog", NO_FORMS),
        ("Inscríbame en las clases de natación, por favor", NO_FORMS),
    ],
)
def test_a_message_for_an_intent_not_offered_is_a_question_not_the_next_intent(text, offered):
    assert classify(text, available=offered).intent == "question", text


@pytest.mark.parametrize(
    "text, intent",
    [("I want to report food poisoning", "report"), ("I want to register my dog", "register")],
)
def test_where_it_is_offered_the_same_message_is_that_intent(text, intent):
    assert classify(text, available=EVERY_SKILL).intent == intent
