"""The tenant context and the fail-closed manager."""

import pytest
from django.core.exceptions import ValidationError

from tenants.api import AgencyScopedAPIView
from tenants.consumers import AgencyScopedConsumer
from tenants.context import AgencyNotSet, agencies_context, agency_context, get_current_agency
from tenants.models import Department


def test_tenant_query_without_agency_raises(agency_a):
    with pytest.raises(AgencyNotSet):
        list(Department.objects.all())
    with pytest.raises(AgencyNotSet):
        Department.objects.filter(slug="roads").exists()


def test_tenant_query_is_scoped_to_the_current_agency(agency_a, agency_b):
    with agency_context(agency_a):
        assert {d.agency_id for d in Department.objects.all()} == {agency_a.pk}
        assert not Department.objects.filter(agency=agency_b).exists()
    with agency_context(agency_b):
        assert Department.objects.count() == 2
        assert set(Department.objects.values_list("agency_id", flat=True)) == {agency_b.pk}


def test_unscoped_says_so_explicitly(agency_a, agency_b):
    assert Department.objects.unscoped().count() == 4
    assert Department.objects.for_agency(agency_a).count() == 2


def test_set_scope_allows_exactly_those_agencies(agency_a, agency_b):
    with agencies_context([agency_a.pk]):
        assert set(Department.objects.values_list("agency_id", flat=True)) == {agency_a.pk}
        assert get_current_agency() is None  # a set scope is not "the" agency
    with agencies_context([]):
        assert Department.objects.count() == 0


def test_context_is_restored_after_the_block(agency_a, agency_b):
    with agency_context(agency_a):
        with agency_context(agency_b):
            assert get_current_agency() == agency_b
        assert get_current_agency() == agency_a
    assert get_current_agency() is None


def test_related_rows_must_belong_to_the_same_agency(agency_a, agency_b):
    """`TenantOwned.clean` refuses a foreign key into another agency (checked on any tenant FK)."""
    from types import SimpleNamespace

    from django.db import models

    from tenants.models import TenantOwned

    field = models.ForeignKey(Department, on_delete=models.CASCADE)
    field.set_attributes_from_name("department")
    foreign_department = Department.objects.for_agency(agency_b).first()
    own_department = Department.objects.for_agency(agency_a).first()
    row = SimpleNamespace(_meta=SimpleNamespace(concrete_fields=[field]), agency_id=agency_a.pk)

    row.department_id = own_department.pk
    TenantOwned.check_same_agency(row)
    row.department_id = foreign_department.pk
    with pytest.raises(ValidationError):
        TenantOwned.check_same_agency(row)


def test_api_base_refuses_subclasses_that_override_scoping():
    with pytest.raises(TypeError):

        class Leaky(AgencyScopedAPIView):
            def get_queryset(self):
                return Department.objects.unscoped()


def test_consumer_base_refuses_subclasses_that_override_connect():
    with pytest.raises(TypeError):

        class Leaky(AgencyScopedConsumer):
            async def connect(self):
                await self.accept()
