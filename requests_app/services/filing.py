"""Filing a service request: one service for every channel (web form, staff phone entry, chat skill,
Open311). Validation, retry safety (Idempotency-Key, device_id + description within a minute),
duplicate handling, the reference number and the routing hand-off all happen here."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import merge_errors
from geocoding.selectors import address_reverse, place_forward
from requests_app import geo, selectors, validation
from requests_app.models import (
    ApiKey,
    Follower,
    RequestPhoto,
    ServiceCategory,
    ServiceRequest,
    Source,
    Status,
    StatusEvent,
    photo_path,
)
from requests_app.photos import MAX_PHOTOS, CleanPhoto, photo_clean
from requests_app.services.retries import repeat_notice, retry_of
from tenants.models import Agency
from tenants.sequences import yearly_number


class OnDuplicate(StrEnum):
    ASK = "ask"  # raise DuplicatesFound; nothing is saved (web form, chat, phone entry)
    LINK = "link"  # save it as a duplicate of the nearest open report (Open311)
    FILE = "file"  # the citizen confirmed that theirs is a different problem


class DuplicatesFound(Exception):
    def __init__(self, duplicates: list[selectors.NearbyRequest]):
        super().__init__(f"{len(duplicates)} open report(s) nearby")
        self.duplicates = duplicates


@dataclass
class Reporter:
    """Who filed. Kept private: only staff see it."""

    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    user: object | None = None
    chat_conversation: str = ""
    follow: bool = True  # notify this person of progress


@dataclass
class FilingResult:
    request: ServiceRequest
    created: bool
    duplicate_of: ServiceRequest | None = None
    notice: str = ""
    photos: list[RequestPhoto] = field(default_factory=list)


def reference_next(*, agency: Agency) -> str:
    """The next reference, e.g. SPR-2026-000123: the agency's yearly sequence (tenants.sequences),
    which never makes concurrent filings wait for one another."""
    year = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(agency.timezone)).year
    number = yearly_number(kind="requests", agency_id=agency.pk, year=year)
    return f"{selectors.reference_prefix(agency=agency)}-{year}-{number:06d}"


def _resolve_category(agency: Agency, category: ServiceCategory | str | None) -> ServiceCategory:
    if isinstance(category, ServiceCategory):
        if category.agency_id != agency.pk or not category.active:
            raise ValidationError({"service_code": [_("This service is not offered here.")]})
        return category
    if not category:
        raise ValidationError({"service_code": [_("Choose what kind of problem it is.")]})
    found = selectors.category_get(agency=agency, code=str(category))
    if found is None:
        raise ValidationError({"service_code": [_("Unknown service_code “%(code)s”.") % {"code": str(category)[:60]}]})
    return found


def service_request_create(
    *,
    agency: Agency,
    actor=None,
    category: ServiceCategory | str | None,
    description: str = "",
    lat=None,
    long=None,
    address: str = "",
    address_id: str = "",
    zipcode: str = "",
    attributes: dict | None = None,
    photos: Iterable = (),
    media_url: str = "",
    reporter: Reporter | None = None,
    source: str = Source.WEB,
    language: str = "",
    api_key: ApiKey | None = None,
    idempotency_key: str = "",
    device_id: str = "",
    account_id: str = "",
    on_duplicate: OnDuplicate = OnDuplicate.ASK,
) -> FilingResult:
    """File a request for `agency`. Raises ValidationError (field → messages; nothing saved) for bad
    input, DuplicatesFound when `on_duplicate=ASK` and open reports exist nearby (nothing saved).

    A retry is not a new report: the same `idempotency_key` (per API key), or the same `device_id`
    with the same description within a minute, returns the first request with `created=False`.
    Routing and notifications run after commit in Celery.
    """
    reporter = reporter or Reporter()
    errors: dict[str, list[str]] = {}

    def check(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            merge_errors(errors, exc, field=NON_FIELD_ERRORS)
            return None

    found_category = check(_resolve_category, agency, category)
    text = check(validation.clean_description, description)
    address = check(validation.clean_text, address, field="address_string", max_length=300) or ""
    address_id = check(validation.clean_text, address_id, field="address_id", max_length=100) or ""
    zipcode = check(validation.clean_text, zipcode, field="zipcode", max_length=20) or ""
    media_url = check(validation.clean_media_url, media_url) or ""
    email = check(validation.clean_email, reporter.email) or ""
    phone = check(validation.clean_phone, reporter.phone) or ""
    first_name = check(validation.clean_text, reporter.first_name, field="first_name", max_length=100) or ""
    last_name = check(validation.clean_text, reporter.last_name, field="last_name", max_length=100) or ""
    device_id = check(validation.clean_text, device_id, field="device_id", max_length=100) or ""
    account_id = check(validation.clean_text, account_id, field="account_id", max_length=100) or ""
    idempotency_key = check(validation.clean_text, idempotency_key, field="idempotency_key", max_length=100) or ""

    cleaned_photos: list[CleanPhoto] = []
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        errors.setdefault("media", []).append(_("At most %(n)d photos per report.") % {"n": MAX_PHOTOS})
    else:
        for upload in photos:
            cleaned = check(lambda upload=upload: _photo(upload))
            if cleaned is not None:
                cleaned_photos.append(cleaned)

    if lat in (None, "") and long in (None, ""):
        gps = next((photo.gps for photo in cleaned_photos if photo.gps), None)
        if gps is not None:
            lat, long = gps
    settings_row = selectors.request_settings_get(agency=agency)
    if lat in (None, "") and long in (None, "") and address:
        # An address (or an intersection, "5th & Main") without a pin: the agency's address points give it one (and
        # so a duplicate check), when that point is inside the area the agency serves.
        found = place_forward(agency=agency, text=f"{address}, {zipcode}" if zipcode else address)
        if found is not None and (
            not settings_row.service_area or geo.contains(settings_row.service_area, found.lat, found.long)
        ):
            lat, long = found.lat, found.long
    location = check(
        validation.clean_location,
        lat=lat,
        long=long,
        address=address,
        address_id=address_id,
        service_area=settings_row.service_area,
        center=(settings_row.map_latitude, settings_row.map_longitude) if settings_row.pk else None,
    )
    answers = {}
    if found_category is not None:
        answers = check(validation.clean_attributes, selectors.category_attributes(category=found_category), attributes)
    if errors:
        raise ValidationError(errors)
    lat, long = location
    if lat is not None and not address:
        nearest = address_reverse(agency=agency, lat=lat, long=long)
        if nearest is not None:
            address = nearest.address[:300]

    with transaction.atomic():
        existing = retry_of(
            agency, api_key=api_key, idempotency_key=idempotency_key, device_id=device_id, text=text or ""
        )
        if existing is not None:
            return FilingResult(existing, created=False, duplicate_of=existing.duplicate_of, notice=repeat_notice())

        original = None
        if lat is not None and on_duplicate != OnDuplicate.FILE:
            nearby = selectors.duplicates_nearby(agency=agency, category=found_category, lat=lat, long=long)
            if nearby and on_duplicate == OnDuplicate.ASK:
                raise DuplicatesFound(nearby)
            if nearby:
                original = nearby[0].request
                # Link to the report that is itself being worked, never to another duplicate.
                while original.duplicate_of_id and original.status == Status.DUPLICATE:
                    original = original.duplicate_of

        now = timezone.now()
        request = ServiceRequest(
            agency=agency,
            reference=reference_next(agency=agency),
            category=found_category,
            description=text,
            lat=lat,
            long=long,
            address=address,
            address_id=address_id,
            zipcode=zipcode,
            attributes=answers,
            media_url=media_url,
            status=Status.DUPLICATE if original else Status.SUBMITTED,
            duplicate_of=original,
            department_id=original.department_id if original else None,
            source=source,
            language=(language or "")[:10],
            reporter_user=reporter.user if getattr(reporter.user, "is_authenticated", False) else None,
            reporter_email=email,
            reporter_phone=phone,
            reporter_first_name=first_name,
            reporter_last_name=last_name,
            account_id=account_id,
            device_id=device_id,
            api_key=api_key,
            idempotency_key=idempotency_key,
            created_at=now,
            sla_due_at=now + timedelta(hours=found_category.sla_hours)
            if found_category.sla_hours and not original
            else None,
            closed_at=now if original else None,
            status_notes=_("Duplicate of %(reference)s.") % {"reference": original.reference} if original else "",
        )
        _clean_new_request(request)
        request.save(force_insert=True)
        StatusEvent.objects.create(
            agency=agency, request=request, kind=StatusEvent.Kind.CREATED, to_status=request.status, actor=actor
        )
        stored_photos = [_photo_store(agency, request, photo) for photo in cleaned_photos]

        follow_target = original or request
        if reporter.follow and (email or phone or reporter.chat_conversation):
            _follower_get_or_create(
                agency=agency,
                request=follow_target,
                email=email,
                phone=phone,
                chat_conversation=reporter.chat_conversation,
                user=request.reporter_user,
                language=request.language,
                is_reporter=original is None,
            )
        notice = ""
        if original is not None:
            StatusEvent.objects.create(
                agency=agency,
                request=request,
                kind=StatusEvent.Kind.MERGED,
                from_status=Status.SUBMITTED,
                to_status=Status.DUPLICATE,
                public_note=request.status_notes,
            )
            notice = _(
                "This problem was already reported as %(reference)s; your report was linked to it and you "
                "will be told about its progress."
            ) % {"reference": original.reference}
        else:
            from requests_app.services.routing import route_soon

            transaction.on_commit(lambda: route_soon(agency_id=agency.pk))
    return FilingResult(request, created=True, duplicate_of=original, notice=notice, photos=stored_photos)


# Related rows of a new request: each was read through this agency's scoped managers above.
_RELATED = ["agency", "category", "duplicate_of", "department", "reporter_user", "api_key"]


def _clean_new_request(request: ServiceRequest) -> None:
    """`full_clean` minus what is already proven, on the hottest write path (Open311 replays run
    at hundreds per second): the related rows were loaded through `for_agency(agency)` in this
    service, so re-querying each to check it exists and shares the agency (TenantOwned.clean)
    proves nothing new; uniqueness of reference, token and idempotency key is enforced by database
    constraints and the locks above. Every field's own validators still run."""
    for name in ("category", "duplicate_of", "api_key"):
        related = getattr(request, name)
        if related is not None and related.agency_id != request.agency_id:
            raise ValidationError({name: _("This belongs to another agency.")})
    request.clean_fields(exclude=_RELATED)


