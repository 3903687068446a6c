"""STOP and START on every channel: one confirmation in the person's language through the outbox (none
for a second STOP), nothing else after it; START's translations resume, recorded; on SMS, Twilio's own
keywords are recorded without a second confirmation (Twilio answered them itself)."""

import pytest

from chat.engine.engine import CANCEL_WORDS
from chat.engine.intents import normalize
from chat.models import Conversation, Message
from messaging import keywords
from messaging.models import ChannelIdentity, OutboundMessage
from tests.messaging.conftest import deliver, run_events
from tests.messaging.test_sms import PHONE
from tests.messaging.test_sms import text as sms_text
from tests.messaging.test_telegram import say as telegram_say

pytestmark = pytest.mark.django_db

STOPPED_EN = "You will get no more messages from Alpha City. Send START to receive them again."
STOPPED_ES = "Alpha City: ya no recibirá más mensajes. Envíe START para volver a recibirlos."
STOPPED_ZH = "您将不再收到 Alpha City 的消息。发送 START 可重新接收。"
RESUMED_EN = "You will get messages from Alpha City again. Send STOP to end them."
RESUMED_ES = "Alpha City: volverá a recibir mensajes. Envíe STOP para dejar de recibirlos."


def _telegram_texts(telegram, chat_id=42):
    return [body.get("text") for body in telegram.sent(chat_id)]


def test_stop_on_telegram_is_confirmed_once_and_nothing_follows(client, telegram, telegram_a, agency_a):
    telegram_say(client, telegram, telegram.message_update(42, text="Hi"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    before = len(_telegram_texts(telegram))
    telegram_say(client, telegram, telegram.message_update(42, text="STOP"))
    telegram_say(client, telegram, telegram.message_update(42, text="stop"))  # a second STOP: no second reply
    telegram_say(client, telegram, telegram.message_update(42, text="how do I report a pothole?"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    assert _telegram_texts(telegram)[before:] == [STOPPED_EN]
    row = OutboundMessage.objects.for_agency(agency_a).get(purpose="optout")
    assert row.state == "sent" and row.conversation_id is not None  # through the outbox, on the transcript
    conversation = Conversation.objects.for_agency(agency_a).get()
    assert Message.objects.for_agency(agency_a).filter(conversation=conversation, text=STOPPED_EN).count() == 1


@pytest.mark.parametrize(
    ("word", "expected"),
    [("BAJA", STOPPED_ES), ("退订", STOPPED_ZH), ("Unsubscribe", STOPPED_EN), ("darme de baja", STOPPED_ES)],
)
def test_the_confirmation_speaks_the_words_language(client, telegram, telegram_a, agency_a, word, expected):
    telegram_say(client, telegram, telegram.message_update(43, text=word))  # a first message: no conversation yet
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    assert ChannelIdentity.objects.for_agency(agency_a).get().opted_out
    assert _telegram_texts(telegram, 43) == [expected]


def test_stop_in_a_spanish_conversation_is_confirmed_in_spanish(client, telegram, telegram_a, agency_a):
    telegram_say(client, telegram, telegram.message_update(44, text="Hola, ¿cómo reporto un bache?"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    assert Conversation.objects.for_agency(agency_a).get().language == "es"
    telegram_say(client, telegram, telegram.message_update(44, text="STOP"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    assert _telegram_texts(telegram, 44)[-1] == STOPPED_ES


def test_start_in_the_persons_language_resumes_and_is_recorded(client, telegram, telegram_a, agency_a):
    from auditlog.models import LogEntry

    telegram_say(client, telegram, telegram.message_update(45, text="baja"))
    telegram_say(client, telegram, telegram.message_update(45, text="Alta"))
    telegram_say(client, telegram, telegram.message_update(45, text="Hi"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    identity = ChannelIdentity.objects.for_agency(agency_a).get()
    assert not identity.opted_out
    texts = _telegram_texts(telegram, 45)
    assert texts[:2] == [STOPPED_ES, RESUMED_ES] and len(texts) >= 3  # and the greeting: messages flow again
    changes = LogEntry.objects.filter(object_pk=str(identity.pk), changes__opted_out__isnull=False)
    assert changes.count() >= 2  # out, then in again


def test_sms_stop_that_twilio_answered_is_recorded_not_confirmed_again(client, twilio, sms_a, agency_a):
    sms_text(client, twilio, agency_a, sms_a, "Hi")
    ours = len(twilio.sent(PHONE))
    sms_text(client, twilio, agency_a, sms_a, "STOP")
    identity = ChannelIdentity.objects.for_agency(agency_a).get()
    assert identity.opted_out
    assert len(twilio.sent(PHONE)) == ours  # Twilio's own reply is the only confirmation
    assert [c["body"]["To"] for c in twilio.calls if c["method"] == "AutoReply"] == [PHONE]
    record = Message.objects.for_agency(agency_a).filter(role="system").last()
    assert "SMS provider confirmed" in record.text  # the transcript says what happened
    sms_text(client, twilio, agency_a, sms_a, "START")
    assert not ChannelIdentity.objects.for_agency(agency_a).get().opted_out
    assert len(twilio.sent(PHONE)) == ours


def test_sms_words_twilio_does_not_know_are_confirmed_by_us(client, twilio, sms_a, agency_a):
    sms_text(client, twilio, agency_a, sms_a, "BAJA")
    assert ChannelIdentity.objects.for_agency(agency_a).get().opted_out
    assert [body["Body"] for body in twilio.sent(PHONE)] == [STOPPED_ES]


def test_sms_keywords_twilio_enforces_are_honoured(client, twilio, sms_a, agency_a):
    """CANCEL is Twilio's STOP (it blocks the number), and Advanced Opt-Out names its own keywords."""
    sms_text(client, twilio, agency_a, sms_a, "Hi")
    sms_text(client, twilio, agency_a, sms_a, "cancel")
    assert ChannelIdentity.objects.for_agency(agency_a).get().opted_out
    sms_text(client, twilio, agency_a, sms_a, "yes")  # Twilio's START too
    assert not ChannelIdentity.objects.for_agency(agency_a).get().opted_out
    params = twilio.text(PHONE, "BASTA")  # a Messaging Service's own opt-out keyword
    params["OptOutType"] = "STOP"
    from tests.messaging.test_sms import post

    assert post(client, params, twilio.sign("http://testserver/hooks/alpha/sms/", params)).status_code == 200
    run_events(agency_a)
    assert ChannelIdentity.objects.for_agency(agency_a).get().opted_out


def test_the_words_are_not_the_chats_form_commands():
    """A person leaving a form ("abbrechen", "hủy", "취소") must not stop their messages; STOP is both."""
    for words in (*keywords.OPT_OUT_WORDS.values(), *keywords.OPT_IN_WORDS.values()):
        for word in words:
            assert word == "stop" or normalize(word) not in CANCEL_WORDS, word
    assert keywords.subscription_keyword("Hủy đăng ký") == (keywords.STOP, "vi")
    assert keywords.subscription_keyword("  ARRÊT ! ") == (keywords.STOP, "fr")
    assert keywords.subscription_keyword("stop sending the menu") is None
