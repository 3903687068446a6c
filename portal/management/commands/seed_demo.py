from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import demo


class Command(BaseCommand):
    help = "Create the demo agencies, departments, staff and content. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow seeding when DJANGO_ENV=production.")

    def handle(self, *args, force: bool = False, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("Refusing to seed demo data in production; pass --force if you really mean it.")
        agencies = demo.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {', '.join(sorted(agencies))}"))
