"""Reads for messaging, always scoped to one agency."""

from __future__ import annotations

from django.db.models import QuerySet

from core.cache import TTLCache
from messaging.models import ChannelConnection, ChannelIdentity, OutboundMessage
from messaging.providers import get_provider
from messaging.providers.base import Provider
from tenants.context import agency_context
from tenants.models import Agency
from tenants.selectors import agency_get_public

# The webhook's connection, kept per process: two queries fewer on every delivery (providers send bursts).
# A connection changed in another process is seen within the TTL; a webhook that fails verification with
# the kept copy is checked once more against a fresh one (`fresh=True`), so a rotated secret works at once.
# The old secret may verify for up to HOOK_CACHE_SECONDS after a rotation or disconnect in another process.
HOOK_CACHE_SECONDS = 10
_hooks = TTLCache("messaging webhook connections", ttl=HOOK_CACHE_SECONDS, maxsize=5_000)


def connection_for_hook(
    *, agency_slug: str, kind: str, fresh: bool = False
) -> tuple[ChannelConnection, Provider] | None:
    """The active connection behind a webhook URL, or None (unknown agency, channel or provider: 404)."""
    provider = get_provider(kind)
    if provider is None:
        return None
    connection = _hooks.get_or_load((agency_slug, kind), lambda: _hook_load(agency_slug, kind), fresh=fresh)
    return None if connection is None else (connection, provider)


def _hook_load(agency_slug: str, kind: str) -> ChannelConnection | None:
    agency = agency_get_public(slug=agency_slug)
    if agency is None:
        return None
    with agency_context(agency):  # /hooks/ is outside /a/<slug>/: the URL names the agency
        return (
            ChannelConnection.objects.for_agency(agency)
            .filter(kind=kind, is_active=True)
            .select_related("agency")
            .first()
        )


def connection_for_hook_forget(*, agency_slug: str, kind: str) -> None:
    """This process drops its copy (the connection was just changed here)."""
    _hooks.pop((agency_slug, kind))


def connections_for_agency(*, agency: Agency) -> QuerySet[ChannelConnection]:
    return ChannelConnection.objects.for_agency(agency).order_by("kind")


def connection_get(*, agency: Agency, kind: str) -> ChannelConnection | None:
    return ChannelConnection.objects.for_agency(agency).filter(kind=kind).first()


def outbound_failures(*, agency: Agency, limit: int = 20) -> QuerySet[OutboundMessage]:
    return (
        OutboundMessage.objects.for_agency(agency)
        .filter(state=OutboundMessage.State.FAILED)
        .select_related("identity", "connection")
        .order_by("-state_changed_at")[:limit]
    )


def outbound_held(*, agency: Agency, limit: int = 50) -> list[dict]:
    """The agency's held lines (outside a provider's window), oldest first, with a short preview."""
    rows = (
        OutboundMessage.objects.for_agency(agency)
        .filter(state=OutboundMessage.State.HELD)
        .select_related("identity", "connection")
        .order_by("created_at", "pk")[:limit]
    )
    return [{"row": row, "preview": payload_preview(row.payload)} for row in rows]


def payload_preview(payload, limit: int = 160) -> str:
    """The first text a provider payload carries (Telegram `text`, WhatsApp `text.body` or a template's
    name, Messenger `message.text`, Twilio `Body`)."""
    if isinstance(payload, str):
        return payload[:limit]
    if isinstance(payload, dict):
        for key in ("text", "body", "Body", "message", "interactive", "template", "name"):
            if key in payload:
                found = payload_preview(payload[key], limit)
                if found:
                    return found
    if isinstance(payload, list):
        for item in payload:
            found = payload_preview(item, limit)
            if found:
                return found
    return ""


def channel_conversations_for_phone(*, agency: Agency, phone: str) -> set[str]:
    """The conversations of the people who wrote from this number on SMS or WhatsApp (compared on the last
    10 digits, as the privacy requests compare stored numbers); ids as strings."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())[-10:]
    if len(digits) < 7:
        return set()
    rows = (
        ChannelIdentity.objects.for_agency(agency)
        .filter(kind__in=["sms", "whatsapp"], external_id__endswith=digits, conversation__isnull=False)
        .values_list("external_id", "conversation_id")
    )
    return {str(conversation) for external_id, conversation in rows if external_id.lstrip("+").isdigit()}


def identity_for_conversation(*, agency: Agency, conversation_id) -> ChannelIdentity | None:
    return ChannelIdentity.objects.for_agency(agency).filter(conversation_id=conversation_id).first()


def identity_opted_out(*, agency: Agency, kind: str, external_id: str) -> bool:
    """Did this address send STOP to the agency on this channel (and not START since)?"""
    return (
        ChannelIdentity.objects.for_agency(agency).filter(kind=kind, external_id=external_id, opted_out=True).exists()
    )
