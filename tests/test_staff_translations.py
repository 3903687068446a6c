"""Issue 19: staff admins edit the agency's own words in its other languages on staff pages, not only in Django
admin: the agency's public name and texts, a department, a report category (`/a/<slug>/staff/translations/…`) and a
document's title (its page). One box per language the agency lists after its first and per text, a <details> per
language; plain text within the field's length; audited; another agency's row is a 404; agents cannot edit."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from knowledge import services as knowledge_services
from tenants.context import agency_context
from tenants.models import Agency, Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_a(agency_a):
    from tests.requests_app.conftest import make_catalogue

    return make_catalogue(agency_a)


def _agency_url(slug="alpha"):
    return reverse("staff-translations-agency", kwargs={"agency_slug": slug})


def _edit_url(kind, pk, slug="alpha"):
    return reverse("staff-translations-edit", kwargs={"agency_slug": slug, "kind": kind, "record_id": pk})


def _department(agency, slug="roads"):
    with agency_context(agency):
        return Department.objects.get(slug=slug)


def test_the_overview_lists_what_lacks_a_translation_with_links_to_edit_it(agency_a, staff_a, client_for):
    page = client_for(staff_a["admin"]).get(reverse("staff-translations", kwargs={"agency_slug": "alpha"}))
    body = page.content.decode()
    assert page.status_code == 200
    assert _agency_url() in body and _edit_url("department", _department(agency_a).pk) in body
    assert "Spanish, Simplified Chinese" in body  # the departments lack both of the agency's other languages
    assert "lists after its first (Spanish, Simplified Chinese)." in body


def test_an_admin_names_the_agency_in_chinese_and_the_citizen_sees_it(agency_a, staff_a, client_for, client):
    admin = client_for(staff_a["admin"])
    form = admin.get(_agency_url()).content.decode()
    # one <details> per language the agency lists after its first, a box per text the agency may translate
    assert form.count('<details class="translations-language"') == 2
    assert 'data-language="es"' in form and 'data-language="zh-hans"' in form and 'data-language="fr"' not in form
    assert 'name="translations__zh-hans__name"' in form and 'name="translations__es__office_hours"' in form
    response = admin.post(
        _agency_url(),
        {"translations__rest": "{}", "translations__zh-hans__name": "阿尔法市", "translations__es__name": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agency_a.refresh_from_db()
    assert agency_a.translations == {"zh-hans": {"name": "阿尔法市"}}
    entry = LogEntry.objects.get_for_object(agency_a).order_by("-pk").first()
    assert entry.actor == staff_a["admin"] and "translations" in entry.changes_dict
    # the trail says which language's text changed, and shows it (not the escaped JSON of the whole table)
    trail = admin.get(reverse("agency-audit", kwargs={"agency_slug": "alpha"})).content.decode()
    assert "<strong>Translations: Simplified Chinese, Name</strong>: — <span" in trail and "阿尔法市</li>" in trail
    changes = trail.split('<ul class="changes">', 1)[1].split("</ul>", 1)[0]
    assert "\\u963f" not in changes  # (the raw change record below keeps the stored JSON as it is)
    client.cookies["django_language"] = "zh-hans"
    assert "<h1>阿尔法市</h1>" in client.get("/a/alpha/").content.decode()


def test_a_department_and_a_category_are_translated_on_their_staff_pages(agency_a, staff_a, client_for, catalogue_a):
    admin = client_for(staff_a["admin"])
    roads = _department(agency_a)
    response = admin.post(
        _edit_url("department", roads.pk),
        {"translations__rest": "{}", "translations__es__name": "Calles", "translations__zh-hans__name": "道路"},
    )
    assert response.status_code == 302
    roads.refresh_from_db()
    assert roads.translations == {"es": {"name": "Calles"}, "zh-hans": {"name": "道路"}}
    pothole = catalogue_a["pothole"]
    page = admin.get(_edit_url("category", pothole.pk)).content.decode()
    assert 'name="translations__es__keywords"' in page
    response = admin.post(
        _edit_url("category", pothole.pk),
        {"translations__rest": "{}", "translations__es__name": "Bache", "translations__es__keywords": "bache, hoyo"},
    )
    assert response.status_code == 302
    pothole.refresh_from_db()
    assert pothole.translations == {"es": {"name": "Bache", "keywords": "bache, hoyo"}}
    assert LogEntry.objects.get_for_object(pothole).order_by("-pk").first().actor == staff_a["admin"]


def test_what_the_boxes_do_not_show_is_kept(agency_a, staff_a, client_for):
    agency_a.translations = {"fr": {"name": "Ville Alpha"}}  # a language the agency does not list (any more)
    agency_a.save()
    admin = client_for(staff_a["admin"])
    admin.post(
        _agency_url(), {"translations__rest": '{"fr": {"name": "Ville Alpha"}}', "translations__es__name": "Alfa"}
    )
    agency_a.refresh_from_db()
    assert agency_a.translations == {"fr": {"name": "Ville Alpha"}, "es": {"name": "Alfa"}}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<b>Alpha</b>", "Simplified Chinese, Name: write plain text, without HTML tags."),
        ('Alpha<script src="x.js"></script>', "Simplified Chinese, Name: write plain text, without HTML tags."),
        ("A" * 201, "Simplified Chinese, Name: at most 200 characters (this one has 201)."),
    ],
)
def test_markup_and_overlong_names_are_refused_at_their_box_and_nothing_changes(
    agency_a, staff_a, client_for, text, problem
):
    admin = client_for(staff_a["admin"])
    response = admin.post(
        _agency_url(),
        {"translations__rest": "{}", "translations__zh-hans__name": text, "translations__es__name": "Alfa"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and problem in body
    # the language with the refused text is open, its box marked; nothing is lost from the form
    assert '<details class="translations-language" data-language="zh-hans" open>' in body
    assert 'name="translations__zh-hans__name"' in body and 'aria-invalid="true"' in body
    assert 'value="Alfa"' in body
    agency_a.refresh_from_db()
    assert agency_a.translations == {}


def test_a_less_than_sign_is_no_tag(agency_a, staff_a, client_for):
    admin = client_for(staff_a["admin"])
    response = admin.post(
        _agency_url(), {"translations__rest": "{}", "translations__es__description": "Menos de <3 días"}
    )
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.translations == {"es": {"description": "Menos de <3 días"}}


def test_another_agencys_department_and_category_are_not_found_and_stay_as_they_were(
    agency_b, staff_a, staff_b, client_for
):
    from requests_app.models import ServiceCategory

    theirs = _department(agency_b)
    with agency_context(agency_b):
        category = ServiceCategory.objects.create(agency=agency_b, code="lights", name="Street light out")
    admin = client_for(staff_a["admin"])
    for kind, row in (("department", theirs), ("category", category)):
        assert admin.get(_edit_url(kind, row.pk)).status_code == 404
        form = {"translations__rest": "{}", "translations__es__name": "Mío"}
        assert admin.post(_edit_url(kind, row.pk), form).status_code == 404
        row.refresh_from_db()
        assert row.translations == {}
    # under B's slug, A's admin holds no role there
    assert admin.get(_agency_url("beta")).status_code == 404
    # B's own admin reaches them: the 404 is about the agency, not a wrong address
    assert client_for(staff_b["admin"]).get(_edit_url("department", theirs.pk, slug="beta")).status_code == 200


def test_agents_and_supervisors_cannot_edit_translations(agency_a, staff_a, client_for):
    roads = _department(agency_a)
    for role in ("agent", "supervisor", "caseworker", "analyst"):
        client = client_for(staff_a[role])
        assert client.get(reverse("staff-translations", kwargs={"agency_slug": "alpha"})).status_code == 404
        assert (
            client.post(_agency_url(), {"translations__rest": "{}", "translations__es__name": "X"}).status_code == 404
        )
        form = {"translations__rest": "{}", "translations__es__name": "X"}
        assert client.post(_edit_url("department", roads.pk), form).status_code == 404
    agency_a.refresh_from_db()
    roads.refresh_from_db()
    assert agency_a.translations == {} and roads.translations == {}
    assert Agency.objects.get(pk=agency_a.pk).translations == {}


def _document(agency, actor):
    with agency_context(agency):
        return knowledge_services.document_create(
            agency=agency, actor=actor, title="Trash pickup", content="Trash is picked up on Mondays.", queue=False
        )


def test_a_documents_title_is_translated_on_its_page_not_by_agents_nor_for_another_agency(
    agency_a, agency_b, staff_a, staff_b, client_for
):
    theirs = _document(agency_b, staff_b["admin"])
    document = _document(agency_a, staff_a["admin"])
    url = reverse("knowledge-document", kwargs={"agency_slug": "alpha", "document_id": document.pk})
    form = {"action": "translations", "translations__rest": "{}", "translations__zh-hans__title": "垃圾收集"}
    agent = client_for(staff_a["agent"])  # (one test client, logged in as one user after the other)
    assert 'name="translations__zh-hans__title"' not in agent.get(url).content.decode()
    assert agent.post(url, form).status_code == 404
    document.refresh_from_db()
    assert document.translations == {}
    admin = client_for(staff_a["admin"])
    page = admin.get(url).content.decode()
    assert 'id="translations-heading"' in page and 'name="translations__zh-hans__title"' in page
    assert admin.post(url, form).status_code == 302
    document.refresh_from_db()
    assert document.translations == {"zh-hans": {"title": "垃圾收集"}}
    refused = admin.post(url, {**form, "translations__zh-hans__title": "<i>垃圾</i>"})
    assert refused.status_code == 400 and "write plain text, without HTML tags" in refused.content.decode()
    # another agency's document under this agency's address: not found, and unchanged
    their_url = reverse("knowledge-document", kwargs={"agency_slug": "alpha", "document_id": theirs.pk})
    assert admin.post(their_url, form).status_code == 404
    theirs.refresh_from_db()
    assert theirs.translations == {}


def test_the_service_page_shows_one_details_per_language_too(agency_a, staff_a, client_for):
    page = client_for(staff_a["admin"]).get(reverse("frontdoor-service-new", kwargs={"agency_slug": "alpha"}))
    body = page.content.decode()
    assert body.count('<details class="translations-language"') == 2 and 'name="translations__es__name"' in body
