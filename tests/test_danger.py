"""Someone hurt, a fire, a gas smell, a break-in told now, in any of the eight languages: the chat, the agency's ask
page and the front door lead with "call 911" (`core/danger.py`, `EMERGENCY_NUMBER`) and answer as before. Seen on
the front door in session 27: "Il y a un accident avec des blessés devant chez nous, vite!" was routed to Public
Health and "a thief is in the house, what's the police number?" (Egyptian Arabic) to Revenue, with no word of 911."""

import pytest
from django.utils import translation

from chat import services as chat_services
from chat.engine.engine import bot_turn
from core.danger import danger_notice, in_danger
from tenants.context import agency_context

DANGER = [
    ("en", "my neighbour collapsed on the sidewalk and is not breathing"),
    ("es", "huele a gas en todo el edificio, qué hago"),
    ("zh", "楼下着火了\uff0c好多烟"),
    ("de", "Bei uns ist eingebrochen worden, der Einbrecher ist noch im Haus"),
    ("fr", "Il y a eu un accident, deux blessés sur la route"),
    ("vi", "co nguoi bi thuong nang truoc nha, cap cuu"),
    ("ko", "옆집에 불이 났어요"),
    ("ar", "في حرامي جوه الشقة دلوقتي"),
]
# Everyday messages that hold such a word: no notice.
SAFE = [
    "The street light on Oak St is out",
    "Have a blessed day, thanks for fixing the hole",
    "Die Straßenlaterne brennt seit Tagen nicht",  # a street light 'burns' in German
    "مصابيح الشارع مطفية من أسبوع",  # 'lamps' hold the letters of 'hurt'
    "총 금액이 얼마예요?",  # 'total' begins with the letter of 'gun'
    "xe buýt đang chạy trễ",  # 'running' folds to the letters of 'burning'
    "fire hydrant leaking on 5th street",
    "When is trash collected?",
]


@pytest.mark.parametrize(("language", "text"), DANGER)
def test_danger_told_now_is_recognised(language, text):
    assert in_danger(text), text


@pytest.mark.parametrize("text", SAFE)
def test_everyday_messages_are_not(text):
    assert not in_danger(text), text


def _chat(agency, text: str) -> str:
    with agency_context(agency):
        conversation, _token = chat_services.conversation_start(agency=agency, channel="widget")
        received = chat_services.message_receive(agency=agency, conversation_id=conversation.pk, text=text)
        return bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq).text


def test_the_chat_leads_with_the_emergency_number(agency_a, settings):
    agency_a.languages = ["en", "es"]
    agency_a.save(update_fields=["languages"])
    reply = _chat(agency_a, DANGER[0][1])
    assert reply.startswith("If anyone is in danger or hurt right now, call 911."), reply
    spanish = _chat(agency_a, DANGER[1][1])
    assert spanish.startswith("Si alguien está en peligro o herido ahora mismo, llame al 911."), spanish
    assert "911" not in _chat(agency_a, "When is trash collected?")
    settings.EMERGENCY_NUMBER = "112"
    assert "call 112" in _chat(agency_a, DANGER[0][1])


def test_the_ask_pages_show_it(agency_a, client):
    page = client.post(f"/a/{agency_a.slug}/ask/", {"question": "someone broke in and has a gun"}).content.decode()
    assert 'role="alert">If anyone is in danger or hurt right now, call 911.' in page
    calm = client.post(f"/a/{agency_a.slug}/ask/", {"question": "When is trash collected?"}).content.decode()
    assert "call 911" not in calm
    client.cookies["django_language"] = "fr"
    front = client.get("/ask/", {"q": DANGER[4][1]}).content.decode()
    with translation.override("fr"):
        assert danger_notice().replace("'", "&#x27;") in front
