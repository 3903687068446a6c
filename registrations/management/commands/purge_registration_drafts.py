from django.core.management.base import BaseCommand

from registrations.links import RESUME_DAYS
from registrations.services import registration_drafts_purge
from tenants.context import agency_context
from tenants.models import Agency


class Command(BaseCommand):
    help = "Delete unfinished registrations nobody touched since their resume links expired."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=RESUME_DAYS, help=f"Age in days (default {RESUME_DAYS}).")

    def handle(self, *args, days: int, **options):
        total = 0
        for agency in Agency.objects.order_by("pk"):
            with agency_context(agency):
                total += registration_drafts_purge(agency=agency, older_than_days=days)
        self.stdout.write(f"Deleted {total} stale drafts.")
