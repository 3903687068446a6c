"""`manage.py crisis <agency-slug> on --message TEXT [--severity S] [--until ISO-8601] --actor USERNAME` / `… off`."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from crisis.models import Severity
from crisis.services import crisis_turn_off, crisis_turn_on
from tenants.context import agency_context
from tenants.models import Agency
from tenants.selectors import SUPERVISING_ROLES, user_has_role
from tenants.timezones import agency_zone


def command_agency_actor(slug: str, username: str):
    agency = Agency.objects.filter(slug=slug, is_active=True).first()
    if agency is None:
        raise CommandError(f"No active agency {slug!r}.")
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"No active user {username!r} (--actor names the operator for the audit trail).")
    if not actor.is_superuser and not user_has_role(user=actor, agency=agency, roles=SUPERVISING_ROLES):
        raise CommandError(f"{username} is not an administrator or supervisor of {slug}.")
    return agency, actor


def parse_time(value: str, agency: Agency) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{value!r} is not an ISO-8601 time (e.g. 2026-12-05T18:00 or 2026-12-05T18:00-06:00)."
        ) from None
    return timezone.make_aware(parsed, agency_zone(agency)) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Turn an agency's crisis mode on or off (audited with --actor)."

    def add_arguments(self, parser):
        parser.add_argument("agency")
        parser.add_argument("state", choices=["on", "off"])
        parser.add_argument("--message", default="")
        parser.add_argument("--severity", default=Severity.SEVERE, choices=Severity.values)
        parser.add_argument("--until", default="", help="ISO-8601; without an offset, the agency's local time")
        parser.add_argument("--actor", required=True, help="username of the operator (audit trail)")

    def handle(self, *args, **options):
        agency, actor = command_agency_actor(options["agency"], options["actor"])
        with agency_context(agency):
            try:
                if options["state"] == "off":
                    crisis_turn_off(agency=agency, actor=actor)
                    self.stdout.write(f"Crisis mode is off for {agency.slug}.")
                    return
                until = parse_time(options["until"], agency) if options["until"] else None
                state = crisis_turn_on(
                    agency=agency, actor=actor, message=options["message"], severity=options["severity"], until=until
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        ends = f" until {state.ends_at.isoformat()}" if state.ends_at else ""
        self.stdout.write(f"Crisis mode is on for {agency.slug}{ends}.")
