"""Agency admins edit definitions as JSON with schema validation and a live preview; Django admin is scoped."""

import json

from django.urls import reverse

from registrations.models import FormDefinition, FormVersion, Registration
from tenants.context import agency_context

EDIT = "/a/alpha/staff/registrations/forms/voter-registration/"


def test_admin_edits_validates_and_publishes(client_for, staff_a, voter_form, agency_a):
    client = client_for(staff_a["admin"])
    page = client.get(EDIT)
    assert page.status_code == 200 and "Live preview" in page.text and "&quot;schema_version&quot;" in page.text
    broken = dict(voter_form.definition)
    broken["steps"] = [dict(broken["steps"][0], fields=[{"id": "x", "type": "colour", "label": "X"}])]
    response = client.post(EDIT, {"action": "save", "definition": json.dumps(broken)})
    assert response.status_code == 400 and "steps[0].fields[0].type" in response.text
    response = client.post(EDIT, {"action": "save", "definition": "{oops"})
    assert response.status_code == 400 and "Not valid JSON" in response.text
    voter_form.refresh_from_db()
    assert voter_form.definition["steps"][0]["fields"][0]["id"] == "us_citizen"  # unchanged

    changed = dict(voter_form.definition, title={"en": "Register to vote", "es": "Inscríbase para votar"})
    response = client.post(EDIT, {"action": "publish", "definition": json.dumps(changed)})
    assert response.status_code == 302
    voter_form.refresh_from_db()
    assert (voter_form.title, voter_form.version, voter_form.published) == ("Register to vote", 2, True)
    assert client.get("/api/v1/a/alpha/forms/voter-registration/").json()["title"] == "Register to vote"


def test_live_preview_renders_or_lists_errors(client_for, staff_a, voter_form):
    client = client_for(staff_a["admin"])
    url = f"{EDIT}preview/?lang=es"
    body = client.post(url, json.dumps(voter_form.definition), content_type="application/json").json()
    assert body["ok"] and "¿Es ciudadano de los Estados Unidos?" in body["html"] and "Shown only if" in body["html"]
    bad = client.post(url, json.dumps({"schema_version": 1}), content_type="application/json").json()
    assert not bad["ok"] and any("'title' is a required property" in error for error in bad["errors"])


def test_new_form_starts_from_a_valid_template(client_for, staff_a, agency_a):
    client = client_for(staff_a["admin"])
    response = client.post("/a/alpha/staff/registrations/forms/new/", {"title": "Pet license", "slug": "pet-license"})
    assert response["Location"] == "/a/alpha/staff/registrations/forms/pet-license/questions/"
    with agency_context(agency_a):
        form = FormDefinition.objects.get(slug="pet-license")
    assert form.title == "Pet license" and not form.published
    assert client.get("/a/alpha/register/pet-license/").status_code == 404  # not open until published


def test_only_admins_of_the_agency_may_edit(client_for, staff_a, staff_b, voter_form):
    for user in (staff_a["caseworker"], staff_a["supervisor"], staff_b["admin"]):
        client = client_for(user)
        assert client.get(EDIT).status_code == 404
        assert client.post(EDIT, {"action": "unpublish"}).status_code == 404
        assert client.post(f"{EDIT}preview/", "{}", content_type="application/json").status_code == 404
    assert client_for(staff_b["admin"]).get("/a/beta/staff/registrations/forms/voter-registration/").status_code == 404
    voter_form.refresh_from_db()
    assert voter_form.published


def test_django_admin_validates_json_and_masks_answers(client_for, staff_a, staff_b, voter_form, submit, agency_a):
    registration = submit()
    admin = client_for(staff_a["admin"])
    url = reverse("admin:registrations_formdefinition_change", args=[voter_form.pk])
    response = admin.post(
        url, {"slug": "voter-registration", "definition": json.dumps({"schema_version": 1, "steps": []})}
    )
    assert response.status_code == 200 and "is a required property" in response.text
    page = client_for(staff_a["supervisor"]).get(
        reverse("admin:registrations_registration_change", args=[registration.pk])
    )
    assert page.status_code == 200 and registration.reference in page.text
    assert "123-45-6789" not in page.text and "••••••" in page.text
    # another agency's staff: 404 for the registration, the form and its versions; lists are empty
    other = client_for(staff_b["admin"])
    assert other.get(reverse("admin:registrations_registration_change", args=[registration.pk])).status_code == 404
    assert other.get(url).status_code == 404
    version = FormVersion.objects.unscoped().get(form=voter_form)
    assert other.get(reverse("admin:registrations_formversion_change", args=[version.pk])).status_code == 404
    assert registration.reference not in other.get(reverse("admin:registrations_registration_changelist")).text
    response = other.post(reverse("admin:registrations_registration_delete", args=[registration.pk]), {"post": "yes"})
    assert response.status_code == 404
    assert Registration.objects.unscoped().filter(pk=registration.pk).exists()


def test_retire_with_a_version_id_that_is_no_number_is_a_404(client_for, staff_a, voter_form):
    client = client_for(staff_a["admin"])
    for version in ("abc", "1.5", "", "9" * 30, "-1"):
        response = client.post(EDIT, {"action": "retire", "version": version})
        assert response.status_code == 404, version


def test_preview_of_deeply_nested_json_lists_an_error(client_for, staff_a, voter_form):
    client = client_for(staff_a["admin"])
    deep = '{"steps": ' + "[" * 5000 + "]" * 5000 + "}"
    for content_type in ("text/plain", "application/json"):
        response = client.post(EDIT + "preview/", deep, content_type=content_type)
        assert response.status_code in (200, 400)
        assert "32 levels" in response.text
    response = client.post(EDIT, {"action": "save", "definition": deep})
    assert response.status_code == 400 and "32 levels" in response.text


def test_preview_of_a_posted_form_reads_its_definition_field(client_for, staff_a, voter_form):
    client = client_for(staff_a["admin"])
    response = client.post(EDIT + "preview/", {"definition": json.dumps(voter_form.definition)})
    assert response.status_code == 200 and response.json()["ok"]
    assert client.post(EDIT + "preview/", {"other": "x"}).json()["ok"] is False
