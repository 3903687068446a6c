"""Small geometry in pure Python (no PostGIS): distances, bounding boxes and point-in-polygon for
GeoJSON Polygon / MultiPolygon (also inside a Feature or FeatureCollection). Coordinates in GeoJSON
are [longitude, latitude]."""

import math
from typing import Any

EARTH_RADIUS_M = 6_371_008.8

Ring = list[tuple[float, float]]  # (long, lat) pairs
Polygon = list[Ring]  # outer ring, then holes


def distance_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(long2 - long1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, long: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_long, max_long) of a box that contains the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlong = min(180.0, math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)))
    return lat - dlat, lat + dlat, long - dlong, long + dlong


def _ring(raw: Any) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise ValueError("A polygon ring needs at least four [long, lat] positions.")
    ring = []
    for position in raw:
        if not (isinstance(position, list | tuple) and len(position) >= 2):
            raise ValueError("A position must be [long, lat].")
        x, y = position[0], position[1]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
            raise ValueError("Coordinates must be numbers.")
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            raise ValueError("Coordinates must be [long, lat] within ±180 and ±90.")
        ring.append((float(x), float(y)))
    return ring


def polygons_of(geojson: Any) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection; ValueError if
    it is anything else or malformed."""
    if not isinstance(geojson, dict):
        raise ValueError("The service area must be a GeoJSON object.")
    kind = geojson.get("type")
    if kind == "Feature":
        return polygons_of(geojson.get("geometry"))
    if kind == "FeatureCollection":
        features = geojson.get("features")
        if not isinstance(features, list) or not features:
            raise ValueError("A FeatureCollection needs features.")
        return [polygon for feature in features for polygon in polygons_of(feature)]
    coordinates = geojson.get("coordinates")
    if kind == "Polygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValueError("A Polygon needs coordinates.")
        return [[_ring(ring) for ring in coordinates]]
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValueError("A MultiPolygon needs coordinates.")
        return [[_ring(ring) for ring in polygon] for polygon in coordinates if isinstance(polygon, list)]
    raise ValueError("The service area must be a GeoJSON Polygon or MultiPolygon.")


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    # Ray casting; points exactly on an edge may fall either way, which is fine at street scale.
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geojson: Any, lat: float, long: float) -> bool:
    """Whether the point lies in the area (outside every hole). Malformed areas contain nothing."""
    try:
        polygons = polygons_of(geojson)
    except ValueError:
        return False
    for polygon in polygons:
        outer, holes = polygon[0], polygon[1:]
        if _in_ring(long, lat, outer) and not any(_in_ring(long, lat, hole) for hole in holes):
            return True
    return False
