"""python manage.py reembed_agency SLUG [--all] [--stale]: recompute an agency's vectors after an embedder change."""

from django.core.management.base import BaseCommand, CommandError

from knowledge import indexes, indexing
from knowledge.embedders import EmbeddingError, dense_embedder_key, multilingual_embedder
from tenants.context import agency_context
from tenants.models import Agency


class Command(BaseCommand):
    help = "Re-embed every chunk of an agency (or all agencies) with the configured embedders."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")
        parser.add_argument("--all", action="store_true", help="Every agency.")
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only chunks whose vectors are not in the space their language now wants (cheap; after upgrades).",
        )

    def handle(self, *args, slug=None, all=False, stale=False, **options):
        if bool(slug) == bool(all):
            raise CommandError("Give an agency slug or --all.")
        agencies = Agency.objects.all() if all else Agency.objects.filter(slug=slug)
        if slug and not agencies.exists():
            raise CommandError(f"No agency {slug!r}.")
        key = dense_embedder_key()
        multilingual = multilingual_embedder() if key != "none" else None
        spaces = "lexical only" if key == "none" else key
        if multilingual is not None:
            spaces += f" + {multilingual.key} for other languages"
        for agency in agencies:
            with agency_context(agency):
                self.stdout.write(f"{agency.slug}: re-embedding {'stale chunks ' if stale else ''}with {spaces}")

                def progress(done, total):
                    self.stdout.write(f"\r  {done}/{total}", ending="")
                    self.stdout.flush()

                try:
                    count = indexing.agency_reembed(agency=agency, progress=progress, only_stale=stale)
                except EmbeddingError as exc:
                    raise CommandError(f"{agency.slug}: {exc}") from exc
                if stale and not count:
                    self.stdout.write("  nothing stale")
                    continue
                indexing.agency_frequencies_rebuild(agency=agency)
                # Indexes on the old vectors' dimension are dropped; new ones are built if the agency is large.
                indexes.agency_indexes_ensure(agency=agency, force=False)
                result = indexes.agency_indexes_ensure(agency=agency)
                self.stdout.write(
                    f"\n  {count} chunks re-embedded; vector indexes: {result['created'] or 'none needed'}"
                )
