"""Staff: the review queue, masking by role, transitions with notes, requests for information answered
on the web, CSV export, and isolation between agencies."""

import csv
import io
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail

from registrations import services
from registrations.links import respond_url
from registrations.models import Registration, Status
from tenants.context import agency_context

QUEUE = "/a/alpha/staff/registrations/"


def detail_url(reference):
    return f"{QUEUE}{reference}/"


def test_queue_lists_submitted_not_drafts(client_for, staff_a, submit, voter_form, agency_a):
    registration = submit()
    with agency_context(agency_a):
        services.registration_start(agency=agency_a, form=voter_form)
    page = client_for(staff_a["agent"]).get(QUEUE)
    assert page.status_code == 200
    assert registration.reference in page.text and "Pat Doe" in page.text
    assert page.text.count(">ALP-REG-") == 1
    assert client_for(staff_a["agent"]).get(QUEUE, {"status": "approved"}).text.count(">ALP-REG-") == 0
    assert registration.reference in client_for(staff_a["agent"]).get(QUEUE, {"q": registration.reference}).text


def test_anonymous_is_sent_to_login(client, submit):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize(("role", "may_reveal"), [("caseworker", True), ("supervisor", True), ("agent", False), ("analyst", False), ("admin", False)])  # fmt: skip
def test_sensitive_answers_masked_unless_role_allows(client_for, staff_a, submit, role, may_reveal):
    registration = submit()
    client = client_for(staff_a[role])
    page = client.get(detail_url(registration.reference))
    assert page.status_code == 200
    assert "123-45-6789" not in page.text and "•••• 6789" in page.text
    revealed = client.get(detail_url(registration.reference), {"reveal": "1"})
    assert ("123-45-6789" in revealed.text) is may_reveal
    accesses = LogEntry.objects.get_for_object(registration).filter(action=LogEntry.Action.ACCESS)
    assert accesses.filter(actor=staff_a[role]).exists() is may_reveal


