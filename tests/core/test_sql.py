"""Raw SQL only with the agency (core.sql): statements on tenant tables without its condition are refused."""

import pytest

from chat.models import Conversation
from core.sql import TenantSQLError, agency_cursor, agency_raw, platform_cursor, tenant_tables
from requests_app.models import ServiceRequest
from tenants.context import agency_context


def test_tenant_tables_come_from_the_models_with_an_agency():
    tables = tenant_tables()
    assert {"knowledge_chunk", "chat_conversation", "requests_app_servicerequest"} <= tables
    assert "tenants_agency" not in tables and "auth_user" not in tables


@pytest.mark.django_db
def test_a_statement_without_the_agency_condition_is_refused(agency_a):
    with agency_cursor(agency_a) as cursor, pytest.raises(TenantSQLError, match="no agency_id condition"):
        cursor.execute("SELECT count(*) FROM chat_conversation")


@pytest.mark.django_db
def test_the_agency_id_must_be_this_agencys(agency_a, agency_b):
    with agency_cursor(agency_a) as cursor:
        with pytest.raises(TenantSQLError, match="does not carry"):
            cursor.execute("SELECT count(*) FROM chat_conversation WHERE agency_id = %s", [agency_b.pk])
        with pytest.raises(TenantSQLError, match="does not carry"):
            cursor.execute(f"SELECT count(*) FROM chat_conversation WHERE agency_id = {agency_b.pk}")  # noqa: S608
        cursor.execute("SELECT count(*) FROM chat_conversation WHERE agency_id = %s", [agency_a.pk])
        assert cursor.fetchone() == (0,)
        cursor.execute(f"SELECT count(*) FROM chat_conversation WHERE agency_id = {agency_a.pk}")  # noqa: S608
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
def test_names_in_strings_and_comments_are_not_tables(agency_a):
    with agency_cursor(agency_a) as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'knowledge_chunk' -- knowledge_chunk")
        cursor.fetchone()


@pytest.mark.django_db
def test_a_refused_statement_changes_nothing(agency_a, agency_b):
    from chat import services

    with agency_context(agency_b):
        conversation, _token = services.conversation_start(agency=agency_b, channel="widget")
    with agency_cursor(agency_a) as cursor, pytest.raises(TenantSQLError):
        cursor.execute("UPDATE chat_conversation SET language = 'es' WHERE id = %s", [conversation.pk])
    with agency_context(agency_b):
        assert Conversation.objects.get(pk=conversation.pk).language == "en"


@pytest.mark.django_db
def test_raw_querysets_are_checked_too(agency_a, agency_b):
    with pytest.raises(TenantSQLError):
        agency_raw(agency_a, ServiceRequest, "SELECT * FROM requests_app_servicerequest WHERE id = %s", [1])
    rows = agency_raw(
        agency_a, ServiceRequest, "SELECT * FROM requests_app_servicerequest WHERE agency_id = %s", [agency_a.pk]
    )
    assert list(rows) == []


@pytest.mark.django_db
def test_a_platform_cursor_needs_a_reason_and_touches_no_tenant_rows():
    with pytest.raises(TenantSQLError, match="reason"), platform_cursor(""):
        pass
    with platform_cursor("health check") as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
        with pytest.raises(TenantSQLError, match="needs the agency"):
            cursor.execute("SELECT count(*) FROM knowledge_chunk WHERE agency_id = 1")
        with pytest.raises(TenantSQLError):
            cursor.execute("DELETE FROM requests_app_servicerequest")
        cursor.execute("ANALYZE knowledge_chunk")  # maintenance reads no rows for anyone


def test_an_agency_cursor_needs_an_agency():
    with pytest.raises(TenantSQLError), agency_cursor(None):
        pass
