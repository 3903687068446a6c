"""Row-level security: PostgreSQL enforces the agency too, below the ORM's fail-closed scope.

Every table with an `agency_id` column has row-level security ENABLED and FORCED, with one policy:

    agency_id = current_setting('civicdesk.agency_id', true)::bigint        -- one agency (web, API, sockets, tasks)
    OR agency_id = ANY (current_setting('civicdesk.agency_ids', true)::bigint[])   -- the admin's agencies
    OR current_setting('civicdesk.cross_agency', true) = 'on'              -- tenants.context.cross_agency()

(each read once per statement, and '' read as "none"), so a statement with no agency set sees and changes
nothing. The settings are transaction-local (`set_config(…, true)`, SET LOCAL semantics): nothing outlives
the transaction, so a pooled connection (psycopg's pool, PgBouncer in transaction mode, CONN_MAX_AGE) never
carries one request's agency into the next.

`scope_statement`, an execute wrapper installed on every connection of the app's alias, tells PostgreSQL
the scope of `tenants.context` before a statement runs:
- inside a transaction (an atomic block), once per transaction, and again when the scope has changed or a
  savepoint it was set in has ended;
- in autocommit (outside atomic blocks every statement is its own transaction), a statement that names a
  tenant table runs as BEGIN, `set_config(…)`, the statement, COMMIT, sent together in libpq's pipeline mode
  (one round trip; a server-side cursor's or `executemany`'s, in three); others run as they are.

`secure_tenant_tables()` (after every `migrate`, tenants.dbroles) puts every such table under the policy,
the tables of apps added later included; tests/test_rls.py fails for any table that is not. Link tables
without `agency_id` (many-to-many tables such as a membership's departments) get a policy through their
parents instead: a link row is visible and writable only when the tenant rows it points at are.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from core.sql import schema_cursor, tables_named, transaction_settings_run
from tenants import context

AGENCY = "civicdesk.agency_id"
AGENCIES = "civicdesk.agency_ids"
CROSS = "civicdesk.cross_agency"
POLICY = "civicdesk_agency"

NOTHING = ("", "", "")

_STATE = "_civicdesk_rls"  # on the Django connection: (settings, savepoint ids when set) in this transaction


def wanted() -> tuple[str, str, str]:
    """The three settings for the current scope (strings; '' for none)."""
    scope = context._scope.get()
    cross = "on" if context.cross_agency_reason() else ""
    if scope is None:
        return ("", "", cross)
    if isinstance(scope, context.AgencySetScope):
        return ("", "{" + ",".join(str(int(pk)) for pk in sorted(scope.agency_ids)) + "}", cross)
    return (str(int(scope.pk)), "", cross)


def _set_sql(values: tuple[str, str, str]) -> str:
    # The values are digits, braces and commas, or 'on' (built above): safe as literals, and a literal
    # statement goes in the simple protocol (no parse/bind round trip).
    agency, agencies, cross = values
    return (
        f"SELECT set_config('{AGENCY}', '{agency}', true), set_config('{AGENCIES}', '{agencies}', true), "
        f"set_config('{CROSS}', '{cross}', true)"
    )


def _names_tenant_table(sql) -> bool:
    return isinstance(sql, str) and bool(tables_named(sql))


def _in_transaction(connection) -> bool:
    return connection.in_atomic_block or not connection.get_autocommit()


def prepare(connection, sql) -> bool:
    """Before `sql` runs on `connection` inside a transaction: tell PostgreSQL the scope if it does not
    know it yet. Returns False when the statement runs in autocommit and must be wrapped (`run_scoped`)."""
    from psycopg.pq import TransactionStatus

    raw = connection.connection
    status = raw.info.transaction_status
    if not _in_transaction(connection):
        return False
    if status == TransactionStatus.INERROR:
        return True  # the transaction is failed: the statement (a rollback) must run as it is
    want = wanted()
    state = getattr(connection, _STATE, None)
    if status == TransactionStatus.IDLE:
        state = None  # the transaction starts with this statement: whatever was set before is gone
        setattr(connection, _STATE, None)
    savepoints = tuple(connection.savepoint_ids)
    if state is not None:
        values, set_in = state
        # Still in force if set at this savepoint depth or outside it (a savepoint rolled back undoes it).
        if values == want and savepoints[: len(set_in)] == set_in:
            return True
    elif want == NOTHING:
        return True  # nothing set in this transaction, nothing wanted
    transaction_settings_run(raw, _set_sql(want))
    setattr(connection, _STATE, (want, savepoints))
    return True


def run_scoped(connection, sql, run, *, pipelined: bool = False):
    """`run()` (the statement) in autocommit: in a transaction of its own that knows the scope, if it names a
    tenant table and there is a scope; as it is otherwise (with no scope it sees no tenant rows).

    `pipelined` (one statement on a client-side cursor): BEGIN, the scope, the statement and COMMIT go to
    PostgreSQL together in libpq's pipeline mode, one round trip instead of three. The statement's results
    are read (by the driver, into the cursor) before this returns, as without the pipeline."""
    want = wanted()
    if want == NOTHING or not _names_tenant_table(sql):
        return run()
    raw = connection.connection
    if pipelined:
        return _run_pipelined(connection, raw, want, run)
    transaction_settings_run(raw, "BEGIN; " + _set_sql(want))
    try:
        result = run()
    except BaseException:
        transaction_settings_run(raw, "ROLLBACK")
        raise
    transaction_settings_run(raw, "COMMIT")
    return result


def _run_pipelined(connection, raw, want, run):
    from psycopg.pq import TransactionStatus

    try:
        # An error inside (the statement's, reported when the pipeline syncs) skips the rest, COMMIT included;
        # the driver's error becomes Django's, as a statement's error does outside the pipeline.
        with connection.wrap_database_errors, raw.pipeline():
            transaction_settings_run(raw, "BEGIN")
            transaction_settings_run(raw, _set_sql(want))
            result = run()
            transaction_settings_run(raw, "COMMIT")
    except BaseException:
        if not raw.closed and raw.info.transaction_status != TransactionStatus.IDLE:
            transaction_settings_run(raw, "ROLLBACK")
        raise
    return result


def _client_cursor(context_) -> bool:
    import psycopg

    cursor = getattr(context_.get("cursor"), "cursor", None)  # Django's wrapper around the driver's cursor
    # Not a server-side (named) cursor (`QuerySet.iterator()`), which pipelines cannot hold (psycopg's ServerCursor
    # is a Cursor too).
    return isinstance(cursor, psycopg.Cursor) and not isinstance(cursor, psycopg.ServerCursor)


def scope_statement(execute, sql, params, many, context_):
    """The execute wrapper (see the module's docstring)."""
    connection = context_["connection"]
    if prepare(connection, sql):
        return execute(sql, params, many, context_)
    return run_scoped(
        connection, sql, lambda: execute(sql, params, many, context_), pipelined=not many and _client_cursor(context_)
    )


def install(sender, connection, **kwargs) -> None:
    """connection_created: every connection of the app's alias tells PostgreSQL its scope."""
    if connection.alias != DEFAULT_DB_ALIAS or connection.vendor != "postgresql":
        return
    if scope_statement not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, scope_statement)
    setattr(connection, _STATE, None)


