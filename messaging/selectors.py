"""Reads for messaging, always scoped to one agency."""

from __future__ import annotations

from django.db.models import QuerySet

from messaging.models import ChannelConnection, ChannelIdentity, OutboundMessage
from messaging.providers import get_provider
from messaging.providers.base import Provider
from tenants.models import Agency
from tenants.selectors import agency_get_public


def connection_for_hook(*, agency_slug: str, kind: str) -> tuple[ChannelConnection, Provider] | None:
    """The active connection behind a webhook URL, or None (unknown agency, channel or provider: 404)."""
    provider = get_provider(kind)
    if provider is None:
        return None
    agency = agency_get_public(slug=agency_slug)
    if agency is None:
        return None
    connection = (
        ChannelConnection.objects.for_agency(agency).filter(kind=kind, is_active=True).select_related("agency").first()
    )
    return None if connection is None else (connection, provider)


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


def identity_for_conversation(*, agency: Agency, conversation_id) -> ChannelIdentity | None:
    return ChannelIdentity.objects.for_agency(agency).filter(conversation_id=conversation_id).first()


def identity_opted_out(*, agency: Agency, kind: str, external_id: str) -> bool:
    """Did this address send STOP to the agency on this channel (and not START since)?"""
    return (
        ChannelIdentity.objects.for_agency(agency).filter(kind=kind, external_id=external_id, opted_out=True).exists()
    )
