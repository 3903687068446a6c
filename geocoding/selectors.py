"""Geocoding reads, always inside one agency: a pin → the nearest address (`address_reverse`), the
points near a pin (`address_points_near`), a typed address → a point (`address_forward`).

PostgreSQL here has neither PostGIS, pg_trgm nor cube/earthdistance (the embedded server ships only
pgvector), so: a B-tree on (agency, lat) INCLUDE (long) answers the bounding box around a pin, and
distances are exact haversine in Python over that handful of rows; typed addresses are parsed
(`geocoding.normalize`), candidates come from the B-tree on (agency, number) or (agency, name), and
street names are compared by trigram similarity in Python over the agency's distinct names (cached)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.cache import TTLCache
from core.fuzzy import edit_distance
from geocoding.models import AddressPoint
from geocoding.normalize import Parsed, parse, trigrams

EARTH_RADIUS_M = 6_371_008.8
REVERSE_MAX_M = 100  # a pin farther than this from every point gets no address
NEAR_MAX_M = 300
NEAR_LIMIT = 300
ACCEPT = 0.62  # a candidate scoring below this is not the typed address
INTERPOLATE_SPAN = 400  # house numbers; farther neighbours say little about where a number is


def distance_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(long2 - long1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _box(lat: float, long: float, radius_m: float) -> dict:
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlong = min(180.0, math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6))))
    return {"lat__gte": lat - dlat, "lat__lte": lat + dlat, "long__gte": long - dlong, "long__lte": long + dlong}


@dataclass(frozen=True)
class NearPoint:
    address: str
    lat: float
    long: float
    distance_m: float


def address_points_near(
    *, agency, lat: float, long: float, radius_m: float = 150, limit: int = NEAR_LIMIT
) -> list[NearPoint]:
    """Points within `radius_m` (at most NEAR_MAX_M) of a pin, nearest first."""
    radius_m = max(1.0, min(float(radius_m), NEAR_MAX_M))
    rows = (
        AddressPoint.objects.for_agency(agency)
        .filter(**_box(lat, long, radius_m))
        .values_list("address", "lat", "long")[: limit * 4]
    )
    found = [NearPoint(address, plat, plong, distance_m(lat, long, plat, plong)) for address, plat, plong in rows]
    found = [point for point in found if point.distance_m <= radius_m]
    found.sort(key=lambda point: point.distance_m)
    return found[:limit]


def address_reverse(*, agency, lat: float, long: float, max_m: float = REVERSE_MAX_M) -> NearPoint | None:
    """The nearest address point to a pin, if one is within `max_m`."""
    for radius in (25.0, max_m):
        found = address_points_near(agency=agency, lat=lat, long=long, radius_m=radius, limit=1)
        if found:
            return found[0]
    return None


# --- forward ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geocoded:
    address: str  # the address point's own text (or the street, for an interpolated number)
    lat: float
    long: float
    score: float  # 0..1: how well the typed text matched
    exact: bool  # False: placed between the nearest numbers on the street


_names = TTLCache("geocoding street names", ttl=300, maxsize=256)


def street_names_clear(agency_id: int | None = None) -> None:
    if agency_id is None:
        _names.clear()
    else:
        _names.pop(agency_id)


@dataclass
class _NameIndex:
    names: set[str]
    grams: dict[str, frozenset[str]]
    by_gram: dict[str, set[str]]


def _load_names(agency) -> _NameIndex:
    names = set(AddressPoint.objects.for_agency(agency).order_by().values_list("name", flat=True).distinct())
    grams = {name: trigrams(name) for name in names}
    by_gram: dict[str, set[str]] = {}
    for name, name_grams in grams.items():
        for gram in name_grams:
            by_gram.setdefault(gram, set()).add(name)
    return _NameIndex(names, grams, by_gram)


def _name_score(typed: str, typed_grams: frozenset[str], other: str, other_grams: frozenset[str]) -> float:
    """Trigram similarity, or for a typo or two in a long enough name, the share of letters right."""
    shared = len(typed_grams & other_grams)
    score = shared / (len(typed_grams) + len(other_grams) - shared) if typed_grams and other_grams else 0.0
    if len(typed) >= 5 and abs(len(typed) - len(other)) <= 2:
        score = max(score, 1 - edits(typed, other) / max(len(typed), len(other)))
    return score


def _similar_names(agency, name: str, *, limit: int = 6) -> list[tuple[str, float]]:
    index = _names.get_or_load(agency.pk, lambda: _load_names(agency))
    if name in index.names and limit == 1:
        return [(name, 1.0)]
    typed_grams = trigrams(name)
    shared: dict[str, int] = {}
    for gram in typed_grams:
        for other in index.by_gram.get(gram, ()):
            shared[other] = shared.get(other, 0) + 1
    enough = max(1, len(typed_grams) // 4)
    scored = [
        (other, 1.0 if other == name else _name_score(name, typed_grams, other, index.grams[other]))
        for other, count in shared.items()
        if count >= enough
    ]
    scored = [item for item in scored if item[1] >= 0.45]
    scored.sort(key=lambda item: -item[1])
    return scored[:limit]


edits = edit_distance  # the directory search and this geocoder read typos the same way


def _score(parsed: Parsed, row: dict, name_score: float) -> float:
    """How well a point matches the typed parts: mostly the street name, then direction, type, ZIP."""
    score = 0.7 * name_score
    for typed, stored in ((parsed.direction, row["direction"]), (parsed.street_type, row["street_type"])):
        score += 0.1 if typed == stored else 0.05 if not typed or not stored else 0.0
    if parsed.street_type and row["street_type"] and parsed.street_type != row["street_type"]:
        score -= 0.3  # 43rd Place is not 43rd Street: another street with the same name
    if parsed.zipcode and row["zipcode"]:
        score += 0.1 if parsed.zipcode == row["zipcode"] else 0.0
    else:
        score += 0.05
    return score


_LEADING = re.compile(r"^(\d+)")


def _house(number: str) -> int | None:
    match = _LEADING.match(number or "")
    return int(match.group(1)) if match else None


def _rows(queryset) -> list[dict]:
    rows = []
    for row in queryset.values("address", "number", "street", "name", "zipcode", "lat", "long")[:5000]:
        street_parts = row["street"].split(" ")
        row["direction"] = street_parts[0] if len(street_parts) > 1 and street_parts[0] in _DIRECTIONS else ""
        row["street_type"] = parse("0 " + row["street"]).street_type
        rows.append(row)
    return rows


_DIRECTIONS = frozenset({"n", "s", "e", "w", "ne", "nw", "se", "sw"})


def address_forward(*, agency, text: str) -> Geocoded | None:
    """A typed address → a point, or None when nothing matches well enough.

    The exact house on a street that matches (typos and abbreviations allowed) wins; else the number
    is placed between the nearest lower and higher numbers on that street (same side first)."""
    parsed = parse(text)
    if not parsed.name:
        return None
    names = dict(_similar_names(agency, parsed.name))
    if not names:
        return None
    points = AddressPoint.objects.for_agency(agency)
    best: tuple[float, dict] | None = None
    if parsed.number:
        for row in _rows(points.filter(number=parsed.number, name__in=list(names))):
            score = _score(parsed, row, names[row["name"]])
            if best is None or score > best[0]:
                best = (score, row)
    if best is not None and best[0] >= ACCEPT:
        score, row = best
        return Geocoded(row["address"], row["lat"], row["long"], round(score, 3), True)
    wanted = _house(parsed.number)
    if wanted is None:
        return None
    return _interpolate(parsed, wanted, _rows(points.filter(name__in=list(names))), names)


def _interpolate(parsed: Parsed, wanted: int, rows: list[dict], names: dict[str, float]) -> Geocoded | None:
    by_street: dict[str, list[dict]] = {}
    for row in rows:
        by_street.setdefault(row["street"], []).append(row)
    choice = None
    for street_rows in by_street.values():
        score = _score(parsed, street_rows[0], names[street_rows[0]["name"]])
        if score >= ACCEPT and (choice is None or score > choice[0]):
            choice = (score, street_rows)
    if choice is None:
        return None
    score, street_rows = choice
    numbered = [(house, row) for row in street_rows if (house := _house(row["number"])) is not None]
    same_side = [(house, row) for house, row in numbered if house % 2 == wanted % 2]
    for candidates in (same_side, numbered):
        below = max(((h, r) for h, r in candidates if h <= wanted), default=None, key=lambda item: item[0])
        above = min(((h, r) for h, r in candidates if h >= wanted), default=None, key=lambda item: item[0])
        if below and above and above[0] - below[0] <= INTERPOLATE_SPAN:
            if above[0] == below[0]:
                lat, long = below[1]["lat"], below[1]["long"]
            else:
                share = (wanted - below[0]) / (above[0] - below[0])
                lat = below[1]["lat"] + share * (above[1]["lat"] - below[1]["lat"])
                long = below[1]["long"] + share * (above[1]["long"] - below[1]["long"])
            return Geocoded(_label(parsed, wanted, street_rows[0]), lat, long, round(score * 0.9, 3), False)
        nearest = min((item for item in (below, above) if item), default=None, key=lambda item: abs(item[0] - wanted))
        if nearest and abs(nearest[0] - wanted) <= 100:
            row = nearest[1]
            return Geocoded(_label(parsed, wanted, row), row["lat"], row["long"], round(score * 0.8, 3), False)
    return None


def _label(parsed: Parsed, wanted: int, row: dict) -> str:
    street = re.sub(r"^\d+[A-Za-z]?(?:\s+\d+/\d+)?\s+", "", row["address"].split(",")[0])
    return f"{parsed.number or wanted} {street}".strip()


# --- intersections ---------------------------------------------------------------------------------

INTERSECTION_MAX_M = 400  # the crossing is this close to a known point on each street (open data: every lot)
_STREET_SPAN_M = 1000  # a street's direction is read from its points this close to the other street
_CELL = 0.004  # degrees (~450 m of latitude): points are bucketed so each is compared with its neighbours only
_MIN_ANGLE = 0.35  # radians (20°): streets nearer to parallel than this meet nowhere a citizen means


def _street_points(agency, typed: str) -> list[tuple[float, dict]]:
    """The points on the street `typed` names ("5th", "Main St", "Vanowen"), each with how well it matches."""
    parsed = parse("0 " + typed)  # no house number: the whole text is the street
    if not parsed.name:
        return []
    names = dict(_similar_names(agency, parsed.name))
    if not names:
        return []
    rows = _rows(AddressPoint.objects.for_agency(agency).filter(name__in=list(names)))
    scored = [(_score(parsed, row, names[row["name"]]), row) for row in rows]
    return [(score, row) for score, row in scored if score >= ACCEPT]


def _street_label(row: dict) -> str:
    return re.sub(r"^\d+[A-Za-z]?(?:\s+\d+/\d+)?\s+", "", row["address"].split(",")[0]).strip()


def _nearest_pair(ones, others):
    """The closest two points, one on each street (not the same street: "Main & Main"), with their distance."""
    cells: dict[tuple[int, int], list[tuple[float, dict]]] = {}
    for item in others:
        cells.setdefault((int(item[1]["lat"] // _CELL), int(item[1]["long"] // _CELL)), []).append(item)
    best = None  # distance, one (score, row), the other
    for one in ones:
        row = one[1]
        lat_cell, long_cell = int(row["lat"] // _CELL), int(row["long"] // _CELL)
        for d_lat in (-1, 0, 1):
            for d_long in (-1, 0, 1):
                for other in cells.get((lat_cell + d_lat, long_cell + d_long), ()):
                    if other[1]["street"] != row["street"]:
                        distance = distance_m(row["lat"], row["long"], other[1]["lat"], other[1]["long"])
                        if best is None or distance < best[0]:
                            best = (distance, one, other)
    return best


def _line(rows: list[dict], origin: tuple[float, float]):
    """A street's points near `origin` as a line in metres from it: a point on it and its unit direction (the
    principal axis of the points), or None when they do not show a direction."""
    scale = math.cos(math.radians(origin[0]))
    xy = [
        ((row["long"] - origin[1]) * scale * 111_320, (row["lat"] - origin[0]) * 111_320)
        for row in rows
        if distance_m(origin[0], origin[1], row["lat"], row["long"]) <= _STREET_SPAN_M
    ]
    if len(xy) < 2:
        return None
    mx, my = sum(x for x, _ in xy) / len(xy), sum(y for _, y in xy) / len(xy)
    sxx = sum((x - mx) ** 2 for x, _ in xy)
    syy = sum((y - my) ** 2 for _, y in xy)
    sxy = sum((x - mx) * (y - my) for x, y in xy)
    if sxx + syy < 1:
        return None  # one lot's points: no direction
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    return (mx, my), (math.cos(angle), math.sin(angle))


def _crossing(one_rows, other_rows, origin):
    """Where the two streets' lines cross, in metres from `origin`, or None (a direction unknown, or parallel)."""
    first, second = _line(one_rows, origin), _line(other_rows, origin)
    if first is None or second is None:
        return None
    (x1, y1), (dx1, dy1) = first
    (x2, y2), (dx2, dy2) = second
    cross = dx1 * dy2 - dy1 * dx2
    if abs(cross) < math.sin(_MIN_ANGLE):
        return None
    t = ((x2 - x1) * dy2 - (y2 - y1) * dx2) / cross
    return x1 + t * dx1, y1 + t * dy1


