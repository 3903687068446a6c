"""The staff queue, request detail and work forms (status, assignment, notes, merge, phone entry), by role and
with their cross-agency checks."""

from requests_app.models import ServiceRequest, StatusEvent
from tenants.context import agency_context
from tenants.models import Membership
from tests.requests_app.conftest import LAT, LAT_20M
from tests.requests_app.pages_support import FORM, file

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
