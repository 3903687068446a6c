"""Citizen pages, the public APIs, the status lookup, staff queue and work forms, admin and the
issue_api_key command — each with its cross-agency check."""

import io
import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

import core.cache
from requests_app.models import ApiKey, Follower, RequestPhoto, ServiceRequest, StatusEvent
from requests_app.services import OnDuplicate, Reporter, api_key_authenticate, service_request_create
from requests_app.services.notify import unsubscribe_token
from tenants.context import agency_context
from tenants.models import Membership
from tests.requests_app.conftest import LAT, LAT_20M, LONG, upload


def file(agency, **kwargs):
    defaults = {
        "category": "pothole",
        "description": "Deep hole",
        "lat": LAT,
        "long": LONG,
        "attributes": {"size": "large"},
        "on_duplicate": OnDuplicate.FILE,
        "reporter": Reporter(email="secret.reporter@example.com", phone="+1 217 555 0177", first_name="Zed"),
    }
    defaults.update(kwargs)
    with agency_context(agency):
        return service_request_create(agency=agency, **defaults).request


def count(agency) -> int:
    return ServiceRequest.objects.for_agency(agency).count()


FORM = {"description": "Hole by the school", "lat": str(LAT), "long": str(LONG), "attr__size": "large", "follow": "on"}


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


# --- staff ----------------------------------------------------------------------------------------


def test_staff_queue_filters_and_isolation(client_for, staff_a, staff_b, catalogue_a, catalogue_b, agency_a, agency_b):
    mine = file(agency_a)
    tree = file(agency_a, category="fallen-tree", attributes={}, lat=LAT + 0.05)
    theirs = file(agency_b)
    client = client_for(staff_a["agent"])
    page = client.get("/a/alpha/staff/requests/")
    assert page.status_code == 200
    assert mine.reference in page.text and tree.reference in page.text and theirs.reference not in page.text
    filtered = client.get(
        "/a/alpha/staff/requests/", {"filtered": "1", "category": "fallen-tree", "status": "submitted"}
    )
    assert tree.reference in filtered.text and mine.reference not in filtered.text
    none = client.get("/a/alpha/staff/requests/", {"filtered": "1", "status": "closed"})
    assert mine.reference not in none.text
    assert client.get("/a/alpha/staff/requests/", {"filtered": "1", "sla_breached": "on"}).status_code == 200
    assert client.get("/a/alpha/staff/requests/", {"filtered": "1", "older_than_days": "-4"}).status_code == 200
    # staff of B: 404 on A's queue and on A's request, even with B's own slug
    other = client_for(staff_b["supervisor"])
    assert other.get("/a/alpha/staff/requests/").status_code == 404
    assert other.get(f"/a/alpha/staff/requests/{mine.reference}/").status_code == 404
    assert other.get(f"/a/beta/staff/requests/{mine.reference}/").status_code == 404


