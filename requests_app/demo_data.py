"""The demo catalogue of Springfield Public Works (categories, their extra questions, routing) and its demo
requests, as data: `requests_app.demo` seeds them."""

YES_NO = [("yes", "Yes"), ("no", "No")]


CITY_AREA = {
    "type": "Polygon",
    "coordinates": [[[-89.78, 39.68], [-89.54, 39.68], [-89.54, 39.89], [-89.78, 39.89], [-89.78, 39.68]]],
}
# Washington Park and Lincoln Park (approximate): trees down inside them go to Parks and Forestry.
PARKS_AREA = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[-89.6880, 39.7790], [-89.6740, 39.7790], [-89.6740, 39.7880], [-89.6880, 39.7880], [-89.6880, 39.7790]]],
        [[[-89.6640, 39.8150], [-89.6520, 39.8150], [-89.6520, 39.8230], [-89.6640, 39.8230], [-89.6640, 39.8150]]],
    ],
}

CATEGORIES = [
    {
        "code": "pothole",
        "name": "Pothole",
        "group": "Streets and sidewalks",
        "description": "A hole or broken pavement in a street or alley.",
        "keywords": "pothole,hole,road,pavement,asphalt",
        "department": "streets",
        "sla_hours": 72,
        "duplicate_radius_m": 30,
        "attributes": [
            (
                "size",
                "How big is it?",
                "singlevaluelist",
                True,
                [
                    ("small", "Smaller than a dinner plate"),
                    ("medium", "Up to a car tire"),
                    ("large", "Bigger than a car tire"),
                ],
            ),
            (
                "position",
                "Where in the street?",
                "singlevaluelist",
                False,
                [
                    ("lane", "Traffic lane"),
                    ("bike", "Bike lane"),
                    ("crosswalk", "Crosswalk"),
                    ("shoulder", "Shoulder or curb"),
                ],
            ),
        ],
    },
    {
        "code": "streetlight-out",
        "name": "Street light out",
        "group": "Streets and sidewalks",
        "description": "A street light that is dark, flickering or on during the day.",
        "keywords": "street light,streetlight,lamp,dark,light out",
        "department": "traffic",
        "sla_hours": 120,
        "duplicate_radius_m": 40,
        "attributes": [
            (
                "problem",
                "What is wrong with the light?",
                "singlevaluelist",
                True,
                [
                    ("out", "It is out"),
                    ("flicker", "It flickers"),
                    ("day", "It is on during the day"),
                    ("pole", "The pole is damaged"),
                ],
            ),
            ("pole_number", "Pole number, if you can see one", "string", False, []),
        ],
    },
    {
        "code": "graffiti",
        "name": "Graffiti",
        "group": "Streets and sidewalks",
        "description": "Graffiti on public property: walls, signs, bridges, benches.",
        "keywords": "graffiti,tag,vandalism,paint",
        "department": "streets",
        "sla_hours": 168,
        "attributes": [
            (
                "surface",
                "What is painted?",
                "singlevaluelist",
                True,
                [
                    ("wall", "A public wall or building"),
                    ("sign", "A traffic sign"),
                    ("bridge", "A bridge or underpass"),
                    ("other", "Something else"),
                ],
            ),
            ("offensive", "Is it offensive or hateful?", "singlevaluelist", False, YES_NO),
        ],
    },
    {
        "code": "missed-trash",
        "name": "Missed trash pickup",
        "group": "Trash and recycling",
        "description": "Your carts were out on collection day and were not emptied.",
        "keywords": "trash,garbage,recycling,pickup,collection,cart,missed",
        "department": "sanitation",
        "sla_hours": 48,
        "duplicate_radius_m": 10,
        "duplicate_window_days": 3,
        "attributes": [
            (
                "carts",
                "Which carts were missed?",
                "multivaluelist",
                True,
                [("trash", "Trash"), ("recycling", "Recycling"), ("yard", "Yard waste")],
            ),
            ("out_by_six", "Were the carts at the curb by 6 am?", "singlevaluelist", True, YES_NO),
        ],
    },
    {
        "code": "park-maintenance",
        "name": "Park maintenance",
        "group": "Parks and trees",
        "description": "Broken playground equipment, restrooms, litter, overgrown grass in a city park.",
        "keywords": "park,playground,restroom,bench,mowing,litter",
        "department": "parks",
        "sla_hours": 120,
        "attributes": [
            ("park_name", "Which park?", "string", True, []),
            (
                "issue",
                "What needs attention?",
                "singlevaluelist",
                True,
                [
                    ("playground", "Playground equipment"),
                    ("restroom", "Restroom"),
                    ("litter", "Litter or overflowing bins"),
                    ("mowing", "Grass or weeds"),
                    ("other", "Something else"),
                ],
            ),
        ],
    },
    {
        "code": "fallen-tree",
        "name": "Fallen tree or hazard",
        "group": "Parks and trees",
        "description": "A fallen tree or large branch, or another hazard blocking a street, sidewalk or path.",
        "keywords": "tree,branch,fallen,hazard,storm,blocked",
        "department": "streets",
        "area_departments": ["parks"],
        "sla_hours": 24,
        "duplicate_radius_m": 75,
        "duplicate_window_days": 7,
        "attributes": [
            (
                "blocking",
                "What is blocked?",
                "multivaluelist",
                True,
                [
                    ("road", "Road"),
                    ("sidewalk", "Sidewalk or path"),
                    ("wires", "It touches power lines"),
                    ("nothing", "Nothing is blocked"),
                ],
            ),
            ("diameter", "Rough trunk or branch diameter (inches)", "number", False, []),
        ],
    },
]

