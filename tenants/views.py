from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tenants.audit import audit_entries_for_agencies
from tenants.permissions import agency_role_required
from tenants.selectors import SUPERVISING_ROLES, membership_get, memberships_for_user


@login_required
def staff_home(request):
    return render(request, "tenants/staff_home.html", {"memberships": memberships_for_user(user=request.user)})


@agency_role_required()
def agency_staff_home(request, agency_slug: str):
    membership = membership_get(user=request.user, agency=request.agency)
    return render(request, "tenants/agency_staff_home.html", {"membership": membership})


@agency_role_required(SUPERVISING_ROLES)
def agency_audit(request, agency_slug: str):
    entries = audit_entries_for_agencies(agency_ids=[request.agency.pk])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "tenants/agency_audit.html", {"page": page})
