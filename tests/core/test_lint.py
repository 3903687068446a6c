"""The tenancy lint run by `make lint` (core.lint)."""

import subprocess
import sys
import textwrap
from pathlib import Path

from core.lint import ROOT, check_source, main

BAD = textwrap.dedent(
    """
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from chat.models import Message


    def leak(agency):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM chat_message")
        connection.connection.execute("DELETE FROM chat_message")
        Message.objects.unscoped().filter(seq=1)
        Message.objects.unscoped().filter(seq=2)  # unscoped:
        Message.objects.raw("SELECT * FROM chat_message")
        Message.objects.for_agency(agency).extra(where=["1 = 1"])
        return RawSQL("SELECT 1", [])
    """
)

GOOD = textwrap.dedent(
    """
    from core.sql import agency_cursor

    from chat.models import Message


    def fine(agency, pipe):
        with agency_cursor(agency) as cursor:
            cursor.execute("SELECT * FROM chat_message WHERE agency_id = %s", [agency.pk])
        pipe.execute()  # a Redis pipeline, not SQL
        # Message.objects.unscoped() in a comment, and "connection.cursor()" in a string are not calls
        return Message.objects.unscoped().count()  # unscoped: counting every agency's lines for the platform
    """
)


def test_a_bad_file_fails_with_each_problem_named():
    problems = check_source(BAD, "leak.py")
    text = "\n".join(problems)
    assert "leak.py:9: .cursor()" in text
    assert "leak.py:11: .execute() on a connection" in text
    assert "leak.py:12: .unscoped() without" in text
    assert "leak.py:13: .unscoped() without" in text  # a reason must follow the colon
    assert "leak.py:14: .raw()" in text
    assert "leak.py:15: .extra()" in text
    assert "leak.py:16: RawSQL" in text
    assert len(problems) == 7


def test_a_good_file_passes():
    assert check_source(GOOD, "fine.py") == []


def test_the_command_fails_on_a_bad_file_and_passes_on_a_good_one(tmp_path: Path, capsys):
    (tmp_path / "leak.py").write_text(BAD)
    (tmp_path / "fine.py").write_text(GOOD)
    assert main([str(tmp_path / "leak.py")]) == 1
    assert "leak.py:9" in capsys.readouterr().out
    assert main([str(tmp_path / "fine.py")]) == 0


def test_migrations_bench_and_tests_are_exempt(tmp_path: Path):
    for folder in ("migrations", "bench", "tests"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "leak.py").write_text(BAD)
    from core.lint import python_files

    assert python_files([tmp_path]) == []


def test_the_project_passes_as_make_lint_runs_it():
    done = subprocess.run([sys.executable, "-m", "core.lint"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
