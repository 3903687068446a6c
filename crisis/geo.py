"""Alert areas: validating a drawn polygon or circle, and whether a subscriber's place is in an alert's area.

Plain spherical geometry (no GIS dependency): areas are a city's size, so a local equirectangular
projection is exact enough to test intersections and distances to metres."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARTH_KM = 6371.0088
MAX_RADIUS_KM = 1000.0
MAX_POINTS = 500


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _check_point(lat, lon) -> tuple[float, float]:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValidationError(_("A point of the area is not a pair of numbers.")) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError(_("A point of the area is outside the map (latitude -90..90, longitude -180..180)."))
    return lat, lon


def circle_clean(lat, lon, radius_km) -> dict:
    lat, lon = _check_point(lat, lon)
    try:
        radius_km = float(radius_km)
    except (TypeError, ValueError):
        raise ValidationError(_("The circle's radius must be a number of kilometres.")) from None
    if not (math.isfinite(radius_km) and 0 < radius_km <= MAX_RADIUS_KM):
        raise ValidationError(
            _("The circle's radius must be more than 0 and at most %(max)d km.") % {"max": MAX_RADIUS_KM}
        )
    return {"lat": lat, "lon": lon, "radius_km": radius_km}


def _segments_cross(a, b, c, d) -> bool:
    """Whether segments ab and cd intersect (touching counts), in the plane."""

    def orient(p, q, r):
        value = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return 0 if abs(value) < 1e-12 else (1 if value > 0 else -1)

    def on_segment(p, q, r):
        return min(p[0], r[0]) <= q[0] <= max(p[0], r[0]) and min(p[1], r[1]) <= q[1] <= max(p[1], r[1])

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and on_segment(a, c, b))
        or (o2 == 0 and on_segment(a, d, b))
        or (o3 == 0 and on_segment(c, a, d))
        or (o4 == 0 and on_segment(c, b, d))
    )


def polygon_clean(points) -> dict:
    """[[lat, lon], …] → {"points": …}; refuses fewer than three distinct points, zero area, and edges that
    cross each other (a self-intersecting polygon has no clear inside)."""
    if not isinstance(points, list | tuple) or not points:
        raise ValidationError(_("Draw the area: the polygon has no points."))
    if len(points) > MAX_POINTS:
        raise ValidationError(_("The polygon has too many points (at most %(max)d).") % {"max": MAX_POINTS})
    cleaned = []
    for point in points:
        if not isinstance(point, list | tuple) or len(point) != 2:
            raise ValidationError(_("A point of the area is not a pair of numbers."))
        cleaned.append(_check_point(*point))
    if len(cleaned) > 1 and cleaned[0] == cleaned[-1]:
        cleaned.pop()  # closed rings are accepted; stored open
    deduped = [p for i, p in enumerate(cleaned) if i == 0 or p != cleaned[i - 1]]
    if len(set(deduped)) < 3:
        raise ValidationError(_("A polygon needs at least three different points."))
    n = len(deduped)
    for i in range(n):
        a, b = deduped[i], deduped[(i + 1) % n]
        for j in range(i + 1, n):
            if j == i or (j + 1) % n == i or j == (i + 1) % n:
                continue  # neighbouring edges share a point
            c, d = deduped[j], deduped[(j + 1) % n]
            if _segments_cross(a, b, c, d):
                raise ValidationError(_("The polygon's edges cross each other; draw its outline without crossing."))
    if abs(_signed_area(deduped)) < 1e-12:
        raise ValidationError(_("The polygon has no area."))
    return {"points": [list(p) for p in deduped]}


def _signed_area(points) -> float:
    return (
        sum(
            points[i][1] * points[(i + 1) % len(points)][0] - points[(i + 1) % len(points)][1] * points[i][0]
            for i in range(len(points))
        )
        / 2
    )


def _inside(lat: float, lon: float, points) -> bool:
    inside = False
    n = len(points)
    for i in range(n):
        (y1, x1), (y2, x2) = points[i], points[(i + 1) % n]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _distance_to_segment_km(lat, lon, a, b) -> float:
    # Local projection around the subscriber: x east, y north, in km.
    k = math.cos(math.radians(lat))

    def xy(p):
        return ((p[1] - lon) * 111.32 * k, (p[0] - lat) * 110.574)

    (ax, ay), (bx, by) = xy(a), xy(b)
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
    return math.hypot(ax + t * dx, ay + t * dy)


def reaches(alert_kind: str, area: dict, lat: float | None, lon: float | None, radius_km: float | None) -> bool:
    """Whether an alert over `area` concerns a subscriber at (lat, lon) who watches `radius_km` around it.
    A subscriber without a place gets every alert; an alert for the whole jurisdiction reaches everyone."""
    if alert_kind == "whole" or lat is None or lon is None:
        return True
    radius = radius_km or 0.0
    if alert_kind == "circle":
        return distance_km(lat, lon, area["lat"], area["lon"]) <= area["radius_km"] + radius
    points = area["points"]
    if _inside(lat, lon, points):
        return True
    n = len(points)
    return any(_distance_to_segment_km(lat, lon, points[i], points[(i + 1) % n]) <= radius for i in range(n))


def cap_polygon(area: dict) -> str:
    """CAP's polygon: "lat,lon" pairs separated by spaces, the first repeated last."""
    points = area["points"] + area["points"][:1]
    return " ".join(f"{lat:.6f},{lon:.6f}" for lat, lon in points)


def cap_circle(area: dict) -> str:
    return f"{area['lat']:.6f},{area['lon']:.6f} {area['radius_km']:.3f}"
