"""Which agency is responsible for a place, for a kind of problem.

Among the agencies whose jurisdiction area holds the point and that take reports of the category, the one
with the smallest area wins: a state highway corridor inside the city beats the city, the city beats the
county, the county beats the state. The answer says why (the area's name)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from frontdoor import crossagency
from portal.directory import words
from requests_app import geo


class UnknownCategory(ValueError):
    """No agency takes reports of this kind."""


@dataclass
class Responsible:
    agency: object
    area_name: str
    category: object | None  # the agency's ServiceCategory
    area_km2: float

    def reason(self) -> str:
        if self.category is not None:
            return f"The place is inside {self.area_name}, where {self.agency.name} handles “{self.category.name}”."
        return f"The place is inside {self.area_name}, the area of {self.agency.name}."

    def as_dict(self) -> dict:
        data = {
            "agency": {"slug": self.agency.slug, "name": self.agency.name},
            "area": self.area_name,
            "why": self.reason(),
        }
        if self.category is not None:
            data["category"] = {"code": self.category.code, "name": self.category.name}
        return data


def area_km2(area) -> float:
    """Rough size of a GeoJSON area (outer rings only, equirectangular): enough to rank nested areas."""
    total = 0.0
    for polygon in geo.polygons_of(area):
        ring = polygon[0]
        lat0 = math.radians(sum(lat for _x, lat in ring) / len(ring))
        twice = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            twice += x1 * y2 - x2 * y1
        total += abs(twice) / 2 * (111.32**2) * math.cos(lat0)
    return total


def category_matches(category, wanted: str) -> bool:
    """A category named by its code, or by a word of its name or keywords ("pothole")."""
    wanted = (wanted or "").strip().casefold()
    if not wanted:
        return True
    if category.code.casefold() == wanted:
        return True
    wanted_words = set(words(wanted))
    if not wanted_words:
        return False
    own = set(words(category.name)) | set(words(category.keywords.replace(",", " ")))
    for entry in (category.translations or {}).values():
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            own |= set(words(entry["name"]))
    return wanted_words <= own


def responsible_for(*, lat: float, lon: float, category: str = "") -> list[Responsible]:
    """The agencies responsible for the place, the most specific first. Raises UnknownCategory when no agency
    anywhere takes `category`; an empty list when none whose area holds the place does."""
    categories = [c for c in crossagency.categories_active() if category_matches(c, category)] if category else []
    if category and not categories:
        raise UnknownCategory(category)
    by_agency: dict[int, object] = {}
    for item in categories:
        by_agency.setdefault(item.agency_id, item)
    found = []
    for row in crossagency.jurisdictions_all():
        if category and row.agency_id not in by_agency:
            continue
        if geo.contains(row.area, lat, lon):
            found.append(Responsible(row.agency, row.name, by_agency.get(row.agency_id), area_km2(row.area)))
    found.sort(key=lambda r: (r.area_km2, r.agency.name))
    return found
