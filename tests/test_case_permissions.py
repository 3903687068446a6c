"""Object permissions on cases (tenants.cases): a caseworker sees their departments' service requests and
registrations plus the ones a supervisor shared with them (django-guardian, direct foreign-key tables that
carry the agency); sharing is read or read-and-act, can be taken back, is audited, and never crosses agencies."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registrations.demo import DEMO_APPLICATIONS, install_form
from registrations.models import RegistrationUserPermission
from registrations.services import form_definition_department_set, registration_create
from requests_app.models import ServiceRequest, ServiceRequestUserPermission
from requests_app.services import OnDuplicate, service_request_create
from tenants.cases import case_share
from tenants.context import agency_context
from tenants.models import Department, Membership
from tests.registrations.conftest import VOTER_ANSWERS
from tests.requests_app.conftest import LAT, LONG, make_catalogue

QUEUE = "/a/alpha/staff/requests/"


def detail(reference):
    return f"{QUEUE}{reference}/"


def _file(agency, category, description, **extra):
    """A request filed in `agency` (routing is not run: tests set the department)."""
    with agency_context(agency):
        return service_request_create(
            agency=agency,
            actor=None,
            category=category,
            description=description,
            lat=LAT + extra.pop("offset", 0),
            long=LONG,
            attributes={"size": "small"},
            on_duplicate=OnDuplicate.FILE,
            **extra,
        ).request


@pytest.fixture
def world(agency_a, agency_b, staff_a, staff_b):
    """Agency A: a roads request, a parks request, a second caseworker; the caseworker works roads."""
    catalogue = make_catalogue(agency_a)
    with agency_context(agency_a):
        roads, parks = catalogue["roads"], catalogue["parks"]
        Membership.objects.get(user=staff_a["caseworker"]).departments.set([roads])
        other = get_user_model().objects.create_user(username="alpha-caseworker-2", password="x", is_staff=True)
        Membership.objects.create(agency=agency_a, user=other, role="caseworker", display_name="Second caseworker")
    mine = _file(agency_a, catalogue["pothole"], "Roads pothole near the school")
    theirs = _file(agency_a, catalogue["pothole"], "Parks path pothole", offset=0.01)
    with agency_context(agency_a):
        ServiceRequest.objects.for_agency(agency_a).filter(pk=mine.pk).update(department=roads)
        ServiceRequest.objects.for_agency(agency_a).filter(pk=theirs.pk).update(department=parks)
        mine.refresh_from_db()
        theirs.refresh_from_db()
    return {"mine": mine, "theirs": theirs, "other": other, "roads": roads, "parks": parks, **catalogue}


@pytest.fixture
def client_for(db):
    """A separate logged-in client per call (the shared fixture's client is one session)."""

    def login(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def _share(client, reference, user, level="read"):
    return client.post(f"{detail(reference)}share/", {"user": user.pk, "level": level})


def test_caseworker_sees_own_department_not_others(client_for, staff_a, world):
    client = client_for(staff_a["caseworker"])
    page = client.get(QUEUE)
    assert world["mine"].reference in page.text and world["theirs"].reference not in page.text
    assert client.get(detail(world["mine"].reference)).status_code == 200
    assert client.get(detail(world["theirs"].reference)).status_code == 404
    assert client.post(f"{detail(world['theirs'].reference)}note/", {"internal_note": "x"}).status_code == 404
    # agency-wide roles still see both
    everything = client_for(staff_a["analyst"]).get(QUEUE).text
    assert world["mine"].reference in everything and world["theirs"].reference in everything


def test_shared_read_only_shows_but_cannot_act(client_for, staff_a, world):
    theirs = world["theirs"]
    response = _share(client_for(staff_a["supervisor"]), theirs.reference, staff_a["caseworker"], "read")
    assert response.status_code == 302
    client = client_for(staff_a["caseworker"])
    page = client.get(QUEUE)
    assert theirs.reference in page.text and "Shared with you" in page.text
    shown = client.get(detail(theirs.reference))
    assert shown.status_code == 200 and "Shared with you: read only" in shown.text
    assert "Change status" not in shown.text
    for action, data in [
        ("status/", {"to_status": "in_progress"}),
        ("note/", {"internal_note": "mine now"}),
        ("assign/", {"department": world["roads"].pk}),
    ]:
        assert client.post(f"{detail(theirs.reference)}{action}", data).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.department_id) == ("submitted", world["parks"].pk)
    # the other caseworker was not given anything
    assert client_for(world["other"]).get(detail(theirs.reference)).status_code == 404


def test_shared_read_and_act_may_change_status_and_note(client_for, staff_a, world):
    theirs = world["theirs"]
    _share(client_for(staff_a["supervisor"]), theirs.reference, staff_a["caseworker"], "act")
    client = client_for(staff_a["caseworker"])
    assert "Shared with you: read and act" in client.get(detail(theirs.reference)).text
    assert client.post(f"{detail(theirs.reference)}status/", {"to_status": "in_progress"}).status_code == 302
    assert client.post(f"{detail(theirs.reference)}note/", {"internal_note": "on it"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == "in_progress"
    # down to read only: acting stops
    _share(client_for(staff_a["supervisor"]), theirs.reference, staff_a["caseworker"], "read")
    assert client.post(f"{detail(theirs.reference)}note/", {"internal_note": "again"}).status_code == 404


def test_revoke_hides_it_again_and_both_are_audited(client_for, staff_a, world, agency_a):
    theirs = world["theirs"]
    supervisor = client_for(staff_a["supervisor"])
    _share(supervisor, theirs.reference, staff_a["caseworker"], "act")
    page = supervisor.get(detail(theirs.reference)).text
    assert "Shared with" in page and "caseworker of alpha" in page and "read and act" in page
    response = supervisor.post(f"{detail(theirs.reference)}unshare/", {"user": staff_a["caseworker"].pk})
    assert response.status_code == 302
    with agency_context(agency_a):
        assert not ServiceRequestUserPermission.objects.filter(content_object=theirs).exists()
    client = client_for(staff_a["caseworker"])
    assert client.get(detail(theirs.reference)).status_code == 404
    assert theirs.reference not in client.get(QUEUE).text
    entries = LogEntry.objects.get_for_model(ServiceRequestUserPermission).order_by("pk")
    actions = [(e.action, e.actor, e.additional_data["agency_id"]) for e in entries]
    created, deleted = LogEntry.Action.CREATE, LogEntry.Action.DELETE
    sup = staff_a["supervisor"]
    assert actions == [(created, sup, agency_a.pk)] * 2 + [(deleted, sup, agency_a.pk)] * 2
    assert all(theirs.reference in e.object_repr and "alpha-caseworker" in e.object_repr for e in entries)


def test_cannot_share_with_other_agency_staff_citizen_or_as_caseworker(client_for, staff_a, staff_b, world):
    theirs = world["theirs"]
    supervisor = client_for(staff_a["supervisor"])
    citizen = get_user_model().objects.create_user(username="citizen", password="x")
    for target in (staff_b["caseworker"], citizen, staff_a["agent"]):
        response = _share(supervisor, theirs.reference, target, "act")
        assert response.status_code == 302
    assert not ServiceRequestUserPermission.objects.unscoped().exists()  # unscoped: both agencies
    with pytest.raises(Exception, match="staff member of this agency"):
        case_share(
            agency=theirs.agency, actor=staff_a["supervisor"], case=theirs, user=staff_b["caseworker"], act=False
        )
    # caseworkers and agents do not share
    for role in ("caseworker", "agent", "analyst"):
        assert _share(client_for(staff_a[role]), world["mine"].reference, world["other"]).status_code == 404
    assert not ServiceRequestUserPermission.objects.unscoped().exists()  # unscoped: both agencies


def test_other_agency_supervisor_cannot_share_a_case(client_for, staff_a, staff_b, world):
    theirs = world["theirs"]
    client = client_for(staff_b["supervisor"])
    assert _share(client, theirs.reference, staff_a["caseworker"]).status_code == 404
    # under their own agency's slug the reference names nothing
    response = client.post(f"/a/beta/staff/requests/{theirs.reference}/share/", {"user": staff_b["caseworker"].pk})
    assert response.status_code == 404
    assert client.post(f"{detail(theirs.reference)}unshare/", {"user": staff_a["caseworker"].pk}).status_code == 404
    assert not ServiceRequestUserPermission.objects.unscoped().exists()  # unscoped: both agencies


def test_shared_case_never_shows_in_another_agency(client_for, staff_a, agency_b, world):
    """One person, caseworker in both agencies: a share in A shows nothing in B."""
    person = staff_a["caseworker"]
    with agency_context(agency_b):
        Membership.objects.create(agency=agency_b, user=person, role="caseworker")
    _share(client_for(staff_a["supervisor"]), world["theirs"].reference, person, "act")
    client = client_for(person)
    assert world["theirs"].reference in client.get(QUEUE).text
    assert world["theirs"].reference not in client.get("/a/beta/staff/requests/").text
    assert client.get(f"/a/beta/staff/requests/{world['theirs'].reference}/").status_code == 404


def test_queue_reads_grants_once_per_page(client_for, staff_a, world, agency_a):
    """The list is not N+1: five shared rows cost the same queries as one."""
    for i in range(5):
        request = _file(agency_a, world["pothole"], f"Parks pothole {i}", offset=0.001 * (i + 2))
        with agency_context(agency_a):
            ServiceRequest.objects.for_agency(agency_a).filter(pk=request.pk).update(department=world["parks"])
    supervisor = client_for(staff_a["supervisor"])
    _share(supervisor, world["theirs"].reference, staff_a["caseworker"])
    client = client_for(staff_a["caseworker"])
    client.get(QUEUE)  # warm the per-process caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(QUEUE).text.count("Shared with you") == 1
    with agency_context(agency_a):
        for request in ServiceRequest.objects.for_agency(agency_a).filter(department=world["parks"]):
            case_share(
                agency=agency_a, actor=staff_a["supervisor"], case=request, user=staff_a["caseworker"], act=False
            )
    with CaptureQueriesContext(connection) as six:
        assert client.get(QUEUE).text.count("Shared with you") == 6
    assert len(six.captured_queries) == len(one.captured_queries)


# --- registrations ----------------------------------------------------------------------------------------
REG = "/a/alpha/staff/registrations/"


@pytest.fixture
def applications(agency_a, staff_a):
    """A voter form reviewed by roads (the caseworker's) and an employment form reviewed by parks."""
    with agency_context(agency_a):
        roads = Department.objects.for_agency(agency_a).get(slug="roads")
        parks = Department.objects.for_agency(agency_a).get(slug="parks")
        Membership.objects.get(user=staff_a["caseworker"]).departments.set([roads])
        voter = form_definition_department_set(
            agency=agency_a, actor=None, form=install_form(agency_a, "voter-registration"), department=roads
        )
        jobs = form_definition_department_set(
            agency=agency_a, actor=None, form=install_form(agency_a, "employment-assistance"), department=parks
        )
        mine = registration_create(agency=agency_a, form=voter, answers=VOTER_ANSWERS)
        theirs = registration_create(
            agency=agency_a, form=jobs, answers=DEMO_APPLICATIONS["employment-assistance"][0][0]
        )
    return {"mine": mine, "theirs": theirs}


def _csv_refs(response) -> set[str]:
    return {row["reference"] for row in csv.DictReader(io.StringIO(response.content.decode()))}


def test_registrations_by_department_and_share(client_for, staff_a, applications, agency_a):
    mine, theirs = applications["mine"], applications["theirs"]
    client = client_for(staff_a["caseworker"])
    assert mine.reference in client.get(REG).text and theirs.reference not in client.get(REG).text
    assert client.get(f"{REG}{theirs.reference}/").status_code == 404
    assert _csv_refs(client.get(f"{REG}export.csv")) == {mine.reference}
    supervisor = client_for(staff_a["supervisor"])
    assert supervisor.post(f"{REG}{theirs.reference}/share/", {"user": staff_a["caseworker"].pk, "level": "read"}).status_code == 302  # fmt: skip
    page = client.get(f"{REG}{theirs.reference}/")
    assert page.status_code == 200 and "Shared with you: read only" in page.text
    assert client.post(f"{REG}{theirs.reference}/", {"action": "note", "staff_note": "x"}).status_code == 404
    assert _csv_refs(client.get(f"{REG}export.csv")) == {mine.reference, theirs.reference}
    supervisor.post(f"{REG}{theirs.reference}/share/", {"user": staff_a["caseworker"].pk, "level": "act"})
    assert client.post(f"{REG}{theirs.reference}/", {"action": "note", "staff_note": "checked"}).status_code == 302
    supervisor.post(f"{REG}{theirs.reference}/unshare/", {"user": staff_a["caseworker"].pk})
    assert client.get(f"{REG}{theirs.reference}/").status_code == 404
    with agency_context(agency_a):
        assert not RegistrationUserPermission.objects.exists()
    kinds = LogEntry.objects.get_for_model(RegistrationUserPermission).values_list("action", flat=True)
    assert sorted(kinds) == sorted([LogEntry.Action.CREATE] * 2 + [LogEntry.Action.DELETE] * 2)


def test_other_agency_cannot_share_a_registration(client_for, staff_b, staff_a, applications):
    theirs = applications["theirs"]
    client = client_for(staff_b["supervisor"])
    assert client.post(f"{REG}{theirs.reference}/share/", {"user": staff_a["caseworker"].pk}).status_code == 404
    assert client.post(f"/a/beta/staff/registrations/{theirs.reference}/share/", {"user": 1}).status_code == 404
    assert not RegistrationUserPermission.objects.unscoped().exists()  # unscoped: both agencies


def test_private_photo_follows_the_case(
    client_for, staff_a, world, agency_a, django_capture_on_commit_callbacks, settings, tmp_path
):
    """A photo kept for staff (its report rejected) is served only to those who may see the report."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from requests_app.models import RequestPhoto
    from tests.requests_app.conftest import upload

    with django_capture_on_commit_callbacks(execute=True):  # the photo is stored after commit
        request = _file(agency_a, world["pothole"], "Parks pothole with a photo", offset=0.02, photos=[upload()])
    with agency_context(agency_a):
        ServiceRequest.objects.for_agency(agency_a).filter(pk=request.pk).update(
            department=world["parks"], status="rejected"
        )
        photo = RequestPhoto.objects.for_agency(agency_a).get(request=request)
    url = f"/a/alpha/requests/photos/{photo.uid}.jpg"
    assert client_for(staff_a["analyst"]).get(url).status_code == 200
    caseworker = client_for(staff_a["caseworker"])
    assert caseworker.get(url).status_code == 404
    _share(client_for(staff_a["supervisor"]), request.reference, staff_a["caseworker"])
    assert caseworker.get(url).status_code == 200
