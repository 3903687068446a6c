"""Tenancy checks for `make lint`: raw SQL only through `core.sql`, and every `.unscoped()` explained.

    python -m core.lint [paths…]      (default: the project; exits 1 and lists the problems)

Fails on, outside `core/sql.py`:
- getting a database cursor (`….cursor(…)`), `….raw(…)`, `….extra(…)`, `RawSQL(…)`, and `….execute(…)` on a
  connection or schema editor (psycopg's `Connection.execute`): raw SQL goes through `core.sql`
  (`agency_cursor(agency)`, `platform_cursor(reason)`, `agency_raw(agency, …)`), which checks the agency;
- `.unscoped()` without a `# unscoped: <reason>` comment on the same line.

Exempt: migrations (they run as the owner, across agencies), `bench/` (benchmarks set up and measure
throwaway agencies), `tests/` (they check isolation from the outside), and the virtualenv and data dirs.
The check reads the syntax tree, so SQL in strings and comments is not mistaken for calls.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXEMPT_DIRS = {".venv", "var", "node_modules", "migrations", "bench", "tests", ".git", "__pycache__"}
HELPER = Path("core") / "sql.py"
UNSCOPED_COMMENT = "# unscoped:"
SQL_CALLS = {"cursor", "raw", "extra"}
CONNECTIONS = {"connection", "schema_editor", "conn"}


def _chain(node: ast.AST) -> list[str]:
    """Names along an attribute chain: `schema_editor.connection.execute` → [schema_editor, connection, execute]."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names[::-1]


def _unscoped_reason(comment: str) -> bool:
    at = comment.find(UNSCOPED_COMMENT)
    return at >= 0 and bool(comment[at + len(UNSCOPED_COMMENT) :].strip())


def check_source(source: str, path: str = "<source>", *, helper: bool = False) -> list[str]:
    """Problems in one file's source, as `path:line: message`."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        return [f"{path}:{exc.lineno}: cannot parse: {exc.msg}"]
    problems = []
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "unscoped":
            line = func.end_lineno or node.lineno
            if not _unscoped_reason(comments.get(line, "")):
                problems.append(f"{path}:{line}: .unscoped() without a '# unscoped: <reason>' comment on the line")
            continue
        if helper:
            continue
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "RawSQL":
            problems.append(f"{path}:{node.lineno}: RawSQL outside core.sql")
        elif isinstance(func, ast.Attribute) and name in SQL_CALLS:
            if name == "cursor" or node.args or node.keywords:
                problems.append(f"{path}:{node.lineno}: .{name}() outside core.sql: use core.sql's agency helpers")
        elif (
            isinstance(func, ast.Attribute)
            and name in {"execute", "executemany"}
            and CONNECTIONS & set(_chain(func.value))
        ):
            problems.append(f"{path}:{node.lineno}: .{name}() on a connection outside core.sql")
    return sorted(problems, key=lambda problem: int(problem.split(":")[1]))


def python_files(paths: list[Path]) -> list[Path]:
    files = []
    for base in paths:
        candidates = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in candidates:
            relative = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
            if path.suffix == ".py" and not EXEMPT_DIRS & set(relative.parts[:-1]):
                files.append(path)
    return files


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(arg) for arg in args] or [ROOT]
    problems = []
    for path in python_files(paths):
        relative = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        problems += check_source(path.read_text(encoding="utf-8"), str(relative), helper=relative == HELPER)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} tenancy problem(s): see core/lint.py and core/sql.py.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