def test_transition_with_notes_records_actor_and_notifies(
    client_for, staff_a, submit, django_capture_on_commit_callbacks
):
    registration = submit()
    client = client_for(staff_a["caseworker"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            detail_url(registration.reference),
            {"action": "transition", "to_status": "in_review", "public_note": "We are checking", "staff_note": "x"},
        )
    assert response.status_code == 302 and len(callbacks) == 1
    registration.refresh_from_db()
    assert registration.status == Status.IN_REVIEW
    entry = LogEntry.objects.get_for_object(registration).order_by("-pk").first()
    assert entry.actor == staff_a["caseworker"]
    page = client.get(detail_url(registration.reference))
    assert "We are checking" in page.text and "Approved" in page.text
    # an invalid transition is refused with a message, nothing changes
    client.post(detail_url(registration.reference), {"action": "transition", "to_status": "draft"})
    registration.refresh_from_db()
    assert registration.status == Status.IN_REVIEW


@pytest.mark.parametrize("role", ["agent", "analyst"])
def test_read_only_roles_cannot_act(client_for, staff_a, submit, role):
    registration = submit()
    response = client_for(staff_a[role]).post(
        detail_url(registration.reference), {"action": "transition", "to_status": "approved"}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_request_information_citizen_answers_on_the_web(celery_worker, client, client_for, staff_a, submit):
    import time

    registration = submit()
    staff = client_for(staff_a["caseworker"])
    staff.post(
        detail_url(registration.reference),
        {"action": "transition", "to_status": "needs_info", "public_note": "Which county were you registered in?"},
    )
    deadline = time.monotonic() + 20
    while not any("respond" in m.body for m in mail.outbox) and time.monotonic() < deadline:
        time.sleep(0.1)
    message = next(m for m in mail.outbox if "respond" in m.body)
    assert message.to == ["pat@example.com"] and "Which county" in message.body
    link = re.search(r"https?://\S+/register/respond/\S+/", message.body).group(0)
    path = "/" + link.split("/", 3)[3]
    staff.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Which county were you registered in?" in page.text
    assert client.post(path, {"response": ""}).status_code == 400
    response = client.post(path, {"response": "Sangamon County"})
    assert response.status_code == 200 and "We received your answer" in response.text
    registration.refresh_from_db()
    assert registration.status == Status.IN_REVIEW
    assert "Nothing is needed" in client.get(path).text  # the link is used up
    page = client_for(staff_a["caseworker"]).get(detail_url(registration.reference))
    assert "Sangamon County" in page.text


def test_respond_link_of_another_agency_is_refused(client, submit, agency_a, staff_a, agency_b):
    registration = submit()
    with agency_context(agency_a):
        services.registration_transition(
            agency=agency_a,
            actor=staff_a["caseworker"],
            registration=registration,
            to_status=Status.NEEDS_INFO,
            public_note="Q?",
        )
        registration.refresh_from_db()
        path = "/" + respond_url(registration).split("/", 3)[3]
    response = client.post(path.replace("/a/alpha/", "/a/beta/"), {"response": "hi"})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.NEEDS_INFO


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_export_masks_unless_allowed_and_asked(client_for, staff_a, submit):
    submit(full_name="=HYPERLINK(1)")
    analyst = client_for(staff_a["analyst"])
    rows = read_csv(analyst.get(f"{QUEUE}export.csv", {"reveal": "1"}))
    assert rows[0]["ssn"] == "•••• 6789" and rows[0]["full_name"] == "'=HYPERLINK(1)"
    assert rows[0]["home_address"] == "1 Main St, Springfield, IL 62701"
    caseworker = client_for(staff_a["caseworker"])
    assert read_csv(caseworker.get(f"{QUEUE}export.csv"))[0]["ssn"] == "•••• 6789"
    assert read_csv(caseworker.get(f"{QUEUE}export.csv", {"reveal": "1"}))[0]["ssn"] == "123-45-6789"


def test_other_agency_staff_see_nothing_and_change_nothing(client_for, staff_a, staff_b, submit):
    registration = submit()
    other = client_for(staff_b["supervisor"])
    assert other.get(QUEUE).status_code == 404
    assert other.get(detail_url(registration.reference)).status_code == 404
    assert other.get(f"{QUEUE}export.csv").status_code == 404
    response = other.post(detail_url(registration.reference), {"action": "transition", "to_status": "approved"})
    assert response.status_code == 404
    # under their own agency, A's reference does not exist
    assert other.get(f"/a/beta/staff/registrations/{registration.reference}/").status_code == 404
    assert registration.reference not in other.get("/a/beta/staff/registrations/").text
    assert "ALP-REG" not in other.get("/a/beta/staff/registrations/export.csv").content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED


def test_file_download_needs_a_role_that_may_see_it(
    client_for, staff_a, staff_b, agency_a, voter_form, client, django_capture_on_commit_callbacks
):
    import base64

    from tests.registrations.conftest import VOTER_ANSWERS

    answers = {key: value for key, value in VOTER_ANSWERS.items() if key != "ssn"}
    answers.update(
        id_type="none", proof_document={"name": "bill.pdf", "content_base64": base64.b64encode(b"%PDF-1.4 x").decode()}
    )
    with django_capture_on_commit_callbacks(execute=True):  # the file is written when the filing commits
        reference = client.post(
            "/api/v1/a/alpha/forms/voter-registration/submissions/",
            {"answers": answers},
            content_type="application/json",
        ).json()["reference"]
    with agency_context(agency_a):
        stored = Registration.objects.get(reference=reference).files.get()
    url = f"{QUEUE}{reference}/files/{stored.pk}/"
    response = client_for(staff_a["caseworker"]).get(url)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 x"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for(staff_a["agent"]).get(url).status_code == 404
    assert client_for(staff_b["supervisor"]).get(url).status_code == 404
    assert client_for(staff_a["caseworker"]).get(f"{QUEUE}{reference}/files/not-a-uuid/").status_code == 404
    # The stored (encrypted) file's own path: staff who may reveal it get it decrypted, nobody else.
    media = "/media/" + stored.content.name
    assert media == f"/media/registrations/{agency_a.pk}/{stored.pk}.bin"
    with stored.content.open("rb") as handle:
        assert b"%PDF" not in handle.read()
    revealed = client_for(staff_a["caseworker"]).get(media)
    assert revealed.status_code == 200 and revealed.content == b"%PDF-1.4 x"
    assert "no-store" in revealed["Cache-Control"]
    assert client_for(staff_a["agent"]).get(media).status_code == 404
    assert client_for(staff_b["admin"]).get(media).status_code == 404
    client.logout()
    assert client.get(media).status_code == 404


def test_staff_home_shows_the_tools(client_for, staff_a, voter_form):
    page = client_for(staff_a["admin"]).get("/a/alpha/staff/")
    assert "/a/alpha/staff/registrations/" in page.text and "Edit registration forms" in page.text
    page = client_for(staff_a["agent"]).get("/a/alpha/staff/")
    assert "/a/alpha/staff/registrations/" in page.text and "Edit registration forms" not in page.text


def test_csv_export_masks_contacts_for_analysts(client_for, staff_a, submit, agency_a):
    """Personal data in applicants' contacts and answers is masked for roles that do not need it (core.pii)."""
    submit()
    analyst_row = read_csv(client_for(staff_a["analyst"]).get(f"{QUEUE}export.csv"))[0]
    assert analyst_row["email"] == "[email]" and "pat@example.com" not in analyst_row.values()
    assert analyst_row["home_address"] == "1 Main St, Springfield, IL 62701"
    assert read_csv(client_for(staff_a["caseworker"]).get(f"{QUEUE}export.csv"))[0]["email"] == "pat@example.com"
    agency_a.pii_policy = {"reveal": {"email": ["analyst"]}}
    agency_a.save()
    assert read_csv(client_for(staff_a["analyst"]).get(f"{QUEUE}export.csv"))[0]["email"] == "pat@example.com"
