"""The learned intent model trained with more data (issue 19, session 17): held9 and a training-only file
(`bench/chat/data/intents_train.tsv`, never scored) weighted toward what was thin: fr/vi/ko/ar, sign-ups to alerts
and stopping them, licences and bookings as registrations, reports asked after, missed collections told as a
state, "you do not understand me". The messages below are written for these tests (none is
in bench/chat/data/); the first ones were misrouted by the weights before (trained on dev..held8 only).

Also: stopping alerts said in words the polarity list lacked ("take me off", "수신 거부", "关闭") is no longer
turned into a sign-up, and a call back said with a negation ("nobody called me back") is not a handoff keyword."""

import unicodedata
from pathlib import Path

import pytest

from chat.engine.alert_words import says_stop as _says_stop
from chat.engine.intents import detect_intent, normalize
from chat.engine.skills.feedback import says_goodbye
from chat.understanding import classify

EVERY_SKILL = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks", "report_problem",
               "register_service", "alerts_subscribe", "alerts_unsubscribe"}  # fmt: skip
DATA = Path(__file__).resolve().parents[2] / "bench" / "chat" / "data"
LANGUAGES = {"en", "es", "de", "zh", "fr", "vi", "ko", "ar"}
INTENTS = {"question", "report", "status", "register", "handoff", "feedback", "greeting", "alerts_subscribe",
           "alerts_unsubscribe"}  # fmt: skip


pytestmark = pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("캠핑장 이번 주말로 예약해 주세요", "register"),  # book the campsite for this weekend: was a question
        ("previenez moi par texto en cas dorage violent", "alerts_subscribe"),  # was feedback
        ("한파 특보 뜨면 문자 주세요", "alerts_subscribe"),  # text me when there is a cold-wave warning: was a question
        ("비상 문자 이제 그만 받을게요", "alerts_unsubscribe"),  # no more emergency texts: was feedback
    ],
)
def test_what_the_earlier_weights_misrouted(text, intent):
    assert classify(text, available=EVERY_SKILL).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("i need to book the gym at the community center for a birthday party", "register"),
        ("the garbage truck never came down our street this week", "report"),
        ("우리 동 재활용 쓰레기 이번 주에 안 가져갔어요", "report"),
        ("no se llevaron los botes del reciclaje el jueves", "report"),
    ],
)
def test_what_they_routed_stays(text, intent):
    assert classify(text, available=EVERY_SKILL).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "take me off whatever alert thing i signed up for",
        "desactiven los avisos de calor",
        "die warn-sms bitte abschalten",
        "麻烦关闭台风提醒",
        "vous pouvez retirer mon portable de vos alertes meteo",
        "xoa em ra khoi tin nhan bao lu nhe",
        "폭염 문자 더는 원하지 않습니다",
        "احذفوا رقمي من التنبيهات",
    ],
)
def test_stopping_alerts_in_words_the_list_lacked_is_not_a_sign_up(text):
    assert _says_stop(text)
    assert classify(text, available=EVERY_SKILL).intent != "alerts_subscribe"


@pytest.mark.parametrize(
    "text",
    ["send me the heat warnings by text", "quiero activar las alertas de incendio", "暴雨预警请发到我手机上"],
)
def test_signing_up_still_is_not_stopping(text):
    assert not _says_stop(text)


@pytest.mark.parametrize(
    "text",
    [
        "报修以后一直没人回电话",  # nobody called back after I reported it
        "ولا حدا يتصل فيني من وقتها",  # and nobody has called me since
        "gui don roi ma chua ai goi lai cho toi",  # sent the form and nobody called me back yet
    ],
)
def test_a_call_back_said_with_a_negation_is_not_a_handoff_keyword(text):
    assert detect_intent(text, available=EVERY_SKILL).intent != "handoff"


@pytest.mark.parametrize(
    "text",
    ["有没有人能给我回个电话", "can someone call me back", "ممكن حدا يتصل فيني", "co ai goi lai cho toi duoc khong"],
)
def test_asking_for_a_call_back_still_is(text):
    assert detect_intent(text, available=EVERY_SKILL).intent == "handoff"


def _rows(path: Path) -> list[tuple[str, str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 2)) for line in lines if line.strip() and not line.startswith("#")]


def _key(text: str) -> str:
    return "".join(ch for ch in normalize(text) if unicodedata.category(ch)[0] in "LN")


# training only (bench/chat/intent_train.py)
TRAINING_FILES = ["intents_train.tsv", "intents_train_blind23.tsv", "intents_train_blind24.tsv"]


@pytest.mark.parametrize("name", TRAINING_FILES)
def test_a_training_file_is_training_data_in_every_language_and_no_evaluation_sets_line(name):
    path = DATA / name
    assert "never an evaluation set" in path.read_text(encoding="utf-8").splitlines()[0]
    rows = _rows(path)
    assert {language for _i, language, _t in rows} == LANGUAGES
    assert {intent for intent, _l, _t in rows} == INTENTS
    training = [DATA / other for other in TRAINING_FILES]
    evaluation = {
        _key(text) for other in DATA.glob("intents_*.tsv") if other not in training for *_r, text in _rows(other)
    }
    # held10 (now a training set too) and intents_train.tsv were written at the same time by two helpers: the three
    # short lines they had word for word are left in held10 only (session 18).
    assert not [text for *_r, text in rows if _key(text) in evaluation]
    assert len({_key(text) for *_r, text in rows}) == len(rows)  # no line twice


def test_the_training_files_share_no_line():
    keys = {name: {_key(text) for *_r, text in _rows(DATA / name)} for name in TRAINING_FILES}
    shared = [(a, b) for a in TRAINING_FILES for b in TRAINING_FILES if a < b and keys[a] & keys[b]]
    assert not shared


def test_every_set_and_the_training_file_label_a_goodbye_as_the_product_serves_it():
    # A goodbye, with thanks or not, ends the chat with a rating: the feedback skill (`says_goodbye`), so its label
    # is feedback everywhere, never greeting (held9 and held10 were written with greeting; relabelled in session 18).
    goodbyes = [
        (path.name, intent, text)
        for path in sorted(DATA.glob("intents_*.tsv"))
        for intent, _l, text in _rows(path)
        if says_goodbye(text)
    ]
    assert len(goodbyes) >= 15
    assert [row for row in goodbyes if row[1] != "feedback"] == []
