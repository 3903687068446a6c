"""Issue 19, reading level: an answer is trimmed to the sentences that answer, and the whole passage it came
from is one click away (`/a/<slug>/ask/passage/<chunk_id>/`): live public passages of this agency only."""

import pytest

from knowledge.models import Audience, Chunk
from tenants.context import agency_context
from tests.chat.conftest import publish_document

LONG = (
    "How long does it take to fix a pothole? A crew inspects every pothole report within two business days. Most potholes are fixed within "
    "five business days after the inspection. Potholes deeper than 10 cm on a main road are treated as hazards "
    "and are made safe the same day, usually with a temporary cold patch that is replaced later. Crews work "
    "from 7 a.m. to 3:30 p.m. and at night on main roads. Sidewalk trip hazards are ground down or replaced "
    "within thirty days, and the owner of the property is told by letter when the repair is theirs to make."
)


@pytest.fixture
def no_models(settings):
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None


def _chunk(agency, document):
    with agency_context(agency):
        return Chunk.objects.for_agency(agency).filter(document=document).order_by("order").first()


def test_the_answer_is_trimmed_and_links_to_the_whole_passage(agency_a, client, no_models):
    document = publish_document(agency_a, title="Street repairs", content=LONG)
    chunk = _chunk(agency_a, document)
    response = client.post("/a/alpha/ask/", {"question": "How long does it take to fix a pothole?"})
    body = response.content.decode()
    assert response.status_code == 200
    answer = body.split('class="kb-answer-text">')[1].split("</p>")[0]
    assert "business days" in answer and "Crews work from 7 a.m." not in answer  # trimmed
    assert not answer.startswith("How long")  # the passage's own question is not the answer
    assert f'href="/a/alpha/ask/passage/{chunk.pk}/"' in body

    page = client.get(f"/a/alpha/ask/passage/{chunk.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Crews work from 7 a.m." in text and "Street repairs" in text


def test_only_this_agencys_live_public_passages_are_shown(agency_a, agency_b, client, no_models):
    theirs = _chunk(agency_b, publish_document(agency_b, title="Beta streets", content=LONG))
    assert client.get(f"/a/beta/ask/passage/{theirs.pk}/").status_code == 200
    assert client.get(f"/a/alpha/ask/passage/{theirs.pk}/").status_code == 404  # another agency's: not found
    assert client.get("/a/alpha/ask/passage/2000000000/").status_code == 404

    staff_only = _chunk(agency_a, publish_document(agency_a, title="Internal", content=LONG))
    with agency_context(agency_a):
        Chunk.objects.for_agency(agency_a).filter(pk=staff_only.pk).update(audience=Audience.STAFF)
    assert client.get(f"/a/alpha/ask/passage/{staff_only.pk}/").status_code == 404

    retired = _chunk(agency_a, publish_document(agency_a, title="Old", content=LONG))
    with agency_context(agency_a):
        Chunk.objects.for_agency(agency_a).filter(pk=retired.pk).update(is_live=False)
    assert client.get(f"/a/alpha/ask/passage/{retired.pk}/").status_code == 404
