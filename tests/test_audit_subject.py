"""An audit sentence's subject takes the courtesy its language gives a person only when a person did it: the Korean
audit page read "시스템 님이 …" (Mr/Ms System) for the background jobs' entries. Every UI language is checked for the
system, a visitor and a person in the same sentences."""

from auditlog.models import LogEntry
from django.conf import settings
from django.utils import translation

from chat.models import Conversation
from tenants.context import agency_context
from tests.test_audit_page import entry, sentence


def test_the_system_and_a_visitor_take_no_courtesy_a_person_does(agency_a, staff_a):
    user = staff_a["supervisor"]
    user.first_name, user.last_name = "Dana", "Lee"
    user.save()
    access = LogEntry.Action.ACCESS
    with agency_context(agency_a):
        system = entry(agency_a, Conversation, access, None, repr_="Conversation 1a2b3c4d")
        visitor = entry(agency_a, Conversation, access, None, repr_="Conversation 1a2b3c4d", remote_addr="10.0.0.9")
        person = entry(agency_a, Conversation, access, None, repr_="Conversation 1a2b3c4d", actor=user)
        with translation.override("ko"):
            said = {name: sentence(e) for name, e in (("system", system), ("visitor", visitor), ("person", person))}
        assert said["system"].startswith("시스템이 ") and "님" not in said["system"], said
        assert said["visitor"].startswith("방문객이 ") and "님" not in said["visitor"], said
        assert said["person"].startswith("Dana Lee 님이 "), said
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for e in (system, visitor):
                    assert "%(" not in sentence(e) and "님" not in sentence(e), (code, sentence(e))
                assert "Dana Lee" in sentence(person), (code, sentence(person))
