"""django-auditlog's entries are under the agency policy too (audit migration 0007): a real `agency_id` column
that a trigger fills from the entry's JSON, forced row-level security like every tenant table. With agency A
set, the app role reads and writes A's entries only; with none, none; the platform's entries (no agency) only
inside `cross_agency(reason=…)` or as the owner."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from tenants.context import agency_context, cross_agency
from tenants.models import Agency, Department
from tenants.rls import POLICY, TENANT_TABLES_SQL


def rows(sql, params=()):
    with connection.cursor() as cursor:  # the app's connection, as the app role
        cursor.execute(sql, params)
        return cursor.fetchall()


def insert(additional_data, agency_column=None):
    """A raw INSERT of an entry as the app role (the column, if given, is what a forger would send)."""
    content_type = ContentType.objects.get_for_model(Agency).pk
    columns = "content_type_id, object_pk, object_repr, action, changes_text, changes, additional_data, timestamp"
    values = "%s, '1', 'x', 1, '', '{}'::jsonb, %s::jsonb, now()"
    params = [content_type, json.dumps(additional_data)]
    if agency_column is not None:
        columns += ", agency_id"
        values += ", %s"
        params.append(agency_column)
    # Fixed column lists above, every value bound: no outside text in the statement.
    sql = f"INSERT INTO auditlog_logentry ({columns}) VALUES ({values}) RETURNING id, agency_id"  # noqa: S608
    return rows(sql, params)[0]


@pytest.fixture
def entries(agency_a, agency_b):
    """An entry in each agency (a department renamed, through the ORM) and one of the platform's."""
    for agency in (agency_a, agency_b):
        with agency_context(agency):
            department = Department.objects.get(slug="roads")
            department.name = f"{agency.slug} Streets"
            department.save()
    with cross_agency(reason="the test writes a platform entry"):
        platform = LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Agency), object_pk="0", object_repr="platform", action=1
        )
    return platform


def test_the_entries_table_is_a_tenant_table_under_forced_row_level_security(db):
    """No exemption: the catalogue test (tests/test_rls.py) covers it like every table with `agency_id`."""
    assert "auditlog_logentry" in [name for (name,) in rows(TENANT_TABLES_SQL)]
    (enabled, forced, policies) = rows(
        "SELECT c.relrowsecurity, c.relforcerowsecurity,"
        " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)"
        " FROM pg_class c WHERE c.relname = 'auditlog_logentry'",
        [POLICY],
    )[0]
    assert enabled and forced and policies == 1


def test_the_trigger_fills_the_column_from_the_entrys_agency(agency_a, entries):
    with agency_context(agency_a):
        ((agency_id, json_agency),) = rows(
            "SELECT agency_id, additional_data ->> 'agency_id' FROM auditlog_logentry"
            " WHERE object_repr = %s ORDER BY id DESC LIMIT 1",
            [f"{agency_a.slug} Streets"],
        )
    assert agency_id == agency_a.pk and json_agency == str(agency_a.pk)
    assert rows("SELECT agency_id FROM auditlog_logentry WHERE id = %s", [entries.pk]) == [(None,)]  # platform


def test_in_one_agencys_scope_raw_sql_reads_none_of_anothers_entries(agency_a, agency_b, entries):
    for agency, other in ((agency_a, agency_b), (agency_b, agency_a)):
        with agency_context(agency):
            assert rows("SELECT DISTINCT agency_id FROM auditlog_logentry") == [(agency.pk,)]
            assert rows(
                "SELECT count(*) FROM auditlog_logentry WHERE additional_data ->> 'agency_id' = %s", [str(other.pk)]
            ) == [(0,)]
            assert rows("SELECT count(*) FROM auditlog_logentry WHERE id = %s", [entries.pk]) == [(0,)]
            # nor through the ORM's unfiltered manager
            assert set(LogEntry.objects.values_list("additional_data__agency_id", flat=True)) == {agency.pk}
    with agency_context(None):
        assert rows("SELECT count(*) FROM auditlog_logentry") == [(0,)]
        assert not LogEntry.objects.exists()


def test_the_platforms_entries_only_across_agencies(agency_a, entries):
    with agency_context(agency_a):
        assert not LogEntry.objects.filter(pk=entries.pk).exists()
    with cross_agency(reason="the test reads the platform's entries"):
        assert LogEntry.objects.filter(pk=entries.pk).exists()
        assert rows("SELECT count(*) FROM auditlog_logentry WHERE id = %s", [entries.pk]) == [(1,)]


def test_writing_another_agencys_or_the_platforms_entry_is_refused(agency_a, agency_b, entries):
    with agency_context(agency_a):
        assert insert({"agency_id": agency_a.pk})[1] == agency_a.pk
        for data in ({"agency_id": agency_b.pk}, {}, {"agency_id": "nonsense"}):
            with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
                insert(data)
        # the column is the database's: a forged one is replaced by the entry's own agency
        assert insert({"agency_id": agency_a.pk}, agency_column=agency_b.pk)[1] == agency_a.pk
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            insert({"agency_id": agency_b.pk}, agency_column=agency_a.pk)
    with agency_context(None), pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        insert({})
    with cross_agency(reason="the test writes a platform entry"):
        assert insert({})[1] is None


def test_the_column_cannot_be_changed_to_move_an_entry(agency_a, agency_b, entries):
    with agency_context(agency_a):
        (entry_id,) = rows("SELECT id FROM auditlog_logentry ORDER BY id DESC LIMIT 1")[0]
    with (
        cross_agency(reason="the test tries to move an entry"),
        pytest.raises(DatabaseError, match="audit rows cannot be changed"),
        transaction.atomic(),
    ):
        rows("UPDATE auditlog_logentry SET agency_id = %s WHERE id = %s", [agency_b.pk, entry_id])


def test_an_agency_is_created_and_saved_from_any_scope_with_its_entries_on_its_own_trail(agency_a):
    """The demo seed, `eval_retrieval` and a platform admin create agencies with no scope; a fixture or a job may
    save one from another agency's. Its entries go on its own trail either way (the seed failed on a fresh
    database when the entries table came under row-level security)."""
    from tenants.context import _cross_agency

    token = _cross_agency.set(None)  # as the app runs: not the tests' outside view
    try:
        created = Agency.objects.create(slug="gamma", name="Gamma County", kind=Agency.Kind.COUNTY)
        with agency_context(agency_a):
            created.description = "Renamed from alpha's scope"
            created.save()
            later = Agency.objects.create(slug="delta", name="Delta Town")
        with agency_context(created):
            created.office_hours = "Mon-Fri"
            created.save()
            mine = rows(
                "SELECT action, agency_id FROM auditlog_logentry WHERE agency_id = %s AND object_pk = %s",
                [created.pk, str(created.pk)],
            )
    finally:
        _cross_agency.reset(token)
    assert sorted(mine) == [(0, created.pk), (1, created.pk), (1, created.pk)]
    assert rows(
        "SELECT agency_id FROM auditlog_logentry WHERE object_pk = %s AND content_type_id = %s",
        [str(later.pk), ContentType.objects.get_for_model(Agency).pk],
    ) == [(later.pk,)]
