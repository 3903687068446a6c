"""A statement that names the act of reporting is a report, even where the learned model leans to feedback
(seen by a helper on make run: Korean "문제를 신고하고 싶어요", I want to report a problem, was taken for feedback,
which now files it as an opinion)."""

import pytest

from chat.understanding import classify
from tests.chat.test_alerts_polarity import OFFERED


@pytest.mark.parametrize(
    "text",
    ["문제를 신고하고 싶어요", "tôi muốn báo cáo sự cố", "I want to report a problem", "je veux signaler un problème"],
)
def test_naming_the_act_of_reporting_is_a_report(text):
    assert classify(text, available=OFFERED).intent == "report"


@pytest.mark.parametrize("text", ["the website is confusing", "die Webseite ist verwirrend", "신고하면 얼마나 걸려요?"])
def test_opinions_and_questions_keep_theirs(text):
    assert classify(text, available=OFFERED).intent in ("feedback", "question")
