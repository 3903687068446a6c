"""PostgreSQL enforces the agency too (tenants.rls): every tenant table is under forced row-level security,
the app connects as a role that owns nothing and cannot bypass it, and each transaction carries the scope
of `tenants.context` and nothing else."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, connections, transaction

from audit.models import AuditLink
from tenants.context import agencies_context, agency_context, cross_agency
from tenants.dbroles import app_role
from tenants.models import Department, Membership
from tenants.rls import LINK_TABLES_SQL, POLICY, TENANT_TABLES_SQL


def rows(sql, params=()):
    with connection.cursor() as cursor:  # the app's connection, as the app role
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_the_app_connects_as_a_role_that_cannot_bypass_row_level_security(db):
    (user, superuser, bypass, owns) = rows(
        "SELECT current_user, r.rolsuper, r.rolbypassrls,"
        " (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)"
        " FROM pg_roles r WHERE r.rolname = current_user"
    )[0]
    assert user == app_role() and not superuser and not bypass and owns == 0


def test_every_table_with_an_agency_id_is_under_forced_row_level_security(db):
    """The catalogue, not a list: a table added by any app later fails here until it is covered (it is,
    by `migrate`: tenants.dbroles.after_migrate → tenants.rls.secure_tenant_tables)."""
    tables = [name for (name,) in rows(TENANT_TABLES_SQL)]
    assert "tenants_department" in tables and "audit_auditlink" in tables and "tenants_membership" in tables
    state = rows(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner),"
        " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relname = ANY(%s)",
        [POLICY, tables],
    )
    bad = [
        f"{name} (enabled={enabled}, forced={forced}, owner={owner}, policy={policies})"
        for name, enabled, forced, owner, policies in state
        if not (enabled and forced and policies == 1 and owner != app_role())
    ]
    assert len(state) == len(tables) and not bad, bad


def test_raw_sql_in_one_agencys_context_sees_none_of_anothers_rows(agency_a, agency_b):
    for agency, other in ((agency_a, agency_b), (agency_b, agency_a)):
        with agency_context(agency):
            assert rows("SELECT count(*) FROM tenants_department WHERE agency_id = %s", [other.pk]) == [(0,)]
            assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency.pk,)]
            # the ORM's escape hatch does not get past the database either
            assert set(Department.objects.unscoped().values_list("agency_id", flat=True)) == {agency.pk}
            # nor does an update or delete of the other's rows
            assert Department.objects.unscoped().filter(agency=other).update(name="taken") == 0
    with agency_context(None):
        assert Department.objects.unscoped().filter(name="taken").count() == 0
    with cross_agency(reason="the test counts both agencies' rows"):
        assert Department.objects.unscoped().filter(agency__in=[agency_a, agency_b]).count() == 4
        assert not Department.objects.unscoped().filter(name="taken").exists()


def test_with_no_agency_nothing_is_seen_or_written(agency_a, agency_b):
    with agency_context(None):
        assert rows("SELECT count(*) FROM tenants_department") == [(0,)]
        assert rows("UPDATE tenants_department SET name = 'x' RETURNING id") == []
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            rows(
                "INSERT INTO tenants_department (agency_id, name, slug, description, email, phone)"
                " VALUES (%s, 'Ghost', 'ghost', '', '', '')",
                [agency_b.pk],
            )
    with agency_context(agency_a):
        # writing another agency's row is refused by the policy's WITH CHECK
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            rows(
                "INSERT INTO tenants_department (agency_id, name, slug, description, email, phone)"
                " VALUES (%s, 'Ghost', 'ghost', '', '', '')",
                [agency_b.pk],
            )
        # and moving one of A's rows to B too
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            rows("UPDATE tenants_department SET agency_id = %s", [agency_b.pk])


def test_the_admins_several_agencies_and_an_empty_set(agency_a, agency_b):
    with agencies_context([agency_a.pk]):
        assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_a.pk,)]
    with agencies_context([agency_a.pk, agency_b.pk]):
        assert {r[0] for r in rows("SELECT DISTINCT agency_id FROM tenants_department")} == {agency_a.pk, agency_b.pk}
    with agencies_context([]):
        assert rows("SELECT count(*) FROM tenants_department") == [(0,)]


def test_an_agency_inside_a_cross_agency_block_is_that_agency_only(agency_a, agency_b):
    with cross_agency(reason="a job over all agencies"):
        assert len(rows("SELECT DISTINCT agency_id FROM tenants_department")) >= 2
        with agency_context(agency_a):
            assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_a.pk,)]
        with pytest.raises(ValueError), cross_agency(reason=" "):
            pass


def test_a_scope_set_in_a_rolled_back_savepoint_is_set_again(agency_a, agency_b):
    with transaction.atomic():
        with agency_context(agency_a):
            assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_a.pk,)]
        try:
            with transaction.atomic(), agency_context(agency_b):
                assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_b.pk,)]
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        # the rollback restored A's setting in PostgreSQL; the context says B no longer, nor A
        with agency_context(agency_b):
            assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_b.pk,)]
        with agency_context(None):
            assert rows("SELECT count(*) FROM tenants_department") == [(0,)]


@pytest.mark.django_db(transaction=True)
def test_a_reused_connection_never_carries_the_previous_agency(agency_a, agency_b, staff_a, client_for, settings):
    """Persistent connections (CONN_MAX_AGE), a pool or PgBouncer hand the next request the same server
    session: the agency was transaction-local, so it is gone."""
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 600
    client = client_for(staff_a["supervisor"])
    backend_pid = rows("SELECT pg_backend_pid()")[0][0]
    assert client.get(f"/a/{agency_a.slug}/staff/").status_code in (200, 302)
    with agency_context(agency_a):
        assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_a.pk,)]  # autocommit
    with agency_context(None):
        assert rows("SELECT pg_backend_pid()")[0][0] == backend_pid  # the same server session
        assert rows("SELECT coalesce(current_setting('civicdesk.agency_id', true), '')") == [("",)]
        assert rows("SELECT count(*) FROM tenants_department") == [(0,)]
    with agency_context(agency_b):
        assert rows("SELECT DISTINCT agency_id FROM tenants_department") == [(agency_b.pk,)]


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE tenants_department DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE tenants_department NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY civicdesk_agency ON tenants_department",
        "ALTER TABLE tenants_department ADD COLUMN x int",
        "CREATE TABLE app_made (id int)",
        "SET ROLE postgres",
        "ALTER ROLE CURRENT_USER BYPASSRLS",
    ],
)
def test_the_app_role_cannot_change_the_schema_or_its_own_rights(db, statement):
    with pytest.raises(DatabaseError), transaction.atomic():
        rows(statement)


def test_the_app_role_cannot_update_or_delete_audit_rows(agency_a):
    with agency_context(agency_a):
        department = Department.objects.get(slug="roads")
        department.name = "Streets"
        department.save()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS audit_link_entry IMMEDIATE")
    entry = LogEntry.objects.filter(additional_data__agency_id=agency_a.pk).latest("pk")
    with agency_context(agency_a):
        assert AuditLink.objects.filter(entry_id=entry.pk).exists()
        for sql in (
            "UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s",
            "DELETE FROM auditlog_logentry WHERE id = %s",
            "UPDATE audit_auditlink SET hash = 'x' WHERE entry_id = %s",
            "DELETE FROM audit_auditlink WHERE entry_id = %s",
        ):
            with pytest.raises(DatabaseError, match="audit rows cannot be changed"), transaction.atomic():
                rows(sql, [entry.pk])
        # even saying it is maintenance: only the owner may
        with pytest.raises(DatabaseError, match="audit rows cannot be changed"), transaction.atomic():
            rows("SELECT set_config('civicdesk.audit_maintenance', 'on', true)")
            rows("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])


def test_the_owner_alias_is_another_role_on_the_same_database(db):
    owner = connections["owner"].settings_dict
    assert owner["NAME"] == connection.settings_dict["NAME"]
    assert owner["USER"] != connection.settings_dict["USER"]


def test_link_tables_without_an_agency_id_are_under_a_policy_through_their_parents(db):
    """Many-to-many tables carry no `agency_id`: their rows follow the tenant rows they link (found in the
    catalogue by their foreign keys, so a link table added later is covered by `migrate` too)."""
    links = sorted({row[0] for row in rows(LINK_TABLES_SQL)})
    assert "tenants_membership_departments" in links and "requests_app_servicecategory_area_departments" in links
    state = rows(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
        " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relname = ANY(%s) ORDER BY c.relname",
        [POLICY, links],
    )
    assert [row[0] for row in state] == links
    assert [row[0] for row in state if not (row[1] and row[2] and row[3] == 1)] == []


def test_a_link_row_is_seen_and_written_only_in_its_agencys_scope(agency_a, agency_b, staff_a, staff_b):
    for agency, staff in ((agency_a, staff_a), (agency_b, staff_b)):
        with agency_context(agency):
            membership = Membership.objects.get(user=staff["caseworker"])
            membership.departments.set(Department.objects.all())
    with cross_agency(reason="the test counts both agencies' links"):
        counts = {
            agency.pk: rows(
                "SELECT count(*) FROM tenants_membership_departments l"
                " JOIN tenants_membership m ON m.id = l.membership_id WHERE m.agency_id = %s",
                [agency.pk],
            )[0][0]
            for agency in (agency_a, agency_b)
        }
    assert counts[agency_a.pk] > 0 and counts[agency_b.pk] > 0
    with agency_context(agency_a):
        assert rows("SELECT count(*) FROM tenants_membership_departments") == [(counts[agency_a.pk],)]
        other = rows("SELECT id FROM tenants_department WHERE agency_id = %s", [agency_b.pk])
        assert other == []
    with agency_context(None):
        assert rows("SELECT count(*) FROM tenants_membership_departments") == [(0,)]
        assert rows("DELETE FROM tenants_membership_departments RETURNING id") == []
    with cross_agency(reason="the test picks B's department"):
        b_department = rows("SELECT id FROM tenants_department WHERE agency_id = %s LIMIT 1", [agency_b.pk])[0][0]
    with agency_context(agency_a):
        membership_a = Membership.objects.get(user=staff_a["supervisor"])
        # linking A's membership to B's department is refused: B's row is not visible in A's scope
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            rows(
                "INSERT INTO tenants_membership_departments (membership_id, department_id) VALUES (%s, %s)",
                [membership_a.pk, b_department],
            )
