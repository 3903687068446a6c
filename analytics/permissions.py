from tenants.models import Role

# Who sees the agency's numbers: analysts, supervisors and admins (agents and caseworkers work cases).
ANALYTICS_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.ANALYST})
