"""Who may see and work a case (a service request or a registration): the one place that decides it.

- Admins, supervisors, agents and analysts see every case of their agency (their role says so).
- A caseworker sees the cases of their departments (computed from `Membership.departments` and the
  case's department on every request, so a reassignment or a membership change counts at once) plus the
  cases shared with them one by one. Shares are django-guardian object permissions held in each case
  type's direct foreign-key permission tables (`ServiceRequestUserPermission`, `RegistrationUserPermission`):
  `view_<model>` to read, with `change_<model>` to act (status, assignment, notes). Those tables are
  tenant-owned (they carry `agency_id`, their manager fails closed, row-level security covers them).
- Lists ask guardian (`get_objects_for_user`) in the same SQL statement as the department rule; a detail
  asks guardian's `ObjectPermissionChecker` (prefetched for a page of rows, so a list is not N+1).

Why departments are not guardian group permissions: a case's department changes in batch routing
(`bulk_update`), reassignment and merges, and department membership changes in the admin; group
permission rows would have to follow every one of those writes, and a row left behind would show a case to
the wrong department. The department rule is one indexed predicate over data that is always current;
guardian holds what is not derived from anything: a supervisor's decision to share one case with one person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker
from guardian.managers import GroupObjectPermissionManager, UserObjectPermissionManager
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from guardian.shortcuts import get_objects_for_user

from tenants.managers import TenantManager
from tenants.models import Role, TenantOwned
from tenants.selectors import SUPERVISING_ROLES, membership_get

# Roles that see every case of the agency; a caseworker sees their departments' and shared ones.
AGENCY_WIDE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.ANALYST})
SHARING_ROLES = SUPERVISING_ROLES
SHAREABLE_ROLES = frozenset({Role.CASEWORKER})  # the other roles already see every case


class CaseUserPermissionManager(TenantManager, UserObjectPermissionManager):
    """Guardian's manager for a direct user-permission table, scoped to the agency like every tenant table."""


class CaseGroupPermissionManager(TenantManager, GroupObjectPermissionManager):
    """Guardian's manager for a direct group-permission table, scoped to the agency."""


# The direct foreign-key permission tables of a case model (a service request, a registration): tenant-owned
# and, in each app, audited. A concrete table names its case model in `content_object` and its own Meta
# (verbose name, indexes); the rest is the same for every case model.
class CaseUserPermission(TenantOwned, UserObjectPermissionBase):
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseUserPermissionManager()

    class Meta(UserObjectPermissionBase.Meta):
        abstract = True
        unique_together = [("user", "permission", "content_object")]


class CaseGroupPermission(TenantOwned, GroupObjectPermissionBase):
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseGroupPermissionManager()

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True
        unique_together = [("group", "permission", "content_object")]


@dataclass(frozen=True)
class CaseAccess:
    """One person's access to one agency's cases. `department_ids` is None when the role sees every case."""

    user: object
    role: str | None
    department_ids: frozenset[int] | None
    in_groups: bool = False
    # What guardian answered for a list in this request, by model label: the ids shared with this person.
    shared_ids: dict[str, frozenset[int]] = field(default_factory=dict, compare=False)

    @property
    def sees_all(self) -> bool:
        return self.department_ids is None


def case_access(*, agency, user) -> CaseAccess:
    """Read once per request (kept on the user object, which is per request)."""
    cache = user.__dict__.setdefault("_case_access", {})
    if agency.pk not in cache:
        if getattr(user, "is_superuser", False) and user.is_active:
            cache[agency.pk] = CaseAccess(user, Role.ADMIN, None)
        else:
            membership = membership_get(user=user, agency=agency)
            if membership is None:
                cache[agency.pk] = CaseAccess(user, None, frozenset())
            elif membership.role in AGENCY_WIDE_ROLES:
                cache[agency.pk] = CaseAccess(user, membership.role, None)
            else:
                departments = frozenset(membership.departments.values_list("pk", flat=True))
                cache[agency.pk] = CaseAccess(user, membership.role, departments, user.groups.exists())
    return cache[agency.pk]


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def cases_visible(queryset: QuerySet, *, access: CaseAccess, department_field: str) -> QuerySet:
    """`queryset` (one agency's cases) narrowed to what `access` may see: its departments' cases and the
    ones guardian says were shared with it, in one statement."""
    if access.role is None:
        return queryset.none()
    if access.sees_all:
        return queryset
    # Guardian answers which of the agency's cases were shared with this person, in its own small query
    # (a person holds a few shares); the list itself then stays one plain indexed filter. Folding
    # guardian's subqueries into the list's statement doubled the queue's time at 10,000 requests
    # (bench/requests/RESULTS.md).
    shared_ids = list(
        get_objects_for_user(
            access.user,
            _perm(queryset.model, "view"),
            klass=queryset,
            with_superuser=False,
            accept_global_perms=False,
            # Shares go to people. Guardian ORs the group grants in as a second subquery, which makes
            # PostgreSQL scan every case of the agency: asked only of someone who is in a group at all.
            use_groups=access.in_groups,
        ).values_list("pk", flat=True)
    )
    access.shared_ids[queryset.model._meta.label] = frozenset(shared_ids)
    visible = Q(pk__in=shared_ids) if shared_ids else Q(pk__in=[])
    if access.department_ids:
        visible |= Q(**{f"{department_field}__in": access.department_ids})
    return queryset.filter(visible)


def _department_of(case, department_field: str):
    """The case's department id, following `form__department`-style paths (related rows select_related)."""
    *path, last = department_field.split("__")
    for part in path:
        case = getattr(case, part)
    return getattr(case, f"{last}_id")