def _photo(upload) -> CleanPhoto:
    try:
        return photo_clean(upload)
    except ValidationError as exc:
        raise ValidationError({"media": exc.messages}) from None


def _photo_store(agency: Agency, request: ServiceRequest, photo: CleanPhoto) -> RequestPhoto:
    row = RequestPhoto(
        agency=agency,
        request=request,
        format=photo.format,
        width=photo.width,
        height=photo.height,
        size=len(photo.content),
    )
    row.image.name = photo_path(row, "photo")
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save(force_insert=True)
    # The file is written only once the filing commits: a rolled-back filing leaves nothing on disk.
    storage, name, content = row.image.storage, row.image.name, photo.content
    transaction.on_commit(lambda: storage.save(name, ContentFile(content)))
    return row


def _follower_get_or_create(
    *,
    agency: Agency,
    request: ServiceRequest,
    email: str = "",
    phone: str = "",
    chat_conversation: str = "",
    user=None,
    language: str = "",
    is_reporter: bool = False,
) -> Follower:
    existing = None
    followers = Follower.objects.for_agency(agency).filter(request=request)
    if email:
        existing = followers.filter(email=email).first()
    elif chat_conversation:
        existing = followers.filter(chat_conversation=chat_conversation).first()
    elif phone:
        existing = followers.filter(phone=phone, email="").first()
    if existing is not None:
        if existing.unsubscribed_at is not None:
            existing.unsubscribed_at = None
            existing.save(update_fields=["unsubscribed_at"])
        return existing
    follower = Follower(
        agency=agency,
        request=request,
        email=email,
        phone=phone,
        chat_conversation=chat_conversation[:64],
        user=user,
        language=language[:10],
        is_reporter=is_reporter,
    )
    follower.full_clean(validate_constraints=False, validate_unique=False)
    follower.save(force_insert=True)
    return follower
