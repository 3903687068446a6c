"""What `manage.py` does around a command, so a fresh checkout never shows a raw traceback.

- Settings that cannot work (a bad REDIS_URL, production without its secrets) are one line, not a
  traceback from inside Django's setup.
- With the embedded database (no DATABASE_URL), its migrations are applied before any command that
  reads or writes data: `manage.py eval_retrieval …` on a fresh checkout works before `make run` ever did.
- With a DATABASE_URL whose database lacks the tables, the command stops with one line saying to run
  `python manage.py migrate` (a server someone else runs is never migrated behind their back).
"""

from __future__ import annotations

import os
import sys

# Commands that manage the schema themselves or do not touch the database.
NO_MIGRATE_FIRST = frozenset(
    {
        "check",
        "collectstatic",
        "compilemessages",
        "createcachetable",
        "dbshell",
        "diffsettings",
        "findstatic",
        "help",
        "makemessages",
        "makemigrations",
        "migrate",
        "optimizemigration",
        "runstack",
        "sendtestemail",
        "showmigrations",
        "sqlmigrate",
        "sqlsequencereset",
        "squashmigrations",
        "startapp",
        "startproject",
        "test",
        "testserver",
        "version",
    }
)

MIGRATE_HINT = "run `python manage.py migrate` first"


def _fail(message: str) -> None:
    sys.stderr.write(f"CivicDesk: {message}\n")
    raise SystemExit(2)


def setup() -> None:
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        _fail(str(error))


def embedded_database() -> bool:
    return not os.environ.get("DATABASE_URL")


def migrate_embedded() -> None:
    """Apply the embedded database's pending migrations (one process at a time)."""
    import fasteners
    from django.core.management import call_command
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from portal import embedded
    from tenants.dbroles import owner_alias

    connection = connections[owner_alias()]  # migrations run as the tables' owner

    with fasteners.InterProcessLock(str(embedded.VAR_DIR / ".migrate.lock")):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            sys.stderr.write("CivicDesk: applying migrations to the embedded database (manage.py migrate)…\n")
            call_command("migrate", interactive=False, verbosity=0)
        connection.close()


def missing_table(error: BaseException) -> str | None:
    """The table a "relation … does not exist" error names, else None."""
    from psycopg import errors

    cause = error.__cause__
    if isinstance(cause, errors.UndefinedTable):
        return str(cause).splitlines()[0]
    return None


def execute(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line
    from django.db.utils import ProgrammingError

    setup()
    command = argv[1] if len(argv) > 1 else ""
    if command and not command.startswith("-") and command not in NO_MIGRATE_FIRST and embedded_database():
        migrate_embedded()
    try:
        execute_from_command_line(argv)
    except ProgrammingError as error:
        missing = missing_table(error)
        if missing is None:
            raise
        _fail(f"the database has no tables yet ({missing}): {MIGRATE_HINT}.")
