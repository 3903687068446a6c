"""The demo's jurisdiction areas and the report categories of the county and the state highways (fictional
agencies; the areas are rough outlines of Springfield, Sangamon County, Illinois and two interstate corridors).
Services and public contacts: demo_services.py and demo_officials.py."""


def _box(west: float, south: float, east: float, north: float) -> list:
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


STATE_AREA = {
    "type": "Polygon",
    "coordinates": [
        [
            [-91.51, 40.63],
            [-90.65, 42.51],
            [-87.02, 42.49],
            [-87.53, 41.70],
            [-87.53, 39.35],
            [-88.10, 37.90],
            [-89.13, 36.98],
            [-89.70, 37.25],
            [-90.37, 38.25],
            [-91.42, 39.85],
            [-91.51, 40.63],
        ]
    ],
}
AREAS = {
    # springfield: the city's area comes from its request settings (requests_app.demo.CITY_AREA)
    "sangamon-county": ("Sangamon County", {"type": "Polygon", "coordinates": _box(-89.99, 39.52, -89.25, 40.00)}),
    "revenue": ("State of Illinois", STATE_AREA),
    "motor-vehicles": ("State of Illinois", STATE_AREA),
    "public-health": ("State of Illinois", STATE_AREA),
    "natural-resources": ("State of Illinois", STATE_AREA),
    "transportation": (
        "State highways: I-55 and I-72 corridors",
        {
            "type": "MultiPolygon",
            "coordinates": [_box(-89.615, 39.40, -89.598, 40.10), _box(-90.20, 39.736, -89.20, 39.744)],
        },
    ),
}

# (agency slug, code, name, group, description, keywords, department, area of the request settings)
CATEGORIES = [
    (
        "sangamon-county",
        "county-road",
        "Pothole or damage on a county road",
        "County roads and bridges",
        "A pothole, washed-out culvert or damaged bridge on a county highway outside city limits.",
        "pothole,road,culvert,bridge,county road,shoulder",
        "highway",
    ),
    (
        "transportation",
        "highway-pothole",
        "Pothole on a state highway",
        "State highways",
        "A pothole or broken pavement on an interstate or numbered state route.",
        "pothole,highway,interstate,pavement,road",
        "maintenance",
    ),
    (
        "transportation",
        "highway-debris",
        "Debris or dead animal on a state highway",
        "State highways",
        "Debris, a dead deer or a lost load on an interstate or state route.",
        "debris,dead animal,deer,tire,load,highway",
        "maintenance",
    ),
]
