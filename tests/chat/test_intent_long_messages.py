"""Long messages whose ask comes at the end (issue 19, session 18): the context first ("the water bill is three times
the usual and we have no leak …"), then what the citizen wants ("… could someone give me a call"). The word rules look
for keywords in the message's end first (`chat.engine.intents.ask_tail`: its last clause, at most its last twelve
words), so a handoff's words count there even in a message past the handoff keywords' 12-word limit, and they outrank
a report's words in the context ("there is"); the learned model reads the end as an n-gram block of its own. Also: a
phone call asked for in other words than "call me back", in every chat language; a goodbye typed without its umlaut
or its space ends the chat; a request put as a question that the learned model is sure of is that request
(`REFUSED_SURE`). The messages are written for these tests (none is in bench/chat/data/); each test fails on the
code before (the guards inside some, what must not change, pass on it too)."""

import pytest

from chat.engine import learned
from chat.engine.intents import ask_tail, asks_about_a_topic, detect_intent, normalize
from chat.engine.skills.feedback import says_goodbye
from chat.understanding import classify

EVERY_SKILL = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks", "report_problem",
               "register_service", "alerts_subscribe", "alerts_unsubscribe"}  # fmt: skip


pytestmark = pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py


def test_the_end_of_a_long_message_is_its_last_clause_at_most_twelve_words():
    assert ask_tail("how do i pay my parking ticket") == "how do i pay my parking ticket"  # short: whole
    long = normalize("The bins on Elm were missed again. That is the third week. Could someone phone me? Thanks!")
    assert ask_tail(long) == "could someone phone me? thanks!"  # "thanks!" alone is too short: the clause before too
    unpunctuated = normalize(
        "we moved in last spring and ever since then the gutter on the corner has overflowed every time it rains"
    )
    assert ask_tail(unpunctuated) == "then the gutter on the corner has overflowed every time it rains"
    han = normalize("我家门口的路灯已经坏了两个星期了，晚上特别黑，老人出门很危险。能不能找个人给我回个电话？")  # noqa: RUF001
    assert ask_tail(han) == "能不能找个人给我回个电话?"


@pytest.mark.parametrize(
    "text",
    [
        "es gibt seit Wochen ein Problem mit dem Parkausweis für unsere Straße und ich blicke nicht mehr durch, "
        "könnte mich bitte jemand zurückrufen",
        "el medidor del agua marca un consumo que no puede ser, ya revisé todas las llaves de la casa y no hay fugas, "
        "quisiera que alguien de la oficina me llamara",
        "我上个月交了两次物业税，银行都扣款了，网上也查不到记录，麻烦让负责的同事给我打个电话",  # noqa: RUF001
        "j'ai reçu deux factures d'eau pour le même mois et je ne sais pas laquelle payer, quelqu'un pourrait-il me "
        "téléphoner demain matin",
        "hoa don nuoc thang nay cao gap ba lan binh thuong ma nha toi khong co ro ri gi, nho anh chi cho nhan vien "
        "goi dien cho toi",
        "이번 달 수도 요금이 평소보다 세 배나 나왔는데 집에 새는 곳도 없어요, 담당자분이 전화 좀 해 주세요",
        "جتني فاتورة الماء هالشهر ثلاث أضعاف العادة وما عندنا أي تسريب، أبي أحد من الموظفين يتصل علي",
    ],
)
def test_a_person_asked_for_at_the_end_of_a_long_message_is_a_handoff(text):
    assert classify(text, available=EVERY_SKILL).intent == "handoff"


def test_a_call_or_a_meeting_asked_for_in_other_words_is_a_handoff_and_one_negated_or_asked_about_is_not():
    asked = [
        "could somebody give me a call about my water bill",
        "my landlord says the city approved the new fence but i cannot find anything online about it, could somebody "
        "from planning give me a call",
        "cho em gap truc tiep can bo phu trach duoc khong",
    ]
    assert [text for text in asked if detect_intent(text, available=EVERY_SKILL).intent != "handoff"] == []
    not_asked = [
        "no one would phone me about the permit, is that normal",  # negated: wants no call
        "who should i call about a dead tree in a public park",  # a question about whom to call
    ]
    assert [text for text in not_asked if classify(text, available=EVERY_SKILL).intent == "handoff"] == []


@pytest.mark.parametrize(
    "text",
    [
        "we have lived on this street for twenty years and there is always something, but today i would just like "
        "to speak with someone at the roads department",
        "there is a meeting about the new bike lanes next week and my whole street is worried, could someone from "
        "the city phone me before then",
    ],
)
def test_a_report_word_in_the_context_does_not_outrank_the_ask_at_the_end(text):
    assert detect_intent(text, available=EVERY_SKILL).intent == "handoff"


@pytest.mark.parametrize(
    "text",
    [
        "There's a huge pothole on Elm Street and my tire blew out on it yesterday. Can you send someone to fix it?",
        "Hay un bache enorme en la calle Olmo y ayer se me ponchó una llanta. ¿Pueden mandar a alguien a arreglarlo?",
        "我家门口的路灯坏了一个星期了，晚上很黑，能派人来修一下吗？",  # noqa: RUF001
    ],
)
def test_a_long_message_telling_a_problem_and_asking_last_is_a_report_not_a_question_about_it(text):
    assert not asks_about_a_topic(text)
    assert classify(text, available=EVERY_SKILL).intent == "report"


def test_a_plain_question_and_a_long_one_still_ask_about_a_topic():
    assert asks_about_a_topic("how long does it take to fix a pothole?")
    assert asks_about_a_topic("Quick question. How long does it usually take the city to fix a pothole like that one?")
    fever = "My son has had a fever of 101 since yesterday morning. Should I keep him home from school?"
    assert not asks_about_a_topic(fever)  # told first, asked last: the detectors read it whole
    assert classify(fever, available=EVERY_SKILL).intent == "question"


def test_a_sign_up_put_as_a_question_the_model_is_sure_of_is_a_sign_up_and_a_question_about_the_topic_is_not():
    # The alert skills are never a question about alerts and have no words that name their act: every sign-up put as
    # a question was refused before.
    asked = [
        "can you text me when there's a boil water notice in my area?",
        "có thể nhắn tin cho tôi khi có cảnh báo bão không?",
        "هل ممكن ترسلون لي رسالة إذا صار في تحذير من العواصف؟",
        "호우 경보가 나오면 저한테도 문자 보내 주실 수 있나요?",
    ]
    assert [text for text in asked if classify(text, available=EVERY_SKILL).intent != "alerts_subscribe"] == []
    about = ["how long does it take you to fix a streetlight?", "what kind of alerts do you send?"]
    assert [text for text in about if classify(text, available=EVERY_SKILL).intent != "question"] == []


def test_a_goodbye_typed_without_its_umlaut_or_its_space_ends_the_chat():
    assert says_goodbye("danke, tschuess")
    assert says_goodbye("감사합니다 안녕히가세요")
    assert classify("감사합니다 안녕히가세요", available=EVERY_SKILL).intent == "feedback"
    assert not says_goodbye("tschuess, und die Ampel ist immer noch kaputt")


def test_the_shipped_model_reads_the_end_of_a_message_apart():
    models = learned.models()
    assert models and all(model.tail for model in models.values())
    model = models["use"]
    short = "bitte rufen sie mich an"
    # the two n-gram blocks: for a short message both are the whole text
    assert learned.blocks(short, True)[0] == learned.blocks(short, True)[1]
    assert model.weights.shape[1] == model.dim + 2 * learned.HASH_SIZE
