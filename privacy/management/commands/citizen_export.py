"""`python manage.py citizen_export <agency-slug> --email ADDRESS | --phone NUMBER`: the citizen's data as
JSON on stdout (docs/citizen-export.md); recorded in the audit trail."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from privacy.management.commands._contact import add_contact_arguments, agency_and_contact
from privacy.rights import citizen_export, citizen_export_record
from tenants.context import agency_context


class Command(BaseCommand):
    help = "Export everything an agency holds about a citizen (by e-mail address or phone number) as JSON."

    def add_arguments(self, parser):
        add_contact_arguments(parser)

    def handle(self, *args, **options):
        agency, email, phone = agency_and_contact(options)
        actor = get_user_model().objects.filter(username=options.get("actor") or "").first()
        with agency_context(agency):
            document = citizen_export(agency=agency, email=email, phone=phone)
            found = any(document[key] for key in ("service_requests", "follows", "registrations", "conversations"))
            citizen_export_record(agency=agency, actor=actor, via="command", found_anything=found)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        if not found:
            self.stderr.write("Nothing found for this address or number.")
