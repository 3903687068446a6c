"""Shared fixtures: two agencies with a user per role, a real Celery worker on the real Redis broker,
and a live ASGI server (HTTP + WebSocket) in a thread for socket and browser tests."""

import inspect
import socket
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from tenants.context import agency_context
from tenants.models import Agency, Department, Membership, Role
from tests import hangs

PASSWORD = "correct-horse-battery-staple"

# Coroutine tests drive sockets: their body gets its own bound, and the whole test (setup, body,
# teardown with the event loop's) a tighter pytest-timeout than the suite's (pyproject). See tests/hangs.py.
ASYNC_TEST_BODY_SECONDS = 60
ASYNC_TEST_SECONDS = 120


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not inspect.iscoroutinefunction(getattr(item, "obj", None)):
            continue
        item.obj = hangs.bounded(item.obj, ASYNC_TEST_BODY_SECONDS)
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(ASYNC_TEST_SECONDS))
        item.fixturenames.append("_close_communicators")


_dumps: dict[str, hangs.AsyncioTasksDump] = {}


def pytest_timeout_set_timer(item, settings):
    # A few seconds before pytest-timeout dumps the threads and ends the run, list the asyncio tasks.
    if settings.timeout and settings.timeout > 0:
        _dumps[item.nodeid] = hangs.AsyncioTasksDump(item.nodeid, settings.timeout - 3).start()


def pytest_timeout_cancel_timer(item):
    dump = _dumps.pop(item.nodeid, None)
    if dump is not None:
        dump.cancel()


@pytest.fixture
async def _close_communicators(monkeypatch):
    """Every communicator the test opened is disconnected at teardown, with bounded waits."""
    from asgiref.testing import ApplicationCommunicator

    opened = []
    original = ApplicationCommunicator.__init__

    def tracked(self, *args, **kwargs):
        original(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(ApplicationCommunicator, "__init__", tracked)
    yield
    await hangs.close_communicators(opened)


def pytest_configure(config):
    from core.process import tune

    tune(serves_sockets=True)  # as a web process: the live server runs sockets in this process


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb):
    """The test database is created and migrated by the owner (`DATABASES["owner"]`), as `migrate` is in
    production; the app's connection (`default`, the app role) then points at it. Django's own setup would
    create it through `default`, and the app role may not create databases or tables."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    from core.sql import platform_cursor
    from tenants.dbroles import app_role, owner_alias

    owner = owner_alias()
    with django_db_blocker.unblock():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=[owner],
            keepdb=django_db_keepdb and not django_db_createdb,
        )
        if owner != "default":
            connections["default"].creation.set_as_test_mirror(connections[owner].settings_dict)
            connections["default"].close()
            if app_role():
                # Only here: TransactionTestCase empties the tables between tests through `default`.
                with platform_cursor("test database: flush between tests", connection=connections[owner]) as cursor:
                    cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{app_role()}"')
                    cursor.execute(
                        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT TRUNCATE ON TABLES TO "{app_role()}"'
                    )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            connections["default"].close()
            _end_other_sessions(connections[owner])
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _end_other_sessions(connection) -> None:
    """Threads of the code under test (the front door's search pool, the many-threads tests) each keep their
    own connection as the app role; nothing closes them, and the test database cannot be dropped while they
    are open. End them before the drop."""
    from django.db import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    except DatabaseError:
        pass  # not allowed to (a managed server): the drop says which sessions are left
    finally:
        connection.close()


@pytest.fixture(autouse=True)
def _tests_look_from_outside():
    """A test's own statements (fixtures, assertions) see every agency's rows, as the owner would: the
    database's row-level security is tested where the app sets its scope. Each entry point does that (the
    middleware, sockets, Celery tasks, `agency_context`), and none inherits this: see tests/test_rls.py."""
    from tenants.context import _cross_agency

    _cross_agency.set("tests look at every agency from outside")
    yield
    _cross_agency.set(None)


@pytest.fixture(autouse=True)
def _requests_start_outside_every_scope(monkeypatch):
    """A request made with the test client runs in this thread, so it would inherit the test's outside view
    (above) and any agency a fixture left set: a view, a streamed body or a template that forgot to set its
    scope would then see every agency's rows in tests and none in production. As in production, the request
    (and a streamed body, read after the view has returned) starts with no scope and no cross-agency reason.
    The live server's thread and socket communicators start from an empty context already."""
    import contextvars

    from django.test.client import ClientHandler

    from tenants.context import _cross_agency, _scope

    handle = ClientHandler.__call__

    def outside_every_scope(self, environ):
        context = contextvars.copy_context()
        context.run(_scope.set, None)
        context.run(_cross_agency.set, None)
        response = context.run(handle, self, environ)
        if response.streaming and not response.is_async:
            response.streaming_content = _read_in(context, iter(response.streaming_content))
        return response

    monkeypatch.setattr(ClientHandler, "__call__", outside_every_scope)


