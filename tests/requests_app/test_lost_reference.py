"""A lost reference number: the track page's second form e-mails the references of what was filed with an
address (portal.lost_reference). Matching, the same answer whatever is held, limits, the agency's records only,
one outbox row delivered once, the audit trail without the address."""

import re

import pytest
from auditlog.models import LogEntry
from django.core import mail

from portal import lost_reference
from registrations.demo import install_form
from registrations.services import registration_create
from requests_app.models import Notification
from requests_app.services import Reporter, notifications_deliver
from tenants.context import agency_context
from tests.registrations.conftest import VOTER_ANSWERS
from tests.requests_app.conftest import make_catalogue
from tests.requests_app.test_routing import file

PAT = "pat@example.com"


def _rows(agency, recipient=PAT):
    with agency_context(agency):
        return list(Notification.objects.for_agency(agency).filter(recipient=recipient))


def _register(agency, email):
    with agency_context(agency):
        form = install_form(agency, "voter-registration")
        return registration_create(agency=agency, form=form, answers={**VOTER_ANSWERS, "email": email})


@pytest.fixture
def filed(catalogue_a, agency_a, agency_b):
    """Pat filed a report (address typed in capitals) and an application in A, and a report in B; Ann a report in A."""
    make_catalogue(agency_b)
    records = {
        "a_report": file(agency_a, reporter=Reporter(email="Pat@Example.COM")),
        "a_registration": _register(agency_a, PAT),
        "a_other": file(agency_a, reporter=Reporter(email="ann@example.com")),
        "b_report": file(agency_b, reporter=Reporter(email=PAT)),
    }
    with agency_context(agency_a):  # the application's own e-mail to Pat is in the outbox too: not this test's
        Notification.objects.for_agency(agency_a).all().delete()
    return records


def _ask(agency, email=PAT, *, language="en", client="ip:10.0.0.1"):
    with agency_context(agency):
        return lost_reference.references_email(agency=agency, email=email, language=language, client=client, via="test")


def test_one_outbox_row_lists_the_agencys_records_filed_with_the_address(filed, agency_a):
    assert _ask(agency_a) == 2
    [row] = _rows(agency_a)
    assert row.channel == Notification.Channel.EMAIL and row.sent_at is None
    body = row.body
    assert filed["a_report"].reference in body and filed["a_registration"].reference in body
    assert filed["a_other"].reference not in body  # another citizen's
    assert filed["b_report"].reference not in body  # the same address in another agency
    assert "Pothole" in body and "Submitted" in body
    assert f"/a/alpha/track/?reference={filed['a_report'].reference}" in body
    assert row.subject == "Your reference numbers at Alpha City"


def test_the_row_is_delivered_once(filed, agency_a):
    _ask(agency_a)
    with agency_context(agency_a):
        assert notifications_deliver(agency=agency_a) >= 1
        assert notifications_deliver(agency=agency_a) == 0
    sent = [message for message in mail.outbox if message.to == [PAT]]
    assert len(sent) == 1 and filed["a_registration"].reference in sent[0].body


def test_other_agency_lists_only_its_own(filed, agency_b):
    assert _ask(agency_b) == 1
    [row] = _rows(agency_b)
    assert filed["b_report"].reference in row.body
    assert filed["a_report"].reference not in row.body and filed["a_registration"].reference not in row.body


def test_in_the_citizens_language(filed, agency_a):
    _ask(agency_a, language="es")
    [row] = _rows(agency_a)
    assert row.subject == "Alpha City: sus números de referencia"
    assert "Siga su avance" in row.body


def test_nothing_filed_nothing_sent(filed, agency_a):
    assert _ask(agency_a, "nobody@example.com") == 0
    assert _rows(agency_a, "nobody@example.com") == []


def _answer(client, email, ip="10.0.0.2"):
    response = client.post("/a/alpha/track/", {"email": email}, REMOTE_ADDR=ip)
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)


def test_the_page_answers_the_same_whether_or_not_the_address_is_known(filed, agency_a, client):
    known = _answer(client, PAT)
    unknown = _answer(client, "nobody@example.com")
    assert known[0] == unknown[0] == 200
    assert known[1].replace(PAT, "X") == unknown[1].replace("nobody@example.com", "X")
    assert "If this address was given for a report or an application here" in known[1]
    assert len(_rows(agency_a)) == 1 and _rows(agency_a, "nobody@example.com") == []


def test_the_page_refuses_a_bad_address(filed, agency_a, client):
    status, text = _answer(client, "not an address")
    assert status == 400 and "does not look like an e-mail address" in text
    assert "Traceback" not in text


def test_an_address_gets_three_emails_an_hour_and_the_same_answer_after(filed, agency_a, client):
    answers = [_answer(client, PAT, ip=f"10.0.1.{n}") for n in range(5)]
    assert {status for status, _text in answers} == {200}
    assert len({text.replace(PAT, "X") for _status, text in answers}) == 1
    assert len(_rows(agency_a)) == lost_reference.PER_ADDRESS_PER_HOUR == 3


def test_a_visitor_is_refused_past_its_hourly_asks(filed, agency_a, client):
    for n in range(lost_reference.PER_CLIENT_PER_HOUR):
        assert _answer(client, f"someone{n}@example.com", ip="10.0.2.1")[0] == 200
    status, text = _answer(client, PAT, ip="10.0.2.1")
    assert status == 429 and "Too many requests from here" in text
    assert _rows(agency_a) == []
    assert _answer(client, PAT, ip="10.0.2.2")[0] == 200  # another visitor
    assert len(_rows(agency_a)) == 1


def test_each_ask_is_audited_without_the_address(filed, agency_a, client):
    _answer(client, PAT)
    _answer(client, "nobody@example.com")
    with agency_context(agency_a):
        entries = list(LogEntry.objects.filter(changes_text__startswith="lost reference"))
    outcomes = sorted(entry.additional_data["lost_reference"]["outcome"] for entry in entries)
    assert outcomes == ["nothing filed, not sent", "sent, 2 listed"]
    for entry in entries:
        stored = f"{entry.changes_text} {entry.additional_data} {entry.changes} {entry.object_repr}".lower()
        assert "pat@" not in stored and "nobody@" not in stored and "example.com" not in stored


def test_the_other_agencys_page_sends_its_own_records_only(filed, agency_a, agency_b, client):
    response = client.post("/a/beta/track/", {"email": PAT})
    assert response.status_code == 200
    [row] = _rows(agency_b)
    assert filed["b_report"].reference in row.body and filed["a_report"].reference not in row.body
    assert _rows(agency_a) == []
