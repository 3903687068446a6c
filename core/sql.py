"""All raw SQL goes through here, with the agency it is about (`make lint` refuses it anywhere else).

    with agency_cursor(agency) as cursor:
        cursor.execute("SELECT … FROM knowledge_chunk WHERE agency_id = %s AND …", [agency.pk, …])

    rows = agency_raw(agency, Conversation, "SELECT * FROM chat_conversation WHERE id = %s AND agency_id = %s", […])

A statement that names a tenant table (the table of any model with an `agency` field) must say
`agency_id` and carry this agency's id: bound as a parameter, or written as `agency_id = <id>` (HNSW
partial indexes are matched by the planner only on a literal). Otherwise it is refused with
`TenantSQLError` before it reaches the database. This is a simple check of the text, not a SQL parser: it
makes the agency condition impossible to forget, and a reviewer checks that it is the right one.

`platform_cursor(reason)` is for statements about no agency in particular (a health check, session
settings, sequences, index maintenance): it refuses any statement that reads or writes a tenant table's
rows (SELECT, INSERT, UPDATE, DELETE, MERGE, COPY naming one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import connection as default_connection


class TenantSQLError(RuntimeError):
    """A raw statement would touch tenant rows without this agency's condition."""


_tables: frozenset[str] | None = None

# Tables of other packages' models that our migrations gave an `agency_id` column (audit migration 0007:
# django-auditlog's entries, filled by a trigger): under row-level security like the rest.
EXTRA_TENANT_TABLES = frozenset({"auditlog_logentry"})


def tenant_tables() -> frozenset[str]:
    """Tables of the models with an `agency_id` column (the tenant-owned ones, and per-agency records
    such as the audit chain and its entries)."""
    global _tables
    if _tables is None:
        from django.apps import apps

        _tables = EXTRA_TENANT_TABLES | frozenset(
            model._meta.db_table
            for model in apps.get_models()
            if any(getattr(field, "column", None) == "agency_id" for field in model._meta.concrete_fields)
        )
    return _tables


_STRING = re.compile(r"'(?:[^']|'')*'")
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_WORD = re.compile(r"[a-z_][a-z0-9_$]*")
_ROW_VERBS = re.compile(r"\b(select|insert|update|delete|merge|copy)\b")


@functools.lru_cache(maxsize=2048)  # the same few statements run again and again (a chat turn runs ~8)
def _code(sql: str) -> str:
    """The statement without string literals and comments, lower-cased (names in literals are data)."""
    return _COMMENT.sub(" ", _STRING.sub("''", sql)).lower()


@functools.lru_cache(maxsize=2048)
def tables_named(sql: str) -> frozenset[str]:
    return frozenset(_WORD.findall(_code(sql))) & tenant_tables()


def _bound(params, agency_id: int) -> bool:
    values = params.values() if isinstance(params, Mapping) else (params or ())
    return any(type(value) is int and value == agency_id for value in values)


def check_agency_sql(sql: str, params, agency_id: int) -> None:
    """Refuse `sql` if it names a tenant table without this agency's `agency_id` condition."""
    named = tables_named(sql)
    if not named:
        return
    code = _code(sql)
    if "agency_id" not in code:
        raise TenantSQLError(f"Raw SQL on {', '.join(sorted(named))} has no agency_id condition.")
    if _bound(params, agency_id):
        return
    if not re.search(rf"\bagency_id\s*=\s*{int(agency_id)}\b", code):
        raise TenantSQLError(
            f"Raw SQL on {', '.join(sorted(named))} does not carry agency {agency_id}'s id (bind it as a parameter)."
        )


def check_platform_sql(sql: str) -> None:
    """Refuse `sql` if it reads or writes a tenant table's rows."""
    named = tables_named(sql)
    if named and _ROW_VERBS.search(_code(sql)):
        raise TenantSQLError(
            f"Raw SQL reading or writing {', '.join(sorted(named))} needs the agency: use agency_cursor(agency)."
        )


def _agency_id(agency) -> int:
    agency_id = getattr(agency, "pk", agency)
    if type(agency_id) is not int:
        raise TenantSQLError(f"agency_cursor needs an agency or its id, not {agency!r}.")
    return agency_id


