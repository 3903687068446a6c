"""Crisis mode (its severity and end time) and public alerts (CAP 1.2) with the channels they go out on."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
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
