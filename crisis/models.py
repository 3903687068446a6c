"""Crisis mode (its severity and end time), public alerts (CAP 1.2), citizens' alert subscriptions, and the
delivery outbox: one row per subscriber per alert per channel."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.audit import audited
from tenants.models import TenantOwned


class Severity(models.TextChoices):
    """CAP 1.2 severities (the standard's words, shown translated)."""

    EXTREME = "Extreme", _("Extreme")
    SEVERE = "Severe", _("Severe")
    MODERATE = "Moderate", _("Moderate")
    MINOR = "Minor", _("Minor")
    UNKNOWN = "Unknown", _("Unknown")


SEVERITY_RANK = {"Unknown": 0, "Minor": 1, "Moderate": 2, "Severe": 3, "Extreme": 4}


@audited
class CrisisState(TenantOwned):
    """What goes with an agency's crisis switch (`Agency.crisis_mode` / `crisis_message`): its severity, when it
    ends by itself, and the alert settings (the two-person rule's threshold)."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.SEVERE)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    approval_threshold = models.PositiveIntegerField(
        _("second approval above"),
        default=1000,
        help_text=_("An alert to more people than this needs a second supervisor's approval (0: always)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crisis state")
        verbose_name_plural = _("crisis states")
        constraints = [models.UniqueConstraint(fields=["agency"], name="crisis_state_one_per_agency")]

    def __str__(self) -> str:
        return f"crisis state of agency {self.agency_id}"


class Channel(models.TextChoices):
    WEB = "web", _("Web banner and CAP feed")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    MESSENGER = "messenger", "Messenger"


# Channels with one message per subscriber (the web banner is one page for everyone).
PERSONAL_CHANNELS = (Channel.CHAT, Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.TELEGRAM, Channel.MESSENGER)
# Subscriptions made in a conversation on a messaging app; their alerts leave through the messaging app's
# outbox (`messaging.outbox.outbound_queue`), which keeps each provider's rate limits and windows.
MESSAGING_CHANNELS = (Channel.WHATSAPP, Channel.TELEGRAM, Channel.MESSENGER)


@audited
class Alert(TenantOwned):
    class MsgType(models.TextChoices):
        ALERT = "Alert", _("Alert")
        UPDATE = "Update", _("Update")
        CANCEL = "Cancel", _("Cancellation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second approval")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        REJECTED = "rejected", pgettext_lazy("alert status", "Rejected")
        DRAFT = "draft", _("Draft (from an incoming CAP alert)")

    class AreaKind(models.TextChoices):
        WHOLE = "whole", _("Whole jurisdiction")
        CIRCLE = "circle", _("Circle")
        POLYGON = "polygon", _("Polygon")

    identifier = models.CharField(max_length=120, unique=True, verbose_name=_("CAP identifier"))
    msg_type = models.CharField(
        max_length=10, choices=MsgType.choices, default=MsgType.ALERT, verbose_name=_("message type")
    )
    references = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        help_text=_("The original alert an update or cancellation refers to."),
        verbose_name=_("updates or cancels"),
    )
    event = models.CharField(_("event"), max_length=100, default="Emergency")
    category = models.CharField(max_length=20, default="Safety", verbose_name=_("category"))
    severity = models.CharField(
        max_length=10, choices=Severity.choices, default=Severity.SEVERE, verbose_name=_("severity")
    )
    urgency = models.CharField(max_length=10, default="Immediate", verbose_name=_("urgency"))
    certainty = models.CharField(max_length=10, default="Observed", verbose_name=_("certainty"))
    texts = models.JSONField(
        help_text=_('{"en": {"headline": …, "instruction": …}, "es": {…}}'), verbose_name=_("texts")
    )
    area_kind = models.CharField(
        max_length=10, choices=AreaKind.choices, default=AreaKind.WHOLE, verbose_name=_("kind of area")
    )
    # circle: {"lat", "lon", "radius_km"}; polygon: {"points": [[lat, lon], …]} (closed implicitly)
    area = models.JSONField(default=dict, blank=True, verbose_name=_("area"))
    area_desc = models.CharField(max_length=200, blank=True, verbose_name=_("area description"))
    channels = ArrayField(models.CharField(max_length=12, choices=Channel.choices), verbose_name=_("channels"))
    send_at = models.DateTimeField(null=True, blank=True, verbose_name=_("send at"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires at"))
    status = models.CharField(max_length=10, choices=Status.choices, verbose_name=_("status"))
    recipients = models.PositiveIntegerField(
        default=0, help_text=_("Matching subscribers when it was sent."), verbose_name=_("recipients")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The incoming CAP message it was drafted from."),
        verbose_name=_("source"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    fanned_out_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Every delivery row is written."), verbose_name=_("all deliveries queued at")
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status", "-created_at"], name="alert_agency_status")]

    def __str__(self) -> str:
        return f"{self.msg_type} {self.identifier}"

    def first_language(self) -> str:
        """The language a reader whose own the alert lacks gets: the agency's first that the alert is written in
        (PostgreSQL keeps `texts` with its keys sorted, so the first key is "ar" before "en", not the first
        written)."""
        for code in self.agency.languages or []:
            if code in self.texts:
                return code
        return next(iter(self.texts), "")

    def text(self, language: str) -> dict:
        """The headline, instructions and event in `language`, else in the agency's first language the alert is
        written in; the event is the alert's own (its first language's) where that language's text names none."""
        text = self.texts.get(language) or self.texts.get(self.first_language()) or {"headline": "", "instruction": ""}
        return {**text, "event": text.get("event") or self.event}

    def channels_display(self) -> str:
        """The alert's channels by name, in the current language ("Web banner and CAP feed, E-mail")."""
        labels = dict(Channel.choices)
        return ", ".join(str(labels.get(channel, channel)) for channel in self.channels)

    @property
    def headline(self) -> str:
        """In the reader's language (the page's), else the agency's first the alert is written in."""
        from django.utils.translation import get_language

        return self.text(get_language() or "").get("headline", "")