# --- the policies -----------------------------------------------------------------------------------

_USING = (
    f"agency_id = (SELECT nullif(current_setting('{AGENCY}', true), '')::bigint)"
    f" OR agency_id = ANY ((SELECT nullif(current_setting('{AGENCIES}', true), ''))::bigint[])"
    f" OR (SELECT current_setting('{CROSS}', true)) = 'on'"
)

TENANT_TABLES_SQL = """
SELECT c.relname
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'agency_id' AND NOT a.attisdropped
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
 ORDER BY c.relname
"""


# Tables without `agency_id` that point at tenant tables (many-to-many links such as a membership's
# departments): a row belongs to the agency of the rows it links, so it is visible and writable only when
# every tenant row it points at is (those tables' own policies decide; NULL links are no restriction).
LINK_TABLES_SQL = """
SELECT c.relname, a.attname, pc.relname, pa.attname
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_class pc ON pc.oid = k.confrelid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
  JOIN pg_attribute pa ON pa.attrelid = pc.oid AND pa.attnum = k.confkey[1]
 WHERE k.contype = 'f' AND cardinality(k.conkey) = 1 AND n.nspname = 'public' AND c.relkind IN ('r', 'p')
   AND NOT EXISTS (SELECT 1 FROM pg_attribute x
                    WHERE x.attrelid = c.oid AND x.attname = 'agency_id' AND NOT x.attisdropped)
   AND EXISTS (SELECT 1 FROM pg_attribute x
                WHERE x.attrelid = pc.oid AND x.attname = 'agency_id' AND NOT x.attisdropped)
 ORDER BY c.relname, a.attname
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def link_tables(cursor) -> dict[str, str]:
    """{link table: its policy's expression} for every table without `agency_id` that points at tenant tables."""
    cursor.execute(LINK_TABLES_SQL)
    parts: dict[str, list[str]] = {}
    for table, column, parent, parent_column in cursor.fetchall():
        parts.setdefault(table, []).append(
            # Catalogue names, each quoted as an identifier: no outside text reaches this statement.
            f"({_quoted(column)} IS NULL OR EXISTS (SELECT 1 FROM {_quoted(parent)} p"  # noqa: S608
            f" WHERE p.{_quoted(parent_column)} = {_quoted(table)}.{_quoted(column)}))"
        )
    return {table: " AND ".join(conditions) for table, conditions in parts.items()}


def secure_tenant_tables(connection) -> list[str]:
    """Enable and force row-level security, with the agency policy, on every table with `agency_id` that
    lacks it (idempotent; run as the owner after every migrate). Returns the tables it changed."""
    changed = []
    with schema_cursor("row-level security on every tenant table", connection=connection) as cursor:
        cursor.execute(TENANT_TABLES_SQL)
        tables = [row[0] for row in cursor.fetchall()]
        using = dict.fromkeys(tables, _USING)
        using.update(link_tables(cursor))
        tables = sorted(using)
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relname = ANY(%s)",
            [POLICY, tables],
        )
        state = {name: (enabled, forced, has_policy) for name, enabled, forced, has_policy in cursor.fetchall()}
        for table in tables:
            enabled, forced, has_policy = state[table]
            quoted = _quoted(table)
            if not has_policy:
                expression = using[table]
                cursor.execute(
                    f"CREATE POLICY {POLICY} ON {quoted} AS PERMISSIVE FOR ALL USING ({expression})"
                    f" WITH CHECK ({expression})"
                )
            if not enabled:
                cursor.execute(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
            if not forced:
                cursor.execute(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
            if not (enabled and forced and has_policy):
                changed.append(table)
    return changed
