"""The demo installation: the seeded caseworker works departments that have requests, re-seeding
repairs an older database, and another department's request is a plain 404 page."""

import pytest
from auditlog.context import auditlog_value
from django.contrib.auth import get_user_model

from portal import demo
from requests_app.models import ServiceRequest
from requests_app.services import service_requests_route
from tenants.context import agency_context
from tenants.models import Department, Membership


@pytest.fixture(autouse=True)
def _no_actor_left_over():
    # django-auditlog's set_actor leaves its context variable set after a request through the test
    # client, so the next test's audit entries would name a user of a rolled-back test.
    token = auditlog_value.set({})
    yield
    auditlog_value.reset(token)


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_APPS", ["requests_app"])  # the other apps' demo content is not needed here
    agencies = demo.seed()
    springfield = agencies["springfield"]
    with agency_context(springfield):
        service_requests_route(agency=springfield)  # what the Celery worker does after the seed
    return agencies


def _caseworker(agency):
    user = get_user_model().objects.get(username=f"{agency.slug}-caseworker")
    return Membership.objects.unscoped().get(agency=agency, user=user)


def _departments(membership) -> list[str]:
    with agency_context(membership.agency):
        return sorted(membership.departments.values_list("slug", flat=True))


def test_demo_caseworker_sees_their_departments_requests(seeded, client):
    springfield = seeded["springfield"]
    membership = _caseworker(springfield)
    assert _departments(membership) == ["streets", "traffic"]
    assert _departments(_caseworker(seeded["revenue"])) == ["individual"]

    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    requests = ServiceRequest.objects.unscoped().filter(agency=springfield)
    mine = list(requests.filter(department__slug__in=["streets", "traffic"]).values_list("reference", flat=True))
    others = list(requests.exclude(department__slug__in=["streets", "traffic"]).values_list("reference", flat=True))
    assert mine and others
    page = client.get("/a/springfield/staff/requests/?filtered=1")  # every status
    assert page.status_code == 200
    html = page.content.decode()
    for reference in mine:
        assert reference in html
    for reference in others:
        assert reference not in html

    # Another department's request: the project's plain 404 page, not Django's URL listing.
    response = client.get(f"/a/springfield/staff/requests/{others[0]}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "We could not find that page" in html
    assert "URLconf" not in html and "staff/requests/&lt;str:reference&gt;" not in html


def test_reseeding_repairs_a_caseworker_without_departments_and_keeps_chosen_ones(seeded):
    springfield = seeded["springfield"]
    membership = _caseworker(springfield)
    with agency_context(springfield):
        membership.departments.clear()  # a database seeded before caseworkers had departments
    demo.seed()
    assert _departments(membership) == ["streets", "traffic"]

    with agency_context(springfield):
        parks = Department.objects.for_agency(springfield).get(slug="parks")
        membership.departments.set([parks])  # staff moved the caseworker to Parks: the seed leaves that alone
    demo.seed()
    assert _departments(membership) == ["parks"]
    assert Membership.objects.unscoped().filter(agency=springfield, user=membership.user).count() == 1


def test_the_demo_agencies_are_named_in_every_ui_language_and_reseeding_keeps_a_typed_name(seeded):
    from django.conf import settings

    others = {code for code, _name in settings.LANGUAGES} - {"en"}
    for agency in seeded.values():
        agency.refresh_from_db()
        assert {code for code, entry in agency.translations.items() if entry.get("name")} == others, agency.slug
    springfield = seeded["springfield"]
    springfield.translations["zh-hans"]["name"] = "斯普林菲尔德市公共工程署"  # an admin renamed it
    del springfield.translations["ko"]["name"]  # a database seeded before agencies had names
    springfield.save()
    demo.seed()
    springfield.refresh_from_db()
    assert springfield.translations["zh-hans"]["name"] == "斯普林菲尔德市公共工程署"
    assert springfield.translations["ko"]["name"] == "스프링필드시 공공사업국"
    assert springfield.translations["es"]["office_hours"] == "De lunes a viernes, de 8:00 a 17:00"


def test_the_demo_pothole_sizes_are_written_in_us_english(seeded):
    """Springfield, Illinois: "Up to a car tire" (the session-25 walk saw "Up to a car tyre" in the English chat)."""
    from requests_app.models import ServiceAttribute
    from tenants.models import Agency

    springfield = Agency.objects.get(slug="springfield")
    with agency_context(springfield):
        size = ServiceAttribute.objects.for_agency(springfield).get(category__code="pothole", code="size")
    names = [value["name"] for value in size.values]
    assert names == ["Smaller than a dinner plate", "Up to a car tire", "Bigger than a car tire"]
