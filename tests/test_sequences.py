"""Yearly reference numbers: PostgreSQL sequences per agency, kind and year (tenants.sequences)."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from tenants.sequences import sequence_ensure, sequence_name, yearly_number


def test_numbers_count_per_agency_kind_and_year(agency_a, agency_b):
    assert [yearly_number(kind="requests", agency_id=agency_a.pk, year=2026) for _ in range(3)] == [1, 2, 3]
    assert yearly_number(kind="requests", agency_id=agency_b.pk, year=2026) == 1
    assert yearly_number(kind="registrations", agency_id=agency_a.pk, year=2026) == 1
    assert yearly_number(kind="requests", agency_id=agency_a.pk, year=2027) == 1


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])
def test_a_sequence_continues_after_a_legacy_counter(agency_a):
    # The migration's step, run as the owner (it is DDL)
    name = sequence_name(kind="requests", agency_id=agency_a.pk, year=2030)
    with connections["owner"].cursor() as cursor:
        sequence_ensure(cursor, name, after=41)
        sequence_ensure(cursor, name, after=40)  # behind what it gives: unchanged
    assert yearly_number(kind="requests", agency_id=agency_a.pk, year=2030) == 42
    with connections["owner"].cursor() as cursor:
        sequence_ensure(cursor, name, after=99)
    assert yearly_number(kind="requests", agency_id=agency_a.pk, year=2030) == 100


def test_bad_kind_is_refused():
    with pytest.raises(ValueError):
        sequence_name(kind="x; DROP TABLE y", agency_id=1, year=2026)


@pytest.mark.django_db(transaction=True)
def test_a_number_never_waits_for_another_open_transaction(agency_a):
    """Taking a number does not lock anything until commit: a second filing gets the next number
    while the first is still open (a counter row updated in the transaction would block it)."""
    yearly_number(kind="requests", agency_id=agency_a.pk, year=2026)  # created and committed
    got = []

    def other():
        try:
            with transaction.atomic():
                got.append(yearly_number(kind="requests", agency_id=agency_a.pk, year=2026))
        finally:
            connections.close_all()

    with transaction.atomic():
        first = yearly_number(kind="requests", agency_id=agency_a.pk, year=2026)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=5)
        assert not thread.is_alive() and got == [first + 1]


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])
def test_the_migration_turns_counters_into_sequences(agency_a):
    """An agency numbered up to 57 before the upgrade gets 58 next."""
    from django.db.migrations.executor import MigrationExecutor

    owner = connections["owner"]  # migrations run as the owner
    before = [("requests_app", "0002_notification_channel")]
    executor = MigrationExecutor(owner)
    executor.migrate(before)
    try:
        counters = executor.loader.project_state(before).apps.get_model("requests_app", "ReferenceSequence")
        counters._base_manager.using("owner").create(agency_id=agency_a.pk, year=2031, last_value=57)
    finally:
        executor = MigrationExecutor(owner)
        executor.migrate(executor.loader.graph.leaf_nodes())
        call_command("migrate", verbosity=0)  # and the app role's grants on the tables made again
    assert yearly_number(kind="requests", agency_id=agency_a.pk, year=2031) == 58
