"""manage.py provider_server <kind> --port N — a local stand-in for a provider's API (see messaging.fakes).

Point a connection at it (`channel_connect … --api-base http://127.0.0.1:N`), then play a person
through its control API, e.g. for Telegram:

    curl -s -X POST localhost:N/_control/say -d '{"chat_id": 42, "text": "Hi"}'
    curl -s -X POST localhost:N/_control/press -d '{"chat_id": 42, "data": "report"}'
    curl -s -X POST localhost:N/_control/photo -d '{"chat_id": 42, "caption": "pothole"}'
    curl -s -X POST localhost:N/_control/location -d '{"chat_id": 42, "latitude": 41.88, "longitude": -87.63}'
    curl -s localhost:N/_control/calls            # everything the app sent to the provider
"""

import importlib

from django.core.management.base import BaseCommand, CommandError

SERVERS = {
    "telegram": ("messaging.fakes.telegram", "FakeTelegram"),
    "twilio": ("messaging.fakes.twilio", "FakeTwilio"),
}


class Command(BaseCommand):
    help = "Run a local fake provider API (telegram, twilio) that records calls and plays people."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(SERVERS))
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--token", action="append", default=[], help="Telegram bot tokens it accepts.")
        parser.add_argument("--account-sid", default="AC_local", help="Twilio: the account it accepts.")
        parser.add_argument("--auth-token", default="local-auth-token", help="Twilio: its auth token.")
        parser.add_argument("--webhook", default="", help="Twilio: the app's SMS webhook URL for inbound texts.")

    def handle(self, *args, kind: str, port: int, host: str, **options):
        module, name = SERVERS[kind]
        try:
            server_class = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as exc:
            raise CommandError(f"No fake server for {kind}: {exc}") from None
        if kind == "telegram":
            tokens = options["token"] or ["123456:TEST-token"]
            server = server_class(token=tokens[0], host=host, port=port)
            server.tokens.update(tokens)
        else:
            server = server_class(
                account_sid=options["account_sid"],
                auth_token=options["auth_token"],
                webhook=options["webhook"],
                host=host,
                port=port,
            )
        self.stdout.write(f"Fake {kind} API on {server.url} (control: {server.url}/_control/…)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server.server_close()
