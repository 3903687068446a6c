"""The tamper-evident audit chain: every entry linked in its agency's chain in the same transaction,
audit rows that cannot be edited or deleted, `audit_verify` naming the first bad entry, seals that
catch truncation, and no fork under concurrent writers."""

import itertools
import threading

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.chain import audit_maintenance, chain_verify, chains_seal, link_hash
from audit.models import PLATFORM_CHAIN, AuditLink, AuditSeal
from tenants.audit import audit_updates
from tenants.context import agency_context
from tenants.models import Department

pytestmark = pytest.mark.usefixtures("audit_links_now")


def rename(agency, slug, name):
    with agency_context(agency):
        department = Department.objects.get(slug=slug)
        department.name = name
        department.save()
        return department


def links(agency):
    return list(AuditLink.objects.filter(agency_id=agency.pk).order_by("seq"))


def verify(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_every_entry_is_linked_per_agency_and_verifies(agency_a, agency_b):
    rename(agency_a, "roads", "Streets")
    rename(agency_b, "parks", "Green spaces")
    rename(agency_a, "parks", "Parks and Trees")
    chain_a = links(agency_a)
    entries_a = LogEntry.objects.filter(additional_data__agency_id=agency_a.pk)
    assert sorted(link.entry_id for link in chain_a) == sorted(entries_a.values_list("pk", flat=True))
    assert [link.seq for link in chain_a] == list(range(1, len(chain_a) + 1))
    assert chain_a[0].prev_hash == "0" * 64
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain_a))
    # The hash is SHA-256 over the previous hash and the entry's canonical form.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT audit_entry_canonical(e) FROM auditlog_logentry e WHERE e.id = %s", [chain_a[-1].entry_id]
        )
        (payload,) = cursor.fetchone()
    assert link_hash(chain_a[-1].prev_hash, payload) == chain_a[-1].hash
    assert {link.entry_id for link in links(agency_b)}.isdisjoint({link.entry_id for link in chain_a})
    assert verify() == (0, verify()[1]) and "chain intact" in verify("alpha")[1]


def test_the_bulk_path_is_chained_too(agency_a):
    with agency_context(agency_a):
        old = Department.objects.get(slug="roads")
        new = Department.objects.get(slug="roads")
        new.name = "Bulk renamed"
        Department.objects.bulk_update([new], ["name"])
        (entry,) = audit_updates([(old, new)], fields=["name"])
    assert AuditLink.objects.get(entry_id=entry.pk).agency_id == agency_a.pk
    assert chain_verify(agency_a.pk).ok


def test_entries_without_an_agency_form_the_platform_chain(superuser):
    from django.contrib.contenttypes.models import ContentType

    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(superuser),
        object_pk=str(superuser.pk),
        object_repr="root",
        action=0,
    )
    assert AuditLink.objects.get(entry_id=entry.pk).agency_id == PLATFORM_CHAIN


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_the_database_refuses_to_change_audit_rows(agency_a, operation):
    rename(agency_a, "roads", "Streets")
    entry = LogEntry.objects.filter(additional_data__agency_id=agency_a.pk).latest("pk")
    for queryset in (LogEntry.objects.filter(pk=entry.pk), AuditLink.objects.filter(entry_id=entry.pk)):
        with pytest.raises(DatabaseError, match="audit rows cannot be changed"), transaction.atomic():
            if operation == "update":
                queryset.update(**({"object_repr": "forged"} if queryset.model is LogEntry else {"hash": "f" * 64}))
            else:
                queryset.delete()
    assert LogEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr
    assert chain_verify(agency_a.pk).ok


# Tampering needs the owner's rights: on the owner's connection, so on committed rows.
OWNER_TAMPERS = pytest.mark.django_db(transaction=True, databases=["default", "owner"])


@OWNER_TAMPERS
def test_an_edited_entry_is_named_by_audit_verify(agency_a, agency_b):
    rename(agency_a, "roads", "Streets")
    rename(agency_a, "parks", "Parks and Trees")
    rename(agency_b, "roads", "B roads")
    target = links(agency_a)[-2]
    # Someone with the owner's rights edits a row (the app's role could not even do this).
    with audit_maintenance():
        LogEntry.objects.using("owner").filter(pk=target.entry_id).update(object_repr="Nothing to see")
    code, out = verify()
    assert code == 1
    assert f"first bad entry id {target.entry_id}" in out and "beta: " in out and "CHAIN BROKEN" in out
    assert verify("beta")[0] == 0
    assert chain_verify(agency_a.pk).first_bad_entry_id == target.entry_id


