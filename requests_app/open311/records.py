"""Open311 records built from models: services, service definitions and request records.
Private data (reporter email, phone, names, device and account ids) is never part of a record."""

import zoneinfo
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app.models import MESSAGING_SOURCES, OPEN_STATUSES, ServiceCategory, Source, Status, StatusEvent
from requests_app.open311.selectors import RecordExtras, RecordRow
from tenants.translations import translated

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"


def when(value, tz) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value, tz).isoformat(timespec="seconds")


def _named(name: str, translations: dict | None) -> str:
    """`name` in the active language (the call's `locale`, `views.open311_language`) where the agency gave one."""
    return translated(SimpleNamespace(name=name, translations=translations or {}), "name")


def service_record(category: ServiceCategory) -> dict:
    attributes = list(category.attributes.all())
    keywords = translated(category, "keywords")
    return {
        "service_code": category.code,
        "service_name": translated(category, "name"),
        "description": translated(category, "description"),
        "metadata": any(a.variable for a in attributes) or bool(attributes),
        "type": "realtime",
        "keywords": ",".join(word.strip() for word in keywords.split(",") if word.strip()),
        "group": translated(category, "group"),
    }


def service_definition(category: ServiceCategory) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": translated(attribute, "datatype_description"),
                "order": attribute.order,
                "description": attribute.question_in(),
                "values": [{"key": key, "name": name} for key, name in attribute.choices],
            }
            for attribute in category.attributes.all()
        ],
    }


def photo_url(build_absolute_uri, agency_slug: str, uid, fmt: str) -> str:
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(fmt, "jpg")
    path = reverse("requests:photo", kwargs={"agency_slug": agency_slug, "uid": uid, "ext": extension})
    return build_absolute_uri(path)


def status_notes(status: str, note: str) -> str:
    label = str(Status(status).label)
    if status == Status.DUPLICATE:
        return note or label
    return f"{label}: {note}" if note else label


def request_record(row: RecordRow, *, agency, build_absolute_uri, extras: RecordExtras | None = None, tz=None) -> dict:
    tz = tz or zoneinfo.ZoneInfo(agency.timezone)
    media_url = row.media_url
    if not media_url and row.first_photo:
        uid, _sep, fmt = row.first_photo.partition(":")
        media_url = photo_url(build_absolute_uri, agency.slug, uid, fmt)
    record = {
        "service_request_id": row.reference,
        "status": "open" if row.status in OPEN_STATUSES else "closed",
        "status_notes": status_notes(row.status, row.status_notes),
        "service_name": _named(row.category_name, row.category_translations),
        "service_code": row.category_code,
        "description": row.description,
        "agency_responsible": _named(row.department_name, row.department_translations)
        if row.department_name
        else agency.public_name,
        "service_notice": "",
        "requested_datetime": when(row.created_at, tz),
        "updated_datetime": when(row.updated_at, tz),
        "expected_datetime": when(row.expected_at, tz),
        "address": row.address,
        "address_id": row.address_id,
        "zipcode": row.zipcode,
        "lat": row.lat,
        "long": row.long,
        "media_url": media_url,
    }
    if extras is not None:
        record.update(_extensions(row, agency=agency, tz=tz, extras=extras, build_absolute_uri=build_absolute_uri))
    return record


NOTE_TYPES = {StatusEvent.Kind.CREATED: "opened", StatusEvent.Kind.STATUS: "status_change"}


def _extensions(row: RecordRow, *, agency, tz, extras: RecordExtras, build_absolute_uri) -> dict:
    questions = extras.questions.get(row.category_id, {})
    answers = [
        {"code": code, "description": questions.get(code, ""), "value": value}
        for code, value in (row.attributes or {}).items()
    ]
    photos = [
        photo_url(build_absolute_uri, agency.slug, photo.uid, photo.format) for photo in extras.photos.get(row.id, [])
    ]
    notes = [
        {
            "datetime": when(event.created_at, tz),
            "description": event.public_note or _event_summary(event),
            "type": NOTE_TYPES.get(event.kind, "duplicate" if event.kind == StatusEvent.Kind.MERGED else "note"),
        }
        for event in extras.events.get(row.id, [])
    ]
    return {
        "attributes": answers,
        "extended_attributes": {
            "status_detail": row.status,
            "status_label": str(Status(row.status).label),
            "duplicate_of": row.duplicate_of,
            # GeoReport clients know web, chat, phone and open311: a report filed on WhatsApp, Telegram,
            # Messenger or SMS is a chat there, and `chat_channel` says which ("" for the rest).
            "channel": Source.CHAT.value if row.source in MESSAGING_SOURCES else row.source,
            "chat_channel": row.source if row.source in MESSAGING_SOURCES else "",
            "media_urls": photos,
        },
        "notes": notes,
    }


def _event_summary(event: StatusEvent) -> str:
    if event.kind == StatusEvent.Kind.CREATED:
        return _("Request received")
    if event.to_status:
        return _("Status changed to %(status)s") % {"status": Status(event.to_status).label}
    return ""
