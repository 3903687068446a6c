"""The agency directory finds agencies by what they do (report categories, forms, public document
titles), in every UI language, by prefix and with typos, on the home page and in the API."""

import pytest
from django.urls import reverse

from knowledge.models import Audience, Document
from portal.directory import directory_index_clear, directory_search, edits, words
from registrations.models import FormDefinition
from requests_app.models import ServiceCategory
from tenants.context import agency_context


@pytest.fixture(autouse=True)
def _fresh_index():
    directory_index_clear()
    yield
    directory_index_clear()


@pytest.fixture
def catalogues(agency_a, agency_b):
    with agency_context(agency_a):
        ServiceCategory.objects.create(
            agency=agency_a, code="pothole", name="Pothole", keywords="hole,road", group="Streets"
        )
        ServiceCategory.objects.create(agency=agency_a, code="old", name="Snow plowing", active=False)
        Document.objects.create(agency=agency_a, title="Trash and recycling FAQ", audience=Audience.PUBLIC)
        Document.objects.create(agency=agency_a, title="Payroll refund procedure", audience=Audience.STAFF)
    with agency_context(agency_b):
        FormDefinition.objects.create(
            agency=agency_b,
            slug="business-tax",
            title="Business tax registration",
            published=True,
            definition={
                "title": {"en": "Business tax registration", "es": "Registro tributario", "zh-hans": "企业税务登记"},
                "description": {"en": "Register for sales tax.", "es": "Registre su empresa para impuestos."},
            },
        )
        FormDefinition.objects.create(
            agency=agency_b, slug="draft", title="Dog licence", published=False, definition={"title": "Dog licence"}
        )
        Document.objects.create(agency=agency_b, title="Refunds FAQ", audience=Audience.PUBLIC)
        Document.objects.create(agency=agency_b, title="Old pothole guide", audience=Audience.PUBLIC, is_retired=True)
    return agency_a, agency_b


def slugs(query):
    response_hits = directory_search(query)
    from tenants.models import Agency

    names = dict(Agency.objects.values_list("pk", "slug"))
    return [names[hit.agency_id] for hit in response_hits]


@pytest.mark.parametrize("query", ["pothole", "Potholes", "pot", "pothle", "road hole"])
def test_report_categories_by_word_prefix_and_typo(catalogues, query):
    assert slugs(query) == ["alpha"]


@pytest.mark.parametrize("query", ["my tax refund", "refnd", "impuestos", "Registro tributario", "税务", "税", "TAX"])
def test_forms_and_documents_in_every_language(catalogues, query):
    assert slugs(query) == ["beta"]


@pytest.mark.parametrize("query", ["payroll", "snow plowing", "dog licence", "xyzzy", "the of my"])
def test_staff_only_retired_unpublished_and_noise_find_nothing(catalogues, query):
    assert slugs(query) == []


def test_inactive_agency_is_not_found(catalogues):
    agency_a, _ = catalogues
    agency_a.is_active = False
    agency_a.save()
    directory_index_clear()
    assert slugs("pothole") == []


def test_home_page_ranks_and_says_why(catalogues, client):
    response = client.get(reverse("home"), {"q": "my tax refund"})
    body = response.content.decode()
    assert [a.slug for a in response.context["agencies"]] == ["beta"]
    assert "Refunds FAQ" in body and "Apply online" in body
    # The whole list without a query.
    assert {a.slug for a in client.get(reverse("home")).context["agencies"]} == {"alpha", "beta"}


def test_home_page_reason_kind_in_the_ui_language(catalogues, client):
    client.cookies["django_language"] = "es"
    body = client.get(reverse("home"), {"q": "impuestos"}).content.decode()
    assert "Solicitar en línea" in body


def test_api_search(catalogues, client):
    found = client.get("/api/v1/agencies/", {"search": "impuestos"}).json()
    assert [row["slug"] for row in found["results"]] == ["beta"]
    assert client.get("/api/v1/agencies/", {"search": "pothole"}).json()["results"][0]["slug"] == "alpha"
    assert client.get("/api/v1/agencies/", {"search": "nothing-like-this"}).json()["count"] == 0
    assert client.get("/api/v1/agencies/", {"search": "x" * 500}).status_code == 200


def test_words_and_edits():
    assert words("My Tax Refund") == ["tax", "refund"]
    assert words("Impuéstos") == ["impuestos"]
    assert words("企业税务") == ["企业", "业税", "税务"]
    assert edits("refnd", "refund") == 1 and edits("teh", "the") == 1 and edits("abc", "xyz") == 3


def test_agencies_own_translations_are_searched(catalogues):
    agency_a, agency_b = catalogues
    with agency_context(agency_a):
        pothole = ServiceCategory.objects.get(code="pothole")
        pothole.translations = {"es": {"name": "Bache"}, "zh-hans": {"name": "路面坑洞"}}
        pothole.save()
    agency_b.translations = {"es": {"description": "Reembolsos del impuesto sobre la renta."}}
    agency_b.save()
    directory_index_clear()
    assert slugs("baches") == ["alpha"]
    assert slugs("坑洞") == ["alpha"]
    assert slugs("reembolso") == ["beta"]


def test_category_keywords_in_every_language_find_the_agency_that_handles_it(catalogues, client):
    # A citizen searching "Schlagloch" or "坑洼" finds the agency with the pothole category (its keywords in
    # those languages), not another one; another agency's keywords find that agency; an inactive category's
    # keywords find nothing.
    agency_a, agency_b = catalogues
    with agency_context(agency_a):
        pothole = ServiceCategory.objects.get(code="pothole")
        pothole.translations = {
            "de": {"name": "Straßenschaden", "keywords": "Schlagloch,Loch in der Straße"},
            "zh-hans": {"keywords": "坑洞,坑洼"},
        }
        pothole.save()
    with agency_context(agency_b):
        ServiceCategory.objects.create(
            agency=agency_b, code="graffiti", name="Graffiti", translations={"de": {"keywords": "Schmiererei"}}
        )
        ServiceCategory.objects.create(
            agency=agency_b,
            code="old-lights",
            name="Old lights",
            active=False,
            translations={"de": {"keywords": "Laterne"}},
        )
    directory_index_clear()
    assert slugs("Schlagloch") == ["alpha"]
    assert slugs("schlaglöcher") == ["alpha"]  # by prefix, as any word
    assert slugs("坑洼") == ["alpha"]
    assert slugs("Schmiererei") == ["beta"]
    assert slugs("Laterne") == []
    # The reason shown is the category's name in that language, not the list of keywords.
    body = client.get(reverse("home"), {"q": "Schlagloch"}).content.decode()
    assert "Straßenschaden" in body and "Loch in der Straße" not in body
