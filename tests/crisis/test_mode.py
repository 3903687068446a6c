"""Crisis mode on/off: staff page, commands, end time, audit with the actor, banner, chat."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from crisis.models import CrisisState
from crisis.services import crisis_end_due, crisis_turn_off, crisis_turn_on
from tenants.context import agency_context
from tenants.models import Agency
from tenants.timezones import agency_zone

pytestmark = pytest.mark.django_db


def test_staff_page_turns_crisis_on_and_off_audited_with_the_actor(agency_a, staff_a, client_for):
    client = client_for(staff_a["supervisor"])
    url = reverse("crisis:staff-home", kwargs={"agency_slug": agency_a.slug})
    until = (timezone.localtime(timezone.now(), agency_zone(agency_a)) + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url, {"action": "on", "message": "Flooding on the east side", "severity": "Severe", "until": until}
    )
    assert response.status_code == 302
    agency_a.refresh_from_db()
    assert agency_a.crisis_mode and agency_a.crisis_message == "Flooding on the east side"
    with agency_context(agency_a):
        assert CrisisState.objects.get().ends_at is not None
    entry = LogEntry.objects.filter(additional_data__agency_id=agency_a.pk, object_repr=agency_a.name).latest("pk")
    assert entry.actor == staff_a["supervisor"] and "crisis_mode" in entry.changes_dict
    page = client.get(url)
    assert "Flooding on the east side" in page.text and 'class="crisis-banner' in page.text
    client.post(url, {"action": "off"})
    agency_a.refresh_from_db()
    assert not agency_a.crisis_mode


def test_agents_and_other_agencies_staff_cannot_reach_the_page(agency_a, staff_a, agency_b, staff_b, client_for):
    url = reverse("crisis:staff-home", kwargs={"agency_slug": agency_a.slug})
    assert client_for(staff_a["agent"]).get(url).status_code == 404
    assert client_for(staff_b["admin"]).post(url, {"action": "on", "message": "x"}).status_code == 404
    agency_a.refresh_from_db()
    assert not agency_a.crisis_mode


def test_bad_input_is_a_clear_error_and_changes_nothing(agency_a, staff_a, client_for):
    client = client_for(staff_a["admin"])
    url = reverse("crisis:staff-home", kwargs={"agency_slug": agency_a.slug})
    past = (timezone.localtime(timezone.now(), agency_zone(agency_a)) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "on", "message": "Storm", "severity": "Severe", "until": past})
    assert response.status_code == 200 and "The end time is in the past" in response.text
    agency_a.refresh_from_db()
    assert not agency_a.crisis_mode


def test_crisis_turns_itself_off_at_its_end_time(agency_a, staff_a):
    now = timezone.now()
    with agency_context(agency_a):
        crisis_turn_on(
            agency=agency_a, actor=staff_a["admin"], message="Storm", until=now + timedelta(minutes=5), now=now
        )
    assert crisis_end_due(now=now + timedelta(minutes=4)) == []
    assert Agency.objects.get(pk=agency_a.pk).crisis_mode
    assert crisis_end_due(now=now + timedelta(minutes=6)) == [agency_a.pk]
    assert not Agency.objects.get(pk=agency_a.pk).crisis_mode


def test_commands_turn_crisis_on_and_off_naming_the_operator(agency_a, staff_a, capsys):
    call_command(
        "crisis",
        agency_a.slug,
        "on",
        "--message",
        "Boil water",
        "--until",
        "2099-01-01T08:00",
        "--actor",
        staff_a["admin"].username,
    )
    agency_a.refresh_from_db()
    assert agency_a.crisis_mode and agency_a.crisis_message == "Boil water"
    assert "2099-01-01T08:00" in capsys.readouterr().out
    entry = LogEntry.objects.filter(additional_data__agency_id=agency_a.pk, object_repr=agency_a.name).latest("pk")
    assert entry.actor == staff_a["admin"]
    call_command("crisis", agency_a.slug, "off", "--actor", staff_a["admin"].username)
    agency_a.refresh_from_db()
    assert not agency_a.crisis_mode


def test_command_refuses_bad_input_and_outsiders(agency_a, staff_a, staff_b):
    with pytest.raises(CommandError, match="not an administrator or supervisor"):
        call_command("crisis", agency_a.slug, "on", "--message", "x", "--actor", staff_b["admin"].username)
    with pytest.raises(CommandError, match="ISO-8601"):
        call_command(
            "crisis", agency_a.slug, "on", "--message", "x", "--until", "tomorrow", "--actor", staff_a["admin"].username
        )
    with pytest.raises(CommandError, match="Say what the crisis is"):
        call_command("crisis", agency_a.slug, "on", "--message", "", "--actor", staff_a["admin"].username)
    agency_a.refresh_from_db()
    assert not agency_a.crisis_mode


def test_chat_leads_with_the_notice_and_the_widget_hello_carries_it(agency_a, staff_a):
    from chat.consumers.common import _open_conversation
    from chat.engine.engine import decide
    from chat.models import Message

    with agency_context(agency_a):
        crisis_turn_on(agency=agency_a, actor=staff_a["admin"], message="Shelter at the high school")
        agency = Agency.objects.get(pk=agency_a.pk)
        conversation, _token, _agent = _open_conversation(agency=agency, token="", channel="widget", language="en")
        first = Message.objects.create(agency=agency, conversation=conversation, seq=1, role="citizen", text="hi")
        reply = decide(agency=agency, conversation=conversation, message=first)
        assert reply.text.startswith("Emergency notice: Shelter at the high school")
        assert reply.text.count("Emergency notice") == 1
        second = Message.objects.create(agency=agency, conversation=conversation, seq=3, role="citizen", text="menu")
        assert decide(agency=agency, conversation=conversation, message=second).text.startswith("Emergency notice")
        crisis_turn_off(agency=agency, actor=staff_a["admin"])
        agency = Agency.objects.get(pk=agency_a.pk)
        third = Message.objects.create(agency=agency, conversation=conversation, seq=5, role="citizen", text="menu")
        assert "Emergency notice" not in decide(agency=agency, conversation=conversation, message=third).text


def test_portal_front_page_shows_agencies_in_crisis(agency_a, agency_b, staff_a, client):
    with agency_context(agency_a):
        crisis_turn_on(agency=agency_a, actor=staff_a["admin"], message="Storm")
    page = client.get("/").text
    assert page.count("Emergency notice in effect") == 1
