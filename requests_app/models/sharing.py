"""Service requests shared with one person: django-guardian's direct foreign-key permission tables.

Tenant-owned (they carry `agency_id`: the manager fails closed and row-level security covers them) and
audited, so each grant and each removal is an entry in the agency's trail. See `tenants.cases`."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from requests_app.models.service_requests import ServiceRequest
from tenants.audit import audited
from tenants.cases import CaseGroupPermissionManager, CaseUserPermissionManager
from tenants.models import TenantOwned


@audited
class ServiceRequestUserPermission(TenantOwned, UserObjectPermissionBase):
    content_object = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="user_grants")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseUserPermissionManager()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "service request share"
        unique_together = [("user", "permission", "content_object")]
        indexes = [models.Index(fields=["agency", "user", "permission"], name="request_grant_user")]


@audited
class ServiceRequestGroupPermission(TenantOwned, GroupObjectPermissionBase):
    content_object = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="group_grants")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseGroupPermissionManager()

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "service request group grant"
        unique_together = [("group", "permission", "content_object")]
