"""The web wizard: one step per page, inline errors, back/skip, review, confirm, save and resume."""

import re

import pytest
from django.core import mail

from registrations.models import Registration, Status
from tenants.context import agency_context

BASE = "/a/alpha/register/voter-registration/"
ELIGIBILITY = {"us_citizen": "yes", "date_of_birth": "1990-03-27", "lives_in_city": "yes"}
IDENTITY = {"full_name": "Pat Doe", "id_type": "ssn", "ssn": "123-45-6789"}
RESIDENCE = {
    "home_address__line1": "1 Main St",
    "home_address__city": "Springfield",
    "home_address__region": "IL",
    "home_address__postal_code": "62701",
    "registered_elsewhere": "no",
}


def start(client):
    response = client.post(BASE)
    assert response.status_code == 302
    return response["Location"]


def step(client, name, data, action="next"):
    return client.post(f"{BASE}step/{name}/", {**data, "action": action})


def only_draft(agency):
    with agency_context(agency):
        return Registration.objects.get(status=Status.DRAFT)


def complete_to_review(client):
    assert start(client) == f"{BASE}step/eligibility/"
    for name, data in (
        ("eligibility", ELIGIBILITY),
        ("identity", IDENTITY),
        ("residence", RESIDENCE),
        ("preferences", {"ballot_language": "en"}),
        ("contact", {"email": "pat@example.com"}),
    ):
        response = step(client, name, data)
        assert response.status_code == 302, (name, response.content[:2000])
    return response


def test_intro_page_and_agency_home_card(client, voter_form):
    page = client.get(BASE)
    assert page.status_code == 200 and "Voter registration" in page.text and "Start now" in page.text
    home = client.get("/a/alpha/")
    assert "/a/alpha/register/voter-registration/" in home.text and "Track an application" in home.text


def test_complete_registration_on_the_web(client, voter_form, agency_a):
    response = complete_to_review(client)
    assert response["Location"] == f"{BASE}review/"
    review = client.get(f"{BASE}review/")
    assert review.status_code == 200
    assert "Pat Doe" in review.text and "•••• 6789" in review.text and "123-45-6789" not in review.text
    assert "Proof of identity" not in review.text  # a step that did not apply
    done = client.post(f"{BASE}review/")
    assert done["Location"] == f"{BASE}done/"
    page = client.get(done["Location"])
    reference = re.search(r'id="reference">([A-Z0-9-]+)<', page.text).group(1)
    assert reference.startswith("ALP-REG-") and "two weeks" in page.text
    with agency_context(agency_a):
        registration = Registration.objects.get(reference=reference)
    assert registration.status == Status.SUBMITTED and registration.channel == "web"
    assert registration.applicant_email == "pat@example.com" and registration.applicant_name == "Pat Doe"
    track = client.get("/a/alpha/track/", {"reference": reference})
    assert "Voter registration" in track.text and "Submitted" in track.text


