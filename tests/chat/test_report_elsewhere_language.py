"""An agency's chat says another agency handles a problem only when its own services could have been named in the
language the citizen wrote: Transportation's categories are English only, so a pothole on the state highway told
in Vietnamese matched none of them and the chat sent the citizen to the city's "Ổ gà" (seen walking the front door
in Chromium, session 27). A problem in a language the agency's services are named in still goes elsewhere."""

from chat import services
from requests_app.models import ServiceCategory
from tenants.context import agency_context
from tests.chat.test_engine import say
from tests.requests_app.conftest import make_catalogue


def test_no_match_in_a_language_the_agencys_services_are_not_named_in_says_nothing(agency_a, agency_b):
    make_catalogue(agency_a)  # English names only
    with agency_context(agency_b):
        ServiceCategory.objects.create(
            agency=agency_b,
            code="pothole-city",
            name="Street pothole",
            keywords="street pothole",
            translations={"vi": {"name": "Ổ gà", "keywords": "ổ gà"}, "ko": {"name": "포트홀", "keywords": "포트홀"}},
        )
    with agency_context(agency_a):
        for text in ("Có ổ gà lớn trên đường cao tốc tiểu bang", "주 고속도로에 포트홀이 있어요"):
            conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
            reply = say(agency_a, conversation, text)
            assert "elsewhere" not in (reply.payload.get("decision") or {}), (text, reply.text)
            assert "/a/beta/" not in reply.text, (text, reply.text)
