"""`manage.py` on a fresh checkout: the embedded database is migrated before a command needs it, and a
database given by DATABASE_URL without tables gets one line saying what to run (never a traceback)."""

import json
import shutil
import uuid

import psycopg
import pytest
from django.conf import settings

from tests.test_settings import run_manage

KB = {"id": "k1", "title": "When is trash collected?", "text": "Trash is collected every Monday.", "lang": "en"}
QUERY = {"query": "which day is trash collected", "relevant": ["k1"], "lang": "en"}


@pytest.fixture
def eval_dir(tmp_path):
    (tmp_path / "kb.jsonl").write_text(json.dumps(KB))
    (tmp_path / "queries.jsonl").write_text(json.dumps(QUERY))
    return tmp_path


@pytest.fixture
def empty_database():
    name = f"civicdesk_empty_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(settings.DATABASE_OWNER_URL, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield settings.DATABASE_URL.replace("/civicdesk?", f"/{name}?")
    with psycopg.connect(settings.DATABASE_OWNER_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_database_without_tables_gets_one_line_not_a_traceback(eval_dir, empty_database):
    result = run_manage(
        "eval_retrieval",
        str(eval_dir),
        extra_env={"DATABASE_URL": empty_database, "REDIS_URL": settings.REDIS_URL, "KNOWLEDGE_EMBEDDER": "none"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        'CivicDesk: the database has no tables yet (relation "tenants_agency" does not exist): '
        "run `python manage.py migrate` first."
    ]


def test_a_fresh_embedded_database_is_migrated_before_the_command(eval_dir):
    var_dir = settings.BASE_DIR / "var" / f"test-fresh-{uuid.uuid4().hex[:8]}"
    try:
        result = run_manage(
            "eval_retrieval",
            str(eval_dir),
            "--json",
            extra_env={
                "CIVICDESK_VAR_DIR": str(var_dir),
                "DATABASE_URL": "",
                "REDIS_URL": "",
                "KNOWLEDGE_EMBEDDER": "none",
            },
            # a new embedded server: initdb, every migration, the command, then the server stops (at load 7,
            # 120 s passed after the command had printed its result)
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "applying migrations to the embedded database" in result.stderr
        assert json.loads(result.stdout.strip().splitlines()[-1])["n"] == 1
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
