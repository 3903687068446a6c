"""Admin pages, the issue_api_key command, API keys going stale or revoked, and the remaining cross-agency checks
of staff work, the sent page and the routing task."""

import io
import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

import core.cache
from requests_app.models import ApiKey, StatusEvent
from requests_app.services import api_key_authenticate
from tenants.context import agency_context
from tests.requests_app.pages_support import file

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
