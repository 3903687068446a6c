"""Open311 reads: request records of one agency in one prepared SQL statement (the API's hottest
path), and what `extensions=true` adds, loaded for many records at once."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from core.sql import agency_cursor
from requests_app.models import RequestPhoto, ServiceAttribute, ServiceCategory, ServiceRequest, Status, StatusEvent
from tenants.models import Agency, Department


@dataclass(frozen=True)
class RecordRow:
    """What an Open311 request record shows: public fields only, never reporter data."""

    id: int
    reference: str
    status: str
    status_notes: str
    description: str
    created_at: datetime
    updated_at: datetime
    expected_at: datetime | None
    address: str
    address_id: str
    zipcode: str
    lat: float | None
    long: float | None
    media_url: str
    source: str
    attributes: dict
    category_id: int
    category_code: str
    category_name: str
    department_name: str | None
    duplicate_of: str | None
    first_photo: str | None  # "<uid>:<format>"
    # The agency's names of the category and department in other languages (`translations`).
    category_translations: dict | None = None
    department_translations: dict | None = None


def _record_sql() -> str:
    request = ServiceRequest._meta.db_table
    return f"""
        SELECT r.id, r.reference, r.status, r.status_notes, r.description, r.created_at, r.updated_at,
               r.expected_at, r.address, r.address_id, r.zipcode, r.lat, r.long, r.media_url, r.source,
               r.attributes, r.category_id, c.code, c.name, d.name, dup.reference,
               (SELECT p.uid::text || ':' || p.format FROM {RequestPhoto._meta.db_table} p
                 WHERE p.request_id = r.id AND p.is_public AND r.status <> '{Status.REJECTED.value}'
                 ORDER BY p.id LIMIT 1),
               c.translations, d.translations
          FROM {request} r
          JOIN {ServiceCategory._meta.db_table} c ON c.id = r.category_id
          LEFT JOIN {Department._meta.db_table} d ON d.id = r.department_id
          LEFT JOIN {request} dup ON dup.id = r.duplicate_of_id
         WHERE r.agency_id = %s {{where}}
         ORDER BY r.created_at DESC, r.id DESC
         LIMIT %s OFFSET %s
    """  # noqa: S608 - table names from the models; every value is a parameter


_RECORD_SQL = None


def open311_record_rows(
    *,
    agency: Agency,
    references: list[str] | None = None,
    codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: list[str] | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[RecordRow]:
    """Requests of one agency for Open311 reads, newest first, in one SQL statement (the detail
    read is the API's hottest path: no ORM query compilation, no N+1)."""
    global _RECORD_SQL
    if _RECORD_SQL is None:
        _RECORD_SQL = _record_sql()
    where, params = [], [agency.pk]
    if references is not None and len(references) == 1:
        # The detail read. As `= ANY(array)` the prepared statement's generic plan expects ~10 rows
        # and hash-joins whole tables: measured 0.33 ms a call against 0.05 ms for this form.
        where.append("AND r.reference = %s")
        params.append(references[0])
    elif references is not None:
        where.append("AND r.reference = ANY(%s)")
        params.append(list(references))
    if codes:
        where.append("AND c.code = ANY(%s)")
        params.append(list(codes))
    if start is not None:
        where.append("AND r.created_at >= %s")
        params.append(start)
    if end is not None:
        where.append("AND r.created_at <= %s")
        params.append(end)
    if statuses:
        where.append("AND r.status = ANY(%s)")
        params.append(list(statuses))
    params += [limit, offset]
    # A server-side prepared statement (psycopg caches it per connection; pooled connections live
    # on): the detail read's plan is made once per connection instead of on every request. (Behind
    # PgBouncer in transaction mode, set its max_prepared_statements.)
    with agency_cursor(agency) as cursor:
        cursor.execute(_RECORD_SQL.replace("{where}", " ".join(where)), params, prepare=True)
        rows = cursor.fetchall()

    # Django leaves jsonb undecoded at the driver level; decode the answers here.
    def decoded(value):
        return json.loads(value) if isinstance(value, str) else value

    return [
        RecordRow(*row[:15], decoded(row[15]), *row[16:22], decoded(row[22]) or {}, decoded(row[23]) or {})
        for row in rows
    ]


@dataclass
class RecordExtras:
    """What `extensions=true` adds, loaded for many records at once."""

    questions: dict[int, dict[str, str]]  # category id → code → question
    photos: dict[int, list[RequestPhoto]]
    events: dict[int, list[StatusEvent]]


def open311_record_extras(*, agency: Agency, rows: list[RecordRow]) -> RecordExtras:
    ids = [row.id for row in rows]
    questions: dict[int, dict[str, str]] = {}
    for attribute in ServiceAttribute.objects.for_agency(agency).filter(
        category_id__in={row.category_id for row in rows}
    ):
        questions.setdefault(attribute.category_id, {})[attribute.code] = attribute.description
    photos: dict[int, list[RequestPhoto]] = {}
    shown = RequestPhoto.objects.for_agency(agency).filter(request_id__in=ids, is_public=True)
    for photo in shown.exclude(request__status=Status.REJECTED).order_by("pk"):
        photos.setdefault(photo.request_id, []).append(photo)
    events: dict[int, list[StatusEvent]] = {}
    public = StatusEvent.objects.for_agency(agency).filter(request_id__in=ids)
    public = public.filter(
        Q(kind__in=[StatusEvent.Kind.CREATED, StatusEvent.Kind.STATUS]) | ~Q(public_note="")
    ).order_by("created_at", "pk")
    for event in public:
        events.setdefault(event.request_id, []).append(event)
    return RecordExtras(questions=questions, photos=photos, events=events)
