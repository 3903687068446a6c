"""The two database roles: the owner (migrations, maintenance) and the application's role.

The application connects as a role that owns no table, is no superuser and has no BYPASSRLS
(`DATABASES["default"]`, DATABASE_URL); the owner connects through `DATABASES["owner"]`
(DATABASE_OWNER_URL). After every `migrate` (which runs as the owner) the app role is given exactly
what it needs: row access (SELECT, INSERT, UPDATE, DELETE) to every table and the use of every sequence,
now and for tables created later (default privileges) — never TRUNCATE, REFERENCES, TRIGGER or DDL.
With one role for both (no DATABASE_OWNER_URL), there is nothing to grant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections

OWNER = "owner"

# SECURITY DEFINER functions the app role may execute (nothing else runs with the owner's rights).
APP_FUNCTIONS = (
    "civicdesk_sequence_ensure(text)",  # tenants migration 0006: a reference-number sequence
    "audit_prune_prefix(bigint, bigint)",  # audit migration 0005: retention of a chain's oldest run
    "audit_drop_chain(bigint)",  # audit migration 0008: a deleted throwaway agency's whole trail
)


def owner_alias() -> str:
    return OWNER if OWNER in settings.DATABASES else "default"


def _role(alias: str) -> str | None:
    return connections[alias].settings_dict.get("USER") or None


def app_role() -> str | None:
    """The app's role name, or None when the app connects as the owner (one role for both)."""
    app = _role("default")
    return app if app and app != _role(owner_alias()) else None


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def app_role_grant(*, using: str) -> None:
    """Give the app role its row access on the database `using` points at (as that alias's role, the owner)."""
    role = app_role()
    if role is None:
        return
    role = _ident(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        # Row access only (REFERENCES and TRIGGER would let it attach code or locks to the owner's tables).
        f"REVOKE REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
    ]
    # Functions that run with the owner's rights and that the app may call (each does one narrow thing).
    for signature in APP_FUNCTIONS:
        statements.append(
            f"DO $$ BEGIN IF to_regprocedure('{signature}') IS NOT NULL THEN "
            f"EXECUTE 'GRANT EXECUTE ON FUNCTION {signature} TO {role.replace(chr(39), chr(39) * 2)}'; END IF; END $$"
        )
    from core.sql import platform_cursor

    with platform_cursor("grants to the application's role after migrate", connection=connections[using]) as cursor:
        for statement in statements:
            cursor.execute(statement)


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate (once per `migrate`, as the owner): grants, then row-level security on every tenant table.
    (Test cases that flush send it through the app's alias: nothing to do then.)"""
    if _role(using) != _role(owner_alias()):
        return
    app_role_grant(using=using)
    if getattr(settings, "ROW_LEVEL_SECURITY", True):
        from tenants.rls import secure_tenant_tables

        secure_tenant_tables(connections[using])
