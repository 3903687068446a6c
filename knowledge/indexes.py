"""Per-agency partial HNSW indexes for the vector columns.

pgvector before 0.8 filters *after* an HNSW scan: with one shared index, "agency = X" keeps only the
few of the ef_search nearest neighbours that belong to X, and results go missing. One partial index per
agency (`WHERE agency_id = X AND is_live …`) makes the filter part of the index, so an approximate scan
only ever walks that agency's live chunks. Small agencies need no index at all: an exact scan of a few
thousand rows is fast and exact. `agency_indexes_ensure` is called when an agency's knowledge base grows.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections

from core.sql import agency_cursor, platform_cursor
from tenants.context import agency_context
from tenants.dbroles import owner_alias

logger = logging.getLogger(__name__)


SHARED_COLUMNS = ("shared_embedding", "shared_heading_embedding")


def vector_expression(column: str, dim: int) -> str:
    # The dense columns are untyped (the dimension depends on the embedder); HNSW needs a typed
    # expression, and the query must use the same expression for the planner to pick the index.
    if column == "lexical" or column in SHARED_COLUMNS:
        return column
    return f"({column}::vector({int(dim)}))"


def prepare_session(ef_search: int) -> None:
    """Per-transaction search settings (call inside `transaction.atomic()`)."""
    with platform_cursor("a search setting of this transaction") as cursor:
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(int(ef_search))])


def hnsw_threshold() -> int:
    return int(getattr(settings, "KNOWLEDGE_HNSW_MIN_CHUNKS", 5000))


def index_name(agency_id: int, column: str, audience: str, dim: int | None = None) -> str:
    # The agency id comes last: `existing_indexes` finds an agency's indexes by that suffix.
    dim_part = f"{int(dim)}_" if dim else ""
    return f"kn_hnsw_{column[:9]}_{audience[:3]}_{dim_part}{int(agency_id)}"


def existing_indexes(agency_id: int) -> set[str]:
    """The agency's own indexes: names ending in exactly `_<agency id>`. (Not a LIKE pattern: `_` is a
    wildcard there, so agency 1's pattern also matched agencies 11, 21, 101….)"""
    with platform_cursor("the catalogue of indexes (no tenant rows)") as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'knowledge_chunk' AND indexname ~ %s",
            [f"^kn_hnsw_[a-z_0-9]+_{int(agency_id)}$"],
        )
        return {row[0] for row in cursor.fetchall() if row[0].rsplit("_", 1)[1] == str(int(agency_id))}


def _dense_dims(agency_id: int) -> list[tuple[str, int]]:
    with agency_cursor(agency_id) as cursor:
        cursor.execute(
            "SELECT DISTINCT embedder, vector_dims(embedding) FROM knowledge_chunk "
            "WHERE agency_id = %s AND is_live AND embedding IS NOT NULL",
            [int(agency_id)],
        )
        return [(row[0], int(row[1])) for row in cursor.fetchall()]


def _live_count(agency) -> int:
    # In the agency's own scope whatever the caller's: under row-level security a count outside it is 0,
    # and a large agency's indexes would then be dropped as if it had shrunk.
    with agency_context(agency), agency_cursor(agency) as cursor:
        cursor.execute("SELECT count(*) FROM knowledge_chunk WHERE agency_id = %s AND is_live", [int(agency.pk)])
        return int(cursor.fetchone()[0])


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def planned_indexes(agency_id: int) -> dict[str, str]:
    """name → CREATE INDEX statement for the agency's current live data."""
    agency_id = int(agency_id)
    statements = {}
    audiences = {"all": "", "public": " AND audience = 'public'"}
    for audience, audience_sql in audiences.items():
        name = index_name(agency_id, "lexcos", audience)
        statements[name] = (
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON knowledge_chunk USING hnsw (lexical vector_cosine_ops) "
            f"WHERE agency_id = {agency_id} AND is_live AND lexical IS NOT NULL{audience_sql}"
        )
        # The shared multilingual space (answers across languages, `retrieval.crosslingual`): typed columns.
        for column in SHARED_COLUMNS:
            name = index_name(agency_id, column, audience)
            statements[name] = (
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON knowledge_chunk USING hnsw ({column} "
                f"vector_cosine_ops) WHERE agency_id = {agency_id} AND is_live AND {column} IS NOT NULL{audience_sql}"
            )
        for embedder, dim in _dense_dims(agency_id):
            for column in ("embedding", "heading_embedding"):
                name = index_name(agency_id, column, audience, dim)
                statements[name] = (
                    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON knowledge_chunk USING hnsw "
                    f"({vector_expression(column, dim)} vector_cosine_ops) WHERE agency_id = {agency_id} AND is_live "
                    f"AND embedder = {_quote(embedder)} AND {column} IS NOT NULL{audience_sql}"
                )
    return statements


def agency_indexes_ensure(*, agency, force: bool | None = None) -> dict:
    """Create the agency's partial HNSW indexes once it is large enough; drop them when it shrinks.

    Runs outside a transaction (CREATE INDEX CONCURRENTLY): searches keep working meanwhile, exactly.
    """
    count = _live_count(agency)
    threshold = hnsw_threshold()
    wanted = force if force is not None else count >= threshold
    existing = existing_indexes(agency.pk)
    created, dropped = [], []
    statements = []  # (DDL with CONCURRENTLY, the index it is about)
    if wanted:
        planned = planned_indexes(agency.pk)
        for name in sorted(existing - set(planned)):  # e.g. vectors of an embedder no longer used
            statements.append((f"DROP INDEX CONCURRENTLY IF EXISTS {name}", name))
            dropped.append(name)
        for name, statement in planned.items():
            if name not in existing:
                statements.append((statement, name))
                created.append(name)
    elif force is False or count < threshold // 2:
        for name in sorted(existing):
            statements.append((f"DROP INDEX CONCURRENTLY IF EXISTS {name}", name))
            dropped.append(name)
    if statements:
        # Indexes are DDL: the tables' owner builds them (the app's role may not), on its own connection.
        ddl_connection = connections[owner_alias()]
        # CONCURRENTLY keeps searches and indexing running meanwhile; it cannot run inside a transaction.
        concurrently = "" if ddl_connection.in_atomic_block else "CONCURRENTLY "
        with platform_cursor("an agency's vector indexes, built by the owner", connection=ddl_connection) as cursor:
            if ddl_connection.in_atomic_block:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # DDL refuses to run with deferred checks pending
            for statement, _name in statements:
                cursor.execute(statement.replace("CONCURRENTLY ", concurrently))
    if created or dropped:
        logger.info(
            "Agency %s vector indexes: created %s, dropped %s (%s live chunks)", agency.pk, created, dropped, count
        )
    return {"live_chunks": count, "created": created, "dropped": dropped}
