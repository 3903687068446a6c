from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from audit.chain import chain_summary
from tenants.audit import audit_entries_filtered
from tenants.audit_display import audit_rows
from tenants.forms import AuditFilterForm
from tenants.permissions import agency_role_required
from tenants.selectors import SUPERVISING_ROLES, membership_get, memberships_for_user

AUDIT_PAGE_SIZE = 25


@login_required
def staff_home(request):
    return render(request, "tenants/staff_home.html", {"memberships": memberships_for_user(user=request.user)})


@agency_role_required()
def agency_staff_home(request, agency_slug: str):
    membership = membership_get(user=request.user, agency=request.agency)
    return render(request, "tenants/agency_staff_home.html", {"membership": membership})


@agency_role_required(SUPERVISING_ROLES)
def agency_audit(request, agency_slug: str):
    form = AuditFilterForm(request.GET or None, agency=request.agency)
    form.is_valid()
    entries = audit_entries_filtered(agency=request.agency, **form.filters())
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tenants/agency_audit.html",
        {
            "page": page,
            "rows": audit_rows(page.object_list),
            "form": form,
            "query": query.urlencode(),
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "chain": chain_summary(request.agency.pk),
            "today": timezone.localdate(),
        },
    )
