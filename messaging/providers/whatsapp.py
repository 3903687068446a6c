"""WhatsApp Cloud API as a messaging provider (protocol details in `whatsapp_protocol`).

Connect: `manage.py channel_connect <agency> whatsapp --phone-number-id ID --access-token T
--app-secret S --verify-token V [--templates "status_news=NAME:LANG,alerts=…"] [--api-base URL]`.
A person is their business-scoped user id when Meta gives one (their phone number otherwise, and it is
kept as an alias so a person first seen by number keeps their conversation).
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from messaging.providers import register
from messaging.providers.base import ConnectOption
from messaging.providers.meta import MetaProvider, meta_connect_options
from messaging.providers.meta_common import absolute_links, absolute_url
from messaging.providers.whatsapp_protocol import (
    CALLBACK_DATA,
    CALLBACK_DATA_LIMIT,
    WhatsAppClient,
    parse_webhook,
    recipient_fields,
    reply_bodies,
    template_body,
)


def recipient_for(address: str) -> dict:
    """A phone number (digits) goes in `to`; a business-scoped user id ("US.1349…") in `recipient`."""
    address = str(address or "").lstrip("+")
    return recipient_fields(phone=address) if address.isdigit() else recipient_fields(user_id=address)


class WhatsAppProvider(MetaProvider):
    kind = "whatsapp"
    label = "WhatsApp"
    fallback_field = "templates"
    # Cloud API: 80 messages a second per business number; to one person bursts are allowed but about
    # one message every 6 s sustained (the outbox's per-person window allows a small burst).
    account_field = "phone_number_id"
    rate_per_second = 80.0
    rate_per_recipient_per_second = 1.0
    max_text_chars = 4096
    token_field = "access_token"  # noqa: S105 - the name of the secret, not the secret
    client_class = WhatsAppClient
    webhook_parse = staticmethod(parse_webhook)
    connect_options: ClassVar[tuple[ConnectOption, ...]] = meta_connect_options(
        ConnectOption("--phone-number-id", "phone_number_id", secret=False, label=gettext_lazy("Phone number ID")),
        ConnectOption("--access-token", "access_token", secret=True, label=gettext_lazy("Access token")),
        ConnectOption(
            "--templates",
            "templates",
            secret=False,
            label=gettext_lazy(
                "Approved templates outside the 24-hour window (status_news=NAME:LANG, alerts=…, feedback_request=…)"
            ),
            required=False,
        ),
    )

    def with_reference(self, payload: dict, reference: str) -> dict:
        """Meta echoes `biz_opaque_callback_data` in the message's status webhooks (sent, delivered, read, failed)."""
        return {**payload, CALLBACK_DATA: reference[:CALLBACK_DATA_LIMIT]}

    def _render_free(self, connection, outgoing, site_url: str) -> list[dict]:
        recipient = recipient_for(outgoing.recipient)
        bodies = []
        if getattr(outgoing, "image_url", ""):
            bodies.append(
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    **recipient,
                    "type": "image",
                    "image": {"link": absolute_url(outgoing.image_url, site_url)},
                }
            )
        actions = [{"type": "reply", "label": o.label, "value": o.value} for o in outgoing.options]
        if outgoing.text or actions or not bodies:
            bodies += reply_bodies(
                recipient,
                outgoing.text or "…",
                actions=actions,
                citations=outgoing.links,
                site_url=site_url,
                choose_label=_("Choose"),
            )
        return bodies

    def _render_fallback(self, connection, outgoing, fallback: str, site_url: str) -> list[dict]:
        name, _sep, language = fallback.partition(":")
        text = absolute_links(outgoing.text, site_url)
        if outgoing.links:
            text += " " + " ".join(
                f"{link.get('title', '')}: {absolute_url(link['url'], site_url)}" for link in outgoing.links
            )
        return [template_body(recipient_for(outgoing.recipient), name=name, language=language or "en", text=text)]


register(WhatsAppProvider())
