"""Django admin is scoped to the staff member's agencies: another agency's rows are invisible in lists,
details, search, filters, autocompletes, raw-id popups and history, and cannot be changed."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tenants.models import Agency, Department, Membership


@pytest.fixture
def both(staff_a, staff_b, agency_a, agency_b):
    return staff_a, staff_b


def dept(agency, slug="roads"):
    return Department.objects.for_agency(agency).get(slug=slug)


def test_changelist_shows_only_own_agency(both, agency_a, agency_b, client_for):
    client = client_for(both[0]["supervisor"])
    response = client.get(reverse("admin:tenants_department_changelist"))
    assert response.status_code == 200
    assert "Alpha City Roads" in response.text
    assert "Beta State Revenue" not in response.text


def test_search_does_not_find_other_agency(both, client_for):
    client = client_for(both[0]["admin"])
    response = client.get(reverse("admin:tenants_department_changelist"), {"q": "Beta"})
    assert response.status_code == 200
    assert "Beta State Revenue" not in response.text
    assert "0 departments" in response.text or "0 results" in response.text


def test_filter_by_other_agency_shows_nothing(both, agency_b, client_for):
    client = client_for(both[0]["admin"])
    response = client.get(reverse("admin:tenants_department_changelist"), {"agency__id__exact": agency_b.pk})
    assert "Beta State Revenue Roads" not in response.text


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_other_agency_object_is_404(both, agency_b, client_for, view):
    client = client_for(both[0]["admin"])
    target = dept(agency_b)
    response = client.get(reverse(f"admin:tenants_department_{view}", args=[target.pk]))
    assert response.status_code == 404


def test_post_to_other_agency_object_changes_nothing(both, agency_b, client_for):
    client = client_for(both[0]["admin"])
    target = dept(agency_b)
    url = reverse("admin:tenants_department_change", args=[target.pk])
    response = client.post(url, {"name": "Hijacked", "slug": "roads", "is_active": "on"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.name == "Beta State Revenue Roads"
    response = client.post(reverse("admin:tenants_department_delete", args=[target.pk]), {"post": "yes"})
    assert response.status_code == 404
    assert Department.objects.unscoped().filter(pk=target.pk).exists()


def test_raw_id_popup_lists_only_own_agency(both, client_for):
    client = client_for(both[0]["admin"])
    response = client.get(reverse("admin:tenants_department_changelist"), {"_popup": "1", "_to_field": "id"})
    assert response.status_code == 200
    assert "Alpha City Roads" in response.text
    assert "Beta State" not in response.text


def test_autocomplete_lists_only_own_agency(both, client_for, agency_a):
    from django.contrib import admin

    from tenants.admin import DepartmentAdmin

    # Membership.departments offers autocomplete over departments.
    DepartmentAdmin.search_fields = ["name", "slug", "email"]
    original = admin.site._registry[Membership].autocomplete_fields
    admin.site._registry[Membership].autocomplete_fields = ["departments"]
    try:
        client = client_for(both[0]["admin"])
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "tenants", "model_name": "membership", "field_name": "departments", "term": ""},
        )
    finally:
        admin.site._registry[Membership].autocomplete_fields = original
    assert response.status_code == 200
    names = {row["text"] for row in response.json()["results"]}
    assert names == {"Alpha City Roads", "Alpha City Parks"}


def test_agent_cannot_use_department_admin(both, client_for, agency_a):
    client = client_for(both[0]["agent"])
    response = client.get(reverse("admin:tenants_department_changelist"))
    assert response.status_code == 403
    response = client.get(reverse("admin:tenants_department_change", args=[dept(agency_a).pk]))
    assert response.status_code in (403, 404)


def test_supervisor_may_view_but_not_change(both, client_for, agency_a):
    client = client_for(both[0]["supervisor"])
    target = dept(agency_a)
    url = reverse("admin:tenants_department_change", args=[target.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"name": "Renamed", "slug": "roads", "is_active": "on"})
    target.refresh_from_db()
    assert target.name == "Alpha City Roads"


def test_admin_can_add_only_in_own_agency(both, client_for, agency_a, agency_b):
    client = client_for(both[0]["admin"])
    url = reverse("admin:tenants_department_add")
    response = client.post(url, {"agency": agency_b.pk, "name": "Sneaky", "slug": "sneaky", "is_active": "on"})
    assert response.status_code == 200  # form error: agency not among the choices
    assert not Department.objects.unscoped().filter(slug="sneaky").exists()
    response = client.post(url, {"agency": agency_a.pk, "name": "Lights", "slug": "lights", "is_active": "on"})
    assert response.status_code == 302
    assert Department.objects.for_agency(agency_a).filter(slug="lights").exists()


def test_membership_user_choices_are_own_staff_only(both, client_for):
    client = client_for(both[0]["admin"])
    response = client.get(reverse("admin:tenants_membership_add"))
    assert response.status_code == 200
    assert "alpha-agent" in response.text
    assert "beta-agent" not in response.text


def test_agency_admin_lists_only_own_agency(both, client_for, agency_b):
    client = client_for(both[0]["supervisor"])
    response = client.get(reverse("admin:tenants_agency_changelist"))
    assert "Alpha City" in response.text
    assert "Beta State Revenue" not in response.text
    assert client.get(reverse("admin:tenants_agency_change", args=[agency_b.pk])).status_code == 404


def test_superuser_sees_every_agency(both, superuser, client_for):
    client = client_for(superuser)
    response = client.get(reverse("admin:tenants_department_changelist"))
    assert "Alpha City Roads" in response.text and "Beta State Revenue Roads" in response.text


def test_audit_log_admin_is_scoped(both, client_for, agency_a, agency_b):
    # Both agencies' fixtures produced audit entries; A's supervisor sees only A's.
    client = client_for(both[0]["supervisor"])
    response = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert response.status_code == 200
    assert "Alpha City Roads" in response.text
    assert "Beta State Revenue Roads" not in response.text
    foreign = LogEntry.objects.filter(additional_data__agency_id=agency_b.pk).first()
    assert foreign is not None
    assert client.get(reverse("admin:auditlog_logentry_change", args=[foreign.pk])).status_code == 404
    # search and the resource-type filter stay inside the agency
    response = client.get(reverse("admin:auditlog_logentry_changelist"), {"q": "Beta"})
    assert "Beta State Revenue Roads" not in response.text


def test_agent_cannot_read_audit_log(both, client_for):
    client = client_for(both[0]["agent"])
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 403


def test_user_admin_is_for_platform_superusers_only(both, client_for):
    client = client_for(both[0]["admin"])
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_staff_without_membership_cannot_enter_admin(db, client_for):
    from django.contrib.auth import get_user_model

    loner = get_user_model().objects.create_user(username="loner", password="x" * 12, is_staff=True)
    response = client_for(loner).get(reverse("admin:index"))
    assert response.status_code == 302  # to the admin login page
    assert Agency.objects.count() == 0


def test_admin_templates_render_inside_the_scope(both, agency_a, rf):
    """Admin responses render lazily; querysets the template evaluates must still see the scope."""
    from django.contrib import admin
    from django.template import engines
    from django.template.response import TemplateResponse

    template = engines["django"].from_string("{% for row in rows %}{{ row.name }};{% endfor %}")

    def view(request):
        return TemplateResponse(request, template, {"rows": Department.objects.all()})  # lazy, fail-closed

    request = rf.get("/admin/probe/")
    request.user = both[0]["admin"]
    response = admin.site.admin_view(view)(request)
    assert response.is_rendered
    assert set(response.content.decode().strip(";").split(";")) == {"Alpha City Roads", "Alpha City Parks"}
