"""Citizens' alert subscriptions and the delivery outbox: one row per subscriber per alert per channel, with
the per-alert counts staff see."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crisis.models.alerts import PERSONAL_CHANNELS, Alert
from tenants.audit import audited
from tenants.models import TenantOwned


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
