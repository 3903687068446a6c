"""Open311 records built from models: services, service definitions and request records.
Private data (reporter email, phone, names, device and account ids) is never part of a record."""

import zoneinfo

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app.models import RequestPhoto, ServiceCategory, ServiceRequest, Status, StatusEvent

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"


def when(value, tz) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value, tz).isoformat(timespec="seconds")


def service_record(category: ServiceCategory) -> dict:
    attributes = list(category.attributes.all())
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": any(a.variable for a in attributes) or bool(attributes),
        "type": "realtime",
        "keywords": ",".join(category.keyword_list),
        "group": category.group,
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
                "datatype_description": attribute.datatype_description,
                "order": attribute.order,
                "description": attribute.description,
                "values": [{"key": key, "name": name} for key, name in attribute.choices],
            }
            for attribute in category.attributes.all()
        ],
    }


def with_first_photo(queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Annotate the first photo's id and format, so a record needs no extra query for media_url."""
    first = RequestPhoto.objects.unscoped().filter(request=OuterRef("pk")).order_by("pk")
    return queryset.annotate(
        first_photo_uid=Subquery(first.values("uid")[:1]), first_photo_format=Subquery(first.values("format")[:1])
    )


def photo_url(build_absolute_uri, agency_slug: str, uid, fmt: str) -> str:
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(fmt, "jpg")
    path = reverse("requests:photo", kwargs={"agency_slug": agency_slug, "uid": uid, "ext": extension})
    return build_absolute_uri(path)


def status_notes(request: ServiceRequest) -> str:
    label = str(Status(request.status).label)
    note = request.status_notes
    if request.status == Status.DUPLICATE:
        return note or label
    return f"{label}: {note}" if note else label


def request_record(request: ServiceRequest, *, agency, build_absolute_uri, extensions: bool = False) -> dict:
    tz = zoneinfo.ZoneInfo(agency.timezone)
    media_url = request.media_url
    uid = getattr(request, "first_photo_uid", None)
    if not media_url and uid:
        media_url = photo_url(build_absolute_uri, agency.slug, uid, request.first_photo_format)
    record = {
        "service_request_id": request.reference,
        "status": request.open311_status,
        "status_notes": status_notes(request),
        "service_name": request.category.name,
        "service_code": request.category.code,
        "description": request.description,
        "agency_responsible": request.department.name if request.department_id else agency.name,
        "service_notice": "",
        "requested_datetime": when(request.created_at, tz),
        "updated_datetime": when(request.updated_at, tz),
        "expected_datetime": when(request.expected_at, tz),
        "address": request.address,
        "address_id": request.address_id,
        "zipcode": request.zipcode,
        "lat": request.lat,
        "long": request.long,
        "media_url": media_url,
    }
    if extensions:
        record.update(_extensions(request, agency=agency, tz=tz, build_absolute_uri=build_absolute_uri))
    return record


def _extensions(request: ServiceRequest, *, agency, tz, build_absolute_uri) -> dict:
    attributes = {a.code: a for a in request.category.attributes.all()}
    answers = []
    for code, value in (request.attributes or {}).items():
        attribute = attributes.get(code)
        answers.append({"code": code, "description": attribute.description if attribute else "", "value": value})
    photos = [
        photo_url(build_absolute_uri, agency.slug, photo.uid, photo.format)
        for photo in getattr(request, "public_photos", None) or request.photos.all()
    ]
    notes = []
    events = getattr(request, "public_event_list", None)
    if events is None:
        events = list(request.events.all())
    for event in events:
        if event.kind not in (StatusEvent.Kind.CREATED, StatusEvent.Kind.STATUS, StatusEvent.Kind.MERGED) and not (
            event.public_note
        ):
            continue
        if event.kind == StatusEvent.Kind.MERGED and not event.public_note:
            continue
        notes.append(
            {
                "datetime": when(event.created_at, tz),
                "description": event.public_note or _event_summary(event),
                "type": {
                    StatusEvent.Kind.CREATED: "opened",
                    StatusEvent.Kind.STATUS: "status_change",
                    StatusEvent.Kind.MERGED: "duplicate",
                }.get(event.kind, "note"),
            }
        )
    return {
        "attributes": answers,
        "extended_attributes": {
            "status_detail": request.status,
            "status_label": str(Status(request.status).label),
            "duplicate_of": request.duplicate_of.reference if request.duplicate_of_id else None,
            "channel": request.source,
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
