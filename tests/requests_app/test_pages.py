"""Citizen pages, the public APIs, the status lookup, photos and unsubscribing — each with its cross-agency check.
Staff pages: test_staff_pages.py; admin, the API-key command and keys: test_pages_admin.py."""

import io

from django.urls import reverse

from requests_app.models import Follower, RequestPhoto, ServiceRequest
from requests_app.services.notify import unsubscribe_token
from tenants.context import agency_context
from tests.requests_app.conftest import LAT, LAT_20M, LONG, upload
from tests.requests_app.pages_support import FORM, count, file

# --- citizen pages --------------------------------------------------------------------------------


def test_agency_home_links_only_when_categories_exist(client, agency_a, agency_b, catalogue_a):
    assert "Report a problem" in client.get("/a/alpha/").text
    assert "Report a problem" not in client.get("/a/beta/").text
    assert client.get("/a/beta/report/").status_code == 404


def test_report_start_lists_categories(client, catalogue_a):
    page = client.get("/a/alpha/report/")
    assert page.status_code == 200
    assert "Pothole" in page.text and "Fallen tree" in page.text and "Retired" not in page.text


def test_report_form_files_and_shows_reference(client, catalogue_a, agency_a, django_capture_on_commit_callbacks):
    page = client.get("/a/alpha/report/pothole/")
    assert page.status_code == 200 and "How big is it?" in page.text and 'id="report-map"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/a/alpha/report/pothole/", {**FORM, "email": "me@example.com", "photos": [upload()]})
    assert response.status_code == 302
    with agency_context(agency_a):
        request = ServiceRequest.objects.get()
        assert request.photos.count() == 1 and request.source == "web"
        assert Follower.objects.get(request=request).email == "me@example.com"
    assert response["Location"] == f"/a/alpha/report/sent/{request.reference}/"
    sent = client.get(response["Location"])
    assert request.reference in sent.text and "Thank you" in sent.text
    track = client.get("/a/alpha/track/", {"reference": request.reference})
    assert "Pothole" in track.text and "Received" in track.text
    assert "me@example.com" not in track.text and "me@example.com" not in sent.text


def test_report_form_errors_are_shown_and_nothing_saved(client, catalogue_a, agency_a):
    bad_photo = io.BytesIO(b"not an image")
    bad_photo.name = "x.jpg"
    page = client.post(
        "/a/alpha/report/pothole/",
        {"description": "<b>bold</b>", "lat": "", "long": "", "attr__size": "", "photos": [bad_photo]},
    )
    assert page.status_code == 200
    assert "Please correct the following" in page.text
    assert "without HTML" in page.text and "JPEG, PNG or WebP" in page.text
    assert "“How big is it?” is required" in page.text
    page = client.post("/a/alpha/report/pothole/", {**FORM, "lat": "", "long": "", "attr__size": "large"})
    assert "Say where the problem is" in page.text
    assert count(agency_a) == 0


def test_report_form_offers_to_follow_a_duplicate(client, catalogue_a, agency_a):
    existing = file(agency_a)
    page = client.post("/a/alpha/report/pothole/", {**FORM, "lat": str(LAT_20M)})
    assert page.status_code == 200
    assert "This may already be reported" in page.text and existing.reference in page.text
    assert "secret.reporter@example.com" not in page.text
    assert count(agency_a) == 1
    follow = client.post(f"/a/alpha/requests/{existing.reference}/follow/", {"email": "fan@example.com"})
    assert follow.status_code == 302
    with agency_context(agency_a):
        assert Follower.objects.filter(request=existing, email="fan@example.com").exists()
    filed = client.post("/a/alpha/report/pothole/", {**FORM, "lat": str(LAT_20M), "confirm_new": "on"})
    assert filed.status_code == 302 and count(agency_a) == 2


def test_follow_in_another_agency_is_404(client, catalogue_a, catalogue_b, agency_a):
    existing = file(agency_a)
    assert client.post(f"/a/beta/requests/{existing.reference}/follow/", {"email": "x@example.com"}).status_code == 404
    with agency_context(agency_a):
        assert not Follower.objects.filter(email="x@example.com").exists()


def test_report_of_unknown_or_foreign_category_is_404(client, catalogue_a, agency_b):
    assert client.get("/a/alpha/report/nope/").status_code == 404
    assert client.get("/a/beta/report/pothole/").status_code == 404  # beta has no catalogue


def test_signed_in_user_is_prefilled_and_recorded(client_for, staff_a, catalogue_a, agency_a):
    client = client_for(staff_a["agent"])
    assert staff_a["agent"].email in client.get("/a/alpha/report/pothole/").text
    client.post("/a/alpha/report/pothole/", {**FORM, "email": staff_a["agent"].email})
    with agency_context(agency_a):
        assert ServiceRequest.objects.get().reporter_user == staff_a["agent"]


def test_track_shows_public_history_only(client, catalogue_a, agency_a, staff_a):
    from requests_app.services import service_request_transition

    request = file(agency_a)
    with agency_context(agency_a):
        service_request_transition(
            agency=agency_a,
            actor=staff_a["agent"],
            request=request,
            to_status="in_progress",
            public_note="Crew Tuesday",
            internal_note="INTERNAL-ONLY",
        )
    page = client.get("/a/alpha/track/", {"reference": request.reference.lower()})
    assert "In progress" in page.text and "Crew Tuesday" in page.text
    for secret in ("INTERNAL-ONLY", "secret.reporter@example.com", "555 0177", "Zed"):
        assert secret not in page.text
    api = client.get(f"/api/v1/a/alpha/status/{request.reference}/")
    assert api.status_code == 200 and api.json()["kind"] == "service_request"
    assert "secret.reporter" not in api.text and "INTERNAL-ONLY" not in api.text
    assert client.get(f"/api/v1/a/beta/status/{request.reference}/").status_code == 404
    assert client.get("/a/alpha/report/sent/NOPE-2026-000001/").status_code == 404


