"""Issue 19, session 14: the report form takes the category from the opening message in every language the
chat speaks, by the category's name or by the words citizens use for it in that language (`keywords` in a
category's translations): "如何报告路面坑洼?" opens the form with Pothole chosen, though the Chinese name is
路面坑洞, instead of asking which kind of problem it is."""

import pytest
from django.conf import settings

from chat import services
from chat.engine.engine import bot_turn
from requests_app.demo import _seed_categories
from requests_app.models import ServiceCategory
from tenants.context import agency_context

UI_LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def springfield_catalogue(agency_a):
    """The demo's categories with their translations, as Springfield has them."""
    agency_a.languages = UI_LANGUAGES
    agency_a.full_clean()
    agency_a.save()
    with agency_context(agency_a):
        _seed_categories(agency_a)
    return agency_a


@pytest.fixture
def conversation(springfield_catalogue):
    with agency_context(springfield_catalogue):
        conversation, _token = services.conversation_start(agency=springfield_catalogue, channel="widget")
        yield conversation


def say(agency, conversation, text):
    received = services.message_receive(agency=agency, conversation_id=conversation.pk, text=text)
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("如何报告路面坑洼？", "pothole"),  # noqa: RUF001
        ("公园的秋千坏了", "park-maintenance"),
        ("Ich möchte ein Loch in der Straße melden", "pothole"),
        ("je veux signaler un gros trou devant la gare", "pothole"),
        ("도로에 구멍이 생겼어요 신고합니다", "pothole"),
        ("أريد الإبلاغ عن حفرة كبيرة أمام المدرسة", "pothole"),
        ("Tôi muốn báo cáo cây đổ chắn ngang đường", "fallen-tree"),
        ("quiero reportar un hoyo en la calle frente al mercado", "pothole"),
    ],
)
def test_the_category_is_taken_from_the_opening_message(springfield_catalogue, conversation, text, category):
    reply = say(springfield_catalogue, conversation, text)
    assert conversation.skill == "report_problem", reply.text
    assert conversation.skill_state["form"]["answers"].get("category") == category, reply.text
    assert reply.payload["decision"]["form_field"] != "category"


def test_the_seed_adds_the_keywords_to_a_language_seeded_without_them(springfield_catalogue):
    with agency_context(springfield_catalogue):
        pothole = ServiceCategory.objects.for_agency(springfield_catalogue).get(code="pothole")
        typed = {"name": "坑", "group": "道路"}  # as staff left it, before keywords existed
        pothole.translations = {**pothole.translations, "zh-hans": typed}
        pothole.save(update_fields=["translations"])
        _seed_categories(springfield_catalogue)
        pothole.refresh_from_db()
    assert pothole.translations["zh-hans"]["name"] == "坑"  # what staff typed stays
    assert "坑洼" in pothole.translations["zh-hans"]["keywords"]
    assert "坑洼" in pothole.keywords_every_language


def test_keywords_are_a_translatable_field_and_nothing_else_new(springfield_catalogue):
    from django.core.exceptions import ValidationError

    with agency_context(springfield_catalogue):
        pothole = ServiceCategory.objects.for_agency(springfield_catalogue).get(code="pothole")
        pothole.translations = {"es": {"keywords": "bache,hoyo"}}
        pothole.full_clean()
        pothole.translations = {"es": {"synonyms": "bache"}}
        with pytest.raises(ValidationError):
            pothole.full_clean()