class CaseChecker:
    """Per-case answers for one person: may they see it, may they act on it, was it shared with them.

    `prefetch(cases)` reads guardian's grants for a whole page in one query."""

    def __init__(self, *, access: CaseAccess, department_field: str, act_roles):
        self.access = access
        self.department_field = department_field
        self.act_roles = frozenset(act_roles)
        self._checker = ObjectPermissionChecker(access.user)

    def prefetch(self, cases) -> None:
        """Read guardian's grants for all of `cases` at once (a page of a list, related cases on a page)."""
        cases = [case for case in cases if not self.in_department(case)]
        if cases and not self.access.sees_all and self.access.role is not None:
            self._checker.prefetch_perms(cases)

    def in_department(self, case) -> bool:
        department_ids = self.access.department_ids
        return bool(department_ids) and _department_of(case, self.department_field) in department_ids

    def shared(self, case) -> bool:
        """Visible through a grant (and not otherwise)."""
        if self.access.sees_all or self.access.role is None or self.in_department(case):
            return False
        listed = self.access.shared_ids.get(case._meta.label)
        if listed is not None:  # the list this case came from asked guardian already (cases_visible)
            return case.pk in listed
        return self._checker.has_perm(f"view_{case._meta.model_name}", case)

    def can_view(self, case) -> bool:
        if self.access.role is None:
            return False
        if self.access.sees_all or self.in_department(case):
            return True
        return self._checker.has_perm(f"view_{case._meta.model_name}", case)

    def can_act(self, case) -> bool:
        if self.access.role not in self.act_roles:
            return False
        if self.access.sees_all or self.in_department(case):
            return True
        return self._checker.has_perm(f"change_{case._meta.model_name}", case)


# --- sharing (writes) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseShare:
    user: object
    public_name: str
    act: bool


def _grant_model(case):
    from guardian.models import UserObjectPermissionBase
    from guardian.utils import get_obj_perms_model

    model = get_obj_perms_model(case, UserObjectPermissionBase, None)
    if model is None or not issubclass(model, models.Model):
        raise RuntimeError(f"{case._meta.label} has no direct user-permission table")
    return model


def _permissions(case) -> dict[str, Permission]:
    model = case._meta.model_name
    found = Permission.objects.filter(
        content_type__app_label=case._meta.app_label, codename__in=[f"view_{model}", f"change_{model}"]
    )
    return {perm.codename.split("_", 1)[0]: perm for perm in found}


def case_shares(*, agency, case) -> list[CaseShare]:
    """Who this case is shared with, by name, and whether they may act."""
    grants = (
        _grant_model(case)
        .objects.for_agency(agency)
        .filter(content_object=case)
        .select_related("user", "permission")
        .order_by("user__username")
    )
    by_user: dict[int, list] = {}
    for grant in grants:
        by_user.setdefault(grant.user_id, []).append(grant)
    names = _member_names(agency=agency, user_ids=list(by_user))
    return [
        CaseShare(
            user=items[0].user,
            public_name=names.get(user_id, items[0].user.get_username()),
            act=any(g.permission.codename.startswith("change_") for g in items),
        )
        for user_id, items in by_user.items()
    ]


def _member_names(*, agency, user_ids) -> dict[int, str]:
    from tenants.models import Membership

    members = Membership.objects.for_agency(agency).filter(user_id__in=user_ids).select_related("user")
    return {m.user_id: f"{m.public_name} ({m.user.get_username()})" for m in members}


def share_candidates(*, agency):
    """Staff a case can be shared with: the agency's active caseworkers."""
    from tenants.models import Membership

    return (
        Membership.objects.for_agency(agency)
        .filter(role__in=list(SHAREABLE_ROLES), user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def _check_sharer(*, agency, actor) -> None:
    if not (getattr(actor, "is_superuser", False) and actor.is_active):
        membership = membership_get(user=actor, agency=agency)
        if membership is None or membership.role not in SHARING_ROLES:
            raise ValidationError(_("Only supervisors and administrators share cases."))


@transaction.atomic
def case_share(*, agency, actor, case, user, act: bool) -> None:
    """Share `case` with `user` (a caseworker of the same agency): read, or read and act. Sharing again
    with the other level replaces the first. Each grant and removal is an entry in the audit trail."""
    _check_sharer(agency=agency, actor=actor)
    if case.agency_id != agency.pk:
        raise ValidationError(_("This case belongs to another agency."))
    membership = membership_get(user=user, agency=agency) if user is not None else None
    if membership is None or not user.is_active:
        raise ValidationError({"user": [_("Choose a staff member of this agency.")]})
    if membership.role not in SHAREABLE_ROLES:
        raise ValidationError({"user": [_("This person already sees every case of the agency.")]})
    model = _grant_model(case)
    perms = _permissions(case)
    wanted = {"view", "change"} if act else {"view"}
    held = {
        grant.permission.codename.split("_", 1)[0]: grant
        for grant in model.objects.for_agency(agency)
        .select_for_update()
        .filter(content_object=case, user=user)
        .select_related("permission")
    }
    for kind in wanted - set(held):
        # One row per permission, created (not bulk) so each is an audit entry with the actor.
        model.objects.create(agency=agency, content_object=case, user=user, permission=perms[kind])
    for kind in set(held) - wanted:
        held[kind].delete()


@transaction.atomic
def case_unshare(*, agency, actor, case, user) -> int:
    """Take back every permission `user` was given on `case`; returns how many were removed."""
    _check_sharer(agency=agency, actor=actor)
    if case.agency_id != agency.pk:
        raise ValidationError(_("This case belongs to another agency."))
    grants = list(_grant_model(case).objects.for_agency(agency).filter(content_object=case, user=user))
    for grant in grants:
        grant.delete()  # one audit entry each
    return len(grants)
