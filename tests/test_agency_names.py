"""Issue 19: the agency's own public name (and description) in the reader's language wherever a citizen sees it:
the directory `/` and its search, `/api/v1/agencies/?lang=`, the agency's page, the chat page and greeting, the
socket's hello (the widget's header), the front door's answers, messages sent in the recipient's language and
Open311's `agency_responsible`. Without a translation the agency's own name, as before."""

import pytest
from django.core.exceptions import ValidationError

from chat import services as chat_services
from chat.engine.engine import bot_turn
from tenants.context import agency_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_a(agency_a):
    from tests.requests_app.conftest import make_catalogue

    return make_catalogue(agency_a)


CHINESE = "阿尔法市"
SPANISH = "Ciudad de Alpha"


@pytest.fixture
def named(agency_a):
    agency_a.description = "Streets and parks of Alpha."
    agency_a.translations = {
        "zh-hans": {"name": CHINESE, "description": "阿尔法市的街道和公园。"},
        "es": {"name": SPANISH},
    }
    agency_a.full_clean()  # "name" is a field the agency's translations may hold
    agency_a.save()
    return agency_a


def _page(client, url, language, **params):
    client.cookies["django_language"] = language
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_agencys_translations_take_its_name_and_refuse_unknown_fields(agency_a):
    agency_a.translations = {"es": {"name": SPANISH}}
    agency_a.full_clean()
    agency_a.translations = {"es": {"slug": "alfa"}}
    with pytest.raises(ValidationError):
        agency_a.full_clean()


def test_the_directory_the_agency_page_and_the_chat_page_name_the_agency_in_the_readers_language(named, client):
    home = _page(client, "/", "zh-hans")
    assert f'">{CHINESE}</a></h3>' in home and "阿尔法市的街道和公园。" in home
    agency_page = _page(client, "/a/alpha/", "zh-hans")
    assert f"<h1>{CHINESE}</h1>" in agency_page and f"<title>{CHINESE} — CivicDesk</title>" in agency_page
    chat_page = _page(client, "/a/alpha/chat/", "zh-hans")
    assert f'data-agency-name="{CHINESE}"' in chat_page
    # a language with no translation: the agency's own name
    assert '">Alpha City</a></h3>' in _page(client, "/", "ko")
    assert f'data-agency-name="{SPANISH}"' in _page(client, "/a/alpha/chat/", "es")


def test_an_untranslated_description_keeps_its_own_direction_on_a_right_to_left_page(named, client):
    """Seen in Chromium on the Arabic directory: an English description drawn right to left put its final period
    and its opening parenthesis on the wrong side."""
    assert '<p dir="auto">Streets and parks of Alpha.</p>' in _page(client, "/", "ar")
    assert '<p class="lead" dir="auto">Streets and parks of Alpha.</p>' in _page(client, "/a/alpha/", "ar")


def test_the_directory_finds_an_agency_by_its_name_in_another_language(named, client):
    found = _page(client, "/", "zh-hans", q=CHINESE)
    assert f'">{CHINESE}</a></h3>' in found
    api = client.get("/api/v1/agencies/", {"search": "Ciudad de Alpha"}).json()
    assert [agency["slug"] for agency in api["results"]][:1] == ["alpha"]


def test_the_agency_api_names_agencies_in_lang_and_as_before_without_it(named, client):
    def alpha(**params):
        results = client.get("/api/v1/agencies/", params).json()["results"]
        return next(agency for agency in results if agency["slug"] == "alpha")

    assert alpha(lang="zh-hans")["name"] == CHINESE
    assert alpha(lang="zh-hans")["description"] == "阿尔法市的街道和公园。"
    assert alpha()["name"] == "Alpha City" and alpha()["description"] == "Streets and parks of Alpha."
    client.cookies["django_language"] = "zh-hans"
    assert alpha()["name"] == "Alpha City"  # the contract without `lang=` is unchanged
    assert alpha(lang="ko")["name"] == "Alpha City"


