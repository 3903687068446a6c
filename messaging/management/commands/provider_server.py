"""manage.py provider_server <kind> --port N — a local stand-in for a provider's API (see messaging.fakes).

Point a connection at it (`channel_connect … --api-base http://127.0.0.1:N`), then play a person
through its control API, e.g. for Telegram:

    curl -s -X POST localhost:N/_control/say -d '{"chat_id": 42, "text": "Hi"}'
    curl -s -X POST localhost:N/_control/press -d '{"chat_id": 42, "data": "report"}'
    curl -s -X POST localhost:N/_control/photo -d '{"chat_id": 42, "caption": "pothole"}'
    curl -s -X POST localhost:N/_control/location -d '{"chat_id": 42, "latitude": 41.88, "longitude": -87.63}'
    curl -s localhost:N/_control/calls            # everything the app sent to the provider

Telegram refusing a chat as the Bot API does (403 blocked / deactivated, 400 chat not found, 400 migrated to a
supergroup), or the next sends (429 flood control with retry_after, a 5xx outage):

    curl -s -X POST localhost:N/_control/block -d '{"chat_id": 42}'          # unblock undoes it
    curl -s -X POST localhost:N/_control/deactivate -d '{"chat_id": 42}'
    curl -s -X POST localhost:N/_control/forget -d '{"chat_id": 42}'
    curl -s -X POST localhost:N/_control/migrate -d '{"chat_id": 42, "to": -1001234}'
    curl -s -X POST localhost:N/_control/flood -d '{"retry_after": 7, "times": 1}'
    curl -s -X POST localhost:N/_control/down -d '{"status": 502, "times": 2}'

Twilio: a number that meets one of Twilio's documented errors, or every message (an account problem):

    curl -s -X POST localhost:N/_control/refuse -d '{"number": "+15557654321", "code": 21614}'
    curl -s -X POST localhost:N/_control/refuse_all -d '{"code": 20003}'      # {"code": 0} ends it

Twilio posts each accepted message's status callbacks ("sent", then "delivered") to its StatusCallback URL, signed
(--no-status-callbacks: none); a number whose texts are taken and then not delivered (30003 unreachable):

    curl -s -X POST localhost:N/_control/undeliver -d '{"number": "+15557654321", "code": 30003}'

Postmark (alert e-mails: CRISIS_EMAIL_PROVIDER=postmark POSTMARK_BASE_URL=http://127.0.0.1:N
POSTMARK_SERVER_TOKEN=<--server-token>):

    curl -s -X POST localhost:N/_control/summary -d '{}'       # accepted messages per address and outbox id
    curl -s -X POST localhost:N/_control/inactive -d '{"addresses": ["bounced@example.org"]}'
"""

import importlib

from django.core.management.base import BaseCommand, CommandError

SERVERS = {
    "telegram": ("messaging.fakes.telegram", "FakeTelegram"),
    "twilio": ("messaging.fakes.twilio", "FakeTwilio"),
    "whatsapp": ("messaging.fakes.meta", "FakeMeta"),
    "messenger": ("messaging.fakes.meta", "FakeMeta"),
    "postmark": ("messaging.fakes.postmark", "FakePostmark"),
}


class Command(BaseCommand):
    help = "Run a local fake provider API (telegram, twilio, whatsapp, messenger, postmark) that records calls and plays people."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(SERVERS))
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--token", action="append", default=[], help="Telegram bot tokens it accepts.")
        parser.add_argument("--account-sid", default="AC_local", help="Twilio: the account it accepts.")
        parser.add_argument("--auth-token", default="local-auth-token", help="Twilio: its auth token.")
        parser.add_argument("--webhook", default="", help="Twilio, WhatsApp, Messenger: the app's webhook URL.")
        parser.add_argument(
            "--no-status-callbacks",
            dest="status_callbacks",
            action="store_false",
            help="Twilio: post no status callbacks for the messages it accepts.",
        )
        parser.add_argument("--phone-number-id", default="", help="WhatsApp: the business number's id.")
        parser.add_argument("--access-token", default="", help="WhatsApp: the bearer token it accepts.")
        parser.add_argument("--page-id", default="", help="Messenger: the page's id.")
        parser.add_argument("--page-token", default="", help="Messenger: the page token it accepts.")
        parser.add_argument("--app-secret", default="", help="WhatsApp, Messenger: signs the webhooks it posts.")
        parser.add_argument("--server-token", default="local-postmark-token", help="Postmark: the token it accepts.")

    def handle(self, *args, kind: str, port: int, host: str, **options):
        module, name = SERVERS[kind]
        try:
            server_class = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as exc:
            raise CommandError(f"No fake server for {kind}: {exc}") from None
        if kind in ("whatsapp", "messenger"):
            server = self._meta(server_class, kind, host, port, options)
        elif kind == "telegram":
            tokens = options["token"] or ["123456:TEST-token"]
            server = server_class(token=tokens[0], host=host, port=port)
            server.tokens.update(tokens)
        elif kind == "postmark":
            server = server_class(server_token=options["server_token"], host=host, port=port)
        else:
            server = server_class(
                account_sid=options["account_sid"],
                auth_token=options["auth_token"],
                webhook=options["webhook"],
                status_callbacks=options["status_callbacks"],
                host=host,
                port=port,
            )
        if kind in ("whatsapp", "messenger"):
            for (product, account_id), account in server.accounts.items():
                self.stdout.write(f"  {product} {account_id}: webhooks to {account.hook_url or '(none)'}")
        self.stdout.write(f"Fake {kind} API on {server.url} (control: {server.url}/_control/…)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server.server_close()

    @staticmethod
    def _meta(server_class, kind: str, host: str, port: int, options):
        """A fake Graph API holding the WhatsApp number and/or the Messenger page given."""
        server = server_class(host=host, port=port)
        secret = options["app_secret"]
        if not secret:
            raise CommandError("--app-secret is needed: the fake signs the webhooks it posts with it.")
        if options["phone_number_id"] or kind == "whatsapp":
            if not (options["phone_number_id"] and options["access_token"]):
                raise CommandError("WhatsApp needs --phone-number-id and --access-token.")
            server.add_account(
                "whatsapp",
                options["phone_number_id"],
                token=options["access_token"],
                app_secret=secret,
                hook_url=options["webhook"] if kind == "whatsapp" else "",
            )
        if options["page_id"] or kind == "messenger":
            if not (options["page_id"] and options["page_token"]):
                raise CommandError("Messenger needs --page-id and --page-token.")
            server.add_account(
                "messenger",
                options["page_id"],
                token=options["page_token"],
                app_secret=secret,
                hook_url=options["webhook"] if kind == "messenger" else "",
            )
        return server
