"""The flow engine's typed answers: cleaning (dates, numbers, files, expectations) and reading chat messages."""

import pytest

from registrations.engine import (
    clean_value,
    load_definition,
    parse_text,
)
from tests.registrations.engine_support import TODAY, definition, voter_flow


@pytest.fixture
def voter():
    return voter_flow()


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


def test_a_date_out_of_range_is_told_with_the_date_written_out_in_the_readers_language(voter):
    dob = field(voter, "date_of_birth")  # at most today (TODAY: 2026-05-01)
    _value, error = clean_value(dob, "2027-01-01", today=TODAY)
    assert error.code == "date_max" and error.params == {"date": "2026-05-01"}  # kept as ISO for the API's code
    assert error.message("en") == "The date must be on or before May 1, 2026."
    assert error.message("fr") == "La date doit être le 1er mai 2026 ou avant."
    assert error.message("de") == "Das Datum muss am oder vor dem 1. Mai 2026 liegen."
    assert "2026年5月1日" in error.message("zh-hans") and "2026-05-01" not in error.message("zh-hans")
    assert "2026년 5월 1일" in error.message("ko")
    for lang in ("en", "es", "fr", "vi", "ar", "de"):
        assert "2026-05-01" not in error.message(lang), lang


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
