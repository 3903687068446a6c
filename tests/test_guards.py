"""Project-wide guards: every tenant-owned model is audited and fails closed; guardian works."""

import pytest
from auditlog.registry import auditlog
from django.apps import apps

from tenants.context import AgencyNotSet
from tenants.models import Agency, Department, TenantOwned

TENANT_MODELS = [m for m in apps.get_models() if issubclass(m, TenantOwned)]


def test_there_are_tenant_models():
    assert Department in TENANT_MODELS


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m._meta.label)
def test_every_tenant_model_is_audited(model):
    """Domain models are audited; a model may opt out only by stating why (`audit_exempt_reason`)."""
    if getattr(model, "audit_exempt_reason", ""):
        assert not auditlog.contains(model)
        return
    assert auditlog.contains(model), f"{model._meta.label} is not registered with django-auditlog"


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m._meta.label)
def test_every_tenant_model_fails_closed(model, db):
    with pytest.raises(AgencyNotSet):
        list(model.objects.all()[:1])
    with pytest.raises(AgencyNotSet):
        model._default_manager.count()


def test_agency_is_audited():
    assert auditlog.contains(Agency)


def test_guardian_object_permissions(staff_a, agency_a):
    from guardian.shortcuts import assign_perm, get_objects_for_user

    roads = Department.objects.for_agency(agency_a).get(slug="roads")
    parks = Department.objects.for_agency(agency_a).get(slug="parks")
    caseworker = staff_a["caseworker"]
    assign_perm("tenants.change_department", caseworker, roads)
    assert caseworker.has_perm("tenants.change_department", roads)
    assert not caseworker.has_perm("tenants.change_department", parks)
    allowed = get_objects_for_user(caseworker, "tenants.change_department", klass=Department.objects.unscoped())
    assert list(allowed) == [roads]
