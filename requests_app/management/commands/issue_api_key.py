from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from requests_app.services import api_key_issue
from tenants.context import agency_context
from tenants.models import Agency


class Command(BaseCommand):
    help = "Issue an Open311 API key for an agency. The key is printed once, as the last line; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("agency_slug")
        parser.add_argument("name", help="Who will use the key, e.g. 'City 311 app'.")

    def handle(self, *args, agency_slug: str, name: str, **options):
        agency = Agency.objects.filter(slug=agency_slug).first()
        if agency is None:
            raise CommandError(f"No agency with the slug {agency_slug!r}.")
        with agency_context(agency):
            try:
                key, raw = api_key_issue(agency=agency, actor=None, name=name)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(f"Issued key {key.prefix}… ({key.name}) for {agency.slug}. Store it now; it is not kept.")
        self.stdout.write(raw)
