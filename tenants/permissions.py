"""Role checks for views (decorator) and the API (permission class).

Someone without a membership in the agency gets 404, never 403: another agency's pages do not admit
that they exist. Anonymous visitors of staff pages are sent to the login page.
"""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import BasePermission

from tenants.selectors import STAFF_ROLES, user_has_role


def agency_role_required(roles: Iterable[str] = STAFF_ROLES):
    """Decorate a view under /a/<slug>/ so only members of that agency with one of `roles` get in."""
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            agency = getattr(request, "agency", None)
            if agency is None:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(user=request.user, agency=agency, roles=allowed):
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed
        return wrapper

    return decorator


class HasAgencyRole(BasePermission):
    """API permission: the view's `allowed_roles` in the request's agency (`None` = public)."""

    def has_permission(self, request, view) -> bool:
        roles = getattr(view, "allowed_roles", STAFF_ROLES)
        if roles is None:
            return True
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated
        if not user_has_role(user=request.user, agency=view.agency, roles=roles):
            raise NotFound
        return True
