"""The chat's status skill without a reference number: "I don't have it" lists what this conversation filed,
else asks for the e-mail address and sends the references there (portal.lost_reference), without saying
whether the address is known."""

import pytest

from chat import services
from chat.engine.engine import bot_turn
from requests_app.models import Notification
from requests_app.services import Reporter
from tenants.context import agency_context
from tests.requests_app.test_routing import file

NO_REFERENCE = "check_status:no_reference"


def say(agency, conversation, text, action=""):
    with agency_context(agency):
        received = services.message_receive(
            agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=action
        )
        reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
        conversation.refresh_from_db()
    return reply


@pytest.fixture
def conversation(agency_a):
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
    return conversation


def _values(reply) -> list[str]:
    return [action["value"] for action in reply.payload["actions"]]


def _rows(agency, recipient):
    with agency_context(agency):
        return list(Notification.objects.for_agency(agency).filter(recipient=recipient))


def test_asking_for_the_reference_offers_i_dont_have_it(catalogue_a, agency_a, conversation):
    reply = say(agency_a, conversation, "check status")
    assert NO_REFERENCE in _values(reply)
    assert conversation.skill_state["step"] == "reference"


def test_what_this_chat_filed_is_listed_with_its_status(catalogue_a, agency_a, conversation):
    mine = file(agency_a, reporter=Reporter(chat_conversation=str(conversation.pk)))
    others = file(agency_a, reporter=Reporter(email="ann@example.com"))
    say(agency_a, conversation, "check status")
    reply = say(agency_a, conversation, "I don't have it", action=NO_REFERENCE)
    assert mine.reference in reply.text and "Pothole" in reply.text and "Submitted" in reply.text
    assert others.reference not in reply.text
    assert reply.payload["decision"]["no_reference"] == "this_chat"
    assert not conversation.skill  # answered: the flow is over


def test_without_filings_here_the_address_is_asked_and_the_references_sent(catalogue_a, agency_a, conversation):
    filed = file(agency_a, reporter=Reporter(email="pat@example.com"))
    say(agency_a, conversation, "check status")
    asked = say(agency_a, conversation, "I don't have it", action=NO_REFERENCE)
    assert conversation.skill_state["step"] == "email" and "e-mail address" in asked.text
    assert "handoff" in _values(asked)
    sent = say(agency_a, conversation, "it is Pat@example.com")
    [row] = _rows(agency_a, "pat@example.com")
    assert filed.reference in row.body
    unknown = say(agency_a, conversation, "check status")
    say(agency_a, conversation, "I don't have it", action=NO_REFERENCE)
    nothing = say(agency_a, conversation, "nobody@example.com")
    assert _rows(agency_a, "nobody@example.com") == []
    assert sent.text == nothing.text and sent.text.startswith("If this address was given")  # the same either way
    assert "handoff" in _values(sent) and "handoff" in _values(nothing)
    assert NO_REFERENCE in _values(unknown)


def test_not_an_address_twice_offers_a_person(catalogue_a, agency_a, conversation):
    say(agency_a, conversation, "check status")
    say(agency_a, conversation, "I don't have it", action=NO_REFERENCE)
    first = say(agency_a, conversation, "pat at example")
    assert "does not look like an e-mail address" in first.text
    say(agency_a, conversation, "pat at example dot com")
    last = say(agency_a, conversation, "patexample")
    assert _values(last) == ["handoff"]


@pytest.mark.parametrize(
    "text",
    [
        "I lost it",
        "I don\u2019t have the number",  # a phone keyboard's apostrophe
        "no lo tengo",
        "没有编号",
        "habe ich nicht",
        "je l'ai perdu",
        "tôi không có mã",
        "번호가 없어요",
        "ليس لدي رقم",
    ],
)
def test_typed_i_dont_have_it_in_the_chat_languages(catalogue_a, agency_a, conversation, text):
    say(agency_a, conversation, "check status")
    reply = say(agency_a, conversation, text)
    assert conversation.skill == "check_status" and conversation.skill_state["step"] == "email", reply.text


def test_the_address_typed_instead_of_the_number_sends_the_references(catalogue_a, agency_a, conversation):
    filed = file(agency_a, reporter=Reporter(email="pat@example.com"))
    say(agency_a, conversation, "check status")
    reply = say(agency_a, conversation, "pat@example.com")
    assert reply.text.startswith("If this address was given")
    [row] = _rows(agency_a, "pat@example.com")
    assert filed.reference in row.body


def test_the_reference_found_while_the_address_is_asked_is_looked_up(catalogue_a, agency_a, conversation):
    filed = file(agency_a, reporter=Reporter(email="pat@example.com"))
    say(agency_a, conversation, "check status")
    say(agency_a, conversation, "I don't have it", action=NO_REFERENCE)
    reply = say(agency_a, conversation, f"found it: {filed.reference}")
    assert reply.payload["decision"]["reference"] == filed.reference and reply.payload["decision"]["found"]


@pytest.mark.parametrize(
    "text",
    [
        "has my dog licence gone through yet? I applied two weeks ago, my email is pat@example.com",
        "¿ya salió mi permiso de estacionamiento? lo pedí hace dos semanas, mi correo es pat@example.com",
        "我上个月申请的停车证批下来了吗？邮箱 pat@example.com",  # noqa: RUF001
    ],
)
def test_asked_after_with_the_address_and_no_number_sends_the_references_there(
    catalogue_a, agency_a, conversation, text
):
    # Session 21: the first message asks after something and gives the address it was filed with: the references go to
    # that address at once (listed nowhere in the chat: anyone can type an address), instead of asking for a number.
    filed = file(agency_a, reporter=Reporter(email="pat@example.com"))
    reply = say(agency_a, conversation, text)
    assert reply.payload["decision"]["no_reference"] == "email"
    [row] = _rows(agency_a, "pat@example.com")
    assert filed.reference in row.body
    assert filed.reference not in reply.text


def test_asked_after_with_a_number_and_an_address_looks_the_number_up(catalogue_a, agency_a, conversation):
    filed = file(agency_a, reporter=Reporter(email="pat@example.com"))
    reply = say(agency_a, conversation, f"any news on {filed.reference}? my email is pat@example.com")
    assert reply.payload["decision"]["reference"] == filed.reference and reply.payload["decision"]["found"]
    assert _rows(agency_a, "pat@example.com") == []
