"""One mapping of services' validation errors (core.errors) and the API's use of it."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.errors import api_error, error_dict, error_messages, merge_errors
from portal.api import exception_handler

FIELDS = ValidationError({"email": ["Enter a valid email address."], "name": ["Too long.", "Not a name."]})
PLAIN = ValidationError(["This report is closed.", "Try another."])


def test_field_errors_keep_their_fields():
    assert error_dict(FIELDS) == {"email": ["Enter a valid email address."], "name": ["Too long.", "Not a name."]}
    assert error_messages(FIELDS) == ["Enter a valid email address.", "Too long.", "Not a name."]
    assert error_messages(FIELDS, with_fields=True) == [
        "email: Enter a valid email address.",
        "name: Too long.",
        "name: Not a name.",
    ]


def test_errors_without_a_field_go_under_the_given_one():
    assert error_dict(PLAIN) == {"detail": ["This report is closed.", "Try another."]}
    assert error_dict(PLAIN, field="answers") == {"answers": ["This report is closed.", "Try another."]}
    assert error_messages(PLAIN, with_fields=True) == ["This report is closed.", "Try another."]


def test_merge_collects_several_checks():
    errors: dict[str, list[str]] = {"email": ["First."]}
    merge_errors(errors, FIELDS)
    merge_errors(errors, ValidationError("Whole form."), field=NON_FIELD_ERRORS)
    assert errors == {
        "email": ["First.", "Enter a valid email address."],
        "name": ["Too long.", "Not a name."],
        NON_FIELD_ERRORS: ["Whole form."],
    }


def test_the_api_answers_a_services_validation_error_with_a_400_naming_the_fields():
    assert api_error(FIELDS).detail["email"][0] == "Enter a valid email address."
    response = exception_handler(FIELDS, {})
    assert response.status_code == 400
    assert response.data == {"email": ["Enter a valid email address."], "name": ["Too long.", "Not a name."]}
    response = exception_handler(PLAIN, {})
    assert response.status_code == 400 and response.data == {"detail": ["This report is closed.", "Try another."]}


def test_anything_else_unexpected_is_a_plain_500():
    response = exception_handler(RuntimeError("boom"), {})
    assert response.status_code == 500 and "boom" not in str(response.data)
