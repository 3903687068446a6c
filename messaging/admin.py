"""Staff see what the channels send, in the admin (scoped to their agencies): every outbound line with
its state, and the ones held outside the 24-hour window, which an admin may discard."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from messaging.held import outbound_held_discard
from messaging.models import OutboundMessage
from tenants.admin import TenantAdmin
from tenants.models import Agency
from tenants.selectors import ADMIN_ROLES


@admin.register(OutboundMessage)
class OutboundMessageAdmin(TenantAdmin):
    """Read-only: rows are written by the outbox; the one decision staff take here is to discard held ones
    (a held line goes out by itself when the person writes again)."""

    change_roles = ADMIN_ROLES  # the discard action; every field stays read-only
    add_roles = frozenset()
    delete_roles = frozenset()
    list_display = ["created_at", "agency", "channel", "recipient", "purpose", "state", "error"]
    list_filter = ["state", "purpose", "connection__kind"]
    search_fields = ["identity__external_id", "provider_message_id", "error"]
    list_select_related = ["agency", "connection", "identity"]
    date_hierarchy = "created_at"
    actions = ["discard_held"]
    readonly_fields = [
        "agency",
        "connection",
        "identity",
        "conversation",
        "chat_message_id",
        "purpose",
        "dedupe_key",
        "payload",
        "state",
        "provider_message_id",
        "attempts",
        "next_attempt_at",
        "error",
        "created_at",
        "sent_at",
        "state_changed_at",
    ]

    @admin.display(description=_("channel"), ordering="connection__kind")
    def channel(self, row: OutboundMessage) -> str:
        return row.connection.get_kind_display()

    @admin.display(description=_("to"), ordering="identity__external_id")
    def recipient(self, row: OutboundMessage) -> str:
        name, address = row.identity.display_name, row.identity.external_id
        return f"{name} ({address})" if name else address

    @admin.action(description=_("Discard the selected held messages (never send them)"))
    def discard_held(self, request, queryset):
        discarded = 0
        for agency_id in set(queryset.values_list("agency_id", flat=True)):
            if agency_id not in self._ids(request, self.change_roles):
                continue
            ids = list(queryset.filter(agency_id=agency_id).values_list("pk", flat=True))
            agency = Agency.objects.get(pk=agency_id)
            discarded += outbound_held_discard(agency=agency, actor=request.user, ids=ids)
        self.message_user(
            request,
            ngettext("%(n)d held message discarded.", "%(n)d held messages discarded.", discarded) % {"n": discarded},
            messages.SUCCESS if discarded else messages.WARNING,
        )