def _read_in(context, chunks):
    while True:
        try:
            chunk = context.run(next, chunks)
        except StopIteration:
            return
        yield chunk


@pytest.fixture(autouse=True)
def _e5_off_unless_asked(settings):
    """e5's second look across languages (`knowledge.retrieval.e5_across`, on in production) is tested by
    tests/knowledge/test_e5_across.py (fixture `e5`, which builds the model if needed); elsewhere it stays off, so a
    test's outcome does not depend on whether this machine has built the model yet."""
    settings.KNOWLEDGE_E5_ACROSS = False


@pytest.fixture(autouse=True)
def _no_audit_actor():
    """Every test starts with no audit actor: a `set_actor` a test left behind in this thread's context
    would otherwise be written on the next test's entries (and point at a user that no longer exists)."""
    from auditlog.context import auditlog_value

    token = auditlog_value.set({})
    yield
    auditlog_value.reset(token)


@pytest.fixture
def audit_links_now(request):
    """Audit entries are linked into their chain at COMMIT (a deferred trigger); a test that runs inside one
    transaction that never commits asks for the links to be written as the entries are. (Transactional
    tests commit, so their links are written the way production writes them.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if transactional:
        return
    request.getfixturevalue("db")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS audit_link_entry IMMEDIATE")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from core.cache import caches_clear_all
    from portal.directory import directory_index_clear

    cache.clear()
    caches_clear_all()  # per-process copies of rows from an earlier test's database
    directory_index_clear()  # per process, built from the agencies of an earlier test's database
    yield


def _make_agency(slug: str, name: str, kind: str) -> Agency:
    agency = Agency.objects.create(slug=slug, name=name, kind=kind, languages=["en", "es", "zh-hans"])
    with agency_context(agency):
        Department.objects.create(agency=agency, slug="roads", name=f"{name} Roads")
        Department.objects.create(agency=agency, slug="parks", name=f"{name} Parks")
    return agency


def _make_staff(agency: Agency) -> dict[str, object]:
    users = {}
    with agency_context(agency):
        for role in Role.values:
            user = get_user_model().objects.create_user(
                username=f"{agency.slug}-{role}", password=PASSWORD, is_staff=True, email=f"{role}@{agency.slug}.test"
            )
            Membership.objects.create(agency=agency, user=user, role=role, display_name=f"{role} of {agency.slug}")
            users[role] = user
    return users


@pytest.fixture
def agency_a(db) -> Agency:
    return _make_agency("alpha", "Alpha City", Agency.Kind.CITY)


@pytest.fixture
def agency_b(db) -> Agency:
    return _make_agency("beta", "Beta State Revenue", Agency.Kind.STATE)


@contextmanager
def only_status_providers(**providers):
    """Reference lookups (`portal.tracking`) by `providers` alone within the block; the apps' own after it."""
    from portal import tracking

    saved = tracking.status_providers()
    tracking._providers.clear()
    for name, lookup in providers.items():
        tracking.register_status_provider(name, lookup)
    try:
        yield
    finally:
        tracking._providers.clear()
        tracking._providers.update(saved)


@pytest.fixture
def status_provider(agency_a):
    """The only status lookup: it knows one reference, ALP-2026-000001 (an acknowledged pothole, "Crew on it"),
    in agency A only."""
    from portal import tracking

    now = datetime(2026, 5, 1, 12, tzinfo=UTC)

    def lookup(*, agency, reference):
        if agency.pk != agency_a.pk or reference != "ALP-2026-000001":
            return None
        return tracking.StatusView(
            reference=reference,
            kind="service_request",
            title="Pothole",
            status="acknowledged",
            status_label="Acknowledged",
            submitted_at=now,
            updated_at=now,
            history=[
                tracking.StatusEvent(at=now, status="acknowledged", status_label="Acknowledged", note="Crew on it")
            ],
            url="/a/alpha/track/?reference=ALP-2026-000001",
        )

    with only_status_providers(probe=lookup):
        yield


@pytest.fixture
def staff_a(agency_a) -> dict:
    return _make_staff(agency_a)


@pytest.fixture
def staff_b(agency_b) -> dict:
    return _make_staff(agency_b)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="root", password=PASSWORD, email="root@example.test")


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client logged in as `user`."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (solo pool, in a thread) consuming from the real Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


class LiveASGIServer:
    def __init__(self):
        import uvicorn

        self.port = free_port()
        config = uvicorn.Config(
            "portal.asgi:application",
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            # Sockets a test left open are closed at stop, so the server thread ends with its test (not after
            # Redis has stopped, with a traceback printed once pytest has closed its output).
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("ASGI server did not start")
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live_asgi(transactional_db):
    """The real ASGI application (Django + Channels) served by uvicorn against the test database."""
    server = LiveASGIServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def llm_server():
    """A local OpenAI-compatible server (real HTTP; see tests/llm_server.py). `llm_server.configure(settings)`."""
    from tests.llm_server import LLMTestServer

    server = LLMTestServer().start()
    yield server
    server.stop()
