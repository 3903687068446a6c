"""Citizens' data rights: the export holds everything about their e-mail or phone (decrypted answers in
their own copy), erasure leaves no trace of them in the database or media while their reports stay as
anonymous public records, a legal hold blocks it, and nothing crosses agencies."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from chat import services as chat
from chat.engine.engine import bot_turn
from privacy import services as privacy
from privacy.rights import ErasureBlocked, citizen_erase, citizen_export
from requests_app.services import Reporter
from tenants.context import agency_context
from tests.registrations.conftest import submit, voter_form  # noqa: F401 - fixtures
from tests.requests_app.conftest import make_catalogue, upload
from tests.requests_app.test_services import file

EMAIL = "pat.citizen@example.org"
PHONE = "(217) 555-0188"


@pytest.fixture
def world(agency_a, agency_b, submit, settings, tmp_path, django_capture_on_commit_callbacks):  # noqa: F811
    """Pat's data in agency A: a report with a photo, a follow, a registration, a chat where Pat wrote the
    address, a recorded question; and the same address in agency B (which must not be touched)."""
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.MEDIA_ROOT = tmp_path / "media"
    make_catalogue(agency_a)
    make_catalogue(agency_b)
    with django_capture_on_commit_callbacks(execute=True):  # the photo is stored after commit
        report = file(
            agency_a,
            description=f"Deep hole, call me at {PHONE}",
            reporter=Reporter(email=EMAIL, phone=PHONE, first_name="Pat", last_name="Citizen"),
            photos=[upload()],
        ).request
    other = file(agency_a, description="Another hole", reporter=Reporter(email="someone@else.example")).request
    from requests_app.services import follower_add

    with agency_context(agency_a):
        follower_add(agency=agency_a, request=other, email=EMAIL)
        conversation, _ = chat.conversation_start(agency=agency_a, channel="widget")
        received = chat.message_receive(
            agency=agency_a, conversation_id=conversation.pk, text=f"My e-mail is {EMAIL}, where is my permit?"
        )
        bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    registration = submit(email=EMAIL)
    foreign = file(agency_b, description="Beta report", reporter=Reporter(email=EMAIL)).request
    return {
        "report": report,
        "other": other,
        "conversation": conversation,
        "registration": registration,
        "foreign": foreign,
    }


def test_the_export_holds_everything_about_them(agency_a, world):
    with agency_context(agency_a):
        document = citizen_export(agency=agency_a, email=EMAIL.upper())
    assert document["format"] == "civicdesk-citizen-export/1" and document["subject"]["email"] == EMAIL
    assert [r["reference"] for r in document["service_requests"]] == [world["report"].reference]
    assert document["service_requests"][0]["reporter"]["phone"] == PHONE and document["service_requests"][0]["photos"]
    # a reporter follows their own report; Pat also follows someone else's
    assert {f["request"] for f in document["follows"]} == {world["report"].reference, world["other"].reference}
    (registration,) = document["registrations"]
    assert registration["reference"] == world["registration"].reference
    assert registration["answers"]["ssn"] == "123-45-6789"  # decrypted: their own copy
    assert [c["id"] for c in document["conversations"]] == [str(world["conversation"].pk)]
    assert EMAIL in document["conversations"][0]["messages"][0]["text"]
    assert world["foreign"].reference not in json.dumps(document)
    with agency_context(agency_a):
        by_phone = citizen_export(agency=agency_a, phone="+1 217 555 0188")
    assert [r["reference"] for r in by_phone["service_requests"]] == [world["report"].reference]


def _rows_containing(value: str, agency=None) -> list[str]:
    """Models with a row holding `value` in a text column (only `agency`'s rows where a model has an agency)."""
    found = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not text_fields:
            continue
        manager = model._base_manager
        if agency is not None and any(f.name == "agency" for f in model._meta.concrete_fields):
            manager = manager.filter(agency=agency)
        query = models.Q()
        for name in text_fields:
            field = model._meta.get_field(name)
            if isinstance(field, models.JSONField):
                continue
            query |= models.Q(**{f"{name}__icontains": value})
        if query and manager.filter(query).exists():
            found.append(model._meta.label)
    return found


def test_erasure_leaves_no_trace_and_keeps_the_reports(
    agency_a, agency_b, world, settings, django_capture_on_commit_callbacks
):
    import os

    from requests_app.models import ServiceRequest

    media_before = {name for _root, _dirs, names in os.walk(settings.MEDIA_ROOT) for name in names}
    assert media_before
    with agency_context(agency_a), django_capture_on_commit_callbacks(execute=True):
        counts = citizen_erase(agency=agency_a, email=EMAIL)
        counts_phone = citizen_erase(agency=agency_a, phone=PHONE)
    assert counts["requests"] == 1 and counts["follows"] == 2 and counts["registrations"] == 1
    assert counts["conversations"] == 1
    assert counts_phone == {}  # the number went with the address's records
    report = ServiceRequest.objects.unscoped().get(pk=world["report"].pk)
    assert report.status and report.reporter_email == "" and report.reporter_first_name == ""
    assert PHONE not in report.description and "Deep hole" in report.description
    # Agency B's copy of the address is B's business: untouched.
    assert ServiceRequest.objects.unscoped().get(pk=world["foreign"].pk).reporter_email == EMAIL
    assert _rows_containing(EMAIL, agency_a) == []  # every table, the audit trail included
    assert _rows_containing("555-0188", agency_a) == []
    assert "registrations.Registration" not in _rows_containing("Pat Doe", agency_a)
    media_after = {name for _root, _dirs, names in os.walk(settings.MEDIA_ROOT) for name in names}
    assert media_before - media_after  # the photo and the upload files are gone
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(additional_data__erasure__isnull=False).order_by("pk").first()
    assert entry.additional_data["erasure"]["kinds"]["requests"] == 1 and EMAIL not in str(entry.__dict__)


def test_a_legal_hold_blocks_erasure_and_changes_nothing(agency_a, staff_a, world):
    from requests_app.models import ServiceRequest

    with agency_context(agency_a):
        privacy.legal_hold_place(
            agency=agency_a,
            actor=staff_a["admin"],
            target="service_request",
            reference=world["report"].reference,
            reason="Claim",
        )
        with pytest.raises(ErasureBlocked):
            citizen_erase(agency=agency_a, email=EMAIL)
    assert ServiceRequest.objects.unscoped().get(pk=world["report"].pk).reporter_email == EMAIL


def test_operator_commands(agency_a, world):
    out = io.StringIO()
    call_command("citizen_export", "alpha", "--email", EMAIL, stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["service_requests"][0]["reference"] == world["report"].reference
    with pytest.raises(CommandError, match="--yes"):
        call_command("citizen_erase", "alpha", "--email", EMAIL)
    with pytest.raises(CommandError, match="exactly one"):
        call_command("citizen_erase", "alpha", "--yes")
    with pytest.raises(CommandError, match="No agency"):
        call_command("citizen_erase", "nowhere", "--email", EMAIL, "--yes")
    out = io.StringIO()
    call_command("citizen_erase", "alpha", "--email", EMAIL, "--yes", stdout=out)
    assert out.getvalue().startswith("Erased:")
    out = io.StringIO()
    call_command("citizen_erase", "alpha", "--email", "nobody@example.org", "--yes", stdout=out)
    assert "Nothing found" in out.getvalue()


def _code_from(mail) -> str:
    import re

    return re.search(r"\b(\d{6})\b", mail.body).group(1)


def test_a_citizen_exports_then_erases_with_a_one_time_code(
    agency_a, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from requests_app.models import Notification
    from requests_app.services import notifications_deliver

    start = reverse("privacy-request", kwargs={"agency_slug": "alpha"})
    assert client.get(start).status_code == 200

    def ask(kind):
        response = client.post(start, {"kind": kind, "email": EMAIL})
        assert response.status_code == 302
        with agency_context(agency_a):
            notifications_deliver(agency=agency_a)
        return response["Location"], _code_from(mailoutbox[-1])

    verify, code = ask("export")
    wrong = client.post(verify, {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.text
    download = client.post(verify, {"code": code})
    assert download["Content-Type"] == "application/json"
    assert json.loads(download.content)["service_requests"][0]["reference"] == world["report"].reference
    assert client.post(verify, {"code": code}).status_code == 400  # used once
    verify, code = ask("erase")
    done = client.post(verify, {"code": code})
    assert done.status_code == 200 and "erased" in done.text
    assert _rows_containing(EMAIL, agency_a) == []
    with agency_context(agency_a):
        # the codes left through the outbox, and the outbox no longer holds the address
        assert not Notification.objects.filter(recipient=EMAIL).exists()


def test_no_enumeration_and_wrong_codes_are_limited(agency_a, world, client, mailoutbox):
    from django.urls import reverse

    from requests_app.services import notifications_deliver

    start = reverse("privacy-request", kwargs={"agency_slug": "alpha"})
    known = client.post(start, {"kind": "erase", "email": EMAIL})
    unknown = client.post(start, {"kind": "erase", "email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302  # the same answer either way
    with agency_context(agency_a):
        notifications_deliver(agency=agency_a)
    code = _code_from(mailoutbox[-1])
    nothing = client.post(unknown["Location"], {"code": code})
    assert nothing.status_code == 200 and "nothing" in nothing.text.lower()
    for _attempt in range(5):
        assert client.post(known["Location"], {"code": "999999" if code != "999999" else "888888"}).status_code == 400
    locked = client.post(known["Location"], {"code": code})
    assert locked.status_code == 400 and "Too many" in locked.text
    assert client.post(start, {"kind": "erase", "email": "not-an-address"}).status_code == 400
    assert client.post(start, {"kind": "erase"}).status_code == 400
    # A's request cannot be carried out on B's pages, even with its right code
    fresh = client.post(start, {"kind": "export", "email": EMAIL})
    with agency_context(agency_a):
        notifications_deliver(agency=agency_a)
    on_b = client.post(fresh["Location"].replace("/a/alpha/", "/a/beta/"), {"code": _code_from(mailoutbox[-1])})
    assert on_b.status_code == 404


def test_staff_act_on_behalf_only_in_their_agency(agency_a, agency_b, staff_a, staff_b, world, client_for):
    from django.urls import reverse

    url = reverse("agency-privacy", kwargs={"agency_slug": "alpha"})
    export = client_for(staff_a["admin"]).post(url, {"action": "export", "email": EMAIL})
    assert json.loads(export.content)["registrations"][0]["reference"] == world["registration"].reference
    for user in (staff_b["admin"], staff_a["supervisor"]):
        assert client_for(user).post(url, {"action": "erase", "email": EMAIL, "confirm": "on"}).status_code == 404
    assert _rows_containing(EMAIL, agency_a)
    unconfirmed = client_for(staff_a["admin"]).post(url, {"action": "erase", "email": EMAIL})
    assert unconfirmed.status_code == 400 and _rows_containing(EMAIL, agency_a)
    assert (
        client_for(staff_a["admin"]).post(url, {"action": "erase", "email": EMAIL, "confirm": "on"}).status_code == 302
    )
    assert _rows_containing(EMAIL, agency_a) == []
