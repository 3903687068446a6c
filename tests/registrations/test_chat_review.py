"""The chat runner's summary: Confirm / Change buttons, a plain "yes" in many languages sends the
application, "no" or "change" goes back; yes/no questions come with Yes / No buttons."""

import pytest

from registrations import services
from registrations.models import Registration, Status
from tenants.context import agency_context
from tests.registrations.test_conversation import say, start


def buttons(reply) -> list[tuple[str, str]]:
    """(label, action) of the reply's quick replies, without the Cancel that every question has."""
    return [(a["label"], a["value"]) for a in reply.payload.get("actions", []) if a["value"] != "reg:cancel"]


FORM = {
    "schema_version": 1,
    "title": {"en": "Library card"},
    "contact": {"name": "full_name"},
    "steps": [
        {
            "id": "about",
            "title": {"en": "About you"},
            "fields": [
                {"id": "full_name", "type": "text", "label": {"en": "Full name", "es": "Nombre completo"}},
                {
                    "id": "resident",
                    "type": "yes_no",
                    "label": {"en": "Do you live in the city?", "es": "¿Vive en la ciudad?"},
                },
            ],
        }
    ],
}


@pytest.fixture
def library_card(agency_a):
    with agency_context(agency_a):
        form = services.form_definition_create(agency=agency_a, actor=None, slug="library-card", definition=FORM)
        services.form_definition_publish(agency=agency_a, actor=None, form=form)
        form.refresh_from_db()
        return form


def _to_summary(agency, form, language="en"):
    conversation, reply = start(agency, form, language=language)
    assert buttons(reply) == []  # a text question: no buttons
    reply = say(agency, conversation, "Pat Doe")
    assert [action for _label, action in buttons(reply)] == ["reg:val:yes", "reg:val:no", "reg:back"]
    label, action = buttons(reply)[0]
    reply = say(agency, conversation, label, action=action)  # the "Yes" button
    assert "Pat Doe" in reply.text and conversation.skill == "register_service"
    return conversation, reply


@pytest.mark.parametrize("answer", ["Yes", "yes!", "OK", "oui", "Sí", "是", "是的", "ja", "好的", "👍", "confirm"])
def test_a_plain_yes_at_the_summary_sends_it(agency_a, library_card, answer):
    with agency_context(agency_a):
        conversation, summary = _to_summary(agency_a, library_card)
        assert [action for _label, action in buttons(summary)] == ["reg:confirm", "reg:back"]
        reply = say(agency_a, conversation, answer)
        reference = reply.payload["decision"]["reference"]
        registration = Registration.objects.for_agency(agency_a).get(reference=reference)
    assert registration.status == Status.SUBMITTED and registration.all_answers()["resident"] is True


def test_buttons_at_the_summary_and_change(agency_a, library_card):
    with agency_context(agency_a):
        conversation, summary = _to_summary(agency_a, library_card, language="es")
        labels = {action: label for label, action in buttons(summary)}
        assert labels == {"reg:confirm": "Confirmar", "reg:back": "Cambiar"}
        back = say(agency_a, conversation, "Cambiar", action="reg:back")  # back to the last answer
        assert "¿Vive en la ciudad?" in back.text
        assert [label for label, _action in buttons(back)] == ["Sí", "No", "Atrás"]
        reply = say(agency_a, conversation, "No", action="reg:val:no")
        assert "No" in reply.text and buttons(reply)
        again = say(agency_a, conversation, "no")  # a plain "no" at the summary also goes back
        assert "¿Vive en la ciudad?" in again.text
        say(agency_a, conversation, "sí")
        unclear = say(agency_a, conversation, "maybe later")  # neither: the summary again, nothing sent
        assert [a for _l, a in buttons(unclear)] == ["reg:confirm", "reg:back"]
        done = say(agency_a, conversation, "Confirmar", action="reg:confirm")
        assert done.payload["decision"]["reference"]
