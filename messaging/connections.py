"""Connecting an agency's channels: the webhook address, connect (idempotent, secrets kept or rotated and
audited by name), telling the provider where to deliver, disconnect, and the staff page's test message."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from messaging.models import ChannelConnection, ChannelIdentity
from messaging.providers import get_provider
from messaging.services import connection_error_record
from tenants.models import Agency


def webhook_url(*, agency: Agency, kind: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    path = reverse("messaging-webhook", kwargs={"agency_slug": agency.slug, "kind": kind})
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def channel_connect(
    *, agency: Agency, actor, kind: str, values: dict[str, str], api_base: str | None = None
) -> ChannelConnection:
    """Create or update the agency's connection of `kind` (idempotent). `values` holds the provider's
    `connect_options` by field; a secret left empty keeps the stored one (rotate by giving a new one).
    A changed secret is recorded in the audit trail by name only."""
    from auditlog.models import LogEntry
    from django.core.exceptions import ValidationError

    provider = get_provider(kind)
    if provider is None:
        raise ValidationError({"kind": _("Unknown channel.")})
    connection = ChannelConnection.objects.for_agency(agency).select_for_update().filter(kind=kind).first()
    if connection is None:
        connection = ChannelConnection(agency=agency, kind=kind)
    secrets, config = dict(connection.secrets or {}), dict(connection.config or {})
    rotated, missing = [], []
    for option in provider.connect_options:
        value = str(values.get(option.field) or "").strip()
        if value:
            try:
                value = provider.clean_value(option.field, value)
            except ValueError as error:
                raise ValidationError({option.field: f"{option.label or option.flag}: {error}"}) from None
        if option.secret:
            if value and value != secrets.get(option.field):
                rotated.append(option.field)
                secrets[option.field] = value
        elif value:
            config[option.field] = value
        if option.required and not (secrets if option.secret else config).get(option.field):
            missing.append(option.label or option.flag)
    if missing:
        raise ValidationError(_("Missing: %(names)s.") % {"names": ", ".join(missing)})
    connection.secrets, connection.config = secrets, config
    if api_base is not None:
        connection.api_base = api_base.strip()
    connection.is_active = True
    connection.full_clean()
    connection.save()
    _hook_forget_on_commit(agency, kind)
    if rotated and connection.pk:
        LogEntry.objects.log_create(
            connection,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"secrets": ["(not shown)", f"changed: {', '.join(sorted(rotated))}"]},
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            additional_data={"agency_id": agency.pk},
        )
    return connection


def channel_connect_webhook(*, agency: Agency, connection: ChannelConnection) -> str:
    """Tell the provider where to deliver (Telegram's setWebhook); the URL. Raises ConnectError."""
    provider = get_provider(connection.kind)
    url = webhook_url(agency=agency, kind=connection.kind)
    if provider is not None and provider.sets_webhook:
        provider.on_connect(connection, url)
    return url


@transaction.atomic
def channel_disconnect(*, agency: Agency, actor, kind: str) -> bool:
    """Stop the channel: its webhook answers 404 and nothing more is sent. Secrets are erased."""
    connection = ChannelConnection.objects.for_agency(agency).select_for_update().filter(kind=kind).first()
    if connection is None:
        return False
    connection.is_active = False
    connection.secrets = {}
    connection.save(update_fields=["is_active", "secrets", "updated_at"])
    _hook_forget_on_commit(agency, kind)
    return True


def _hook_forget_on_commit(agency: Agency, kind: str) -> None:
    """Drop this process's kept copy now and again after commit (a delivery in between may reload it)."""
    from messaging.selectors import connection_for_hook_forget

    connection_for_hook_forget(agency_slug=agency.slug, kind=kind)
    transaction.on_commit(lambda: connection_for_hook_forget(agency_slug=agency.slug, kind=kind))


def connection_test_send(*, agency: Agency, actor, kind: str, recipient: str, text: str) -> str:
    """ "Send test message": one message straight to the provider (not through the outbox), so the
    admin learns at once whether the credentials work. The provider's message id; a failure raises
    SendError and is kept with the connection's last delivery errors."""
    from django.core.exceptions import ValidationError

    from messaging.providers.base import Held, SendError

    connection = ChannelConnection.objects.for_agency(agency).filter(kind=kind, is_active=True).first()
    provider = get_provider(kind)
    recipient, text = recipient.strip()[:200], text.strip()[:1000]
    if connection is None or provider is None:
        raise ValidationError(_("This channel is not connected."))
    if not recipient or not text:
        raise ValidationError(_("Give the recipient (a chat id, phone number or user id) and a text."))
    identity = ChannelIdentity.objects.for_agency(agency).filter(kind=kind, external_id=recipient).first()
    if identity is not None and identity.opted_out:
        raise ValidationError(_("This person sent STOP: nothing is sent to them."))
    message_id = ""
    try:
        # WhatsApp and Messenger take a free-form message only within 24 hours of the person's last one.
        last_inbound_at = identity.last_inbound_at if identity is not None else None
        for payload in provider.test_payload(connection, recipient, text, last_inbound_at=last_inbound_at):
            message_id = provider.send(connection, payload, recipient)
    except Held:
        raise ValidationError(
            _(
                "Not sent: %(channel)s takes a free-form message only within 24 hours of the person's last "
                "message to you. Write to the channel from that phone or account first, then send the test again."
            )
            % {"channel": provider.label or kind}
        ) from None
    except SendError as exc:
        connection_error_record(connection=connection, code=exc.code or "test", message=str(exc), recipient=recipient)
        raise
    return message_id