def test_public_map_and_apis(client, catalogue_a, catalogue_b, agency_a, agency_b):
    request = file(agency_a)
    other = file(agency_b)
    page = client.get("/a/alpha/requests/map/")
    assert page.status_code == 200 and request.reference in page.text and other.reference not in page.text
    assert "secret.reporter" not in page.text
    data = client.get("/api/v1/a/alpha/requests/open/").json()
    assert [f["properties"]["reference"] for f in data["features"]] == [request.reference]
    assert data["features"][0]["geometry"]["coordinates"] == [LONG, LAT]
    assert "secret" not in str(data)
    nearby = client.get("/api/v1/a/alpha/requests/nearby/", {"service_code": "pothole", "lat": LAT_20M, "long": LONG})
    assert nearby.status_code == 200 and nearby.json()[0]["reference"] == request.reference
    assert "secret" not in nearby.text
    assert (
        client.get("/api/v1/a/alpha/requests/nearby/", {"service_code": "pothole", "lat": 95, "long": 1}).status_code
        == 400
    )
    assert (
        client.get("/api/v1/a/alpha/requests/nearby/", {"service_code": "nope", "lat": 1, "long": 1}).status_code == 400
    )
    beta = client.get("/api/v1/a/beta/requests/nearby/", {"service_code": "pothole", "lat": LAT, "long": LONG}).json()
    assert [item["reference"] for item in beta] == [other.reference]


def test_photo_is_served_only_under_its_agency(
    client, catalogue_a, catalogue_b, agency_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file(agency_a, photos=[upload(fmt="PNG", name="p.png", content_type="image/png")])
    with agency_context(agency_a):
        photo = request.photos.get()
    url = reverse("requests:photo", kwargs={"agency_slug": "alpha", "uid": photo.uid, "ext": "png"})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get(url.replace("/a/alpha/", "/a/beta/")).status_code == 404
    assert client.get(url.replace(".png", ".jpg")).status_code == 404


def test_stored_photo_paths_check_the_report_the_photo_and_the_role(
    client, client_for, staff_a, staff_b, catalogue_a, catalogue_b, agency_a, django_capture_on_commit_callbacks
):
    """/media/requests/… is the photo's own access check, not a static file: public only while the
    photo and its report are shown publicly, otherwise the agency's staff only; never another agency."""
    with django_capture_on_commit_callbacks(execute=True):
        request = file(agency_a, photos=[upload(fmt="PNG", name="p.png", content_type="image/png")])
    with agency_context(agency_a):
        photo = request.photos.get()
    media = "/media/" + photo.image.name
    pretty = reverse("requests:photo", kwargs={"agency_slug": "alpha", "uid": photo.uid, "ext": "png"})
    assert media.startswith(f"/media/requests/{agency_a.pk}/")
    for url in (media, pretty):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png", url
        assert response.content[:4] == b"\x89PNG"
    RequestPhoto.objects.unscoped().filter(pk=photo.pk).update(is_public=False)
    for url in (media, pretty):
        client.logout()
        assert client.get(url).status_code == 404
        assert client_for(staff_b["admin"]).get(url).status_code == 404
        staff = client_for(staff_a["agent"]).get(url)
        assert staff.status_code == 200 and "no-store" in staff["Cache-Control"]
    client.logout()
    RequestPhoto.objects.unscoped().filter(pk=photo.pk).update(is_public=True)
    ServiceRequest.objects.unscoped().filter(pk=request.pk).update(status="rejected")
    assert client.get(media).status_code == 404 and client.get(pretty).status_code == 404
    record = client.get(f"/open311/v2/requests/{request.reference}.json", {"jurisdiction_id": "alpha"}).json()[0]
    assert record["media_url"] == ""


def test_unsubscribe_page(client, catalogue_a, catalogue_b, agency_a):
    request = file(agency_a)
    with agency_context(agency_a):
        follower = Follower.objects.get(request=request)
    token = unsubscribe_token(follower)
    page = client.get(f"/a/alpha/requests/unsubscribe/{token}/")
    assert page.status_code == 200 and "Stop emails" in page.text
    follower.refresh_from_db()
    assert follower.unsubscribed_at is None  # a GET (link scanners) changes nothing
    assert client.post(f"/a/beta/requests/unsubscribe/{token}/").status_code == 404
    follower.refresh_from_db()
    assert follower.unsubscribed_at is None
    assert client.post(f"/a/alpha/requests/unsubscribe/{token[:-2]}xx/").status_code == 404
    done = client.post(f"/a/alpha/requests/unsubscribe/{token}/")
    assert done.status_code == 200 and "will not get further emails" in done.text
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None


def test_a_missing_answer_names_the_question_in_the_citizens_language(client, catalogue_a, agency_a):
    """The label was the Spanish question and the error under it quoted the English one."""
    from requests_app.models import ServiceAttribute

    with agency_context(agency_a):
        ServiceAttribute.objects.filter(code="size").update(translations={"es": {"description": "¿Qué tamaño tiene?"}})
    client.cookies["django_language"] = "es"
    page = client.post("/a/alpha/report/pothole/", {**FORM, "attr__size": ""})
    assert page.status_code == 200
    assert "«¿Qué tamaño tiene?» es obligatorio." in page.text
    assert "How big is it?" not in page.text
    assert count(agency_a) == 0
