"""The flow engine's definitions (JSON Schema and the checks it cannot express) and identifier checks."""

import subprocess
import sys

import pytest

from registrations.engine import (
    DefinitionError,
    check_identifier,
    load_definition,
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
from tests.registrations.engine_support import definition, voter_flow


@pytest.fixture
def voter():
    return voter_flow()


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
