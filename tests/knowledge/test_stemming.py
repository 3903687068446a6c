"""Full text stems passages and questions with PostgreSQL's configuration of their language (issue 19):
"arreglan los baches" finds "arreglar un bache", "Schlaglöcher" finds "Schlagloch"; Chinese keeps its bigrams,
English its surface forms (measured better with MiniLM)."""

import dataclasses

import pytest
from django.db import connection

from knowledge import retrieval
from knowledge.models import Chunk
from knowledge.text import FTS_CONFIGS, fts_config
from tenants.context import agency_context

BACHE = "Arreglar un bache lleva cinco días hábiles desde el aviso."
SCHLAGLOCH = "Ein Schlagloch wird innerhalb von fünf Werktagen repariert."


def test_each_language_has_its_postgresql_configuration(db):
    assert fts_config("es") == "spanish" and fts_config("de") == "german" and fts_config("fr-CA") == "french"
    assert fts_config("en") == "simple"  # measured worse stemmed next to MiniLM (bench/knowledge/RESULTS.md)
    assert fts_config("zh-hans") == "simple" and fts_config("vi") == "simple" and fts_config(None) == "simple"
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        known = {row[0] for row in cursor.fetchall()}
    assert set(FTS_CONFIGS.values()) <= known  # every configuration named exists in PostgreSQL


@pytest.mark.parametrize(
    ("language", "content", "question", "inflected"),
    [
        ("es", BACHE, "¿Cuándo arreglan los baches?", "baches"),
        ("de", SCHLAGLOCH, "Wie lange dauert die Reparatur der Schlaglöcher?", "schlaglöcher"),
    ],
)
def test_an_inflected_question_finds_the_passage_by_full_text(
    agency_a, publish, language, content, question, inflected
):
    document, _version = publish(agency_a, title="Calles", content=content, language=language)
    with agency_context(agency_a):
        chunk = Chunk.objects.for_agency(agency_a).get(document=document)
        plan = retrieval.search_plan(agency=agency_a, query=question)
        assert plan.language == language and inflected in plan.terms
        stemmed = retrieval.pipeline._fulltext_list(agency=agency_a, plan=plan)
        surface = dataclasses.replace(plan, config=dataclasses.replace(plan.config, stemming=False))
        unstemmed = retrieval.pipeline._fulltext_list(agency=agency_a, plan=surface)
    assert chunk.pk in stemmed  # the stem matches ("bach" in "baches" and "bache")
    assert chunk.pk not in unstemmed  # the surface forms do not: the test fails without stemming


def test_chinese_passages_keep_their_bigrams(agency_a, publish):
    document, _version = publish(agency_a, title="垃圾", content="垃圾每周收集一次。", language="zh-hans")
    with agency_context(agency_a):
        chunk = Chunk.objects.for_agency(agency_a).get(document=document)
        plan = retrieval.search_plan(agency=agency_a, query="垃圾什么时候收集")
        assert chunk.pk in retrieval.pipeline._fulltext_list(agency=agency_a, plan=plan)


def test_the_reindex_migration_stems_existing_chunks_in_their_language(agency_a, publish):
    """knowledge 0006 rebuilds every chunk's column; here a chunk indexed the old way ('simple') is rebuilt."""
    import importlib

    from django.db import connection as conn

    migration = importlib.import_module("knowledge.migrations.0006_fulltext_stemming")
    document, _version = publish(agency_a, title="Calles", content=BACHE, language="es")
    with agency_context(agency_a):
        chunk = Chunk.objects.for_agency(agency_a).get(document=document)
    with conn.schema_editor(atomic=True) as editor:
        migration.unstem(None, editor)
        with editor.connection.cursor() as cursor:
            cursor.execute("SELECT search::text FROM knowledge_chunk WHERE id = %s", [chunk.pk])
            assert "'arreglar'" in cursor.fetchone()[0]
        migration.reindex(None, editor)
        with editor.connection.cursor() as cursor:
            cursor.execute("SELECT search::text FROM knowledge_chunk WHERE id = %s", [chunk.pk])
            text = cursor.fetchone()[0]
    assert "'arregl'" in text and "'bach'" in text and "'arreglar'" not in text
