"""The agency admin's page for messaging channels: /a/<slug>/staff/channels/ (admins only).

Secrets are write-only here: the form shows whether one is stored, never its value; typing a new one
rotates it. Each channel shows its webhook URL, the webhooks refused for a bad signature, the last
delivery errors, and a "send test message" form. Below them, the lines held outside a provider's 24-hour
window, which an admin sends anyway or discards (both audited)."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from messaging.connections import (
    channel_connect,
    channel_connect_webhook,
    channel_disconnect,
    connection_test_send,
    webhook_url,
)
from messaging.held import outbound_held_discard, outbound_held_send
from messaging.providers import get_provider, registered_kinds
from messaging.providers.base import ConnectError, SendError
from messaging.selectors import connections_for_agency, outbound_held
from tenants.permissions import agency_role_required
from tenants.selectors import ADMIN_ROLES


def _channels(agency) -> list[dict]:
    connections = {connection.kind: connection for connection in connections_for_agency(agency=agency)}
    rows = []
    for kind in registered_kinds():
        provider = get_provider(kind)
        connection = connections.get(kind)
        stored = dict(connection.secrets or {}) if connection is not None else {}
        config = dict(connection.config or {}) if connection is not None else {}
        rows.append(
            {
                "errors": _errors(connection),
                "kind": kind,
                "label": provider.label or kind,
                "connection": connection,
                "connected": connection is not None and connection.is_active,
                "webhook_url": webhook_url(agency=agency, kind=kind),
                "options": [
                    {
                        "field": option.field,
                        "label": option.label or option.flag,
                        "secret": option.secret,
                        "required": option.required,
                        "stored": bool(stored.get(option.field)) if option.secret else False,
                        "value": "" if option.secret else str(config.get(option.field) or ""),
                    }
                    for option in provider.connect_options
                ],
                "sets_webhook": provider.sets_webhook,
            }
        )
    return rows


def _errors(connection) -> list[dict]:
    """The connection's last delivery errors, their times read back (stored as ISO text) for display."""
    errors = []
    for error in (connection.last_errors or []) if connection is not None else []:
        try:
            at = datetime.fromisoformat(str(error.get("at", "")))
        except ValueError:
            at = None
        errors.append({**error, "at": at, "at_iso": error.get("at", "")})
    return errors


@agency_role_required(ADMIN_ROLES)
@require_http_methods(["GET", "POST"])
def channels_staff(request, agency_slug: str):
    agency = request.agency
    if request.method == "POST" and request.POST.get("action") in ("send_held", "discard_held"):
        return _held_decide(request, agency)
    if request.method == "POST":
        action, kind = request.POST.get("action", ""), request.POST.get("kind", "")
        provider = get_provider(kind)
        try:
            if provider is None:
                raise ValidationError(_("Unknown channel."))
            if action == "connect":
                values = {option.field: request.POST.get(option.field, "") for option in provider.connect_options}
                connection = channel_connect(
                    agency=agency, actor=request.user, kind=kind, values=values, api_base=request.POST.get("api_base")
                )
                if provider.sets_webhook:
                    channel_connect_webhook(agency=agency, connection=connection)
                messages.success(request, _("%(channel)s is connected.") % {"channel": provider.label})
            elif action == "test":
                message_id = connection_test_send(
                    agency=agency,
                    actor=request.user,
                    kind=kind,
                    recipient=request.POST.get("recipient", ""),
                    text=request.POST.get("text", ""),
                )
                messages.success(request, _("Sent (the provider's id: %(id)s).") % {"id": message_id or "—"})
            elif action == "disconnect":
                channel_disconnect(agency=agency, actor=request.user, kind=kind)
                messages.success(request, _("%(channel)s is disconnected.") % {"channel": provider.label})
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except ConnectError as error:
            messages.error(request, _("Saved, but the provider refused the webhook: %(error)s") % {"error": error})
        except SendError as error:
            messages.error(request, _("The test message was not sent: %(error)s") % {"error": error})
        return redirect("messaging-staff", agency_slug=agency.slug)
    context = {"agency": agency, "channels": _channels(agency), "held": outbound_held(agency=agency)}
    return render(request, "messaging/staff_channels.html", context)


def _held_decide(request, agency):
    """ "Send anyway" or "Discard" for held lines (ids of this agency's held rows; anything else: none)."""
    ids = request.POST.getlist("message")
    if request.POST["action"] == "send_held":
        done = outbound_held_send(agency=agency, actor=request.user, ids=ids)
        text = ngettext("%(n)d held message goes out now.", "%(n)d held messages go out now.", done)
    else:
        done = outbound_held_discard(agency=agency, actor=request.user, ids=ids)
        text = ngettext("%(n)d held message discarded.", "%(n)d held messages discarded.", done)
    if done:
        messages.success(request, text % {"n": done})
    else:
        messages.error(request, _("No held message was selected (it may have been sent or discarded already)."))
    return redirect("messaging-staff", agency_slug=agency.slug)