@audited(exclude_fields=["confirm_code"])
class Subscription(TenantOwned):
    """A citizen who asked for the agency's alerts on one channel (consent: when and where it was given)."""

    channel = models.CharField(
        max_length=12, choices=[(c.value, c.label) for c in PERSONAL_CHANNELS], verbose_name=_("channel")
    )
    address = models.CharField(
        max_length=254, help_text=_("E-mail address, phone number or chat conversation id."), verbose_name=_("address")
    )
    language = models.CharField(max_length=10, default="en", verbose_name=_("language"))
    lat = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    lon = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))
    radius_km = models.FloatField(null=True, blank=True, verbose_name=_("radius (km)"))
    area_label = models.CharField(max_length=300, blank=True, verbose_name=_("area label"))
    confirm_code = models.CharField(max_length=8, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    consent_at = models.DateTimeField(verbose_name=_("consent given at"))
    consent_channel = models.CharField(
        max_length=12, help_text=_("Where consent was given: web, chat, sms."), verbose_name=_("consent given on")
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("unsubscribed at"))
    rejected_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The provider refused the address for good (bounce, invalid number)."),
        verbose_name=_("rejected at"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "channel", "address"], name="subscription_unique_address"),
        ]
        indexes = [
            models.Index(
                fields=["agency", "channel"],
                condition=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True, rejected_at__isnull=True),
                name="subscription_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} subscription {self.pk}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None and self.rejected_at is None


class Delivery(TenantOwned):
    """The outbox: exactly one row per subscriber per alert per channel (a unique constraint), claimed with a
    lease while it is sent, so a killed worker's rows are swept back and nothing is sent twice by us."""

    audit_exempt_reason = "a delivery outbox: plumbing holding addresses, counted on the alert's report"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        # Nothing was sent, by design: the person opted out, the subscription ended, there is no way to reach them
        # on the channel (`skip_reason`). Counted apart from failures, which are sends that went wrong.
        SKIPPED = "skipped", _("Skipped")

    class SkipReason(models.TextChoices):
        OPTED_OUT = "opted_out", _("The person sent STOP on this channel")
        ENDED = "ended", _("The subscription ended before the alert went out")
        NO_ADDRESS = "no_address", _("No number, account or conversation on this channel any more")
        NO_CHANNEL = "no_channel", _("The agency has no way to send on this channel")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=12)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    permanent = models.BooleanField(default=False, help_text=_("Failed for good (bounced, rejected number)."))
    # Sent again after the gateway took the text and the carrier reported it not delivered for a passing reason
    # (`crisis.services.receipts`).
    retries = models.PositiveSmallIntegerField(_("sent again after not delivered"), default=0)
    skip_reason = models.CharField(_("why it was skipped"), max_length=12, choices=SkipReason.choices, blank=True)
    error = models.CharField(max_length=300, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Set when a lease ran out (the worker died while it held the row): the provider may or may not have taken
    # the message, so the next attempt first asks the provider where it can (SMS) before sending again.
    in_doubt = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscription", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            # The report counts by (channel, status) of one alert from this index alone.
            models.Index(fields=["alert", "channel", "status"], name="delivery_report"),
            models.Index(fields=["status", "lease_until"], condition=Q(status="sending"), name="delivery_leased"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.channel}, {self.status})"


