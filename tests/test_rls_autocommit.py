"""Row-level security for statements outside a transaction (autocommit: every read of a request or a chat
turn that is not in an atomic block). Each runs in a transaction of its own that carries the scope; BEGIN,
the scope, the statement and COMMIT go to PostgreSQL together in one pipeline (tenants.rls.run_scoped)."""

import pytest
from django.db import DataError, IntegrityError, connection
from psycopg.pq import TransactionStatus

from tenants import rls
from tenants.context import agency_context
from tenants.models import Department

pytestmark = pytest.mark.django_db(transaction=True)


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.fixture
def pipelined(monkeypatch):
    """Counts the statements that went through the pipeline (the real one: nothing is replaced)."""
    calls = []
    original = rls._run_pipelined

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(rls, "_run_pipelined", counted)
    return calls


def idle() -> bool:
    return connection.connection.info.transaction_status == TransactionStatus.IDLE


def test_an_autocommit_read_sees_its_agencys_rows_only_and_leaves_nothing_set(agency_a, agency_b, pipelined):
    assert connection.get_autocommit()
    for agency, other in ((agency_a, agency_b), (agency_b, agency_a)):
        with agency_context(agency):
            assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency.pk,)]
            assert rows("SELECT count(*) FROM tenants_department WHERE agency_id = %s", [other.pk]) == [(0,)]
            assert Department.objects.unscoped().filter(agency=other).update(name="taken") == 0
            assert idle()
    assert len(pipelined) == 6
    with agency_context(None):
        assert rows("SELECT coalesce(current_setting('civicdesk.agency_id', true), '')") == [("",)]
        assert rows("SELECT count(*) FROM tenants_department") == [(0,)]


def test_results_rowcounts_and_returned_ids_are_read_after_the_pipeline(agency_a, pipelined):
    with agency_context(agency_a):
        department = Department.objects.create(agency=agency_a, name="Parks", slug="parks-autocommit")
        assert department.pk and idle()
        assert Department.objects.filter(pk=department.pk).update(name="Parks and trails") == 1
        assert Department.objects.get(pk=department.pk).name == "Parks and trails"
        with connection.cursor() as cursor:
            cursor.execute("SELECT slug FROM tenants_department WHERE agency_id = %s ORDER BY slug", [agency_a.pk])
            assert "parks-autocommit" in [slug for (slug,) in cursor.fetchall()]
            assert cursor.rowcount >= 1
    assert len(pipelined) >= 4


def test_a_failing_statement_raises_djangos_error_and_the_connection_stays_usable(agency_a, agency_b, pipelined):
    with agency_context(agency_a):
        with pytest.raises(DataError):
            rows("SELECT 1 / (count(*) - count(*)) FROM tenants_department")
        assert idle()  # rolled back, not left in a failed transaction
        assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_a.pk,)]
        taken = Department.objects.filter(agency=agency_a).first().slug
        with pytest.raises(IntegrityError):
            Department.objects.create(agency=agency_a, name="Again", slug=taken)
        assert idle()
    with agency_context(agency_b):
        assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_b.pk,)]
    assert len(pipelined) >= 4


def test_a_server_side_cursor_runs_outside_the_pipeline_in_its_agencys_scope(agency_a, agency_b, pipelined):
    """`QuerySet.iterator()` declares a named cursor, which a pipeline cannot hold: it keeps three round trips."""
    for agency in (agency_a, agency_b):
        with agency_context(agency):
            seen = {row.agency_id for row in Department.objects.unscoped().iterator(chunk_size=1)}
            assert seen == {agency.pk}
            assert idle()
    assert pipelined == []
