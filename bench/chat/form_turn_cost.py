"""CPU cost of the turns of a conversational form (report a problem), in process.

    .venv/bin/python bench/chat/form_turn_cost.py [--forms 40]

Each form is seven turns through `bot_turn` (start, category, location, description, skip the photo, the
category's question, then "cancel" at the review, so nothing is filed and no duplicate check interferes),
in a `formbench` agency with a two-category catalogue (created on first use). Prints wall time and this
process's CPU per turn. Broadcasts are not sent.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from chat import realtime, services  # noqa: E402
from chat.engine.engine import bot_turn  # noqa: E402
from requests_app.models import ServiceAttribute, ServiceCategory  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

TURNS = [
    ("report a problem", ""),
    ("Pothole", "report:val:pothole"),
    ("39.7817, -89.6436", ""),
    ("A deep hole in the right lane", ""),
    ("skip", ""),
    ("Large", "report:val:large"),
    ("cancel", ""),
]


def agency_with_catalogue() -> Agency:
    agency, _created = Agency.objects.get_or_create(
        slug="formbench", defaults={"name": "Form bench", "languages": ["en", "es", "zh-hans"]}
    )
    with agency_context(agency):
        pothole, created = ServiceCategory.objects.for_agency(agency).get_or_create(
            agency=agency, code="pothole", defaults={"name": "Pothole", "keywords": "pothole,road"}
        )
        if created:
            ServiceAttribute.objects.create(
                agency=agency,
                category=pothole,
                code="size",
                description="How big is it?",
                datatype="singlevaluelist",
                required=True,
                values=[{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
            )
            ServiceCategory.objects.create(agency=agency, code="fallen-tree", name="Fallen tree")
    return agency


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=40)
    args = parser.parse_args()
    realtime.send_now = lambda group, event, exclude=None: None  # no server to deliver to
    agency = agency_with_catalogue()

    def one_form():
        conversation, _token = services.conversation_start(agency=agency, channel="widget")
        for text, action in TURNS:
            received = services.message_receive(
                agency=agency, conversation_id=conversation.pk, text=text, action=action
            )
            reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
            assert reply is not None

    with agency_context(agency):
        for _ in range(3):
            one_form()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.forms):
            one_form()
        n = args.forms * len(TURNS)
        print(
            f"form turns: wall {(time.perf_counter() - wall) / n * 1000:.1f} ms, this process CPU "
            f"{(time.process_time() - cpu) / n * 1000:.1f} ms per turn ({n} turns)"
        )


if __name__ == "__main__":
    main()