class DeliveryCount(TenantOwned):
    """How many of an alert's deliveries are in each (channel, status): kept by PostgreSQL triggers on
    `crisis_delivery` (migration 0005), statement by statement, so the delivery report reads a few dozen rows
    instead of counting 100,000. Spread over shards (the writing backend's pid modulo 16) so concurrent
    senders do not queue on one counter row; the report sums the shards."""

    audit_exempt_reason = "counters kept by a database trigger for the delivery report"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=12)
    status = models.CharField(max_length=10)
    shard = models.PositiveSmallIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("delivery count")
        verbose_name_plural = _("delivery counts")
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel", "status", "shard"], name="delivery_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}/{self.status}: {self.n}"


# The key's hash is a secret; the poll time and error are bookkeeping of the beat task.
@audited(exclude_fields=["api_key_hash", "last_polled_at", "last_error"])
class CapSource(TenantOwned):
    """Where CAP alerts come in from: a feed polled by beat (CAP, or Atom of CAP) or pushes by POST with an API
    key. Only messages from `allowed_senders` that match the rules (severity, area) are acted on."""

    class Kind(models.TextChoices):
        FEED = "feed", _("Feed polled by the server")
        PUSH = "push", _("Pushed to us with an API key")

    class Action(models.TextChoices):
        DRAFT = "draft", _("Draft an alert for a supervisor to approve")
        CRISIS = "crisis", _("Turn crisis mode on")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FEED, verbose_name=_("kind"))
    url = models.URLField(_("feed URL"), blank=True, max_length=500)
    api_key_hash = models.CharField(max_length=64, blank=True)
    allowed_senders = ArrayField(
        models.CharField(max_length=200), default=list, blank=True, verbose_name=_("allowed senders")
    )
    min_severity = models.CharField(
        max_length=10, choices=Severity.choices, default=Severity.SEVERE, verbose_name=_("minimum severity")
    )
    area = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Only alerts reaching this circle: {"lat", "lon", "radius_km"}; empty: any.'),
        verbose_name=_("area"),
    )
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.DRAFT, verbose_name=_("action"))
    trusted_certificates = models.TextField(
        _("trusted certificates (PEM)"),
        blank=True,
        help_text=_(
            "The certificates whose XML signatures this source's alerts may carry; a signed alert is "
            "accepted only when its signature verifies against one of them."
        ),
    )
    require_signature = models.BooleanField(_("accept signed alerts only"), default=False)
    poll_seconds = models.PositiveIntegerField(default=120, verbose_name=_("poll interval (seconds)"))
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("CAP source")
        verbose_name_plural = _("CAP sources")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class CapMessage(TenantOwned):
    """Each incoming CAP message once (by sender and identifier), with what was done with it and why."""

    audit_exempt_reason = "a log of received messages; what they caused (crisis mode, drafts) is audited"

    class Outcome(models.TextChoices):
        ACTED = "acted", _("Acted on")
        IGNORED = "ignored", _("Did not match the rules")
        REFUSED = "refused", _("Refused (sender or signature not trusted)")

    source = models.ForeignKey(CapSource, on_delete=models.CASCADE, related_name="messages")
    identifier = models.CharField(max_length=200)
    sender = models.CharField(max_length=200)
    msg_type = models.CharField(max_length=10)
    severity = models.CharField(max_length=10, blank=True)
    headline = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incoming CAP alert")
        verbose_name_plural = _("incoming CAP alerts")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sender", "identifier"], name="cap_message_once"),
        ]

    def __str__(self) -> str:
        return f"CAP {self.identifier} from {self.sender}"
