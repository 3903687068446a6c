"""The chat runner's summary: Confirm / Change buttons, a plain "yes" in many languages sends the
application, "no" or "change" goes back; yes/no questions come with Yes / No buttons."""

import pytest

from registrations import services
from registrations.conversation import RegistrationConversation
from registrations.models import Registration, Status
from tenants.context import agency_context

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


def _to_summary(agency, form, ref, language="en"):
    with agency_context(agency):
        convo, reply = RegistrationConversation.start(agency=agency, form=form, conversation_ref=ref, language=language)
        assert reply.buttons == ()  # a text question: no buttons
        reply = convo.reply("Pat Doe")
        assert [action for _label, action in reply.buttons] == ["reg_yes", "reg_no"]
        reply = convo.reply(reply.buttons[0][0], action=reply.buttons[0][1])  # the "Yes" button
        assert "Pat Doe" in reply.text and not reply.done
        return convo, reply


@pytest.mark.parametrize("answer", ["Yes", "yes!", "OK", "oui", "Sí", "是", "是的", "ja", "好的", "👍", "confirm"])
def test_a_plain_yes_at_the_summary_sends_it(agency_a, library_card, answer):
    convo, summary = _to_summary(agency_a, library_card, f"conv-{answer}")
    assert [action for _label, action in summary.buttons] == ["reg_confirm", "reg_change"]
    with agency_context(agency_a):
        reply = convo.reply(answer)
    assert reply.done and reply.reference
    with agency_context(agency_a):
        registration = Registration.objects.for_agency(agency_a).get(reference=reply.reference)
    assert registration.status == Status.SUBMITTED and registration.all_answers()["resident"] is True


def test_buttons_at_the_summary_and_change(agency_a, library_card):
    convo, summary = _to_summary(agency_a, library_card, "conv-buttons", language="es")
    labels = {action: label for label, action in summary.buttons}
    assert labels == {"reg_confirm": "Confirmar", "reg_change": "Cambiar"}
    with agency_context(agency_a):
        back = convo.reply("Cambiar", action="reg_change")  # back to the last answer
        assert "¿Vive en la ciudad?" in back.text and not back.done
        assert [label for label, _action in back.buttons] == ["Sí", "No"]
        reply = convo.reply("No", action="reg_no")
        assert "No" in reply.text and reply.buttons
        again = convo.reply("no")  # a plain "no" at the summary also goes back
        assert "¿Vive en la ciudad?" in again.text
        convo.reply("sí")
        unclear = convo.reply("maybe later")  # neither: the summary again, nothing sent
        assert not unclear.done and [a for _l, a in unclear.buttons] == ["reg_confirm", "reg_change"]
        done = convo.reply("Confirmar", action="reg_confirm")
    assert done.done
