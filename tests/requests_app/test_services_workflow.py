"""Request services after filing: duplicates and retries, transitions, notes, assignment, merge, following and
unsubscribing — each with its cross-agency check."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_app.models import Follower, Notification, ServiceRequest, Status, StatusEvent
from requests_app.services import (
    DuplicatesFound,
    OnDuplicate,
    Reporter,
    follower_add,
    follower_unsubscribe,
    service_request_assign,
    service_request_merge,
    service_request_note,
    service_request_transition,
)
from requests_app.services.notify import unsubscribe_token, unsubscribe_token_read
from tenants.context import agency_context
from tenants.models import Membership
from tests.requests_app.conftest import LAT, LAT_20M, LONG
from tests.requests_app.services_support import count, file

# --- duplicates and retries -----------------------------------------------------------------------


def test_duplicate_ask_raises_and_saves_nothing(catalogue_a, agency_a):
    original = file(agency_a).request
    with pytest.raises(DuplicatesFound) as caught:
        file(agency_a, lat=LAT_20M, on_duplicate=OnDuplicate.ASK)
    assert [d.request.pk for d in caught.value.duplicates] == [original.pk]
    assert 15 < caught.value.duplicates[0].distance_m < 25
    assert count(agency_a) == 1


def test_duplicate_link_files_and_follows_the_original(catalogue_a, agency_a):
    original = file(agency_a).request
    result = file(agency_a, lat=LAT_20M, on_duplicate=OnDuplicate.LINK, reporter=Reporter(email="b@example.com"))
    assert result.created and result.duplicate_of == original
    assert result.request.status == Status.DUPLICATE
    assert original.reference in result.notice
    with agency_context(agency_a):
        assert Follower.objects.filter(request=original, email="b@example.com").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"lat": LAT + 0.001},  # ~110 m: beyond the 50 m radius
        {"category": "fallen-tree", "attributes": {}},  # another category
    ],
)
def test_not_a_duplicate(catalogue_a, agency_a, change):
    file(agency_a)
    assert file(agency_a, on_duplicate=OnDuplicate.ASK, **change).created


def test_closed_and_old_requests_are_not_duplicates(catalogue_a, agency_a, staff_a):
    closed = file(agency_a).request
    with agency_context(agency_a):
        service_request_transition(
            agency=agency_a, actor=staff_a["agent"], request=closed, to_status="resolved", public_note="Fixed"
        )
    old = file(agency_a, lat=LAT_20M).request
    with agency_context(agency_a):
        ServiceRequest.objects.for_agency(agency_a).filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=31)
        )
    assert file(agency_a, on_duplicate=OnDuplicate.ASK).created


def test_idempotency_key_returns_the_first_request(catalogue_a, agency_a):
    first = file(agency_a, idempotency_key="abc-123")
    again = file(agency_a, idempotency_key="abc-123", description="different text")
    assert again.request.pk == first.request.pk and not again.created
    assert count(agency_a) == 1


def test_same_device_and_description_within_a_minute_is_one_report(catalogue_a, agency_a):
    first = file(agency_a, device_id="phone-1")
    again = file(agency_a, device_id="phone-1", lat=LAT + 0.01)
    assert again.request.pk == first.request.pk and not again.created
    other_text = file(agency_a, device_id="phone-1", description="Another hole", lat=LAT + 0.02)
    assert other_text.created
    with agency_context(agency_a):
        ServiceRequest.objects.for_agency(agency_a).filter(pk=first.request.pk).update(
            created_at=timezone.now() - timedelta(seconds=61)
        )
    later = file(agency_a, device_id="phone-1", lat=LAT + 0.03)
    assert later.created
    assert count(agency_a) == 3


# --- transitions, notes, assignment, merge ---------------------------------------------------------


def test_transition_with_public_note_notifies_followers(catalogue_a, agency_a, staff_a):
    request = file(agency_a, reporter=Reporter(email="ann@example.com")).request
    with agency_context(agency_a):
        service_request_transition(
            agency=agency_a,
            actor=staff_a["caseworker"],
            request=request,
            to_status="in_progress",
            public_note="Crew on the way",
            internal_note="Truck 7",
        )
        request.refresh_from_db()
        assert request.status == "in_progress" and request.status_notes == "Crew on the way"
        event = StatusEvent.objects.filter(request=request, kind="status").get()
        assert (event.from_status, event.to_status, event.actor) == ("submitted", "in_progress", staff_a["caseworker"])
        note = Notification.objects.get(request=request)
    assert note.recipient == "ann@example.com"
    assert "Crew on the way" in note.body and "/requests/unsubscribe/" in note.body
    assert "Truck 7" not in note.body


def test_transition_without_note_sends_nothing(catalogue_a, agency_a, staff_a):
    request = file(agency_a, reporter=Reporter(email="ann@example.com")).request
    with agency_context(agency_a):
        service_request_transition(agency=agency_a, actor=staff_a["agent"], request=request, to_status="acknowledged")
        assert not Notification.objects.filter(request=request).exists()


@pytest.mark.parametrize(
    ("path", "target", "note", "error"),
    [
        ([], "closed", "", "cannot become"),
        ([], "duplicate", "", "cannot become"),
        ([], "rejected", "", "Say why"),
        (["resolved", "closed"], "resolved", "", "cannot become"),
    ],
)
def test_forbidden_transitions(catalogue_a, agency_a, staff_a, path, target, note, error):
    request = file(agency_a).request
    with agency_context(agency_a):
        for status in path:
            request = service_request_transition(agency=agency_a, actor=None, request=request, to_status=status)
        before = request.status
        with pytest.raises(ValidationError) as caught:
            service_request_transition(agency=agency_a, actor=None, request=request, to_status=target, public_note=note)
        assert error in " ".join(caught.value.messages)
        request.refresh_from_db()
        assert request.status == before


def test_reopen_clears_closed_at(catalogue_a, agency_a):
    request = file(agency_a).request
    with agency_context(agency_a):
        request = service_request_transition(agency=agency_a, actor=None, request=request, to_status="resolved")
        assert request.closed_at is not None
        request = service_request_transition(agency=agency_a, actor=None, request=request, to_status="in_progress")
        assert request.closed_at is None


def test_another_agency_cannot_transition(catalogue_a, agency_a, agency_b):
    request = file(agency_a).request
    with agency_context(agency_b), pytest.raises(ValidationError):
        service_request_transition(agency=agency_b, actor=None, request=request, to_status="acknowledged")
    request.refresh_from_db()
    assert request.status == "submitted"


def test_note_public_and_internal(catalogue_a, agency_a):
    request = file(agency_a, reporter=Reporter(email="a@example.com")).request
    with agency_context(agency_a):
        service_request_note(agency=agency_a, actor=None, request=request, internal_note="Called back")
        assert not Notification.objects.exists()
        service_request_note(agency=agency_a, actor=None, request=request, public_note="Scheduled for Monday")
        assert Notification.objects.count() == 1
        with pytest.raises(ValidationError):
            service_request_note(agency=agency_a, actor=None, request=request)


def test_assign_checks_department_and_caseworker(catalogue_a, catalogue_b, agency_a, staff_a, staff_b):
    request = file(agency_a).request
    roads, parks = catalogue_a["roads"], catalogue_a["parks"]
    caseworker = staff_a["caseworker"]
    with agency_context(agency_a):
        Membership.objects.get(user=caseworker, agency=agency_a).departments.set([roads])
        with pytest.raises(ValidationError):
            service_request_assign(agency=agency_a, actor=None, request=request, department=catalogue_b["roads"])
        with pytest.raises(ValidationError):
            service_request_assign(
                agency=agency_a, actor=None, request=request, department=roads, assignee=staff_b["agent"]
            )
        with pytest.raises(ValidationError) as caught:
            service_request_assign(agency=agency_a, actor=None, request=request, department=parks, assignee=caseworker)
        assert "caseworker" in caught.value.messages[0]
        service_request_assign(agency=agency_a, actor=None, request=request, department=roads, assignee=caseworker)
        request.refresh_from_db()
        assert request.department == roads and request.assignee == caseworker
        assert StatusEvent.objects.filter(request=request, kind="assigned").exists()


def test_merge_moves_followers_and_tells_them(catalogue_a, agency_a, staff_a):
    keep = file(agency_a, reporter=Reporter(email="first@example.com")).request
    dup = file(agency_a, lat=LAT + 0.01, reporter=Reporter(email="second@example.com")).request
    with agency_context(agency_a):
        service_request_merge(agency=agency_a, actor=staff_a["agent"], request=dup, into=keep)
        dup.refresh_from_db()
        assert dup.status == "duplicate" and dup.duplicate_of == keep and dup.closed_at
        assert set(Follower.objects.filter(request=keep).values_list("email", flat=True)) == {
            "first@example.com",
            "second@example.com",
        }
        told = Notification.objects.get(request=dup)
        assert keep.reference in told.body and told.recipient == "second@example.com"
        with pytest.raises(ValidationError):
            service_request_merge(agency=agency_a, actor=None, request=keep, into=dup)  # dup's root is keep itself


def test_follow_and_unsubscribe(catalogue_a, agency_a, agency_b):
    request = file(agency_a).request
    with agency_context(agency_a):
        follower = follower_add(agency=agency_a, request=request, email="Fan@Example.com")
        assert follower_add(agency=agency_a, request=request, email="fan@example.com").pk == follower.pk
        token = unsubscribe_token(follower)
        assert unsubscribe_token_read(agency=agency_b, token=token) is None
        assert unsubscribe_token_read(agency=agency_a, token=token + "x") is None
        assert unsubscribe_token_read(agency=agency_a, token=token) == follower.pk
        follower_unsubscribe(agency=agency_a, follower_id=follower.pk)
        follower.refresh_from_db()
        assert follower.unsubscribed_at is not None
        service_request_note(agency=agency_a, actor=None, request=request, public_note="Update")
        assert not Notification.objects.filter(request=request).exists()
        # following again re-subscribes
        follower_add(agency=agency_a, request=request, email="fan@example.com")
        follower.refresh_from_db()
        assert follower.unsubscribed_at is None
    with agency_context(agency_b), pytest.raises(ValidationError):
        follower_add(agency=agency_b, request=request, email="x@example.com")


def test_unsubscribe_of_other_agency_does_nothing(catalogue_a, agency_a, agency_b):
    request = file(agency_a, reporter=Reporter(email="a@example.com")).request
    with agency_context(agency_a):
        follower = Follower.objects.get(request=request)
    with agency_context(agency_b):
        assert follower_unsubscribe(agency=agency_b, follower_id=follower.pk) is None
    follower.refresh_from_db()
    assert follower.unsubscribed_at is None


def test_no_email_is_sent_inside_the_transaction(catalogue_a, agency_a):
    file(agency_a, reporter=Reporter(email="a@example.com"))
    assert mail.outbox == []


def test_duplicate_check_needs_no_ambient_scope(catalogue_a, catalogue_b, agency_a, agency_b):
    """The selector is scoped by its agency argument alone (chat and tasks call it too)."""
    from requests_app.selectors import duplicates_nearby

    mine = file(agency_a).request
    file(agency_b)  # same place, other agency
    found = duplicates_nearby(agency=agency_a, category=catalogue_a["pothole"], lat=LAT, long=LONG)
    assert [item.request.pk for item in found] == [mine.pk]
