"""`python manage.py audit_verify [<agency-slug>]`: exit 0 when every chain verifies, else 1 naming the
first entry that does not (`--seal` also records each chain's head now, as the daily beat job does)."""

from django.core.management.base import BaseCommand, CommandError

from audit.chain import chain_ids, chain_verify, chains_seal
from audit.models import PLATFORM_CHAIN
from tenants.context import cross_agency
from tenants.models import Agency


class Command(BaseCommand):
    help = "Verify the tamper-evident audit chains (all agencies, or one)."

    def add_arguments(self, parser):
        parser.add_argument("agency_slug", nargs="?", help="Only this agency's chain.")
        parser.add_argument("--seal", action="store_true", help="Record each chain's head after verifying.")

    def handle(self, *args, agency_slug=None, seal=False, **options):
        with cross_agency(reason="operators verify every agency's audit chain"):
            self._verify(agency_slug=agency_slug, seal=seal)

    def _verify(self, *, agency_slug, seal):
        names = {PLATFORM_CHAIN: "platform"}
        # unscoped: operators verify every agency's chain
        names.update(dict(Agency.objects.values_list("pk", "slug")))
        if agency_slug:
            ids = [pk for pk, slug in names.items() if slug == agency_slug and pk != PLATFORM_CHAIN]
            if not ids:
                raise CommandError(f"No agency with slug {agency_slug!r}.")
        else:
            ids = chain_ids()
        broken = []
        for agency_id in ids:
            report = chain_verify(agency_id)
            name = names.get(agency_id, f"agency {agency_id}")
            if report.ok:
                self.stdout.write(f"{name}: {report.links} entries, chain intact")
                continue
            broken.append(report)
            first = f"first bad entry id {report.first_bad_entry_id}" if report.first_bad_entry_id else "seal mismatch"
            self.stdout.write(f"{name}: CHAIN BROKEN ({first})")
            for problem in report.problems[:20]:
                self.stdout.write(f"  - {problem}")
        if broken:
            raise CommandError(f"{len(broken)} chain(s) do not verify", returncode=1)
        if seal:
            for record in chains_seal():
                self.stdout.write(f"sealed {names.get(record.agency_id, record.agency_id)} at link {record.head_seq}")
