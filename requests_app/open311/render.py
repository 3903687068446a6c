"""Open311 GeoReport v2 output in JSON and XML, and the error list format.

XML follows the specification's element names: a root (`services`, `service_requests`, …) holding
one element per item; lists inside an item are wrapped (`<values><value>…`) where the spec does so,
and repeated otherwise."""

import json
import xml.etree.ElementTree as ET
from datetime import datetime

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")

# A list under these keys is wrapped in the key and holds elements named by the value.
LIST_ITEMS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "media_urls": "media_url",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _append(parent: ET.Element, key: str, value) -> None:
    if isinstance(value, list | tuple):
        if key in LIST_ITEMS:
            wrapper = ET.SubElement(parent, key)
            for item in value:
                _append(wrapper, LIST_ITEMS[key], item)
        else:
            for item in value:
                _append(parent, key, item)
        return
    element = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for child_key, child_value in value.items():
            _append(element, child_key, child_value)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, data) -> bytes:
    element = ET.Element(root)
    if item is None:
        for key, value in data.items():
            _append(element, key, value)
    else:
        for entry in data:
            _append(element, item, entry)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def respond(fmt: str, data, *, root: str, item: str | None, status: int = 200, headers=None) -> HttpResponse:
    if fmt == "xml":
        response = HttpResponse(to_xml(root, item, data), content_type=XML_TYPE, status=status)
    else:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default)
        response = HttpResponse(body.encode(), content_type=JSON_TYPE, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    items = [{"code": status, "description": description} for description in descriptions]
    return respond(fmt if fmt in FORMATS else "json", items, root="errors", item="error", status=status)