class _CheckedCursor:
    """Django's cursor, with every statement checked first. `driver=True` runs it on the psycopg cursor
    underneath (binary results, server-side prepared statements: `prepare=True`)."""

    def __init__(self, cursor, check):
        self._cursor = cursor
        self._check = check

    def execute(self, sql: str, params=None, *, driver: bool = False, **options):
        self._check(sql, params)
        if driver or options:
            # Through the connection's execute wrappers all the same (tenants.rls tells PostgreSQL the agency).
            def on_driver(sql, params, many, context):
                with self._cursor.db.wrap_database_errors:
                    return self._cursor.cursor.execute(sql, params, **options)

            return self._cursor._execute_with_wrappers(sql, params, many=False, executor=on_driver)
        return self._cursor.execute(sql, params)

    def executemany(self, sql: str, param_list):
        param_list = list(param_list)
        for params in param_list:
            self._check(sql, params)
        return self._cursor.executemany(sql, param_list)

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()

    def fetchmany(self, size=None):
        return self._cursor.fetchmany(size) if size is not None else self._cursor.fetchmany()

    def __iter__(self):
        return iter(self._cursor)

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self):
        return self._cursor.description


@contextmanager
def agency_cursor(agency, *, connection=None) -> Iterator[_CheckedCursor]:
    """A cursor for statements about `agency` (an Agency or its id); see the module's docstring."""
    agency_id = _agency_id(agency)
    with (connection or default_connection).cursor() as cursor:
        yield _CheckedCursor(cursor, lambda sql, params: check_agency_sql(sql, params, agency_id))


@contextmanager
def platform_cursor(reason: str, *, connection=None) -> Iterator[_CheckedCursor]:
    """A cursor for statements about no agency; `reason` says why (it shows in review, like `# unscoped:`)."""
    if not (reason or "").strip():
        raise TenantSQLError("platform_cursor needs a reason.")
    with (connection or default_connection).cursor() as cursor:
        yield _CheckedCursor(cursor, lambda sql, params: check_platform_sql(sql))


def agency_raw(agency, model, sql: str, params):
    """`model.objects.raw(sql, params)` for a statement about `agency`, checked like `agency_cursor`'s."""
    check_agency_sql(sql, params, _agency_id(agency))
    return model.objects.unscoped().raw(sql, params)  # unscoped: the statement's own agency_id condition was checked


_SCHEMA_STATEMENT = re.compile(r"^\s*(create|alter|drop|grant|revoke|comment|do)\b")


def check_schema_sql(sql: str) -> None:
    """Refuse anything but schema statements (CREATE/ALTER/DROP/GRANT/REVOKE/DO) and catalogue reads."""
    code = _code(sql)
    if _SCHEMA_STATEMENT.match(code):
        return
    if code.lstrip().startswith("select") and not tables_named(sql):
        return  # the catalogue (pg_class, pg_policy…), no tenant rows
    raise TenantSQLError("schema_cursor runs schema statements and catalogue reads only.")


@contextmanager
def schema_cursor(reason: str, *, connection) -> Iterator[_CheckedCursor]:
    """A cursor for the owner's schema statements (row-level security, grants), whose text may name tenant
    tables and even say SELECT inside a policy; `reason` says why."""
    if not (reason or "").strip():
        raise TenantSQLError("schema_cursor needs a reason.")
    with connection.cursor() as cursor:
        yield _CheckedCursor(cursor, lambda sql, params: check_schema_sql(sql))


def transaction_settings_run(raw_connection, sql: str) -> None:
    """Run one statement of `set_config(…, true)` calls (and BEGIN/COMMIT/ROLLBACK around an autocommit
    statement) on the driver's connection underneath Django: tenants.rls, which tells PostgreSQL the scope.
    It bypasses Django's execute wrappers (it runs inside one) and its query log."""
    code = _code(sql).strip()
    if not re.fullmatch(r"(begin; )?select set_config\(.*\)|begin|commit|rollback", code, re.S) or tables_named(sql):
        raise TenantSQLError(f"transaction_settings_run runs set_config and transaction control only: {sql!r}")
    raw_connection.execute(sql)
