"""Demo address points: the Springfield demo gets the addresses (with their coordinates) of a real
city's 311 records (Los Angeles, MyLA311, January 2020: `DEMO_ADDRESS_POINTS_FILE`), since the demo
city has no open address file of its own. Its service area gains the box around those points, so
reports placed there are accepted. Skipped when the file is not there."""

import os
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Min

from geocoding.models import AddressPoint
from geocoding.services import address_points_load_csv
from tenants.context import agency_context

SHARED_FILE = Path("shared") / "data" / "311" / "la_myla311_2020-01-01_03.csv"


def demo_file() -> Path | None:
    """`DEMO_ADDRESS_POINTS_FILE`, else the shared data folder next to the checkout (or a level up)."""
    if os.environ.get("DEMO_ADDRESS_POINTS_FILE"):
        return Path(os.environ["DEMO_ADDRESS_POINTS_FILE"])
    for folder in list(Path(settings.BASE_DIR).resolve().parents)[:3]:
        if (folder / SHARED_FILE).is_file():
            return folder / SHARED_FILE
    return None


def seed_demo(agencies: dict) -> None:
    agency = agencies.get("springfield")
    path = demo_file()
    if agency is None or path is None or not path.is_file():
        return
    with agency_context(agency):
        if not AddressPoint.objects.for_agency(agency).exists():
            with path.open("rb") as handle:
                address_points_load_csv(agency=agency, file=handle, filename=path.name)
        _service_area_covers_points(agency)


def _service_area_covers_points(agency) -> None:
    from requests_app.models import AgencyRequestSettings
    from requests_app.selectors import request_settings_get

    row = AgencyRequestSettings.objects.for_agency(agency).first()
    if row is None or not row.service_area or row.service_area.get("type") != "Polygon":
        return  # no area (everything is accepted), or one an admin drew: left alone
    box = AddressPoint.objects.for_agency(agency).aggregate(
        lat0=Min("lat"), lat1=Max("lat"), long0=Min("long"), long1=Max("long")
    )
    if box["lat0"] is None:
        return
    lat0, lat1, long0, long1 = box["lat0"] - 0.01, box["lat1"] + 0.01, box["long0"] - 0.01, box["long1"] + 0.01
    ring = [[long0, lat0], [long1, lat0], [long1, lat1], [long0, lat1], [long0, lat0]]
    row.service_area = {"type": "MultiPolygon", "coordinates": [row.service_area["coordinates"], [ring]]}
    row.full_clean()
    row.save(update_fields=["service_area"])
    request_settings_get(agency=agency, fresh=True)