def intersection_forward(*, agency, first: str, second: str) -> Geocoded | None:
    """Where the streets `first` and `second` cross: the two streets' lines (each the axis of its address points
    near the other street) meet there, within INTERSECTION_MAX_M of a known point on each; when a street's points
    show no direction, halfway between the two nearest points if those are that close. Streets that do not meet, or
    that the points do not know: None. The address is the two streets as the agency's points write them
    ("W 3RD ST & S VERMONT AVE")."""
    ones, others = _street_points(agency, first), _street_points(agency, second)
    if not ones or not others:
        return None
    pair = _nearest_pair(ones, others)
    if pair is None:
        return None
    _distance, (score, row), (other_score, other) = pair
    origin = ((row["lat"] + other["lat"]) / 2, (row["long"] + other["long"]) / 2)
    lat, long = origin
    one_rows = [item[1] for item in ones if item[1]["street"] == row["street"]]
    other_rows = [item[1] for item in others if item[1]["street"] == other["street"]]
    crossing = _crossing(one_rows, other_rows, origin)
    if crossing is not None:
        lat = origin[0] + crossing[1] / 111_320
        long = origin[1] + crossing[0] / (111_320 * math.cos(math.radians(origin[0])))
    near = [min(distance_m(lat, long, r["lat"], r["long"]) for r in rows) for rows in (one_rows, other_rows)]
    if max(near) > INTERSECTION_MAX_M:
        return None
    label = f"{_street_label(row)} & {_street_label(other)}"
    return Geocoded(label, round(lat, 7), round(long, 7), round(min(score, other_score) * 0.9, 3), False)


def place_forward(*, agency, text: str) -> Geocoded | None:
    """A typed place → a point: an intersection ("5th and Main", `geocoding.intersections`) or an address."""
    from geocoding.intersections import intersection

    crossing = intersection(text)
    if crossing is not None:
        return intersection_forward(agency=agency, first=crossing.first, second=crossing.second)
    return address_forward(agency=agency, text=text)
