"""Intents that generalise (issue 19, session 22): the causes of held14's errors fixed for every wording, not for its
lines. The messages below are written for these tests (none is in bench/chat/data/, the sets or the training file).

- a promise not kept (the person on the phone said someone would come, the third time asking) is a status question
  (`status_words.PROMISED`), a first report of the same problem stays a report;
- a particular clerk told about ("الموظف في الشباك", "der Sachbearbeiter im Bürgerbüro") is no handoff by the handoff
  keyword موظف / Sachbearbeiter when nobody is reached for or wished for (`call_back.names_a_particular_clerk`);
- asking whether it is a robot and small talk open the menu (`about_words.SMALL_TALK`), asking whether a real person
  is there stays a handoff;
- a message in capitals only is read by the encoders in lower case (`pieces.as_read`);
- a verdict tacked on as a last short clause, in a message the model is sure reports a problem, is about the
  problem (`pieces.verdict_tacked_on`), and "Katastrophe" inside a compound (Katastrophenwarnung) is no verdict;
- a message naming the alerts and asking to be signed up is a sign-up, whatever read it first (a verdict, nothing),
  Maghrebi and Egyptian Arabizi included (`alert_words.asks_to_be_sent`);
- an exclamation opened by an interrogative ("Qué buena atención …", "what a great job …") is no question
  (`question_words.EXCLAIMING`);
- a question with only thanks after it is the question, not a greeting (`pieces.asks_then_thanks`; the load's FAQ
  wordings, bench/chat/wording_intents.py)."""

import pytest

from chat.engine.alert_words import asks_to_be_sent
from chat.engine.call_back import names_a_particular_clerk
from chat.engine.intents import detect_intent, is_question
from chat.engine.pieces import as_read, asks_then_thanks
from chat.engine.skills.about_words import asks_what_it_does
from chat.engine.verdicts import is_verdict
from chat.understanding import classify
from tests.chat.intent_groups import assert_read_as, cases
from tests.chat.test_intent_unseen_causes import EVERY_SKILL

pytestmark = pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py


def _handoff_by_keyword(text):
    return detect_intent(text, available=EVERY_SKILL).intent == "handoff"  # the handoff keyword, as before


