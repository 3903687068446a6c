"""Bring the daily analytics rollups up to date now (beat does it every 10 minutes)."""

from django.core.management.base import BaseCommand, CommandError

from analytics.rollups.services import rollups_refresh
from tenants.context import agency_context
from tenants.models import Agency


class Command(BaseCommand):
    help = "Refresh the dashboard's daily rollups (all active agencies, or --agency SLUG); --full rebuilds every day."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="one agency's slug")
        parser.add_argument("--full", action="store_true", help="rebuild every day of the last year")

    def handle(self, *args, agency=None, full=False, **options):
        agencies = Agency.objects.filter(is_active=True).order_by("pk")
        if agency:
            agencies = agencies.filter(slug=agency)
            if not agencies.exists():
                raise CommandError(f"No active agency with the slug {agency!r}.")
        for one in agencies:
            with agency_context(one):
                done = rollups_refresh(agency=one, full=full)
            self.stdout.write(f"{one.slug}: " + ", ".join(f"{kind} {n} days" for kind, n in done.items()))
