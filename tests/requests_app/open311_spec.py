"""The GeoReport v2 field lists and types (shared/OPEN311.md), and validators for JSON and XML answers.
Extra fields are allowed only where listed (token on POST answers; the extensions)."""

import xml.etree.ElementTree as ET
from datetime import datetime

ISO = "iso-datetime"
NUMBER = "number"
BOOL = "bool"
INT = "int"

DISCOVERY = {"changeset": ISO, "contact": str, "key_service": str, "endpoints": list}
ENDPOINT = {"specification": str, "url": str, "changeset": ISO, "type": str, "formats": list}
SERVICE = {
    "service_code": str,
    "service_name": str,
    "description": str,
    "metadata": BOOL,
    "type": str,
    "keywords": str,
    "group": str,
}
DEFINITION = {"service_code": str, "attributes": list}
ATTRIBUTE = {
    "variable": BOOL,
    "code": str,
    "datatype": str,
    "required": BOOL,
    "datatype_description": str,
    "order": INT,
    "description": str,
    "values": list,
}
VALUE = {"key": str, "name": str}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
POST_ANSWER = {"service_request_id": str, "service_notice": str, "account_id": (str, None)}
POST_OPTIONAL = {"token": str}
TOKEN = {"service_request_id": str, "token": str}
REQUEST = {
    "service_request_id": str,
    "status": str,
    "status_notes": str,
    "service_name": str,
    "service_code": str,
    "description": str,
    "agency_responsible": str,
    "service_notice": str,
    "requested_datetime": ISO,
    "updated_datetime": ISO,
    "expected_datetime": (ISO, None),
    "address": str,
    "address_id": str,
    "zipcode": str,
    "lat": (NUMBER, None),
    "long": (NUMBER, None),
    "media_url": str,
}
EXTENSIONS = {"attributes": list, "extended_attributes": dict, "notes": list}
NOTE = {"datetime": ISO, "description": str, "type": str}
ERROR = {"code": INT, "description": str}


def _iso(value: str) -> bool:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return parsed.tzinfo is not None


# --- JSON -----------------------------------------------------------------------------------------


def _json_type_ok(value, kind) -> bool:
    if isinstance(kind, tuple):
        return any(_json_type_ok(value, k) for k in kind)
    if kind is None:
        return value is None
    if kind == ISO:
        return isinstance(value, str) and _iso(value)
    if kind == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str)
    return isinstance(value, kind)


def check_json(record: dict, fields: dict, optional: dict | None = None) -> None:
    optional = optional or {}
    missing = set(fields) - set(record)
    extra = set(record) - set(fields) - set(optional)
    assert not missing, f"missing fields {missing}"
    assert not extra, f"unexpected fields {extra}"
    for name, kind in {**fields, **optional}.items():
        if name in record:
            assert _json_type_ok(record[name], kind), f"{name}={record[name]!r} is not {kind}"


def check_request_json(record: dict, *, extensions: bool = False) -> None:
    check_json(record, REQUEST, EXTENSIONS if extensions else None)
    assert record["status"] in ("open", "closed")
    if extensions:
        assert set(EXTENSIONS) <= set(record)
        for note in record["notes"]:
            check_json(note, NOTE)


# --- XML ------------------------------------------------------------------------------------------


def parse_xml(body: bytes) -> ET.Element:
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body)  # noqa: S314 - our own server's answer in a test


def _xml_type_ok(text: str, kind) -> bool:
    if isinstance(kind, tuple):
        return any(_xml_type_ok(text, k) for k in kind)
    if kind is None:
        return text == ""
    if kind == ISO:
        return _iso(text)
    if kind == NUMBER:
        try:
            float(text)
        except ValueError:
            return False
        return True
    if kind == BOOL:
        return text in ("true", "false")
    if kind == INT:
        return text.lstrip("-").isdigit()
    return True  # strings, and containers checked by structure


def xml_record(element: ET.Element, fields: dict, optional: dict | None = None) -> dict:
    """Check an item element's children against the field list; return its flat text values."""
    optional = optional or {}
    names = [child.tag for child in element]
    single = {name for name in names if names.count(name) == 1}
    missing = set(fields) - set(names)
    extra = set(names) - set(fields) - set(optional)
    assert not missing, f"missing elements {missing}"
    assert not extra, f"unexpected elements {extra}"
    values = {}
    for child in element:
        kind = {**fields, **optional}[child.tag]
        if kind in (list, dict):
            continue
        text = child.text or ""
        assert child.tag in single, f"{child.tag} repeated"
        assert _xml_type_ok(text, kind), f"{child.tag}={text!r} is not {kind}"
        values[child.tag] = text
    return values
