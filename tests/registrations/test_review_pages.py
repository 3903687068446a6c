"""Where people read an application's answers (the web review step, the staff page, the confirmation e-mail): a
date answer written out in the reader's language, never ISO; the CSV export and the API keep ISO 8601; the e-mail's
"label: value" lines punctuated by each language (French puts a space before the colon)."""

import csv
import io

from registrations.services import registration_create
from requests_app.models import Notification
from tenants.context import agency_context
from tests.registrations.conftest import VOTER_ANSWERS
from tests.registrations.test_wizard import BASE, complete_to_review

QUEUE = "/a/alpha/staff/registrations/"


def test_the_web_review_writes_the_date_in_the_citizens_language(client, voter_form):
    client.cookies.load({"django_language": "fr"})
    complete_to_review(client)
    review = client.get(f"{BASE}review/")
    assert review.status_code == 200 and "<dd>27 mars 1990</dd>" in review.text
    assert "1990-03-27" not in review.text
    client.cookies.load({"django_language": "ar"})
    assert "<dd>27 مارس 1990</dd>" in client.get(f"{BASE}review/").text


def test_staff_read_the_date_in_their_language_and_the_export_keeps_iso(client_for, staff_a, submit):
    registration = submit()
    client = client_for(staff_a["caseworker"])
    page = client.get(f"{QUEUE}{registration.reference}/")
    assert "March 27, 1990" in page.text and "1990-03-27" not in page.text
    rows = list(csv.DictReader(io.StringIO(client.get(f"{QUEUE}export.csv").content.decode("utf-8-sig"))))
    assert rows[0]["date_of_birth"] == "1990-03-27"
    api = client.get(f"/api/v1/a/alpha/status/{registration.reference}/")
    assert "March" not in api.content.decode()


def test_the_confirmation_e_mail_punctuates_in_the_applicants_language(voter_form, agency_a):
    with agency_context(agency_a):
        registration = registration_create(agency=agency_a, form=voter_form, answers=VOTER_ANSWERS, language="fr")
        (row,) = Notification.objects.for_agency(agency_a).filter(recipient="pat@example.com")
    assert f"Votre numéro de référence : {registration.reference}" in row.body, row.body
    assert "Suivez son avancement ici : http" in row.body
