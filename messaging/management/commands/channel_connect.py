"""manage.py channel_connect <agency-slug> <kind> [provider options] [--api-base URL]

Idempotent: re-running updates the connection (a new secret replaces the stored one). Prints the
webhook URL to register with the provider; Telegram's setWebhook is called unless --no-set-webhook.
The options of each kind come from its provider's `connect_options`.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from messaging.connections import channel_connect, channel_connect_webhook
from messaging.providers import get_provider, registered_kinds
from messaging.providers.base import ConnectError
from tenants.context import agency_context
from tenants.models import Agency


class Command(BaseCommand):
    help = "Connect an agency to a messaging channel (WhatsApp, Telegram, Messenger, SMS)."

    def add_arguments(self, parser):
        parser.add_argument("agency_slug")
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="kind")
        for kind in registered_kinds():
            provider = get_provider(kind)
            sub = kinds.add_parser(kind, help=provider.label or kind)
            for option in provider.connect_options:
                sub.add_argument(option.flag, dest=option.field, default="", help=option.label)
            sub.add_argument("--api-base", dest="api_base", default=None, help="The provider's API base URL.")
            if provider.sets_webhook:
                sub.add_argument("--no-set-webhook", dest="no_set_webhook", action="store_true")

    def handle(self, *args, agency_slug: str, kind: str, api_base=None, no_set_webhook=False, **options):
        agency = Agency.objects.filter(slug=agency_slug).first()
        if agency is None:
            raise CommandError(f"No agency {agency_slug!r}.")
        provider = get_provider(kind)
        values = {option.field: options.get(option.field) or "" for option in provider.connect_options}
        try:
            # The command runs outside any request: the connection's writes and checks are this agency's.
            with agency_context(agency):
                connection = channel_connect(agency=agency, actor=None, kind=kind, values=values, api_base=api_base)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        from messaging.connections import webhook_url

        url = webhook_url(agency=agency, kind=kind)
        if provider.sets_webhook and not no_set_webhook:
            try:
                url = channel_connect_webhook(agency=agency, connection=connection)
            except ConnectError as error:
                raise CommandError(f"Connected, but the provider refused the webhook: {error}") from None
            self.stdout.write(f"Webhook set with {kind}.")
        self.stdout.write(f"Connected {agency.slug} to {kind}.")
        self.stdout.write(f"Webhook URL: {url}")
