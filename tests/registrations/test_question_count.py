"""A registration whose questions depend on answers never shows a total that later jumps: in the chat no
total until the ID type (which brings its number, or the proof step) and the earlier address are answered,
on the web no step total until the ID type decides whether the proof step applies."""

import re

import pytest

from tenants.context import agency_context
from tests.registrations.test_conversation import field, say, start
from tests.registrations.test_wizard import BASE, ELIGIBILITY, RESIDENCE
from tests.registrations.test_wizard import start as web_start
from tests.registrations.test_wizard import step as web_step


@pytest.fixture
def in_a(agency_a):
    with agency_context(agency_a):
        yield


def count(text: str) -> tuple[int, int | None]:
    found = re.match(r"\(Question (\d+)(?: of (\d+))?\)", text.split("\n\n")[-1])  # after the form's name
    assert found, text
    return int(found.group(1)), int(found.group(2)) if found.group(2) else None


def test_the_chat_shows_a_total_only_once_no_answer_ahead_changes_it(voter_form, agency_a, in_a):
    conversation, reply = start(agency_a, voter_form)
    shown = [(field(conversation), count(reply.text))]
    for text in ("yes", "03/27/1990", "yes", "Pat Doe", "2", "123-45-6789", "1 Main St, Springfield, IL 62701", "no"):
        reply = say(agency_a, conversation, text)
        shown.append((field(conversation), count(reply.text)))
    assert shown[:5] == [
        ("us_citizen", (1, None)),
        ("date_of_birth", (2, None)),
        ("lives_in_city", (3, None)),
        ("full_name", (4, None)),
        ("id_type", (5, None)),  # a driver's license number, an SSN, or a whole proof step: not known yet
    ], shown
    # After the ID type the address question ahead still decides one (a previous address); from the first total
    # shown on, every count says the same total.
    assert shown[-1][0] == "ballot_language", shown
    first = next(index for index, (_f, (_n, total)) in enumerate(shown) if total is not None)
    assert first > 5 and {total for _f, (_n, total) in shown[first:]} == {shown[first][1][1]}, shown


def test_the_web_form_says_step_n_until_the_id_type_decides_the_steps(client, voter_form):
    web_start(client)
    page = client.get(f"{BASE}step/eligibility/").content.decode()
    assert "Step 1</p>" in page and "Step 1 of" not in page and "<progress" not in page
    web_step(client, "eligibility", ELIGIBILITY)
    web_step(client, "identity", {"full_name": "Pat Doe", "id_type": "none"})
    page = client.get(f"{BASE}step/residence/").content.decode()
    assert "Step 3 of 6" in page and "<progress" in page
    web_step(client, "residence", RESIDENCE)
    assert "Step 4 of 6" in client.get(f"{BASE}step/proof/").content.decode()
