# ruff: noqa: RUF001, RUF002 - Chinese text uses full-width punctuation
"""Intents that generalise (issue 19, session 25): the causes of held17's errors and of what the lead saw on make run,
fixed for every wording, not for its lines. The messages below are written for these tests (none is in bench/chat/data/,
the sets or the training files); each group names what the old code and weights read.

- a message about something the agency does not offer is read among every skill first, and answered as a question when
  its intent is not offered (`understanding.classify`; the report keyword 报告 and the nearest utterances counted only
  for offered intents, and the model alone said feedback or a registration);
- reporting a business or a place ("ein Restaurant … melden", "signaler un restaurant") names the act: its keyword
  decides where the model took the restaurant for a registration (`understanding_learned.decide`);
- the register word beside a sign-up to alerts ("đăng ký nhận tin …") is the sign-up, and a keyword the model agrees with
  is not second-guessed by the nearest utterances ("我想订阅…，邮箱 …" was a registration at 0.51);
- a question announced with its topic in another language ("tôi có câu hỏi about the trash pickup") is a question, also
  where the encoders read another intent (`asking.announces_a_question`);
- markup and code are nobody's words: "<script>alert(1)</script>" is no sign-up to alerts (`pieces.without_markup`);
- a neighbour's habit, then "what can I do?", is a question where the model is sure the whole is one (the what-to-do rule
  read the telling alone as a report);
- a kind of feedback denied ("no es una queja, solo …", "不是投诉…") is no cue for feedback (`negation.denied`);
- Arabic sign-ups and opt-outs in the plural imperative ("سجلوني", "الغوا التنبيهات")."""

import pytest

from chat.engine.alert_words import asks_to_be_sent, says_stop
from chat.engine.asking import announces_a_question
from chat.engine.intents import cued
from chat.engine.pieces import without_markup
from chat.understanding import classify
from tests.chat.intent_groups import assert_read_as, cases
from tests.chat.test_intent_unseen_causes import EVERY_SKILL

pytestmark = pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py

NO_REPORTS = EVERY_SKILL - {"report_problem"}


def _no_feedback_cue(text: str) -> bool:
    return cued(text, available=EVERY_SKILL) == ""


GROUPS = [
    (
        "a business reported by name",
        "report",
        (),
        [
            "Ich möchte ein Restaurant wegen Hygiene melden",  # the lead's: a registration (0.95) before
            "Je voudrais signaler un restaurant pour un problème d'hygiène",  # a registration before
            "I want to report a restaurant for hygiene",  # a registration before
            "Je veux signaler le dépanneur du coin, ils vendent du lait périmé",  # a registration before
        ],
    ),
    (
        "a German sign-up in the separated anmelden (a guard: the report keyword melden does not decide it)",
        "register",
        (),
        ["Melden Sie bitte meinen Sohn für den Fußballkurs im Herbst an"],
    ),
    (
        "alerts signed up for in the register word",
        "alerts_subscribe",
        (),
        [
            "Cho tôi đăng ký nhận tin cúp điện ở phường 5",  # a registration before
            "도로 통제 소식 받을 수 있게 등록해 주세요",  # a registration before
            "我要订阅道路施工通知，邮箱 zhao.lei@sina.com",  # the nearest utterances' registration before
        ],
    ),
    (
        "a question announced with its topic in another language",
        "question",
        ((announces_a_question, True),),
        [
            "tôi có câu hỏi about the trash pickup",  # the lead's: a report before
            "eine Frage about the Sperrmüll pickup",
            "我有个问题 about the parking permit",
        ],
    ),
    (
        "a neighbour's habit, then what can I do",
        "question",
        (),
        [
            "Mein Nachbar stellt seine Mülltonnen ständig vor unsere Garage, was kann ich tun?",  # a report before
            "옆집 사람이 자꾸 우리 대문 앞에 쓰레기 봉투를 놔요, 어떻게 해야 하나요?",  # a report before
            "جاري دايما بحط الزبالة قدام بابي، شو اعمل؟",  # a report before
        ],
    ),
    (
        "a kind of feedback denied",
        "question",
        ((_no_feedback_cue, True),),
        [
            "no es una queja, solo quería saber si el museo abre los lunes",  # feedback (the cue) before
            "不是投诉，就是想了解一下博物馆周一开不开门",  # feedback (the cue) before
        ],
    ),
    (
        "Arabic sign-ups and opt-outs in the plural imperative",
        "alerts_subscribe",
        ((asks_to_be_sent, True), (says_stop, False)),
        ["سجلوني في تنبيهات موجة الحر"],
    ),
    (
        "Arabic opt-outs naming the alerts",
        "alerts_unsubscribe",
        ((says_stop, True),),
        ["الغي التنبيهات مش اشترك فيها"],
    ),
]


@pytest.mark.parametrize(("text", "intent", "checks"), cases(GROUPS))
def test_held17_causes_are_read_as_meant(text, intent, checks):
    assert_read_as(text, intent, checks)


@pytest.mark.parametrize(
    "text",
    [
        "我想报告食物中毒",  # the lead's, at the health department: feedback before
        "Je veux signaler une intoxication alimentaire après un repas au restaurant",  # a registration before
        "Ich möchte eine Lebensmittelvergiftung melden",  # a registration before
        "식중독을 신고하고 싶어요",  # a registration before
    ],
)
def test_a_report_where_none_is_offered_is_a_question(text):
    assert classify(text, available=NO_REPORTS).intent == "question", text
    assert classify(text, available=EVERY_SKILL).intent == "report", text


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("<script>alert(1)</script>", ""),  # a sign-up to alerts (0.55) before
        ("<img src=x onerror=alert('alerta')>", ""),  # a sign-up to alerts before
        ("<b>stop</b> the flood alerts", "stop the flood alerts"),
        ("javascript:alert(document.cookie);", ""),
        ("send me warning(s) for Main St.(near 5th)", "send me warning(s) for Main St.(near 5th)"),  # no code in it
    ],
)
def test_markup_and_code_are_not_read(text, left):
    assert without_markup(text) == left
    intent = classify(text, available=EVERY_SKILL).intent
    if not left:
        assert intent not in ("alerts_subscribe", "alerts_unsubscribe"), text
        assert intent == "greeting"  # read as an empty message: the menu
    elif "stop" in left:
        assert intent == "alerts_unsubscribe"
