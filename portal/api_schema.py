"""What the OpenAPI document (/api/schema/) says beyond drf-spectacular's defaults, so that it matches what
the server does (checked by schemathesis in tests/test_api_conformance.py):

- a text field that may not be blank says so (`minLength: 1` and a non-space character), as DRF refuses
  "" and, trimming, "   ";
- every operation lists the error answers it can give, with the body the API's exception handler sends:
  400 for refused input, 403 when a session is needed (DRF answers 403 for session authentication),
  404 for an unknown agency or object, 409 where declared, 429 when throttled.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` says what went wrong; refused input adds per-field messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


class CivicDeskAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not isinstance(field, serializers.ChoiceField)
            and not field.allow_blank
            and schema.get("type") == "string"
            and "format" not in schema
        ):
            schema["minLength"] = max(schema.get("minLength", 0), 1)
            if field.trim_whitespace:
                # Not only spaces: Python's strip() also removes \x1c-\x1f and \x85, which \s in a schema
                # pattern (ECMAScript) does not match.
                schema.setdefault("pattern", r"[^\s\x1c-\x1f\x85]")
        return schema


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            if operation.get("requestBody") or any(p.get("in") == "query" for p in parameters):
                responses.setdefault("400", _error("The input was refused."))
            if any(scheme for scheme in operation.get("security", [])):
                responses.setdefault("403", _error("Sign in first (session), or your role may not do this."))
            if "{" in path:
                responses.setdefault("404", _error("No such agency or object (another agency's is not found either)."))
            responses.setdefault("429", _error("Too many requests; try again later."))
    return result
