"""The fail-closed manager for tenant-owned models."""

from django.db import models

from tenants.context import scoped_agency_ids


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Filters every query by the current scope; raises `AgencyNotSet` when there is none.

    Cross-agency code (platform admin, migrations, maintenance) must say so with `.unscoped()`.
    Django's base manager (FK access, cascades) stays unfiltered: it only follows relations from rows
    that were already scoped.
    """

    def get_queryset(self) -> TenantQuerySet:
        ids = scoped_agency_ids()
        queryset = super().get_queryset()
        if len(ids) == 1:
            return queryset.filter(agency_id=next(iter(ids)))
        return queryset.filter(agency_id__in=ids)

    def unscoped(self) -> TenantQuerySet:
        return super().get_queryset()

    def for_agency(self, agency) -> TenantQuerySet:
        """Scoped to `agency` explicitly, whatever the context says (selectors and tasks)."""
        return super().get_queryset().filter(agency_id=agency.pk)
