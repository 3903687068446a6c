"""The flow engine in plain Python: both runners (web steps, chat questions), conditions, the whole-submission
check, and the generic features the report flow needed. Definitions and identifiers: test_engine_definitions.py;
field cleaning and chat parsing: test_engine_fields.py."""

import json

import pytest

from registrations.engine import (
    CONFIRMED,
    REVIEW,
    FieldError,
    Flow,
    FlowState,
    clean_value,
    load_definition,
    parse_text,
)
from tests.registrations.engine_support import TODAY, definition, voter_flow


@pytest.fixture
def voter():
    return voter_flow()


# --- the web runner: steps ------------------------------------------------------------------------------
ELIGIBLE = {"us_citizen": "yes", "date_of_birth": "1990-03-27", "lives_in_city": "yes"}
IDENTITY = {"full_name": "Pat Doe", "id_type": "ssn", "ssn": "123-45-6789"}
RESIDENCE = {
    "home_address": {"line1": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701"},
    "registered_elsewhere": "no",
}


def test_steps_conditions_back_skip_review_confirm(voter):
    state = voter.start()
    assert state.step == "eligibility"
    state, errors = voter.submit_step(state, {**ELIGIBLE, "us_citizen": "no"})
    assert errors["us_citizen"].code == "not_eligible" and state.step == "eligibility"
    state, errors = voter.submit_step(state, ELIGIBLE)
    assert not errors and state.step == "identity"
    # a hidden field's value is ignored: only the SSN applies
    state, errors = voter.submit_step(state, {**IDENTITY, "drivers_license": "S12345678901"})
    assert not errors and "drivers_license" not in state.answers and state.answers["ssn"] == "123-45-6789"
    state, errors = voter.submit_step(state, RESIDENCE)
    assert state.step == "preferences"  # the proof step applies only without an ID number
    state = voter.back_step(state)
    assert state.step == "residence"
    state, _ = voter.submit_step(state, RESIDENCE)
    state, error = voter.skip_step(state)
    assert error.code == "cannot_skip"  # ballot language is required
    state, _ = voter.submit_step(state, {"ballot_language": "es"})
    state, _ = voter.submit_step(state, {"email": "pat@example.com"})
    assert state.stage == REVIEW
    sections = voter.summary(state)
    assert [s.step.id for s in sections] == ["eligibility", "identity", "residence", "preferences", "contact"]
    ssn_item = next(i for s in sections for i in s.items if i.field.id == "ssn")
    assert ssn_item.display == "•••• 6789"
    state, errors = voter.confirm(state)
    assert not errors and state.stage == CONFIRMED


def test_changing_an_earlier_answer_drops_answers_that_no_longer_apply(voter):
    state = voter.start()
    for data in (ELIGIBLE, IDENTITY, RESIDENCE, {"ballot_language": "en"}, {"email": "a@b.co"}):
        state, errors = voter.submit_step(state, data)
        assert not errors
    state, error = voter.goto_step(state, "identity")
    assert error is None and state.reviewing
    state, errors = voter.submit_step(state, {**IDENTITY, "id_type": "none"})
    assert "ssn" not in state.answers
    # now the proof step applies, and the flow goes there instead of back to review
    assert state.step == "proof"


def test_cannot_jump_ahead_past_unfinished_steps(voter):
    state = voter.start()
    state, error = voter.goto_step(state, "contact")
    assert error.code == "step_incomplete"


def test_partial_save_keeps_valid_answers_without_errors(voter):
    state = voter.start()
    state, errors = voter.submit_step(state, {"us_citizen": "yes", "date_of_birth": "bad"}, partial=True)
    assert errors == {} and state.answers == {"us_citizen": True} and state.step == "eligibility"


# --- the whole-submission check (API) -----------------------------------------------------------------
def test_validate_submission_refuses_hidden_unknown_and_missing(voter):
    answers = {**ELIGIBLE, **IDENTITY, **RESIDENCE, "ballot_language": "en", "email": "a@b.co"}
    cleaned, errors = voter.validate(answers)
    assert errors == {} and cleaned["us_citizen"] is True
    _cleaned, errors = voter.validate({**answers, "drivers_license": "S12345678901", "shoe_size": 9})
    assert errors["drivers_license"].code == "not_applicable" and errors["shoe_size"].code == "unknown_field"
    missing = {key: value for key, value in answers.items() if key not in IDENTITY}
    _cleaned, errors = voter.validate(missing)
    assert errors["full_name"].code == "required" and errors["id_type"].code == "required"


# --- the chat runner: questions ---------------------------------------------------------------------------
def chat(flow, state, *messages):
    errors = []
    for text in messages:
        state, error = flow.answer(state, text)
        errors.append(error)
    return state, errors


def test_chat_one_question_at_a_time_with_reasks_back_skip_and_confirm():
    flow = Flow(load_definition(definition("voter-registration")), lang="es", today=TODAY)
    state = flow.start()
    question = flow.next_question(state)
    assert question.field.id == "us_citizen" and "¿Es ciudadano" in question.prompt()
    state, errors = chat(flow, state, "sí", "32/13/1990")
    assert errors[1].code == "invalid_date" and "27/03/1990" in errors[1].message("es")
    assert flow.next_question(state).field.id == "date_of_birth"  # re-asked
    state, errors = chat(flow, state, "27/03/1990", "sí", "Pat Doe", "1")
    assert errors == [None] * 4
    assert flow.next_question(state).field.id == "drivers_license"
    state = flow.back(state)
    assert flow.next_question(state).field.id == "id_type"
    state, errors = chat(flow, state, "2", "123-45-6789", "1 Main St, Springfield, IL 62701", "no", "2")
    assert errors == [None] * 5
    question = flow.next_question(state)
    assert question.field.id == "poll_worker" and "omitir" in question.prompt()
    state, errors = chat(flow, state, "omitir", "pat@example.com", "omitir")
    assert errors == [None] * 3 and state.stage == REVIEW and flow.next_question(state) is None
    text = flow.summary_text(state)
    assert "Pat Doe" in text and "123-45-6789" not in text and "•••• 6789" in text
    state, error = flow.answer(state, "hola")
    assert error.code == "review_outro"
    state, error = flow.answer(state, "confirmar")
    assert error is None and state.stage == CONFIRMED


def test_chat_required_question_cannot_be_skipped_and_state_round_trips_json():
    flow = Flow(load_definition(definition("voter-registration")), today=TODAY)
    state, errors = chat(flow, flow.start(), "skip")
    assert errors[0].code == "cannot_skip"
    state, _ = chat(flow, state, "yes")
    restored = FlowState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state and flow.next_question(restored).field.id == "date_of_birth"


# --- generic features the report flow needed (any form may use them) -------------------------------------
PLACE = {
    "schema_version": 1,
    "title": "Where and what",
    "steps": [
        {
            "id": "one",
            "title": "One",
            "fields": [
                {
                    "id": "kind",
                    "type": "single_choice",
                    "label": {"en": "Kind", "es": "Tipo"},
                    "choices": [
                        {"value": "2", "label": "Tree down", "keywords": ["tree", "árbol"]},
                        {"value": "1", "label": "Light out", "keywords": ["lamp"]},
                    ],
                    "error_messages": {"invalid_choice": {"en": "Not a service here.", "es": "No es un servicio."}},
                },
                {"id": "place", "type": "location", "label": "Where?"},
                {"id": "note", "type": "text", "label": "Note", "required": False, "hint": "A few words."},
            ],
        }
    ],
}


def test_location_field_reads_coordinates_or_an_address():
    spec = load_definition(PLACE).field("place")
    assert parse_text(spec, "39.78, -89.64") == {"lat": 39.78, "long": -89.64, "address": ""}
    assert clean_value(spec, parse_text(spec, "12 Main St"), today=TODAY) == (
        {"lat": None, "long": None, "address": "12 Main St"},
        None,
    )
    assert clean_value(spec, parse_text(spec, "95, 10"), today=TODAY)[1].code == "invalid_coordinates"
    assert clean_value(spec, {"lat": 1.0, "long": None, "address": ""}, today=TODAY)[1].code == "invalid_coordinates"
    assert clean_value(spec, {"lat": None, "long": None, "address": ""}, today=TODAY)[1].code == "required"


def test_choice_keywords_own_error_messages_and_button_values():
    flow = Flow(load_definition(PLACE), today=TODAY, lang="es")
    state = flow.start()
    refused, error = flow.answer(state, "graffiti")
    assert refused == state and flow.error_message(error) == "No es un servicio."
    by_keyword, error = flow.answer(state, "hay un árbol caído")
    assert error is None and by_keyword.answers["kind"] == "2"
    by_button, error = flow.answer(state, "Light out", choice="1")  # the value, not the second option
    assert error is None and by_button.answers["kind"] == "1"
    assert [value for _label, value in flow.options(state)] == ["val:2", "val:1"]
    assert "back" in [value for _label, value in flow.options(by_button)]


def test_a_runner_check_refuses_or_normalises_an_answer_everywhere():
    def check(field, value):
        if field.id == "place" and value["address"].lower().startswith("nowhere"):
            return None, FieldError("invalid", text="We do not serve that place.")
        if field.id == "place":
            return {**value, "address": value["address"].upper()}, None
        return value, None

    flow = Flow(load_definition(PLACE), today=TODAY, check=check)
    state, _error = flow.answer(flow.start(), "tree")
    same, error = flow.answer(state, "Nowhere Lane")
    assert same.field == "place" and flow.error_message(error) == "We do not serve that place."
    state, error = flow.answer(state, "12 main st")
    assert error is None and state.answers["place"]["address"] == "12 MAIN ST"
    _cleaned, errors = flow.validate({"kind": "2", "place": {"lat": None, "long": None, "address": "nowhere"}})
    assert set(errors) == {"place"}


def test_review_accepts_yes_and_a_form_words_its_own_review():
    spec = load_definition(PLACE)
    spec = type(spec)(title=spec.title, steps=spec.steps, messages={"review_outro": "Send it?"})
    flow = Flow(spec, today=TODAY)
    state, _ = flow.answer(flow.start(), "tree")
    state, _ = flow.answer(state, "12 Main St")
    assert "A few words." in flow.next_question(state).prompt()
    state, _ = flow.answer(state, "skip")
    assert state.stage == REVIEW and flow.summary_text(state).endswith("Send it?")
    again, error = flow.answer(state, "maybe")
    assert again.stage == REVIEW and flow.error_message(error) == "Send it?"
    assert [value for _label, value in flow.options(state)] == ["confirm", "back"]
    done, error = flow.answer(state, "yes")
    assert error is None and done.stage == CONFIRMED