def test_anonymous_is_sent_to_login(client, catalogue_a):
    response = client.get("/a/alpha/staff/requests/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_caseworker_sees_only_their_departments(client_for, staff_a, catalogue_a, agency_a):
    routed = file(agency_a)
    unrouted = file(agency_a, lat=LAT + 0.05)
    with agency_context(agency_a):
        ServiceRequest.objects.for_agency(agency_a).filter(pk=routed.pk).update(department=catalogue_a["roads"])
        ServiceRequest.objects.for_agency(agency_a).filter(pk=unrouted.pk).update(department=catalogue_a["parks"])
        Membership.objects.get(user=staff_a["caseworker"]).departments.set([catalogue_a["roads"]])
    client = client_for(staff_a["caseworker"])
    page = client.get("/a/alpha/staff/requests/")
    assert routed.reference in page.text and unrouted.reference not in page.text
    assert client.get(f"/a/alpha/staff/requests/{unrouted.reference}/").status_code == 404
    response = client.post(f"/a/alpha/staff/requests/{unrouted.reference}/status/", {"to_status": "acknowledged"})
    assert response.status_code == 404
    unrouted.refresh_from_db()
    assert unrouted.status == "submitted"


def test_staff_detail_shows_private_data_and_history(client_for, staff_a, catalogue_a, agency_a):
    request = file(agency_a)
    page = client_for(staff_a["agent"]).get(f"/a/alpha/staff/requests/{request.reference}/")
    assert page.status_code == 200
    assert "secret.reporter@example.com" in page.text and "How big is it?" in page.text
    assert "<dd>Large</dd>" in page.text  # the choice name, not its key
    assert "Change status" in page.text


def test_analyst_reads_but_cannot_change(client_for, staff_a, catalogue_a, agency_a):
    request = file(agency_a)
    client = client_for(staff_a["analyst"])
    page = client.get(f"/a/alpha/staff/requests/{request.reference}/")
    assert page.status_code == 200 and "Change status" not in page.text
    response = client.post(f"/a/alpha/staff/requests/{request.reference}/status/", {"to_status": "acknowledged"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "submitted"


def test_status_form_preselects_nothing_and_a_backward_move_needs_confirming(
    client_for, staff_a, catalogue_a, agency_a
):
    request = file(agency_a)
    client = client_for(staff_a["supervisor"])
    base = f"/a/alpha/staff/requests/{request.reference}"
    assert client.post(f"{base}/status/", {"to_status": "in_progress"}).status_code == 302
    page = client.get(f"{base}/").text
    select = page[page.index('name="to_status"') : page.index("</select>", page.index('name="to_status"'))]
    assert 'data-backward="acknowledged"' in select
    assert "selected" not in select.split("</option>", 1)[1]  # only the empty "Choose a new status" is selected
    # Not chosen at all: nothing moves.
    empty = client.post(f"{base}/status/", {"to_status": ""}, follow=True)
    assert "Choose one of the offered statuses" in empty.text
    # Back to "Acknowledged" without the confirmation: a clear error, nothing changes.
    back = client.post(f"{base}/status/", {"to_status": "acknowledged", "public_note": "x"}, follow=True)
    assert "from In progress back to Acknowledged undoes work" in back.text
    request.refresh_from_db()
    assert request.status == "in_progress"
    with agency_context(agency_a):
        assert not StatusEvent.objects.filter(request=request, to_status="acknowledged").exists()
    confirmed = client.post(f"{base}/status/", {"to_status": "acknowledged", "confirm_backward": "on"}, follow=True)
    assert "Status changed." in confirmed.text
    request.refresh_from_db()
    assert request.status == "acknowledged"


def test_staff_transition_assign_note_merge(client_for, staff_a, catalogue_a, agency_a):
    request = file(agency_a)
    other = file(agency_a, lat=LAT_20M)
    client = client_for(staff_a["supervisor"])
    base = f"/a/alpha/staff/requests/{request.reference}"
    response = client.post(
        f"{base}/status/", {"to_status": "in_progress", "public_note": "On it", "expected_date": "2030-01-15"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "in_progress" and request.expected_at.date().isoformat() == "2030-01-15"
    bad = client.post(f"{base}/status/", {"to_status": "closed"}, follow=True)
    assert "Choose one of the offered statuses" in bad.text
    client.post(f"{base}/assign/", {"department": catalogue_a["parks"].pk, "assignee": staff_a["agent"].pk})
    request.refresh_from_db()
    assert request.department == catalogue_a["parks"] and request.assignee == staff_a["agent"]
    client.post(f"{base}/note/", {"internal_note": "Called the reporter"})
    with agency_context(agency_a):
        assert StatusEvent.objects.filter(request=request, kind="note").count() == 1
    merged = client.post(
        f"/a/alpha/staff/requests/{other.reference}/merge/", {"into": request.reference.lower()}, follow=True
    )
    assert "Marked as a duplicate" in merged.text
    other.refresh_from_db()
    assert other.status == "duplicate" and other.duplicate_of == request
    detail = client.get(f"{base}/")
    assert other.reference in detail.text  # listed as merged into this one


def test_staff_cannot_merge_into_another_agencys_request(
    client_for, staff_a, catalogue_a, catalogue_b, agency_a, agency_b
):
    mine = file(agency_a)
    theirs = file(agency_b)
    response = client_for(staff_a["admin"]).post(
        f"/a/alpha/staff/requests/{mine.reference}/merge/", {"into": theirs.reference}, follow=True
    )
    assert "No request with that reference" in response.text or mine.reference.split("-")[0] != theirs.reference
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "submitted" and theirs.status == "submitted"


def test_staff_assign_to_other_agencys_user_is_refused(client_for, staff_a, staff_b, catalogue_a, agency_a):
    request = file(agency_a)
    response = client_for(staff_a["admin"]).post(
        f"/a/alpha/staff/requests/{request.reference}/assign/", {"assignee": staff_b["agent"].pk}, follow=True
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.assignee is None


def test_phone_entry(client_for, staff_a, staff_b, catalogue_a, agency_a):
    client = client_for(staff_a["agent"])
    assert "Pothole" in client.get("/a/alpha/staff/requests/new/").text
    response = client.post(
        "/a/alpha/staff/requests/new/pothole/",
        {**FORM, "first_name": "Pat", "last_name": "Caller", "phone": "+1 217 555 0123", "email": ""},
    )
    assert response.status_code == 302
    with agency_context(agency_a):
        request = ServiceRequest.objects.get()
    assert request.source == "phone" and request.reporter_first_name == "Pat"
    assert response["Location"] == f"/a/alpha/staff/requests/{request.reference}/"
    assert client_for(staff_a["analyst"]).get("/a/alpha/staff/requests/new/").status_code == 404
    assert client_for(staff_b["agent"]).post("/a/alpha/staff/requests/new/pothole/", FORM).status_code == 404
    with agency_context(agency_a):
        assert ServiceRequest.objects.count() == 1


def test_staff_tools_card(client_for, staff_a, catalogue_a):
    assert "Service requests" in client_for(staff_a["analyst"]).get("/a/alpha/staff/").text


# --- admin and command ----------------------------------------------------------------------------


def test_admin_lists_only_own_agency(client_for, staff_a, staff_b, catalogue_a, catalogue_b, agency_a, agency_b):
    mine = file(agency_a)
    theirs = file(agency_b)
    client = client_for(staff_a["supervisor"])
    page = client.get(reverse("admin:requests_app_servicerequest_changelist"))
    assert page.status_code == 200 and mine.reference in page.text and theirs.reference not in page.text
    assert client.get(reverse("admin:requests_app_servicerequest_change", args=[theirs.pk])).status_code == 404
    categories = client.get(reverse("admin:requests_app_servicecategory_changelist"))
    assert categories.status_code == 200
    assert (
        client.get(reverse("admin:requests_app_servicecategory_change", args=[catalogue_b["pothole"].pk])).status_code
        == 404
    )


def test_admin_cannot_edit_request_status(client_for, staff_a, catalogue_a, agency_a):
    request = file(agency_a)
    client = client_for(staff_a["admin"])
    url = reverse("admin:requests_app_servicerequest_change", args=[request.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"status": "closed"})
    request.refresh_from_db()
    assert request.status == "submitted"


def test_admin_issues_api_key_once(client_for, staff_a, agency_a):
    client = client_for(staff_a["admin"])
    response = client.post(
        reverse("admin:requests_app_apikey_add"),
        {"agency": agency_a.pk, "name": "City app", "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    key = re.search(r"(cd311_[A-Za-z0-9_-]+)", response.text).group(1)
    with agency_context(agency_a):
        stored = ApiKey.objects.get()
        assert stored.key_hash != key and key not in str(stored.__dict__)
        assert api_key_authenticate(agency=agency_a, raw=key) == stored


def test_admin_category_with_questions(client_for, staff_a, agency_a):
    client = client_for(staff_a["admin"])
    data = {
        "agency": agency_a.pk,
        "code": "noise",
        "name": "Noise",
        "duplicate_radius_m": 50,
        "duplicate_window_days": 30,
        "order": 0,
        "active": "on",
        "attributes-TOTAL_FORMS": "1",
        "attributes-INITIAL_FORMS": "0",
        "attributes-0-order": "1",
        "attributes-0-code": "when",
        "attributes-0-description": "When is it loud?",
        "attributes-0-datatype": "singlevaluelist",
        "attributes-0-variable": "on",
        "attributes-0-values": '[{"key": "night", "name": "At night"}]',
    }
    response = client.post(reverse("admin:requests_app_servicecategory_add"), data)
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*"[^<]*<li>([^<]*)', response.text)
    from requests_app.models import ServiceAttribute

    with agency_context(agency_a):
        attribute = ServiceAttribute.objects.get(code="when")
    assert attribute.agency_id == agency_a.pk and attribute.category.code == "noise"


def test_issue_api_key_command(agency_a, capsys):
    out = io.StringIO()
    call_command("issue_api_key", "alpha", "City 311 app", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("cd311_")
    with agency_context(agency_a):
        assert api_key_authenticate(agency=agency_a, raw=key).name == "City 311 app"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("issue_api_key", "atlantis", "x", stdout=io.StringIO())


def test_other_agencys_staff_cannot_work_a_request(client_for, staff_a, staff_b, catalogue_a, agency_a):
    request = file(agency_a)
    client = client_for(staff_b["admin"])
    base = f"/a/alpha/staff/requests/{request.reference}"
    for url, data in [
        (f"{base}/status/", {"to_status": "acknowledged", "public_note": "x"}),
        (f"{base}/assign/", {"department": catalogue_a["parks"].pk}),
        (f"{base}/note/", {"public_note": "hijack"}),
        (f"{base}/merge/", {"into": request.reference}),
    ]:
        assert client.post(url, data).status_code == 404
        assert client.post(url.replace("/a/alpha/", "/a/beta/"), data).status_code == 404
    request.refresh_from_db()
    assert request.status == "submitted" and request.department is None
    with agency_context(agency_a):
        assert not StatusEvent.objects.filter(request=request).exclude(kind="created").exists()


def test_sent_page_of_another_agency_is_404(client, catalogue_a, agency_a, agency_b):
    request = file(agency_a)
    assert client.get(f"/a/alpha/report/sent/{request.reference}/").status_code == 200
    assert client.get(f"/a/beta/report/sent/{request.reference}/").status_code == 404


def test_routing_task_under_another_agency_changes_nothing(catalogue_a, agency_a, agency_b):
    from requests_app.tasks import route_service_request

    request = file(agency_a)
    route_service_request.apply(kwargs={"agency_id": agency_b.pk, "request_id": request.pk})
    request.refresh_from_db()
    assert request.routed_at is None and request.department is None
    route_service_request.apply(kwargs={"agency_id": agency_a.pk, "request_id": request.pk})
    request.refresh_from_db()
    assert request.routed_at is not None and request.department == catalogue_a["roads"]


def test_a_deactivated_key_stops_working_within_seconds(agency_a, agency_b, monkeypatch):
    from requests_app.services import api_key_issue
    from requests_app.services import keys as key_service

    with agency_context(agency_a):
        stored, raw = api_key_issue(agency=agency_a, name="Phone app")
        assert api_key_authenticate(agency=agency_a, raw=raw) == stored  # now remembered briefly
    with agency_context(agency_b):
        assert api_key_authenticate(agency=agency_b, raw=raw) is None  # never another agency's
    with agency_context(agency_a):
        # deactivated by another process (the admin of another server): this one still knows it...
        ApiKey.objects.for_agency(agency_a).filter(pk=stored.pk).update(is_active=False)
        assert api_key_authenticate(agency=agency_a, raw=raw) == stored
        # ...for at most KEY_CACHE_SECONDS
        now = time.monotonic()
        monkeypatch.setattr(core.cache, "_now", lambda: now + key_service.KEY_CACHE_SECONDS + 0.1)
        assert api_key_authenticate(agency=agency_a, raw=raw) is None
        monkeypatch.setattr(core.cache, "_now", lambda: now + key_service.KEY_CACHE_SECONDS + 1.1)
        assert api_key_authenticate(agency=agency_a, raw=raw) is None  # and is not remembered as valid


def test_revoking_a_key_stops_it_at_once_in_this_process(agency_a):
    from requests_app.services import api_key_issue, api_key_revoke

    with agency_context(agency_a):
        stored, raw = api_key_issue(agency=agency_a, name="Phone app")
        assert api_key_authenticate(agency=agency_a, raw=raw) == stored
        api_key_revoke(agency=agency_a, key=stored)
        assert api_key_authenticate(agency=agency_a, raw=raw) is None
