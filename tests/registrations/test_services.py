"""Services: reference numbers (race-free), submission, transitions, requests for information, versions."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from registrations import services
from registrations.flows import state_for
from registrations.models import EventKind, Registration, Status
from tenants.context import agency_context
from tests.registrations.conftest import VOTER_ANSWERS


def test_reference_format_and_sequence_per_agency(submit, agency_a, agency_b, tax_form):
    first, second = submit(), submit()
    assert first.reference.startswith("ALP-REG-") and first.reference.endswith("-000001")
    assert second.reference.endswith("-000002")
    year = first.submitted_at.year
    assert first.reference == f"ALP-REG-{year}-000001"
    with agency_context(agency_b):
        assert services.reference_next(agency=agency_b, year=year) == f"BET-REG-{year}-000001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_references_are_unique(agency_a):
    """Many threads, each in its own transaction, allocate numbers at the same time."""
    from django.db import close_old_connections, transaction

    got, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait(5)
            for _ in range(10):
                with transaction.atomic():
                    got.append(services.reference_next(agency=agency_a, year=2026))
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(got) == 80 and len(set(got)) == 80
    assert max(got) == "ALP-REG-2026-000080"


def test_submission_checks_every_answer_again(voter_form, agency_a):
    with agency_context(agency_a):
        draft = services.registration_start(agency=agency_a, form=voter_form)
        state = state_for(draft)
        from dataclasses import replace

        draft = services.registration_save_progress(
            agency=agency_a, registration=draft, state=replace(state, answers={"us_citizen": True}, stage="review")
        )
        with pytest.raises(services.SubmissionInvalid) as excinfo:
            services.registration_submit(agency=agency_a, registration=draft)
        assert "date_of_birth" in excinfo.value.errors
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT and draft.reference == ""


def test_transitions_and_notes(submit, agency_a, staff_a):
    registration = submit()
    with agency_context(agency_a):
        with pytest.raises(services.RegistrationError):
            services.registration_transition(
                agency=agency_a, actor=staff_a["caseworker"], registration=registration, to_status=Status.DRAFT
            )
        with pytest.raises(ValidationError):  # asking for information needs the question
            services.registration_transition(
                agency=agency_a, actor=staff_a["caseworker"], registration=registration, to_status=Status.NEEDS_INFO
            )
        services.registration_transition(
            agency=agency_a,
            actor=staff_a["caseworker"],
            registration=registration,
            to_status=Status.APPROVED,
            public_note="Welcome aboard",
            staff_note="checked ID",
        )
        with pytest.raises(services.RegistrationError):
            services.registration_transition(
                agency=agency_a, actor=staff_a["caseworker"], registration=registration, to_status=Status.IN_REVIEW
            )
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED
    with agency_context(agency_a):
        event = registration.events.order_by("-pk").first()
    assert (event.public_note, event.staff_note, event.actor) == ("Welcome aboard", "checked ID", staff_a["caseworker"])


def test_info_request_and_response(submit, agency_a, staff_a):
    registration = submit()
    with agency_context(agency_a):
        services.registration_transition(
            agency=agency_a,
            actor=staff_a["caseworker"],
            registration=registration,
            to_status=Status.NEEDS_INFO,
            public_note="Send your previous address",
        )
        services.registration_info_provide(agency=agency_a, registration=registration, response="12 Elm St, Peoria")
        with pytest.raises(services.RegistrationError):
            services.registration_info_provide(agency=agency_a, registration=registration, response="again")
    registration.refresh_from_db()
    assert registration.status == Status.IN_REVIEW
    with agency_context(agency_a):
        answer = registration.events.get(kind=EventKind.INFO_RESPONSE)
    assert answer.citizen_response == "12 Elm St, Peoria"
    with connection.cursor() as cursor:
        cursor.execute("SELECT citizen_response FROM registrations_registrationevent WHERE id = %s", [answer.pk])
        assert "Elm" not in cursor.fetchone()[0]


def test_retired_version_refuses_submission_and_new_version_is_pinned(voter_form, agency_a, staff_a, submit):
    old = submit()
    with agency_context(agency_a):
        draft = services.registration_start(agency=agency_a, form=voter_form)
        definition = dict(voter_form.definition, description={"en": "Updated"})
        services.form_definition_update(agency=agency_a, actor=staff_a["admin"], form=voter_form, definition=definition)
        version2 = services.form_definition_publish(agency=agency_a, actor=staff_a["admin"], form=voter_form)
        services.form_version_retire(agency=agency_a, actor=staff_a["admin"], version=draft.form_version)
        with pytest.raises(services.FormClosed):
            services.registration_submit(agency=agency_a, registration=draft)
        new = services.registration_create(agency=agency_a, form=voter_form, answers=VOTER_ANSWERS)
    assert version2.number == 2 and new.form_version == version2
    old.refresh_from_db()
    assert old.form_version.number == 1  # a submission keeps the version it was made with


def test_unpublished_form_refuses_new_drafts(voter_form, agency_a, staff_a):
    with agency_context(agency_a):
        services.form_definition_unpublish(agency=agency_a, actor=staff_a["admin"], form=voter_form)
        with pytest.raises(services.FormClosed):
            services.registration_start(agency=agency_a, form=voter_form)
    assert not Registration.objects.unscoped().exists()


def test_notifications_are_sent_by_celery_in_the_applicants_language(celery_worker, voter_form, agency_a, staff_a):
    import time

    with agency_context(agency_a):
        registration = services.registration_create(
            agency=agency_a, form=voter_form, answers=VOTER_ANSWERS, language="es"
        )
        services.registration_transition(
            agency=agency_a,
            actor=staff_a["caseworker"],
            registration=registration,
            to_status=Status.NEEDS_INFO,
            public_note="¿Cuál era su dirección anterior?",
        )
    deadline = time.monotonic() + 20
    while len(mail.outbox) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2, subjects
    request_mail = next(m for m in mail.outbox if "respond" in m.body)
    assert request_mail.to == ["pat@example.com"]
    assert "¿Cuál era su dirección anterior?" in request_mail.body
    assert "123-45-6789" not in request_mail.body


def test_stale_drafts_are_purged_and_submissions_kept(voter_form, agency_a, submit, capsys):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    kept = submit()
    with agency_context(agency_a):
        stale = services.registration_start(agency=agency_a, form=voter_form)
        fresh = services.registration_start(agency=agency_a, form=voter_form)
        Registration.objects.filter(pk__in=[stale.pk, kept.pk]).update(updated_at=timezone.now() - timedelta(days=40))
    call_command("purge_registration_drafts")
    assert "Deleted 1 stale drafts." in capsys.readouterr().out
    remaining = set(Registration.objects.unscoped().values_list("pk", flat=True))
    assert remaining == {kept.pk, fresh.pk}


def test_reserved_form_names(agency_a):
    from registrations.demo import load_demo_definition

    with agency_context(agency_a), pytest.raises(ValidationError):
        services.form_definition_create(
            agency=agency_a, actor=None, slug="resume", definition=load_demo_definition("voter-registration")
        )


def test_notification_task_of_another_agency_does_nothing(submit, agency_b):
    from registrations.tasks import registration_notify

    registration = submit()
    mail.outbox.clear()
    result = registration_notify.apply(
        kwargs={"agency_id": agency_b.pk, "registration_id": registration.pk, "kind": "submitted"}
    )
    assert result.get() is False and mail.outbox == []
    result = registration_notify.apply(
        kwargs={"agency_id": registration.agency_id, "registration_id": registration.pk, "kind": "submitted"}
    )
    assert result.get() is True and mail.outbox[0].to == ["pat@example.com"]


def test_an_upload_is_written_only_when_its_transaction_commits(
    voter_form, agency_a, settings, django_capture_on_commit_callbacks
):
    """As report photos: a rolled-back upload leaves no orphan file in storage."""
    from django.db import transaction

    from registrations.crypto import decrypt_bytes
    from registrations.models import RegistrationFile
    from registrations.services import Upload, registration_file_store, registration_start

    def files_on_disk():
        return sorted(path.name for path in (settings.MEDIA_ROOT / "registrations").rglob("*.bin"))

    upload = Upload("proof_document", "bill.pdf", b"%PDF-1.4 utility bill", "application/pdf")
    with agency_context(agency_a):
        draft = registration_start(agency=agency_a, form=voter_form)
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    registration_file_store(agency=agency_a, registration=draft, upload=upload)
                    raise RuntimeError("the request failed after the upload")
            except RuntimeError:
                pass
        assert not RegistrationFile.objects.for_agency(agency_a).exists()
        assert files_on_disk() == []

        with django_capture_on_commit_callbacks(execute=True):
            stored = registration_file_store(agency=agency_a, registration=draft, upload=upload)
        assert files_on_disk() == [f"{stored.pk}.bin"]
        with stored.content.open("rb") as handle:
            assert decrypt_bytes(handle.read()) == upload.data