@OWNER_TAMPERS
def test_a_deleted_entry_and_a_truncated_head_are_detected(agency_a):
    for name in ("One", "Two", "Three"):
        rename(agency_a, "roads", name)
    chains_seal()
    assert AuditSeal.objects.filter(agency_id=agency_a.pk).count() == 1
    assert chain_verify(agency_a.pk).ok
    newest = links(agency_a)[-1]
    # Removing the newest entry with its link leaves a consistent chain, but the seal remembers the head.
    with audit_maintenance():
        AuditLink.objects.using("owner").filter(pk=newest.pk).delete()
        LogEntry.objects.using("owner").filter(pk=newest.entry_id).delete()
    report = chain_verify(agency_a.pk)
    assert not report.ok and "seal" in " ".join(report.problems)

    middle = links(agency_a)[0]
    with audit_maintenance():
        LogEntry.objects.using("owner").filter(pk=middle.entry_id).delete()
    report = chain_verify(agency_a.pk)
    assert report.first_bad_entry_id == middle.entry_id and "deleted" in report.problems[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_a_chain(agency_a):
    errors = []
    barrier = threading.Barrier(4)

    def writer(index):
        try:
            barrier.wait(timeout=10)
            for round_ in range(5):
                with transaction.atomic():
                    rename(agency_a, "roads" if index % 2 else "parks", f"Name {index}-{round_}")
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    chain = links(agency_a)
    assert len(chain) == LogEntry.objects.filter(additional_data__agency_id=agency_a.pk).count() >= 20
    assert len({link.prev_hash for link in chain}) == len(chain)  # no two links share a parent
    assert chain_verify(agency_a.pk).ok


def export(client, agency, **params):
    from django.urls import reverse

    return client.get(reverse("agency-audit-export", kwargs={"agency_slug": agency.slug}), params)


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_supervisors_export_a_range_that_verifies_offline(agency_a, staff_a, client_for, tmp_path, kind):
    from django.utils import timezone

    from audit import verify_export

    for name in ("One", "Two", "Three"):
        rename(agency_a, "roads", name)
    from zoneinfo import ZoneInfo

    today = timezone.localdate(timezone=ZoneInfo(agency_a.timezone)).isoformat()  # the range is in its zone
    response = export(client_for(staff_a["supervisor"]), agency_a, **{"from": today, "to": today, "format": kind})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    path = tmp_path / f"export.{kind}"
    path.write_text(body)
    assert verify_export.main([str(path)]) == 0
    rows, _seals = verify_export.load(str(path))
    assert len(rows) >= 3 and all(len(row["hash"]) == 64 for row in rows)
    # The export itself is recorded (after the rows were read, so it is the next link).
    assert LogEntry.objects.filter(additional_data__export__format=kind).count() == 1
    # Tampering with the file is caught offline, naming the row.
    forged = body.replace('\\"Two\\"', '\\"Deux\\"') if kind == "json" else body.replace('""Two""', '""Deux""')
    assert forged != body
    path.write_text(forged)
    assert verify_export.main([str(path)]) == 1
    assert verify_export.verify(verify_export.load(str(path))[0])[0].startswith("seq")


def test_export_refuses_bad_ranges_and_other_roles_and_agencies(agency_a, agency_b, staff_a, staff_b, client_for):
    rename(agency_a, "roads", "Streets")
    supervisor = client_for(staff_a["supervisor"])
    assert export(supervisor, agency_a, **{"from": "2026-12-04", "to": "2026-12-01"}).status_code == 400
    assert export(supervisor, agency_a, **{"from": "yesterday", "to": "2026-12-01"}).status_code == 400
    assert (
        export(supervisor, agency_a, **{"from": "2026-12-01", "to": "2026-12-04", "format": "xml"}).status_code == 400
    )
    for role in ("agent", "caseworker", "analyst"):
        assert (
            export(client_for(staff_a[role]), agency_a, **{"from": "2026-12-01", "to": "2026-12-04"}).status_code == 404
        )
    foreign = client_for(staff_b["admin"])
    assert export(foreign, agency_a, **{"from": "2026-12-01", "to": "2026-12-04"}).status_code == 404
    body = b"".join(export(foreign, agency_b, **{"from": "2026-01-01", "to": "2027-12-31"}).streaming_content)
    assert b"Streets" not in body


def test_the_audit_page_shows_the_chain_head_and_seals(agency_a, staff_a, client_for):
    from django.urls import reverse

    rename(agency_a, "roads", "Streets")
    chains_seal()
    response = client_for(staff_a["admin"]).get(reverse("agency-audit", kwargs={"agency_slug": agency_a.slug}))
    head = links(agency_a)[-1]
    assert response.status_code == 200
    assert head.hash in response.text and "Daily seals" in response.text


def test_the_seal_task_runs_in_a_worker(agency_a, celery_worker):
    import time

    from audit.tasks import seal_chains

    rename(agency_a, "roads", "Streets")
    seal_chains.delay()
    deadline = time.monotonic() + 30
    while not AuditSeal.objects.filter(agency_id=agency_a.pk).exists():
        assert time.monotonic() < deadline, "the worker did not seal the chain"
        time.sleep(0.1)
    seal = AuditSeal.objects.get(agency_id=agency_a.pk)
    assert (seal.head_seq, seal.head_hash) == (links(agency_a)[-1].seq, links(agency_a)[-1].hash)
