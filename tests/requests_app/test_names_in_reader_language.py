"""Names an agency typed, in the reader's language everywhere (session 20's walk: a Spanish clerk's queue said
"Alpha City Roads", Open311 gave English service names to a Spanish client): departments on the staff queue and
request page, categories and departments in Open311 by `locale` or Accept-Language; staff enter the translations
on the form where they edit the thing, one box per language, and see which languages are missing."""

import json

import pytest
from django.urls import reverse

from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tenants.models import Department
from tests.requests_app.open311_support import BASE
from tests.requests_app.pages_support import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(agency_a, catalogue_a):
    with agency_context(agency_a):
        roads = Department.objects.get(slug="roads")
        roads.translations = {"es": {"name": "Calles de Alpha"}}
        roads.full_clean()
        roads.save()
        pothole = catalogue_a["pothole"]
        pothole.translations = {"es": {"name": "Bache", "group": "Calles", "keywords": "bache,hoyo"}}
        pothole.save()
    request = file(agency_a)
    with agency_context(agency_a):
        ServiceRequest.objects.filter(pk=request.pk).update(department=roads)
    return request


def _page(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_and_the_request_page_name_the_department_in_the_staff_members_language(named, staff_a, client_for):
    client = client_for(staff_a["agent"])
    queue = reverse("requests:staff-queue", kwargs={"agency_slug": "alpha"})
    spanish = _page(client, queue, "es")
    rows = spanish.split("<tbody", 1)[1]
    assert "Calles de Alpha" in rows and "Alpha City Roads" not in rows
    assert ">Calles de Alpha</option>" in spanish  # the department filter
    detail = reverse("requests:staff-detail", kwargs={"agency_slug": "alpha", "reference": named.reference})
    assert "<dd>Calles de Alpha</dd>" in _page(client, detail, "es")
    # no Chinese name given: the agency's own
    assert "<dd>Alpha City Roads</dd>" in _page(client, detail, "zh-hans")


def test_open311_names_services_by_locale_or_accept_language_else_the_agencys_own(named, client):
    services = f"{BASE}/services.json"
    own = {s["service_code"]: s for s in client.get(services, {"jurisdiction_id": "alpha"}).json()}
    assert own["pothole"]["service_name"] == "Pothole" and own["pothole"]["group"] == "Streets"
    by_locale = {
        s["service_code"]: s for s in client.get(services, {"jurisdiction_id": "alpha", "locale": "es_MX"}).json()
    }
    assert by_locale["pothole"]["service_name"] == "Bache" and by_locale["pothole"]["group"] == "Calles"
    assert by_locale["pothole"]["keywords"] == "bache,hoyo"
    by_header = client.get(services, {"jurisdiction_id": "alpha"}, headers={"accept-language": "es"}).json()
    assert {s["service_code"]: s["service_name"] for s in by_header}["pothole"] == "Bache"
    record = client.get(f"{BASE}/requests/{named.reference}.json", {"jurisdiction_id": "alpha", "locale": "es"}).json()[
        0
    ]
    assert record["service_name"] == "Bache" and record["agency_responsible"] == "Calles de Alpha"
    record = client.get(f"{BASE}/requests/{named.reference}.json", {"jurisdiction_id": "alpha"}).json()[0]
    assert record["service_name"] == "Pothole" and record["agency_responsible"] == "Alpha City Roads"
    xml = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "alpha", "locale": "es"}).content.decode()
    assert "<service_name>Bache</service_name>" in xml