# (the cause, the intent, what the word rules say of each message first: (rule, True or False), the messages)
GROUPS = [
    (
        "a promise not kept is asked after",
        "status",
        (),
        [
            "the woman at the call center said somebody would come look at the hydrant by friday, nothing yet",
            "I was told it would be fixed before school started, the crosswalk light is still out",
            "third time asking about the sinkhole on Birch, please",
            "me aseguraron que el camión pasaba el martes por las ramas y siguen en la vereda",
            "es la tercera vez que escribo por la alcantarilla tapada de mi cuadra",
            "Mir wurde versprochen, dass die Bank im Park bis Ende Mai repariert wird, sie ist immer noch kaputt",
            "ich schreibe jetzt zum dritten Mal wegen der Ampel an der Schule",
            "vous m'aviez dit qu'un agent passerait pour le nid-de-poule, personne",
            "c'est la deuxième fois que je relance pour la benne à verre pleine",
            "bên phường nói sẽ cho người tới chặt cây mà ba tuần rồi chưa thấy",
            "도로 고쳐준다고 하신 지 두 달이 넘었는데 그대로예요",
            "上个月电话里说会派人来看路面塌陷，到现在也没人来",  # noqa: RUF001
            "الموظفة قالت راح يجون يصلحون الرصيف هالأسبوع وما جا أحد",
            "2alouli el sa2ka hayetsalla7 el osbo3 elly fat w lessa",
        ],
    ),
    (
        "a first report of the same problems stays a report",
        "report",
        (),
        [
            "the hydrant on Birch St is leaking all over the sidewalk",
            "hay una alcantarilla tapada en mi cuadra",
            "die Ampel an der Schule ist seit heute früh aus",
            "il y a un gros nid-de-poule devant la poste",
            "路面塌陷了一大块，在学校门口",  # noqa: RUF001
        ],
    ),
    (
        "a particular clerk told about is no handoff",
        "feedback",
        ((_handoff_by_keyword, True), (names_a_particular_clerk, True)),
        [
            "الموظف في قسم الرخص رد علي بطريقة قليلة ذوق",
            "الموظفة عند الشباك رمت الأوراق في وجهي، ما في احترام",
            "Der Sachbearbeiter im Bürgerbüro hat mich eine Stunde warten lassen und dann angeblafft",
        ],
    ),
    (
        "a clerk asked for stays a handoff",
        "handoff",
        ((names_a_particular_clerk, False),),
        [
            "ابي اكلم الموظف اللي ماسك ملفي",
            "ممكن موظف يرد علي",
            "ich möchte mit dem Sachbearbeiter sprechen, der meinen Antrag bearbeitet",
            "je voudrais parler au conseiller qui a mon dossier",
        ],
    ),
    (
        "small talk and asking if it is a robot open the menu",
        "greeting",
        ((asks_what_it_does, True),),
        [
            "hey are you a bot?",
            "hi, what is this thing?",
            "hola, ¿eres un robot?",
            "na, wie geht's?",
            "bonsoir, ça va ?",
            "bạn là robot hả?",
            "너 로봇이에요?",
            "你是机器人吗",
            "مرحبا، كيف الحال؟",
            "ahlan, enta robot?",
        ],
    ),
    (
        "a verdict describing a problem is a report",
        "report",
        ((is_verdict, True),),
        [
            "hay grafitis por todo el puente peatonal de la avenida, un desastre",
            "小区门口有条狗追着人咬，很凶",  # noqa: RUF001
        ],
    ),
    (
        "a sign-up to the alerts is one",
        "alerts_subscribe",
        ((asks_to_be_sent, True),),
        [
            "Tragen Sie mich bitte für Katastrophenwarnungen per SMS ein, 0171 9988776",
            "sajjelni f tanbihat dyal chta 3afak",
            "3ayez tsagelni fi tanbihat el sol",
        ],
    ),
    (
        "an exclamation is no question",
        "feedback",
        ((is_question, False),),
        [
            "Qué buena atención me dieron hoy en la oficina de licencias",
            "what a great job the parks crew did on the rose garden",
        ],
    ),
    (
        "a question with thanks after it is the question",
        "question",
        ((asks_then_thanks, True),),
        [
            "What are the symptoms? Thank you.",  # a greeting at 0.50 before (the FAQ wordings)
            "What is self-observation? Thanks!",
            "Was kostet ein Bewohnerparkausweis? Danke!",
            "¿Dónde se paga la multa de estacionamiento? Gracias",
        ],
    ),
    (
        "thanks after a greeting or alone stays a greeting",
        "greeting",
        (),
        ["what can you do? thanks", "thank you", "hello? thanks"],
    ),
]


@pytest.mark.parametrize(("text", "intent", "checks"), cases(GROUPS))
def test_read_as(text, intent, checks):
    assert_read_as(text, intent, checks)


@pytest.mark.parametrize(
    "text",
    [
        "is there a real person I can talk to?",
        "¿hay una persona de verdad ahí?",
        "what is this fee on my water bill",
        "wie geht's jetzt weiter mit meinem Antrag?",
    ],
)
def test_a_real_person_or_a_matter_is_no_small_talk(text):
    assert not asks_what_it_does(text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("STOP", "alerts_unsubscribe"),  # was a greeting (0.59): the encoder read the capitals
        ("STOPP", "alerts_unsubscribe"),
    ],
)
def test_a_message_in_capitals_is_read_as_typed_without_them(text, intent):
    assert as_read(text) == text.lower()
    assert classify(text, available=EVERY_SKILL).intent == intent


def test_capitals_beside_lower_case_are_kept():
    assert as_read("my bin at 12 Oak St was not emptied") == "my bin at 12 Oak St was not emptied"
    assert as_read("停止") == "停止"


def test_a_disaster_warning_is_no_verdict():
    assert not is_verdict("Bitte für die Katastrophenwarnungen eintragen")
    assert is_verdict("Die Wartezeit im Bürgerbüro war eine Katastrophe")
    assert is_verdict("l'accueil à la mairie, c'est une catastrophe")


def test_an_exclamation_asked_with_a_question_mark_is_a_question():
    assert is_question("qué bien hay que llevar para el pasaporte?")
    assert is_question("what a day to close the office, why?")
