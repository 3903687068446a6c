"""`manage.py alert_send <agency-slug> --headline TEXT --instruction TEXT [--language CODE] [--channels …]
[--area whole|"lat,lon radius_km"] [--severity S] [--event E] [--at ISO-8601] --yes --actor USERNAME`:
sends an alert and prints its CAP identifier."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crisis.management.commands.crisis import command_agency_actor, parse_time
from crisis.models import Alert, Severity
from crisis.services import alert_create, channels_available
from tenants.context import agency_context


def parse_area(value: str):
    value = (value or "whole").strip()
    if value == "whole":
        return Alert.AreaKind.WHOLE, None
    try:
        point, radius = value.split()
        lat, lon = point.split(",")
        return Alert.AreaKind.CIRCLE, {"lat": float(lat), "lon": float(lon), "radius_km": float(radius)}
    except ValueError:
        raise CommandError('--area is "whole" or "lat,lon radius_km", e.g. "39.78,-89.65 3".') from None


class Command(BaseCommand):
    help = "Send an alert to an agency's subscribers; prints its CAP identifier."

    def add_arguments(self, parser):
        parser.add_argument("agency")
        parser.add_argument("--headline", required=True)
        parser.add_argument("--instruction", required=True)
        parser.add_argument("--language", default="", help="the text's language (default: the agency's first)")
        parser.add_argument(
            "--channels", default="web,email,sms", help=f"comma-separated, of: {','.join(channels_available())}"
        )
        parser.add_argument("--area", default="whole")
        parser.add_argument("--severity", default=Severity.SEVERE, choices=Severity.values)
        parser.add_argument("--event", default="Emergency")
        parser.add_argument("--at", default="", help="send at this ISO-8601 time instead of now")
        parser.add_argument("--yes", action="store_true", help="required: confirms the alert really goes out")
        parser.add_argument("--actor", required=True)

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("Nothing sent: add --yes to send the alert.")
        agency, actor = command_agency_actor(options["agency"], options["actor"])
        language = options["language"] or agency.languages[0]
        channels = [c.strip() for c in options["channels"].split(",") if c.strip()]
        available = channels_available(agency)
        if "sms" in channels and "sms" not in available and options["channels"] == "web,email,sms":
            channels.remove("sms")  # the default asks for SMS only where a gateway is configured
        kind, area = parse_area(options["area"])
        with agency_context(agency):
            try:
                alert = alert_create(
                    agency=agency,
                    actor=actor,
                    texts={language: {"headline": options["headline"], "instruction": options["instruction"]}},
                    channels=channels,
                    area_kind=kind,
                    area=area,
                    severity=options["severity"],
                    event=options["event"],
                    send_at=parse_time(options["at"], agency) if options["at"] else None,
                )
            except ValidationError as exc:
                raise CommandError("Nothing sent: " + "; ".join(exc.messages)) from None
        if alert.status == Alert.Status.PENDING:
            self.stderr.write(
                f"Waiting for a second supervisor's approval ({alert.recipients} recipients): "
                f"/a/{agency.slug}/staff/crisis/alerts/{alert.pk}/"
            )
        self.stdout.write(alert.identifier)
