"""Reads about agencies and memberships. Memberships are read across agencies on purpose (a person
has one account and roles in several agencies), so these selectors say `.unscoped()` explicitly."""

import re
from collections.abc import Iterable

from django.db.models import QuerySet

from tenants.context import cross_agency
from tenants.models import Agency, Membership, Role


def agencies_public() -> QuerySet[Agency]:
    """Every active agency by name. Searching them is `portal.directory.agencies_search`."""
    return Agency.objects.filter(is_active=True).order_by("name")


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def agency_get_public(*, slug: str) -> Agency | None:
    if not isinstance(slug, str) or not _SLUG.match(slug):
        return None
    return Agency.objects.filter(slug=slug, is_active=True).first()


def agency_get_active(*, agency_id: str | int) -> Agency | None:
    """The active agency with this id (e.g. from a stored file's path), or None."""
    if isinstance(agency_id, str) and not (agency_id.isascii() and agency_id.isdigit() and len(agency_id) < 19):
        return None
    return Agency.objects.filter(pk=int(agency_id), is_active=True).first()


def memberships_for_user(*, user) -> list[Membership]:
    """One person's roles in every agency (staff home, switcher), with their agencies."""
    if not getattr(user, "is_authenticated", False):
        return []
    with cross_agency(reason="one person's own roles in every agency"):
        return list(
            Membership.objects.unscoped()  # unscoped: one person's roles in every agency (staff home, switcher)
            .filter(user=user, agency__is_active=True)
            .select_related("agency")
            .order_by("agency__name")
        )


def membership_get(*, user, agency: Agency) -> Membership | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    with cross_agency(reason="the user's role in an agency, read before that agency's scope is set"):
        return (
            Membership.objects.unscoped()  # unscoped: filtered by the agency given, before its scope is set
            .filter(user=user, agency=agency)
            .first()
        )


def agency_ids_for_user(*, user, roles: Iterable[str] | None = None) -> frozenset[int]:
    """The agencies where `user` holds one of `roles` (any role when None). Superusers: all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Agency.objects.values_list("pk", flat=True))
    memberships = Membership.objects.unscoped().filter(  # unscoped: one person's roles in every agency
        user=user, agency__is_active=True
    )
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    with cross_agency(reason="the agencies one person works for"):
        return frozenset(memberships.values_list("agency_id", flat=True))


def user_has_role(*, user, agency: Agency, roles: Iterable[str]) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    membership = membership_get(user=user, agency=agency)
    return membership is not None and membership.role in set(roles)


def pii_masked_kinds(*, user, agency: Agency) -> frozenset[str]:
    """The kinds of personal data (core.pii) hidden from `user` in `agency`'s citizens' text."""
    from core.pii import masked_kinds_for_roles

    if getattr(user, "is_superuser", False) and user.is_active:
        roles = [Role.ADMIN]
    else:
        membership = membership_get(user=user, agency=agency)
        roles = [membership.role] if membership else []
    return frozenset(masked_kinds_for_roles(agency, roles))


# Who may do what, in one place. Views, APIs, sockets and admin read these.
STAFF_ROLES = frozenset(Role.values)
SUPERVISING_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
ADMIN_ROLES = frozenset({Role.ADMIN})
