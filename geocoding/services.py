"""Loading an agency's address points from an open-data file (CSV: an address, a latitude and a
longitude per row; a ZIP code column is used when present)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from geocoding.models import AddressImport, AddressPoint
from geocoding.normalize import parse
from geocoding.selectors import street_names_clear
from tenants.models import Agency

COLUMNS = {
    "address": ("address", "full_address", "fulladdress", "addr", "street_address", "site_address", "location"),
    "lat": ("latitude", "lat", "y"),
    "long": ("longitude", "long", "lon", "lng", "x"),
    "zipcode": ("zipcode", "zip", "zip_code", "postcode", "postal_code"),
}
BATCH = 2000
MAX_ROWS = 2_000_000


@dataclass(frozen=True)
class Columns:
    address: str
    lat: str
    long: str
    zipcode: str | None


def columns_detect(header: Iterable[str]) -> Columns:
    """Which columns hold the address, latitude, longitude (and ZIP code). Raises ValidationError
    naming what is missing."""
    by_key = {str(name).strip().lower().replace(" ", "_"): name for name in header if name}
    found = {}
    for role, spellings in COLUMNS.items():
        found[role] = next((by_key[s] for s in spellings if s in by_key), None)
    missing = [role for role in ("address", "lat", "long") if found[role] is None]
    if missing:
        raise ValidationError(
            _("The file needs columns for the address, latitude and longitude (found: %(columns)s).")
            % {"columns": ", ".join(by_key) or "—"}
        )
    return Columns(found["address"], found["lat"], found["long"], found["zipcode"])


def _point(agency: Agency, row: dict, columns: Columns) -> AddressPoint | None:
    address = str(row.get(columns.address) or "").strip()[:300]
    try:
        lat = float(row.get(columns.lat) or "")
        long = float(row.get(columns.long) or "")
    except ValueError:
        return None
    if not address or not (-90 <= lat <= 90 and -180 <= long <= 180) or (lat == 0 and long == 0):
        return None
    parsed = parse(address)
    if not parsed.name:
        return None
    zipcode = parsed.zipcode
    if not zipcode and columns.zipcode:
        zipcode = str(row.get(columns.zipcode) or "").strip()[:5]
    return AddressPoint(
        agency=agency,
        address=address,
        number=parsed.number[:20],
        street=parsed.street[:200],
        name=parsed.name[:200],
        zipcode=zipcode[:10],
        lat=lat,
        long=long,
    )


def address_points_load(
    *, agency: Agency, actor=None, rows: Iterable[dict], header: Iterable[str], filename: str, replace: bool = False
) -> AddressImport:
    """Load points for `agency` from CSV rows. The same address twice (in the file, or already
    loaded) is kept once; rows without a usable address or coordinates are counted as skipped.
    `replace`: the agency's earlier points go first. All or nothing."""
    columns = columns_detect(header)
    with transaction.atomic():
        points = AddressPoint.objects.for_agency(agency)
        if replace:
            points.delete()  # not audited row by row (see AddressPoint); the load below is
            seen = set()
        else:
            seen = set(points.values_list("number", "street", "zipcode"))
        record = AddressImport(agency=agency, filename=filename[:255], replaced=replace, created_by=actor)
        record.full_clean()
        record.save()
        batch: list[AddressPoint] = []
        loaded = skipped = 0
        for count, row in enumerate(rows, start=1):
            if count > MAX_ROWS:
                raise ValidationError(_("A file may hold at most %(n)d rows.") % {"n": MAX_ROWS})
            point = _point(agency, row, columns)
            key = (point.number, point.street, point.zipcode) if point else None
            if point is None or key in seen:
                skipped += 1
                continue
            seen.add(key)
            point.load = record
            batch.append(point)
            if len(batch) >= BATCH:
                AddressPoint.objects.bulk_create(batch)
                loaded += len(batch)
                batch = []
        if batch:
            AddressPoint.objects.bulk_create(batch)
            loaded += len(batch)
        record.loaded, record.skipped = loaded, skipped
        record.save(update_fields=["loaded", "skipped"])
    transaction.on_commit(lambda: street_names_clear(agency.pk))
    return record


def address_points_load_csv(*, agency: Agency, actor=None, file, filename: str, replace: bool = False) -> AddressImport:
    """`address_points_load` from an uploaded or opened CSV file (bytes or text; UTF-8, BOM allowed)."""
    raw = file.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The file is not UTF-8 text.")) from exc
    try:
        reader = csv.DictReader(io.StringIO(raw, newline=""))
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise ValidationError(_("The file is not a CSV file: %(error)s") % {"error": exc}) from exc
    try:
        return address_points_load(
            agency=agency, actor=actor, rows=reader, header=header, filename=filename, replace=replace
        )
    except csv.Error as exc:
        raise ValidationError(_("The file is not a CSV file: %(error)s") % {"error": exc}) from exc
