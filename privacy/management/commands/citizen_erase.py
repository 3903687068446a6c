"""`python manage.py citizen_erase <agency-slug> --email ADDRESS | --phone NUMBER --yes`: erase everything
the agency holds about the citizen (their reports stay as anonymous public records)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.management.commands._contact import add_contact_arguments, agency_and_contact
from privacy.rights import ErasureBlocked, citizen_erase
from tenants.context import agency_context


class Command(BaseCommand):
    help = "Erase everything an agency holds about a citizen (by e-mail address or phone number)."

    def add_arguments(self, parser):
        add_contact_arguments(parser)
        parser.add_argument("--yes", action="store_true", help="Confirm: this cannot be undone.")

    def handle(self, *args, **options):
        agency, email, phone = agency_and_contact(options)
        if not options["yes"]:
            raise CommandError("Erasure cannot be undone: add --yes to confirm.")
        actor = get_user_model().objects.filter(username=options.get("actor") or "").first()
        with agency_context(agency):
            try:
                counts = citizen_erase(agency=agency, actor=actor, email=email, phone=phone, via="command")
            except ErasureBlocked as blocked:
                raise CommandError(str(blocked)) from None
        if not counts:
            self.stdout.write("Nothing found for this address or number.")
            return
        self.stdout.write("Erased: " + ", ".join(f"{kind} {n}" for kind, n in counts.items()))
