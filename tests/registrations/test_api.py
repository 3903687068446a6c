"""The pinned public API: forms, a form's definition, submissions, and the one status lookup."""

import base64

import pytest

from registrations import services
from registrations.models import Registration, Status
from tenants.context import agency_context
from tests.registrations.conftest import VOTER_ANSWERS

SUBMIT = "/api/v1/a/alpha/forms/voter-registration/submissions/"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_forms_list_and_detail(client, voter_form, employment_form, tax_form):
    response = client.get("/api/v1/a/alpha/forms/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert {row["slug"] for row in body} == {"voter-registration", "employment-assistance"}
    voter = next(row for row in body if row["slug"] == "voter-registration")
    assert voter["version"] == 1 and voter["title"] == "Voter registration"
    # The demo form carries German titles since 84e3a1c, every text in all eight UI languages since session 18.
    assert set(voter["languages"]) == {"en", "es", "zh-hans", "fr", "vi", "ko", "ar", "de"}
    detail = client.get("/api/v1/a/alpha/forms/voter-registration/").json()
    assert detail["definition"]["steps"][0]["id"] == "eligibility"
    spanish = client.get("/api/v1/a/alpha/forms/voter-registration/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["title"] == "Registro de votantes"


def test_submission_created_and_trackable(client, voter_form):
    response = post(client, SUBMIT, {"answers": VOTER_ANSWERS})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["reference"].startswith("ALP-REG-")
    status = client.get(f"/api/v1/a/alpha/status/{body['reference']}/")
    assert status.status_code == 200
    data = status.json()
    assert {"reference", "kind", "status", "history"} <= data.keys()
    assert data["kind"] == "registration" and data["status"] == "submitted"
    assert data["history"][0]["status"] == "submitted"
    assert "Pat" not in status.text and "6789" not in status.text  # no personal data in the public lookup


def test_submission_errors_per_field(client, voter_form):
    answers = {**VOTER_ANSWERS, "ssn": "666-12-3456", "email": "nope", "date_of_birth": "2015-01-01"}
    response = post(client, SUBMIT, {"answers": answers})
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"ssn", "email", "date_of_birth"}
    assert body["codes"] == {"ssn": "us_ssn", "email": "invalid_email", "date_of_birth": "min_age"}
    assert "18" in body["errors"]["date_of_birth"][0]
    assert not Registration.objects.unscoped().exists()


def test_skipping_required_steps_or_answering_hidden_questions_is_refused(client, voter_form):
    skipped = {key: value for key, value in VOTER_ANSWERS.items() if key not in ("full_name", "id_type", "ssn")}
    body = post(client, SUBMIT, {"answers": skipped}).json()
    assert body["codes"] == {"full_name": "required", "id_type": "required"}
    hidden = {**VOTER_ANSWERS, "drivers_license": "S12345678901", "previous_address": VOTER_ANSWERS["home_address"]}
    response = post(client, SUBMIT, {"answers": hidden})
    assert response.status_code == 400
    assert response.json()["codes"] == {"drivers_license": "not_applicable", "previous_address": "not_applicable"}
    unknown = post(client, SUBMIT, {"answers": {**VOTER_ANSWERS, "favourite_colour": "blue"}}).json()
    assert unknown["codes"] == {"favourite_colour": "unknown_field"}
    assert not Registration.objects.unscoped().exists()


def test_errors_in_the_requested_language(client, voter_form):
    body = post(client, SUBMIT, {"answers": {**VOTER_ANSWERS, "email": "x"}, "language": "zh-hans"}).json()
    assert "电子邮件" in body["errors"]["email"][0]


def test_bad_bodies_get_clear_errors(client, voter_form):
    assert post(client, SUBMIT, {"answers": "nope"}).status_code == 400
    assert post(client, SUBMIT, {}).status_code == 400
    response = client.post(SUBMIT, "{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()
    response = post(client, SUBMIT, {"answers": {**VOTER_ANSWERS, "ssn": {"$gt": ""}}})
    assert response.status_code == 400 and response.json()["codes"]["ssn"] == "invalid"


def test_unpublished_form_and_old_version(client, voter_form, agency_a, staff_a):
    assert post(client, SUBMIT, {"answers": VOTER_ANSWERS, "version": 7}).status_code == 409
    with agency_context(agency_a):
        services.form_definition_unpublish(agency=agency_a, actor=staff_a["admin"], form=voter_form)
    response = post(client, SUBMIT, {"answers": VOTER_ANSWERS})
    assert response.status_code == 404 and "not open" in response.json()["detail"]
    assert client.get("/api/v1/a/alpha/forms/").json() == []
    assert client.get("/api/v1/a/alpha/forms/voter-registration/").status_code == 404


def test_file_answers_are_checked_by_content(client, agency_a, voter_form, django_capture_on_commit_callbacks):
    answers = {key: value for key, value in VOTER_ANSWERS.items() if key != "ssn"}
    answers["id_type"] = "none"
    fake_pdf = base64.b64encode(b"MZ\x90\x00 this is an executable").decode()
    answers["proof_document"] = {"name": "bill.pdf", "content_base64": fake_pdf}
    response = post(client, SUBMIT, {"answers": answers})
    assert response.status_code == 400 and response.json()["codes"] == {"proof_document": "file_type"}
    answers["proof_document"] = {"name": "bill.pdf", "content_base64": base64.b64encode(b"%PDF-1.4 bill").decode()}
    with django_capture_on_commit_callbacks(execute=True):  # the file is written when the filing commits
        response = post(client, SUBMIT, {"answers": answers})
    assert response.status_code == 201
    with agency_context(agency_a):
        registration = Registration.objects.get(reference=response.json()["reference"])
        stored = registration.files.get()
    assert registration.sensitive_answers["proof_document"]["file_id"] == str(stored.pk)
    assert stored.content_type == "application/pdf"
    with stored.content.open("rb") as handle:
        assert b"%PDF" not in handle.read()  # encrypted on disk


def test_oversized_file_answer_is_refused_as_too_large(client, voter_form):
    answers = {key: value for key, value in VOTER_ANSWERS.items() if key != "ssn"}
    answers["id_type"] = "none"
    big = base64.b64encode(b"%PDF-" + b"0" * (5 * 1024 * 1024)).decode()
    answers["proof_document"] = {"name": "bill.pdf", "content_base64": big}
    response = post(client, SUBMIT, {"answers": answers})
    assert response.status_code == 400 and response.json()["codes"] == {"proof_document": "file_size"}
    assert "larger than 5 MB" in response.json()["errors"]["proof_document"][0]
    assert not Registration.objects.unscoped().exists()


@pytest.mark.parametrize(
    "answer",
    [
        {"file_id": "1", "name": "bill.pdf", "content_type": "application/pdf", "size": 10},  # no bytes: no document
        {"name": "bill.pdf", "content_base64": "not base64!"},
        {"name": "bill.pdf", "content_base64": 12},
        "bill.pdf",
    ],
)
def test_file_answers_must_be_uploads(client, voter_form, answer):
    answers = {key: value for key, value in VOTER_ANSWERS.items() if key != "ssn"}
    answers["id_type"] = "none"
    answers["proof_document"] = answer
    response = post(client, SUBMIT, {"answers": answers})
    assert response.status_code == 400 and response.json()["codes"] == {"proof_document": "invalid"}
    assert not Registration.objects.unscoped().exists()


def test_other_agency_cannot_see_forms_or_references(client, voter_form, tax_form, submit):
    reference = submit().reference
    assert client.get("/api/v1/a/beta/forms/voter-registration/").status_code == 404
    assert (
        post(client, "/api/v1/a/beta/forms/voter-registration/submissions/", {"answers": VOTER_ANSWERS}).status_code
        == 404
    )
    assert client.get(f"/api/v1/a/beta/status/{reference}/").status_code == 404
    assert client.get("/api/v1/a/beta/status/NOPE-1/").status_code == 404
    assert {row["slug"] for row in client.get("/api/v1/a/beta/forms/").json()} == {"business-tax-registration"}
    assert Registration.objects.unscoped().filter(agency__slug="beta").count() == 0


@pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.APPROVED])
def test_status_history_shows_public_notes_only(client, submit, agency_a, staff_a, status):
    registration = submit()
    with agency_context(agency_a):
        if status == Status.APPROVED:
            services.registration_transition(
                agency=agency_a, actor=staff_a["caseworker"], registration=registration, to_status=Status.IN_REVIEW
            )
        services.registration_transition(
            agency=agency_a,
            actor=staff_a["caseworker"],
            registration=registration,
            to_status=status,
            public_note="Looks good",
            staff_note="internal: called the county",
        )
    body = client.get(f"/api/v1/a/alpha/status/{registration.reference.lower()}/").json()
    assert body["status"] == status and body["history"][-1]["note"] == "Looks good"
    assert "county" not in str(body)
