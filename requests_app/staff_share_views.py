"""Sharing one service request with a caseworker, and taking it back (supervisors, from the request's page).
Who may then see and work it is decided in `tenants.cases`."""

from django.urls import reverse
from django.views.decorators.http import require_POST

from requests_app.staff_views import _get
from tenants.case_views import revoke_submit, share_submit
from tenants.cases import SHARING_ROLES
from tenants.permissions import agency_role_required


@agency_role_required(SHARING_ROLES)
@require_POST
def share(request, agency_slug: str, reference: str):
    service_request = _get(request, reference)
    back = reverse("requests:staff-detail", kwargs={"agency_slug": agency_slug, "reference": service_request.reference})
    return share_submit(request, case=service_request, back=back + "#sharing-heading")


@agency_role_required(SHARING_ROLES)
@require_POST
def unshare(request, agency_slug: str, reference: str):
    service_request = _get(request, reference)
    back = reverse("requests:staff-detail", kwargs={"agency_slug": agency_slug, "reference": service_request.reference})
    return revoke_submit(request, case=service_request, back=back + "#sharing-heading")
