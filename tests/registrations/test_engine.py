"""The flow engine in plain Python: definitions, identifiers, conditions, validation, both runners."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from registrations.engine import (
    CONFIRMED,
    REVIEW,
    DefinitionError,
    FieldError,
    Flow,
    FlowState,
    check_identifier,
    clean_value,
    load_definition,
    parse_text,
)
from registrations.engine.validators import (
    aba_routing_valid,
    iban_valid,
    iso7064_mod11_2_valid,
    iso7064_mod97_10_valid,
    luhn_valid,
    npi_valid,
    us_ein_valid,
    us_ssn_valid,
    vin_valid,
)

DEFINITIONS = Path(__file__).resolve().parents[2] / "registrations" / "definitions"
TODAY = date(2026, 5, 1)


def definition(name: str) -> dict:
    return json.loads((DEFINITIONS / f"{name}.json").read_text())


@pytest.fixture
def voter():
    return Flow(load_definition(definition("voter-registration")), today=TODAY)


def test_engine_core_imports_no_django():
    code = "import sys, registrations.engine; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["voter-registration", "employment-assistance", "business-tax-registration"])
def test_demo_definitions_are_valid(name):
    spec = load_definition(definition(name))
    assert spec.sensitive_field_ids
    assert any(step.show_if or any(f.show_if for f in step.fields) for step in spec.steps)


# --- identifiers --------------------------------------------------------------------------------------
def test_luhn():
    assert luhn_valid("79927398713") and luhn_valid("4111111111111111")
    assert not luhn_valid("79927398710") and not luhn_valid("4111111111111112")


@pytest.mark.parametrize(
    ("ssn", "ok"),
    [("123-45-6789", True), ("000-12-3456", False), ("666-12-3456", False), ("900-12-3456", False),
     ("123-00-4567", False), ("123-45-0000", False), ("078-05-1120", False), ("12345678", False)],
)  # fmt: skip
def test_us_ssn_rules(ssn, ok):
    assert us_ssn_valid(ssn.replace("-", "")) is ok


def test_vin_check_digit():
    assert vin_valid("1M8GDM9AXKP042788")
    assert vin_valid("11111111111111111")
    assert not vin_valid("1M8GDM9A1KP042788")  # wrong check digit
    assert not vin_valid("1M8GDM9AXKP04278O")  # O is not allowed


def test_iban_and_iso7064():
    assert iban_valid("DE89370400440532013000") and iban_valid("GB82WEST12345698765432")
    assert not iban_valid("DE89370400440532013001")
    assert not iban_valid("DE8937040044053201300")  # wrong length for DE
    assert iso7064_mod97_10_valid("370400440532013000DE89")  # the DE IBAN rotated
    assert iso7064_mod11_2_valid("0000000218250097")  # ORCID 0000-0002-1825-0097
    assert not iso7064_mod11_2_valid("0000000218250098")


def test_us_numbers_with_checksums_or_rules():
    assert aba_routing_valid("011000015") and not aba_routing_valid("011000016")
    assert npi_valid("1234567893") and not npi_valid("1234567890")
    assert us_ein_valid("123456789") and not us_ein_valid("073456789")  # 07 is not an IRS prefix


def test_check_identifier_normalizes_and_formats():
    assert check_identifier("us_ssn", " 123 45 6789 ") == ("123-45-6789", None)
    assert check_identifier("vin", "1m8gdm9axkp042788") == ("1M8GDM9AXKP042788", None)
    assert check_identifier("iban", "de89 3704 0044 0532 0130 00")[1] is None
    assert check_identifier("us_ssn", "666-12-3456")[1] == "us_ssn"


# --- definitions ----------------------------------------------------------------------------------------
def test_definition_errors_say_where():
    bad = definition("voter-registration")
    bad["steps"][1]["fields"][0]["type"] = "texty"
    with pytest.raises(DefinitionError) as excinfo:
        load_definition(bad)
    assert any(error.startswith("steps[1].fields[0].type") for error in excinfo.value.errors)


def test_condition_must_use_earlier_fields_and_known_choices():
    bad = definition("voter-registration")
    bad["steps"][0]["fields"][0]["show_if"] = {"field": "full_name", "answered": True}
    bad["steps"][1]["fields"][2]["show_if"] = {"field": "id_type", "equals": "passport"}
    with pytest.raises(DefinitionError) as excinfo:
        load_definition(bad)
    text = " ".join(excinfo.value.errors)
    assert "'full_name' is not an earlier field" in text
    assert "'passport' is not a choice of 'id_type'" in text


def test_definition_refuses_options_of_other_types_and_duplicate_ids():
    bad = definition("voter-registration")
    bad["steps"][0]["fields"][1]["choices"] = [{"value": "a", "label": "A"}]
    bad["steps"][1]["fields"][0]["id"] = "us_citizen"
    with pytest.raises(DefinitionError) as excinfo:
        load_definition(bad)
    text = " ".join(excinfo.value.errors)
    assert "choices: not an option of a date field" in text and "used twice" in text


def test_sensitive_contact_field_is_refused():
    bad = definition("voter-registration")
    bad["contact"]["name"] = "ssn"
    with pytest.raises(DefinitionError, match="must be a field of type text"):
        load_definition(bad)


# --- field cleaning -------------------------------------------------------------------------------------
def field(voter, field_id):
    return voter.spec.field(field_id)


def test_date_age_limit_and_formats(voter):
    dob = field(voter, "date_of_birth")
    assert clean_value(dob, "2008-05-01", today=TODAY) == ("2008-05-01", None)
    _value, error = clean_value(dob, "2008-05-02", today=TODAY)
    assert error.code == "min_age" and "18" in error.message("en") and "18" in error.message("zh-hans")
    assert clean_value(dob, "03/27/1990", today=TODAY, lang="en")[0] == "1990-03-27"
    assert clean_value(dob, "27/03/1990", today=TODAY, lang="es")[0] == "1990-03-27"
    assert clean_value(dob, "1990年3月27日", today=TODAY, lang="zh-hans")[0] == "1990-03-27"
    assert clean_value(dob, "2027-01-01", today=TODAY)[1].code == "date_max"
    assert clean_value(dob, "1990-02-30", today=TODAY)[1].code == "invalid_date"


def test_expectation_gives_the_authors_message(voter):
    _value, error = clean_value(field(voter, "us_citizen"), False, today=TODAY)
    assert error.code == "not_eligible"
    assert error.message("es").startswith("Solo los ciudadanos")


def test_clean_is_idempotent(voter):
    samples = {
        "date_of_birth": "03/27/1990",
        "home_address": {"line1": "1 Main St", "city": "Springfield", "region": "il", "postal_code": "62701"},
        "ssn": "123 45 6789",
        "email": "Pat@Example.COM",
        "phone": "(217) 555-0100",
        "poll_worker": "yes",
    }
    for field_id, raw in samples.items():
        spec = field(voter, field_id)
        once, error = clean_value(spec, raw, today=TODAY)
        assert error is None, field_id
        assert clean_value(spec, once, today=TODAY) == (once, None), field_id


def test_numbers_by_language():
    spec = load_definition(definition("employment-assistance")).field("monthly_income")
    assert clean_value(spec, "1,234.50", today=TODAY, lang="en")[0] == 1234.5
    assert clean_value(spec, "1.234,50", today=TODAY, lang="es")[0] == 1234.5
    assert clean_value(spec, "-1", today=TODAY)[1].code == "min_value"
    assert clean_value(spec, "NaN", today=TODAY)[1].code == "invalid_number"
    assert clean_value(spec, True, today=TODAY)[1].code == "invalid_number"


def test_chat_parsing(voter):
    assert parse_text(field(voter, "us_citizen"), "Sí", "es") is True
    assert parse_text(field(voter, "us_citizen"), "否", "zh-hans") is False
    assert parse_text(field(voter, "id_type"), "2") == "ssn"
    assert parse_text(field(voter, "id_type"), "social security number") == "ssn"
    assert parse_text(field(voter, "id_type"), "Número de Seguro Social", "es") == "ssn"
    address = parse_text(field(voter, "home_address"), "12 Oak Ave, Apt 4, Springfield, IL 62704")
    assert address == {
        "line1": "12 Oak Ave",
        "line2": "Apt 4",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62704",
    }


def test_file_metadata_checks():
    spec = load_definition(definition("employment-assistance")).field("resume_file")
    ok = {"file_id": "f1", "name": "cv.pdf", "content_type": "application/pdf", "size": 1000}
    assert clean_value(spec, ok, today=TODAY)[1] is None
    assert clean_value(spec, {**ok, "content_type": "image/png"}, today=TODAY)[1].code == "file_type"
    assert clean_value(spec, {**ok, "size": 6 * 1024 * 1024}, today=TODAY)[1].code == "file_size"
    assert clean_value(spec, "my cv", today=TODAY)[1].code == "file_in_chat"


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
