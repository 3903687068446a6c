"""Intents that do not misfire (issue 19, session 14), by cause, in every language the chat speaks: asking after
something sent is a status question without a reference number; a salutation alone is a greeting; asking to be
called back is a handoff; thanks with a verdict is feedback; a statement that something does not work is a
report; asking whether one must sign up is a question; a Vietnamese report typed without diacritics is a report."""

from chat.engine.intents import normalize
from chat.understanding import classify

EVERY_SKILL = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks", "report_problem",
               "register_service"}  # fmt: skip


def intent(text: str) -> str:
    return classify(text, available=EVERY_SKILL).intent


def test_asking_after_something_sent_is_status():
    cases = [
        "checking on my report about the broken bench",
        "quería saber si ya revisaron mi solicitud de poda",
        "tut sich da noch was bei meiner Meldung vom Montag?",
        "我上个月提交的申请有进展吗",
        "où en est ma demande de permis ?",
        "hồ sơ xin giấy phép của tôi đã được xử lý chưa",
        "지난달에 낸 민원 처리됐나요",
        "أريد متابعة طلبي الذي قدمته الشهر الماضي",
    ]
    assert [text for text in cases if intent(text) != "status"] == []


def test_a_salutation_alone_is_a_greeting():
    cases = ["heyyy", "holaaa", "moin moin", "bonsoir !", "chao ad", "在吗", "안녕하세요!!", "اهلا وسهلا"]
    assert [text for text in cases if intent(text) != "greeting"] == []


def test_asking_for_a_person_is_a_handoff():
    cases = ["có thể gọi lại cho tôi được không", "cho tôi gặp tổng đài viên", "hello, أبغى أكلم موظف لو سمحت"]
    assert [text for text in cases if intent(text) != "handoff"] == []


def test_a_verdict_is_feedback():
    cases = [
        "muchas gracias, la atención fue excelente",
        "nhân viên rất tận tình",
        "직원분이 너무 불친절해요",
        "le site est nul",
        "الخدمة سيئة جدا",
        "办事效率太低了",
    ]
    assert [text for text in cases if intent(text) != "feedback"] == []


def test_a_statement_that_something_does_not_work_is_a_report():
    cases = [
        "the traffic light on 5th isn't working",
        "el semáforo de mi calle no funciona",
        "die Ampel an der Kreuzung funktioniert nicht",
        "le feu rouge ne marche plus",
        "đèn giao thông không sáng",
        "신호등이 깨졌어요",
        "الإشارة خربانة",
        "toi muon bao su co o duong Le Loi",
        "den duong truoc nha bi hong",
        "Tôi muốn phản ánh sự cố",
    ]
    assert [text for text in cases if intent(text) != "report"] == []


def test_asking_whether_one_must_is_a_question():
    cases = [
        "do I need to register my bike?",
        "¿tengo que inscribirme otra vez para votar?",
        "muss ich mich für den Kurs anmelden?",
        "我需要登记吗？",  # noqa: RUF001
        "dois-je m'inscrire à la mairie ?",
        "why isn't the fountain working in winter?",
    ]
    assert [text for text in cases if intent(text) != "question"] == []
    # asking how, or saying one wants to, is still the request
    assert [intent("how do I register my bike?"), intent("I want to sign up for the bike course")] == ["register"] * 2


def test_no_clarifying_question_when_the_words_name_the_nearer_intent():
    classified = classify("我要举报公园的秋千坏了", available=EVERY_SKILL)
    assert classified.intent == "report" and classified.runner_up == ""


def test_vietnamese_d_is_d():
    assert normalize("Đèn đường") == normalize("den duong") == "den duong"


def test_a_long_message_asking_for_a_person_is_a_handoff_and_an_agency_name_is_not_one():
    cases = [
        "this bot is going in circles, just get me a staff member",
        "somebody from the office please call me back about my bins",
    ]
    assert [text for text in cases if intent(text) != "handoff"] == []
    # "Human Services" names an agency, not a person to talk to
    assert intent("where do I find the forms of the Department of Human Services") == "question"