def test_inline_errors_keep_input_and_say_why(client, voter_form, agency_a):
    start(client)
    response = step(client, "eligibility", {**ELIGIBILITY, "date_of_birth": "2015-06-01", "us_citizen": "no"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "You must be at least 18 years old." in response.text
    assert "Only US citizens can register to vote." in response.text
    assert 'value="2015-06-01"' in response.text and 'aria-invalid="true"' in response.text
    assert only_draft(agency_a).answers == {"lives_in_city": True}  # the valid part is kept


def test_errors_in_spanish(client, voter_form):
    client.cookies.load({"django_language": "es"})
    start(client)
    response = step(client, "eligibility", {**ELIGIBILITY, "date_of_birth": "mañana"})
    assert "Hay un problema" in response.text or "Escriba una fecha válida" in response.text


def test_cannot_jump_ahead_or_post_a_later_step(client, voter_form, agency_a):
    start(client)
    response = client.get(f"{BASE}step/contact/")
    assert response["Location"] == f"{BASE}step/eligibility/"
    response = step(client, "contact", {"email": "pat@example.com"})
    assert response["Location"] == f"{BASE}step/eligibility/"
    assert "email" not in only_draft(agency_a).answers
    assert client.get(f"{BASE}review/")["Location"] == f"{BASE}step/eligibility/"
    assert client.post(f"{BASE}review/").status_code == 302
    assert not Registration.objects.unscoped().exclude(status=Status.DRAFT).exists()


def test_back_keeps_answers_and_sensitive_values_are_not_echoed(client, voter_form, agency_a):
    start(client)
    step(client, "eligibility", ELIGIBILITY)
    step(client, "identity", IDENTITY)
    response = step(client, "residence", {**RESIDENCE, "registered_elsewhere": ""}, action="back")
    assert response["Location"] == f"{BASE}step/identity/"
    page = client.get(f"{BASE}step/identity/")
    assert 'value="Pat Doe"' in page.text
    assert "123-45-6789" not in page.text and "Saved. For your privacy" in page.text
    # leaving the sensitive input blank keeps the saved value
    response = step(client, "identity", {**IDENTITY, "ssn": ""})
    assert response["Location"] == f"{BASE}step/residence/"
    assert only_draft(agency_a).sensitive_answers == {"ssn": "123-45-6789"}
    assert only_draft(agency_a).answers["home_address"]["line1"] == "1 Main St"


def test_change_from_review_returns_to_review(client, voter_form):
    complete_to_review(client)
    client.get(f"{BASE}review/")
    page = client.get(f"{BASE}step/preferences/")
    assert "Save and go back to review" in page.text
    response = step(client, "preferences", {"ballot_language": "es", "poll_worker": "yes"})
    assert response["Location"] == f"{BASE}review/"


def test_conditional_step_appears_when_it_applies(client, voter_form):
    start(client)
    step(client, "eligibility", ELIGIBILITY)
    response = step(client, "identity", {"full_name": "Pat Doe", "id_type": "none"})
    step(client, "residence", RESIDENCE)
    assert client.get(f"{BASE}step/residence/").status_code == 200
    response = step(client, "residence", RESIDENCE)
    assert response["Location"] == f"{BASE}step/proof/"


def test_file_upload_checks_real_type_and_size(client, voter_form, agency_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    start(client)
    step(client, "eligibility", ELIGIBILITY)
    step(client, "identity", {"full_name": "Pat Doe", "id_type": "none"})
    step(client, "residence", RESIDENCE)
    fake = SimpleUploadedFile("bill.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = client.post(f"{BASE}step/proof/", {"action": "next", "proof_document": fake})
    assert response.status_code == 200 and "Upload a file of one of these types" in response.text
    big = SimpleUploadedFile("bill.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(f"{BASE}step/proof/", {"action": "next", "proof_document": big})
    assert "larger than 5 MB" in response.text
    good = SimpleUploadedFile("my bill.pdf", b"%PDF-1.7 utility bill", content_type="application/pdf")
    response = client.post(f"{BASE}step/proof/", {"action": "next", "proof_document": good})
    assert response["Location"] == f"{BASE}step/preferences/"
    draft = only_draft(agency_a)
    assert draft.sensitive_answers["proof_document"]["name"] == "my bill.pdf"
    assert "proof_document" not in draft.answers


def test_skip_an_optional_step(client, employment_form, agency_a):
    base = "/a/alpha/register/employment-assistance/"
    client.post(base)
    client.post(
        f"{base}step/about/",
        {"full_name": "Sam", "date_of_birth": "1990-01-01", "email": "sam@example.com", "action": "next"},
    )
    client.post(f"{base}step/situation/", {"employment_status": "student", "action": "next"})
    client.post(f"{base}step/services/", {"services_needed": ["job_search"], "action": "next"})
    client.post(f"{base}step/household/", {"household_size": "2", "monthly_income": "1200", "action": "next"})
    page = client.get(f"{base}step/documents/")
    assert "Skip this step" in page.text
    response = client.post(f"{base}step/documents/", {"action": "skip"})
    assert response["Location"] == f"{base}review/"
    response = client.post(f"{base}step/household/", {"action": "skip"})  # required answers: cannot skip
    assert response.status_code == 200 and "cannot be skipped" in response.text


def test_save_and_resume_by_link(client, voter_form, agency_a):
    start(client)
    step(client, "eligibility", ELIGIBILITY)
    response = step(client, "identity", {"full_name": "Pat Doe"}, action="save")
    assert response["Location"] == f"{BASE}save/"
    page = client.get(f"{BASE}save/")
    link = re.search(r'id="resume-link" value="([^"]+)"', page.text).group(1)
    assert "/a/alpha/register/resume/" in link
    response = client.post(f"{BASE}save/", {"email": "pat@example.com"}, follow=False)
    assert response.status_code == 302

    other = client.__class__()  # a different browser
    path = link.split("127.0.0.1:8000", 1)[-1].split("testserver", 1)[-1]
    response = other.get(path)
    assert response["Location"] == f"{BASE}step/identity/"
    page = other.get(response["Location"])
    assert 'value="Pat Doe"' in page.text
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]
    assert other.get(tampered).status_code == 404
    assert other.get(path.replace("/a/alpha/", "/a/beta/")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_resume_link_is_emailed(celery_worker, client, voter_form, agency_a):
    import time

    start(client)
    client.post(f"{BASE}save/", {"email": "pat@example.com"})
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mail.outbox and "/a/alpha/register/resume/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["pat@example.com"]


def test_unpublished_form_and_unknown_form(client, voter_form, agency_a, staff_a):
    from registrations import services

    assert client.get("/a/alpha/register/no-such-form/").status_code == 404
    with agency_context(agency_a):
        services.form_definition_unpublish(agency=agency_a, actor=staff_a["admin"], form=voter_form)
    page = client.get(BASE)
    assert page.status_code == 404 and "not open for applications" in page.text
    assert client.post(BASE).status_code == 404
    assert not Registration.objects.unscoped().exists()


def test_retired_version_offers_to_continue_on_the_new_one(client, voter_form, agency_a, staff_a):
    from registrations import services

    start(client)
    step(client, "eligibility", ELIGIBILITY)
    old = only_draft(agency_a)
    with agency_context(agency_a):
        services.form_definition_update(
            agency=agency_a,
            actor=staff_a["admin"],
            form=voter_form,
            definition={**voter_form.definition, "description": {"en": "v2"}},
        )
        services.form_definition_publish(agency=agency_a, actor=staff_a["admin"], form=voter_form)
        services.form_version_retire(agency=agency_a, actor=staff_a["admin"], version=old.form_version)
    page = client.get(f"{BASE}step/identity/")
    assert "This form has changed" in page.text
    response = client.post(BASE, {"action": "restart", "keep": "1"})
    assert response["Location"] == f"{BASE}step/identity/"  # eligibility answers carried over
    with agency_context(agency_a):
        new = Registration.objects.exclude(pk=old.pk).get()
    assert new.form_version.number == 2 and new.answers["us_citizen"] is True


def test_another_agency_cannot_open_the_form_or_draft(client, voter_form, agency_b):
    start(client)
    assert client.get("/a/beta/register/voter-registration/").status_code == 404
    assert client.get("/a/beta/register/voter-registration/step/eligibility/").status_code == 404
    assert client.post("/a/beta/register/voter-registration/step/eligibility/", ELIGIBILITY).status_code == 404


def test_replaced_uploads_are_dropped_on_submission(client, voter_form, agency_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registrations.models import RegistrationFile

    start(client)
    step(client, "eligibility", ELIGIBILITY)
    step(client, "identity", {"full_name": "Pat Doe", "id_type": "none"})
    step(client, "residence", RESIDENCE)
    for name in ("first.pdf", "second.pdf"):
        upload = SimpleUploadedFile(name, b"%PDF-1.7 " + name.encode(), content_type="application/pdf")
        client.post(f"{BASE}step/proof/", {"action": "next", "proof_document": upload})
        client.get(f"{BASE}step/proof/")
    step(client, "proof", {})
    step(client, "preferences", {"ballot_language": "en"})
    step(client, "contact", {"email": "pat@example.com"})
    client.get(f"{BASE}review/")
    assert client.post(f"{BASE}review/")["Location"] == f"{BASE}done/"
    files = list(RegistrationFile.objects.unscoped().values_list("name", flat=True))
    assert files == ["second.pdf"]


def test_register_index_and_done_page_are_per_agency(client, voter_form, agency_b):
    assert "Voter registration" in client.get("/a/alpha/register/").text
    assert "Voter registration" not in client.get("/a/beta/register/").text
    complete_to_review(client)
    client.get(f"{BASE}review/")
    client.post(f"{BASE}review/")
    assert client.get(f"{BASE}done/").status_code == 200
    assert client.get("/a/beta/register/voter-registration/done/").status_code == 404
