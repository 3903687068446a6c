"""Channel connections, inbound webhook events, the people behind them, and the outbound outbox.

Every table is tenant-owned (`agency_id`, the fail-closed manager). A connection's secrets are one
encrypted JSON field (registrations' Fernet field encryption): dumps, backups and the audit trail see
only ciphertext, and no page shows a stored secret again.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registrations.encrypted import EncryptedJSONField
from tenants.audit import audited
from tenants.models import TenantOwned


class Kind(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    MESSENGER = "messenger", "Messenger"
    SMS = "sms", _("SMS")


MAX_LAST_ERRORS = 10


# Counters and the error list change on every failed delivery or rejected webhook: bookkeeping, not
# decisions by people. Secrets never enter the trail: a rotation is recorded by
# `connections.channel_connect` as its own entry naming the fields that changed, not their values.
@audited(exclude_fields=["secrets", "rejected_signatures", "last_rejected_at", "last_errors", "updated_at"])
class ChannelConnection(TenantOwned):
    """One agency's account on one messaging service (one per agency and kind)."""

    kind = models.CharField(_("channel"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Provider-specific secrets: bot_token + secret_token (Telegram), auth_token (SMS), access_token /
    # page_token + app_secret + verify_token (WhatsApp, Messenger). See each provider's `secret_fields`.
    secrets = EncryptedJSONField(_("secrets"), default=dict, blank=True)
    # Provider-specific public settings: account_sid, from_number, phone_number_id, page_id, templates…
    config = models.JSONField(_("settings"), default=dict, blank=True)
    api_base = models.URLField(
        _("API base URL"), blank=True, help_text=_("Empty: the provider's real API. Tests and staging point elsewhere.")
    )
    rejected_signatures = models.PositiveIntegerField(_("rejected webhooks"), default=0, editable=False)
    last_rejected_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Newest first: [{"at": iso time, "code": str, "message": str, "recipient": str}], at most MAX_LAST_ERRORS.
    last_errors = models.JSONField(_("last delivery errors"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("messaging connection")
        verbose_name_plural = _("messaging connections")
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="messaging_one_connection_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.agency_id})"

    def secret(self, name: str) -> str:
        return str((self.secrets or {}).get(name) or "")

    def setting(self, name: str, default: str = "") -> str:
        return str((self.config or {}).get(name) or default)


class InboundEvent(TenantOwned):
    """One webhook delivery exactly as it arrived (after its signature was verified).

    `provider_id` is the provider's id for it (Telegram update_id, MessageSid, or the message ids of a
    WhatsApp/Messenger batch): a retried delivery hits the unique constraint and is acknowledged
    without a second turn."""

    audit_exempt_reason = "raw webhook bodies: plumbing holding personal data; the turns land in audited chat rows"

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    connection = models.ForeignKey(ChannelConnection, on_delete=models.CASCADE, related_name="events")
    provider_id = models.CharField(max_length=200)
    body = models.BinaryField()
    content_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbound messaging event")
        verbose_name_plural = _("inbound messaging events")
        constraints = [
            models.UniqueConstraint(fields=["connection", "provider_id"], name="messaging_event_once"),
        ]
        indexes = [
            models.Index(fields=["received_at"], condition=Q(status="received"), name="messaging_event_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.connection_id}:{self.provider_id}"


@audited(exclude_fields=["last_inbound_at", "conversation", "display_name", "updated_at"])
class ChannelIdentity(TenantOwned):
    """One person as one messaging service knows them (chat id, phone number, page-scoped id).

    One person on two channels is two identities and two conversations: nothing merges them by guess."""

    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("messaging app"))
    external_id = models.CharField(_("address on the channel"), max_length=200)
    display_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, blank=True, verbose_name=_("language"))
    conversation = models.ForeignKey(
        "chat.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opted_out = models.BooleanField(_("opted out"), default=False)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    # Who ended it: "" (the person's STOP) or the provider's code when the person shut the channel on the agency
    # (Telegram `blocked`, `deactivated`: `messaging.telegram_errors`); such an opt-out ends when they write again.
    opt_out_reason = models.CharField(_("opted out because"), max_length=20, blank=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("messaging identity")
        verbose_name_plural = _("messaging identities")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "external_id"], name="messaging_one_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.external_id}"


class OutboundMessage(TenantOwned):
    """The outbox: one provider payload to one person, sent exactly once (per `dedupe_key`), retried
    with backoff on transient errors, failed for good on permanent ones (shown to staff).

    A row is `sending`, with a lease, from a committed claim until the provider's answer is recorded: a worker
    killed in between leaves it there, and once the lease has run out it is looked up at the provider where the
    provider allows that (SMS: Twilio's message list) or marked `unknown` for staff to check before it goes
    again (`messaging.in_doubt`); it is never sent a second time blindly."""

    audit_exempt_reason = "a delivery outbox: plumbing holding personal data; the lines are audited chat messages"

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent (opted out)")
        HELD = "held", _("Held: outside the 24-hour window")
        SENDING = "sending", _("Being sent")
        UNKNOWN = "unknown", _("Unknown: check before sending again")

    class SettledBy(models.TextChoices):
        MARK = "mark", _("the app's note of the provider's answer")
        LOOKUP = "lookup", _("the provider's message list")
        STATUS = "status", _("the provider's status report")

    class Purpose(models.TextChoices):
        REPLY = "reply", _("Conversation")
        NEWS = "news", _("Status news")
        ALERT = "alert", _("Alert")
        FEEDBACK = "feedback", _("Feedback request")
        TEST = "test", _("Test message")
        # The one confirmation of a STOP: the only message that goes to a person who has opted out.
        OPT_OUT = "optout", _("Opt-out confirmation")

    connection = models.ForeignKey(ChannelConnection, on_delete=models.CASCADE, related_name="outbound")
    identity = models.ForeignKey(ChannelIdentity, on_delete=models.CASCADE, related_name="outbound")
    conversation = models.ForeignKey(
        "chat.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chat_message_id = models.BigIntegerField(null=True, blank=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.REPLY)
    dedupe_key = models.CharField(max_length=120)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    provider_message_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    error = models.CharField(max_length=500, blank=True)
    # The provider's code for the last failure (WhatsApp 131026, Twilio 30003), for staff's plain words
    # (`messaging.meta_errors`, `messaging.twilio_errors`); and how many times the message was sent again after the
    # provider accepted it and then reported it failed for a passing reason.
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    retries = models.PositiveSmallIntegerField(_("sent again after failing"), default=0)
    # While `sending`: when the claim runs out (MESSAGING_LEASE_SECONDS after it); past it, the worker is gone.
    lease_until = models.DateTimeField(null=True, blank=True)
    # How a row whose worker died mid-send was found to have reached the provider, and so was not sent again
    # (`messaging.in_doubt`); shown on the outbox page for a few days.
    settled_by = models.CharField(_("settled by"), max_length=10, choices=SettledBy.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        constraints = [
            models.UniqueConstraint(fields=["connection", "dedupe_key"], name="messaging_outbound_once"),
        ]
        indexes = [
            models.Index(fields=["connection", "next_attempt_at"], condition=Q(state="pending"), name="messaging_due"),
            # The outbox page's lines that need a look (failed or held lately, sent again after failing, or settled
            # after their worker died mid-send).
            models.Index(
                fields=["agency", "state_changed_at"],
                condition=Q(state__in=["failed", "held", "unknown"]) | Q(retries__gt=0) | ~Q(settled_by=""),
                name="messaging_problems",
            ),
            # Claims whose worker is gone (the sweep's and the delivery run's look for them).
            models.Index(fields=["connection", "lease_until"], condition=Q(state="sending"), name="messaging_leased"),
            models.Index(
                fields=["connection", "provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="messaging_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.connection_id}:{self.dedupe_key}"
