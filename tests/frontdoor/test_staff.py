"""Staff pages: admins keep services, contacts and the area; another agency's staff get 404; re-routing a
portal conversation carries its transcript."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chat import services as chat_services
from chat.models import Message
from frontdoor.models import Jurisdiction, Official, RoutedQuestion, Service
from frontdoor.services import routed_question_record
from tenants.context import agency_context


def _service(agency):
    with agency_context(agency):
        return Service.objects.for_agency(agency).get()


def _official(agency):
    with agency_context(agency):
        return Official.objects.for_agency(agency).filter(is_public=True).get()


@pytest.mark.django_db
def test_another_agencys_staff_cannot_see_or_edit_services_or_contacts(front, staff_b, client_for):
    alpha, _beta = front
    service, official = _service(alpha), _official(alpha)
    client = client_for(staff_b["admin"])
    for url in (
        f"/a/beta/staff/frontdoor/services/{service.pk}/",
        f"/a/beta/staff/frontdoor/contacts/{official.pk}/",
        f"/a/alpha/staff/frontdoor/services/{service.pk}/",
        f"/a/alpha/staff/frontdoor/contacts/{official.pk}/",
        "/a/alpha/staff/frontdoor/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Hijacked", "slug": "x", "delete": "1"}).status_code == 404, url
    service.refresh_from_db()
    official.refresh_from_db()
    assert service.name == "Schedule a bulk item pickup" and official.name == "Dana Street"


@pytest.mark.django_db
def test_only_admins_edit_and_an_edit_shows_in_the_directory(
    front, staff_a, client_for, django_capture_on_commit_callbacks
):
    _alpha, _beta = front
    agent = client_for(staff_a["agent"])
    assert agent.get("/a/alpha/staff/frontdoor/").status_code == 200
    assert agent.get("/a/alpha/staff/frontdoor/services/new/").status_code == 404
    admin = client_for(staff_a["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/a/alpha/staff/frontdoor/services/new/",
            {
                "name": "Rent a community garden plot",
                "slug": "garden",
                "url": "https://alpha.example/garden",
                "fees": "$20 a season",
                "is_active": "on",
                "translations": "{}",
            },
        )
    assert response.status_code == 302
    body = admin.get("/api/v1/services/", {"q": "garden plot"}).json()
    assert body["results"][0]["name"] == "Rent a community garden plot"


@pytest.mark.django_db
def test_an_area_upload_is_validated(front, staff_a, client_for):
    alpha, _beta = front
    admin = client_for(staff_a["admin"])
    bad = admin.post(
        "/a/alpha/staff/frontdoor/area/",
        {"name": "Alpha", "geojson": SimpleUploadedFile("a.geojson", b'{"type": "Point", "coordinates": [1, 2]}')},
    )
    assert bad.status_code == 400
    assert "Polygon" in bad.content.decode()
    not_json = admin.post(
        "/a/alpha/staff/frontdoor/area/", {"name": "Alpha", "geojson": SimpleUploadedFile("a.json", b"{nope")}
    )
    assert not_json.status_code == 400
    area = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    ok = admin.post(
        "/a/alpha/staff/frontdoor/area/",
        {"name": "Alpha box", "geojson": SimpleUploadedFile("a.json", json.dumps(area).encode())},
    )
    assert ok.status_code == 302
    with agency_context(alpha):
        assert Jurisdiction.objects.for_agency(alpha).get().name == "Alpha box"


@pytest.mark.django_db
def test_rerouting_a_portal_conversation_carries_the_transcript(front, staff_a, staff_b, client_for):
    alpha, beta = front
    with agency_context(alpha):
        conversation, _token = chat_services.conversation_start(agency=alpha, channel="web")
        chat_services.message_receive(
            agency=alpha, conversation_id=conversation.pk, text="When is my tax refund coming?"
        )
        record = routed_question_record(
            agency=alpha,
            question="When is my tax refund coming?",
            language="en",
            channel="chat",
            decision="answer",
            confidence=0.6,
            alternatives=[{"slug": "beta", "name": beta.name, "score": 0.55}],
            conversation_id=conversation.pk,
        )
    # B's staff cannot re-route A's record.
    assert (
        client_for(staff_b["supervisor"])
        .post(f"/a/beta/staff/frontdoor/routed/{record.pk}/reroute/", {"to_agency": "alpha"})
        .status_code
        == 404
    )
    client = client_for(staff_a["agent"])
    assert "When is my tax refund coming?" in client.get("/a/alpha/staff/frontdoor/routed/").content.decode()
    response = client.post(f"/a/alpha/staff/frontdoor/routed/{record.pk}/reroute/", {"to_agency": "beta"})
    assert response.status_code == 302
    forwarded = RoutedQuestion.objects.unscoped().get(agency=beta)  # unscoped: the test reads B's side
    assert forwarded.decision == "rerouted" and forwarded.rerouted_from_id == alpha.pk
    with agency_context(beta):
        lines = list(
            Message.objects.for_agency(beta)
            .filter(conversation_id=forwarded.conversation_id)
            .values_list("text", flat=True)
        )
    assert any("When is my tax refund coming?" in line and "Alpha City" in line for line in lines)
    with agency_context(alpha):
        told = Message.objects.for_agency(alpha).filter(conversation=conversation).order_by("-seq").first()
    assert "/a/beta/chat/" in told.text
    record.refresh_from_db()
    assert record.rerouted_to_id == beta.pk
    # A second re-route of the same question is refused, nothing changes.
    client.post(f"/a/alpha/staff/frontdoor/routed/{record.pk}/reroute/", {"to_agency": "beta"})
    assert RoutedQuestion.objects.unscoped().filter(agency=beta).count() == 1  # unscoped: the test reads B's side


@pytest.mark.django_db
def test_platform_superusers_see_the_gaps(front, superuser, staff_a, client_for, agency_a):
    assert client_for(staff_a["admin"]).get("/staff/frontdoor/gaps/").status_code == 404
    page = client_for(superuser).get("/staff/frontdoor/gaps/").content.decode()
    assert "Alpha City" in page and "Beta State Revenue" in page


@pytest.mark.django_db
def test_an_area_drawn_on_the_map_is_saved_as_geojson_and_validated(front, staff_a, staff_b, client_for):
    alpha, _beta = front
    admin = client_for(staff_a["admin"])
    page = admin.get("/a/alpha/staff/frontdoor/area/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="area-map"' in body and "frontdoor/area" in body and 'name="drawn"' in body
    assert "vendor/leaflet/leaflet" in body  # the map script the project ships, no CDN

    def post(drawn, name="Alpha drawn"):
        return admin.post("/a/alpha/staff/frontdoor/area/", {"name": name, "drawn": drawn})

    refused = {
        "": "Upload a GeoJSON file or draw",
        "{nope": "not valid JSON",
        json.dumps({"type": "Point", "coordinates": [1, 2]}): "must be a GeoJSON Polygon",
        json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}): "at least three corners",
        json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}): "end where it starts",
        json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]}): "enclose no area",
        json.dumps(
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0, 0], [1, 0], [1, 1], [0, 0]]]}
        ): "without holes",
        json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]}): "within",
    }
    for drawn, reason in refused.items():
        response = post(drawn)
        assert response.status_code == 400, drawn
        assert reason in response.content.decode(), (drawn, response.content.decode()[:2000])
    with agency_context(alpha):
        assert Jurisdiction.objects.for_agency(alpha).get().name == "City of Alpha"  # unchanged by refusals

    ring = [[-88.1, 41.0], [-87.9, 41.0], [-87.9, 41.1], [-88.1, 41.1], [-88.1, 41.0]]  # away from the old city
    place = {"lat": 41.05, "lon": -88.0, "category": "pothole"}
    assert admin.get("/api/v1/route/location/", place).json()["agency"]["slug"] == "beta"  # only the state's
    ok = post(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert ok.status_code == 302
    with agency_context(alpha):
        saved = Jurisdiction.objects.for_agency(alpha).get()
    assert saved.name == "Alpha drawn"
    assert saved.area == {"type": "Polygon", "coordinates": [ring]}
    # The front door now locates by the drawn area.
    located = admin.get("/api/v1/route/location/", place).json()
    assert located["agency"]["slug"] == "alpha"
    assert located["area"] == "Alpha drawn"
    # Another agency's staff cannot draw A's area.
    other = client_for(staff_b["admin"]).post(
        "/a/alpha/staff/frontdoor/area/", {"name": "x", "drawn": json.dumps({"type": "Polygon", "coordinates": [ring]})}
    )
    assert other.status_code in (403, 404)
    with agency_context(alpha):
        assert Jurisdiction.objects.for_agency(alpha).get().name == "Alpha drawn"


@pytest.mark.django_db
def test_an_admin_deletes_a_service_and_a_contact(front, staff_a, client_for):
    alpha, _beta = front
    service, official = _service(alpha), _official(alpha)
    admin = client_for(staff_a["admin"])
    for url in (
        f"/a/alpha/staff/frontdoor/services/{service.pk}/",
        f"/a/alpha/staff/frontdoor/contacts/{official.pk}/",
    ):
        response = admin.post(url, {"delete": "1"})
        assert response.status_code == 302 and response["Location"] == "/a/alpha/staff/frontdoor/", url
        assert admin.get(url).status_code == 404, url
    with agency_context(alpha):
        assert not Service.objects.for_agency(alpha).filter(pk=service.pk).exists()
        assert not Official.objects.for_agency(alpha).filter(pk=official.pk).exists()
