"""Service requests shared with one person: django-guardian's direct foreign-key permission tables.

Tenant-owned (they carry `agency_id`: the manager fails closed and row-level security covers them) and
audited, so each grant and each removal is an entry in the agency's trail. See `tenants.cases`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app.models.service_requests import ServiceRequest
from tenants.audit import audited
from tenants.cases import CaseGroupPermission, CaseUserPermission


@audited
class ServiceRequestUserPermission(CaseUserPermission):
    content_object = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="user_grants", verbose_name=_("service request")
    )

    class Meta(CaseUserPermission.Meta):
        verbose_name = _("service request share")
        verbose_name_plural = _("service request shares")
        indexes = [models.Index(fields=["agency", "user", "permission"], name="request_grant_user")]


@audited
class ServiceRequestGroupPermission(CaseGroupPermission):
    content_object = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="group_grants", verbose_name=_("service request")
    )

    class Meta(CaseGroupPermission.Meta):
        verbose_name = _("service request group grant")
        verbose_name_plural = _("service request group grants")
