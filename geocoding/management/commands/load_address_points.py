"""python manage.py load_address_points <agency-slug> <file.csv> [--replace]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from geocoding.services import address_points_load_csv
from tenants.context import agency_context
from tenants.models import Agency


class Command(BaseCommand):
    help = "Load an agency's address points (CSV with address, latitude and longitude columns) for geocoding."

    def add_arguments(self, parser):
        parser.add_argument("agency")
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="Drop the agency's earlier points first.")

    def handle(self, *args, agency, file, replace, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"No agency with the slug {agency!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        with agency_context(found), path.open("rb") as handle:
            try:
                record = address_points_load_csv(agency=found, file=handle, filename=path.name, replace=replace)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{found.slug}: {record.loaded} address points loaded, {record.skipped} rows skipped.")