def test_the_chat_greets_in_the_conversations_language_with_the_agencys_name_in_it(named):
    with agency_context(named):
        conversation, _token = chat_services.conversation_start(agency=named, channel="web", language="zh-hans")
        received = chat_services.message_receive(
            agency=named, conversation_id=conversation.pk, text="你好", client_msg_id=""
        )
        reply = bot_turn(agency=named, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    assert CHINESE in reply.text and "Alpha City" not in reply.text, reply.text


def test_the_i_dont_know_answer_names_the_agency_in_its_language(named):
    from knowledge.answering import no_answer_text

    assert CHINESE in no_answer_text(named, "zh-hans")
    assert "Alpha City" in no_answer_text(named, "en")


def test_an_alert_confirmation_e_mail_names_the_agency_in_the_subscribers_language(named):
    from crisis.services.subscriptions import subscription_start
    from requests_app.models import Notification

    with agency_context(named):
        subscription_start(agency=named, channel="email", address="li@example.org", language="zh-hans")
        sent = Notification.objects.for_agency(named).get(recipient="li@example.org")
    assert CHINESE in sent.subject and CHINESE in sent.body and "Alpha City" not in sent.body


def test_open311_names_the_agency_responsible_in_the_locale_when_no_department_does(named, catalogue_a, client):
    from requests_app.models import ServiceRequest
    from tests.requests_app.open311_support import BASE
    from tests.requests_app.pages_support import file

    request = file(named)
    with agency_context(named):
        ServiceRequest.objects.filter(pk=request.pk).update(department=None)
    url = f"{BASE}/requests/{request.reference}.json"
    chinese = client.get(url, {"jurisdiction_id": "alpha", "locale": "zh-hans"}).json()[0]
    assert chinese["agency_responsible"] == CHINESE
    assert client.get(url, {"jurisdiction_id": "alpha"}).json()[0]["agency_responsible"] == "Alpha City"


def test_the_front_doors_route_api_names_agencies_in_lang(named, catalogue_a, client):
    chinese = client.get("/api/v1/route/", {"q": "pothole on my street", "lang": "zh-hans"}).json()
    assert chinese["agencies"] and chinese["agencies"][0] == {
        **chinese["agencies"][0],
        "slug": "alpha",
        "name": CHINESE,
    }
    plain = client.get("/api/v1/route/", {"q": "pothole on my street"}).json()
    assert plain["agencies"][0]["name"] == "Alpha City"


def test_the_service_directory_names_each_services_agency_in_the_readers_language(named, client):
    from frontdoor.catalogue import catalogue_clear
    from frontdoor.models import Service

    with agency_context(named):
        Service.objects.create(agency=named, slug="permit", name="Street work permit", summary="Dig in the street.")
    catalogue_clear()
    api = client.get("/api/v1/services/", {"q": "permit", "lang": "zh-hans"}).json()
    assert api["results"][0]["agency"] == {"slug": "alpha", "name": CHINESE}
    assert client.get("/api/v1/services/", {"q": "permit"}).json()["results"][0]["agency"]["name"] == "Alpha City"
    assert f"{CHINESE} · " in _page(client, "/services/", "zh-hans", q="permit")
    catalogue_clear()


@pytest.mark.django_db(transaction=True)
async def test_the_chat_sockets_hello_names_the_agency_in_each_of_its_languages(agency_a):
    """The widget's header follows the conversation's language with these (static/chat/widget/panel.js)."""
    from channels.db import database_sync_to_async

    from tests.chat.conftest import citizen

    def name_it():
        agency_a.translations = {"zh-hans": {"name": CHINESE}}
        agency_a.save()

    await database_sync_to_async(name_it)()
    communicator, hello = await citizen("alpha", lang="zh-hans")
    await communicator.disconnect()
    assert hello["agency_names"] == {"en": "Alpha City", "es": "Alpha City", "zh-hans": CHINESE}