DEMO_REQUESTS = [
    # key, category, lat, long, address, description, answers, email, steps
    (
        "demo-1",
        "pothole",
        39.7817,
        -89.6436,
        "S Grand Ave E & S 11th St",
        "Deep pothole in the eastbound lane, cars swerve around it.",
        {"size": "large", "position": "lane"},
        "maria.lopez@example.com",
        [],
    ),
    (
        "demo-2",
        "pothole",
        39.7702,
        -89.6722,
        "1200 S MacArthur Blvd",
        "Several small potholes by the bus stop.",
        {"size": "small"},
        "",
        [("acknowledged", "An inspector will look at this within two working days.")],
    ),
    (
        "demo-3",
        "streetlight-out",
        39.8011,
        -89.6502,
        "W Washington St & N Walnut St",
        "The light on the north-east corner has been dark for a week.",
        {"problem": "out"},
        "dwright@example.com",
        [("acknowledged", ""), ("in_progress", "A crew is scheduled for Thursday night.")],
    ),
    (
        "demo-4",
        "missed-trash",
        39.7655,
        -89.6380,
        "1834 S Douglas Ave",
        "Recycling cart was not emptied on Monday.",
        {"carts": ["recycling"], "out_by_six": "yes"},
        "",
        [("in_progress", ""), ("resolved", "The crew emptied the cart on Tuesday morning. Sorry for the delay.")],
    ),
    (
        "demo-5",
        "park-maintenance",
        39.7842,
        -89.6801,
        "Washington Park playground",
        "Swing chain is broken on the big swing set.",
        {"park_name": "Washington Park", "issue": "playground"},
        "",
        [
            ("in_progress", "Parks staff removed the swing for safety."),
            ("resolved", "New chain installed."),
            ("closed", ""),
        ],
    ),
    (
        "demo-6",
        "fallen-tree",
        39.7851,
        -89.6790,
        "Washington Park, path by the lagoon",
        "A large branch fell across the walking path after the storm.",
        {"blocking": ["sidewalk"], "diameter": "10"},
        "sam.k@example.com",
        [],
    ),
    (
        "demo-7",
        "graffiti",
        39.7990,
        -89.6440,
        "Old State Capitol Plaza, east wall",
        "Spray paint tags on the wall near the bike racks.",
        {"surface": "wall", "offensive": "no"},
        "",
        [("rejected", "This wall belongs to the State of Illinois; we passed your report to them.")],
    ),
]
