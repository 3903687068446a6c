"""Retrieval lists that only the benchmarks and research helpers use (the search itself does not).

`single_dense_list`: one dense column's nearest chunks (recall of an HNSW index against an exact scan);
`dense_list`: the best cosine over both dense columns; `term_idf`: BM25 IDF of query words.
"""

from django.db import connection

from knowledge import indexes, retrieval
from knowledge.retrieval.sql import audience_filter, vector_literal


def single_dense_list(*, agency, vector, audience: str, depth: int, embedder_key: str, column: str) -> dict[int, float]:
    literal = vector_literal(vector)
    dim = len(vector)
    audience_sql, audience_params = audience_filter(audience)
    expr = indexes.vector_expression(column, dim)
    sql = (
        f"SELECT id, 1 - ({expr} <=> %s::vector({dim})) FROM knowledge_chunk "  # noqa: S608 - ints only
        f"WHERE agency_id = {int(agency.pk)} AND is_live AND embedder = %s AND {column} IS NOT NULL"
        f"{audience_sql} ORDER BY {expr} <=> %s::vector({dim}) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [literal, embedder_key, *audience_params, literal, depth])
        return {row[0]: float(row[1]) for row in cursor.fetchall()}


def dense_list(
    *, agency, vector, audience: str, depth: int, embedder_key: str, exact: bool = False
) -> dict[int, float]:
    """chunk id → best cosine similarity over the chunk's body and heading vectors."""
    return retrieval.dense_pairs(
        agency=agency, vector=vector, audience=audience, depth=depth, embedder_key=embedder_key, exact=exact
    ).best()


def term_idf(*, agency, terms: list[str]) -> dict[str, float]:
    return retrieval.bm25_idf(*retrieval.term_stats(agency=agency, terms=terms))