def test_an_admin_enters_a_departments_names_in_one_form_and_sees_what_is_missing(agency_a, staff_a, client_for):
    client = client_for(staff_a["admin"])
    with agency_context(agency_a):
        roads = Department.objects.get(slug="roads")
        roads.translations = {"fr": {"name": "Routes"}}  # a language the agency does not list: kept as it was
        roads.save()
    url = reverse("admin:tenants_department_change", args=[roads.pk])
    page = client.get(url).content.decode()
    # a box per language of the agency after its first, and per field the validator allows
    assert 'name="translations__es__name"' in page and 'name="translations__zh-hans__description"' in page
    assert 'name="translations__fr__name"' not in page
    assert page.count('class="translations-missing"') == 2  # es and zh-hans lack the name the department has
    changelist = client.get(reverse("admin:tenants_department_changelist")).content.decode()
    assert "Missing translations" in changelist and "Spanish, Simplified Chinese" in changelist
    form = {
        "name": roads.name,
        "slug": roads.slug,
        "description": "",
        "email": "",
        "phone": "",
        "service_area": "null",
        "is_active": "on",
        "translations__rest": json.dumps({"fr": {"name": "Routes"}}),
        "translations__es__name": "Calles",
        "translations__zh-hans__name": "道路",
        "translations__es__description": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    with agency_context(agency_a):
        roads.refresh_from_db()
    assert roads.translations == {"fr": {"name": "Routes"}, "es": {"name": "Calles"}, "zh-hans": {"name": "道路"}}
    page = client.get(url).content.decode()
    assert 'value="Calles"' in page and page.count('class="translations-missing"') == 0


def test_a_category_questions_choice_names_are_boxes_of_its_own_form(agency_a, staff_a, client_for, catalogue_a):
    client = client_for(staff_a["admin"])
    page = client.get(reverse("admin:requests_app_servicecategory_change", args=[catalogue_a["pothole"].pk]))
    body = page.content.decode()
    assert 'name="attributes-0-translations__es__description"' in body
    assert 'name="attributes-0-translations__es__values.small"' in body  # the choice "Small" in Spanish
    assert "Choice “Small”" in body


def test_a_bad_translation_is_refused_with_a_message_and_nothing_changes(agency_a, staff_a, client_for):
    client = client_for(staff_a["admin"])
    with agency_context(agency_a):
        roads = Department.objects.get(slug="roads")
    url = reverse("admin:tenants_department_change", args=[roads.pk])
    form = {
        "name": roads.name,
        "slug": roads.slug,
        "service_area": "null",
        "is_active": "on",
        "translations__rest": json.dumps({"xx": {"name": "?"}}),
        "translations__es__name": "Calles",
    }
    response = client.post(url, form)
    assert response.status_code == 200 and "Unknown language “xx”" in response.content.decode()
    with agency_context(agency_a):
        roads.refresh_from_db()
    assert roads.translations == {}


def test_another_agencys_department_cannot_be_translated(agency_b, staff_a, client_for):
    with agency_context(agency_b):
        theirs = Department.objects.get(slug="roads")
    client = client_for(staff_a["admin"])
    url = reverse("admin:tenants_department_change", args=[theirs.pk])
    page = client.get(url, follow=True).content.decode()
    assert "translations__es__name" not in page and theirs.name not in page
    form = {"name": theirs.name, "slug": theirs.slug, "translations__rest": "{}", "translations__es__name": "Mío"}
    client.post(url, form)
    with agency_context(agency_b):
        theirs.refresh_from_db()
    assert theirs.translations == {}


def test_the_service_directory_names_a_services_department_in_the_readers_language(agency_a, client):
    """The directory's cards carry a department's name as text, in the page's language (and in `/api/v1/services/`)."""
    from frontdoor.catalogue import catalogue_clear
    from frontdoor.models import Service

    with agency_context(agency_a):
        roads = Department.objects.get(slug="roads")
        roads.translations = {"es": {"name": "Calles de Alpha"}}
        roads.save()
        Service.objects.create(
            agency=agency_a, slug="permit", name="Street work permit", summary="Dig in the street.", department=roads
        )
    catalogue_clear()
    client.cookies["django_language"] = "es"
    page = client.get("/services/", {"q": "permit"}).content.decode()
    assert "· Calles de Alpha ·" in page
    client.cookies["django_language"] = "zh-hans"
    assert "· Alpha City Roads ·" in client.get("/services/", {"q": "permit"}).content.decode()
    api = client.get("/api/v1/services/", {"q": "permit", "lang": "es"}).json()
    found = api["results"]
    assert any(item.get("department") == "Calles de Alpha" for item in found), api
    catalogue_clear()
