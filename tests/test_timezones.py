"""Times in the agency's zone outside pages too: e-mails rendered in Celery, and the admin of staff
whose agencies share a zone (a platform superuser, across zones, sees UTC said as such)."""

import zoneinfo

from django.utils import timezone, translation

from requests_app.services import service_request_create
from requests_app.services.notify import department_notification
from tenants.context import agency_context
from tenants.models import Agency, Department
from tenants.templatetags.agency_time import when
from tests.requests_app.conftest import make_catalogue


def test_when_names_the_zone_of_the_time_it_shows():
    moment = timezone.datetime(2026, 12, 4, 19, 57, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("America/Chicago")):
        assert when(moment) == "Dec. 4, 2026, 1:57 p.m. CST"
        assert when(None) == ""
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert when(moment, "SHORT_DATETIME_FORMAT") == "12/04/2026 7:57 p.m. UTC"


def test_department_email_gives_the_due_time_in_the_agency_zone(agency_a):
    Agency.objects.filter(pk=agency_a.pk).update(timezone="Asia/Tokyo")
    agency_a.refresh_from_db()
    make_catalogue(agency_a)
    with agency_context(agency_a):
        request = service_request_create(
            agency=agency_a, category="pothole", address="Main St", attributes={"size": "small"}
        ).request
        roads = Department.objects.for_agency(agency_a).get(slug="roads")
        assert request.sla_due_at is not None
        notification = department_notification(
            request=request, department=roads, template="requests_app/email/new_request.txt"
        )
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        expected = when(request.sla_due_at)
    assert expected.endswith(" JST") and expected in notification.body


def test_admin_shows_times_in_the_staff_agency_zone(agency_a, staff_a, superuser, client_for):
    Agency.objects.filter(pk=agency_a.pk).update(timezone="Asia/Tokyo")
    page = client_for(staff_a["admin"]).get("/admin/")
    assert "Times in Asia/Tokyo." in page.content.decode()
    page = client_for(superuser).get("/admin/")
    assert "Times in UTC." in page.content.decode()
