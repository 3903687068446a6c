"""Facebook Messenger as a messaging provider (protocol details in `messenger_protocol`).

Connect: `manage.py channel_connect <agency> messenger --page-id ID --page-token T --app-secret S
--verify-token V [--message-tags "status_news=ACCOUNT_UPDATE,…"] [--api-base URL]`. A person is their
page-scoped id (PSID). Outside the 24-hour window only a message tag Meta allows may carry a message. Subscribe the
app to `message_echoes` as well as `messages`, `messaging_postbacks`, `message_deliveries` and `message_reads`: the
echo of a message names the outbox line it was sent for (`metadata`), which settles a line whose worker died
mid-send.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from messaging.providers import register
from messaging.providers.base import ConnectOption
from messaging.providers.messenger_protocol import (
    MESSAGE_TAGS,
    METADATA_LIMIT,
    MessengerClient,
    parse_webhook,
    reply_bodies,
)
from messaging.providers.meta import MetaProvider, meta_connect_options


class MessengerProvider(MetaProvider):
    kind = "messenger"
    label = "Messenger"
    fallback_field = "message_tags"
    account_field = "page_id"
    allowed_fallbacks = MESSAGE_TAGS
    rate_per_second = 40.0
    rate_per_recipient_per_second = 1.0
    max_text_chars = 2000
    token_field = "page_token"  # noqa: S105 - the name of the secret, not the secret
    client_class = MessengerClient
    webhook_parse = staticmethod(parse_webhook)
    connect_options: ClassVar[tuple[ConnectOption, ...]] = meta_connect_options(
        ConnectOption("--page-id", "page_id", secret=False, label=_("Page ID")),
        ConnectOption("--page-token", "page_token", secret=True, label=_("Page access token")),
        ConnectOption(
            "--message-tags",
            "message_tags",
            secret=False,
            label=format_lazy(
                _("Message tags outside the 24-hour window (status_news=ACCOUNT_UPDATE, …; one of {tags})"),
                tags=", ".join(MESSAGE_TAGS),
            ),
            required=False,
        ),
    )

    def with_reference(self, payload: dict, reference: str) -> dict:
        """Meta gives `message.metadata` back in the message's echo (the page's `message_echoes` webhook field)."""
        message = payload.get("message")
        if not isinstance(message, dict):
            return payload
        return {**payload, "message": {**message, "metadata": reference[:METADATA_LIMIT]}}

    def _render_free(self, connection, outgoing, site_url: str) -> list[dict]:
        actions = [{"type": "reply", "label": o.label, "value": o.value} for o in outgoing.options]
        return reply_bodies(
            outgoing.recipient, outgoing.text or "…", actions=actions, citations=outgoing.links, site_url=site_url
        )

    def _render_fallback(self, connection, outgoing, fallback: str, site_url: str) -> list[dict]:
        tag = fallback if fallback in MESSAGE_TAGS else "ACCOUNT_UPDATE"
        # Quick replies belong to a conversation; a tagged update carries the text and its links only.
        return reply_bodies(
            outgoing.recipient, outgoing.text or "…", citations=outgoing.links, site_url=site_url, tag=tag
        )


register(MessengerProvider())
