"""Service requests with their photos, status history, followers and the notifications sent to them.

Status changes go through `requests_app.services` only; `StatusEvent` is the history they write.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from requests_app.models.catalogue import ApiKey, ServiceCategory
from tenants.audit import audited
from tenants.models import Department, TenantOwned


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("service request status", "Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", pgettext_lazy("service request status", "Resolved")
    CLOSED = "closed", pgettext_lazy("service request status", "Closed")
    DUPLICATE = "duplicate", _("Duplicate")
    REJECTED = "rejected", pgettext_lazy("service request status", "Rejected")


# Open311 knows only open/closed; these are "open". Duplicate detection looks at open requests.
OPEN_STATUSES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    CHAT = "chat", _("Chat")  # the portal's own chat (page or widget)
    PHONE = "phone", _("Phone call")
    OPEN311 = "open311", _("Open311 API")
    # The messaging channels, as `chat.Conversation.Channel` names them (a report filed in such a chat).
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    MESSENGER = "messenger", "Messenger"
    SMS = "sms", _("SMS")


MESSAGING_SOURCES = frozenset({Source.WHATSAPP.value, Source.TELEGRAM.value, Source.MESSENGER.value, Source.SMS.value})


def chat_source(channel: str) -> str:
    """The source of a report filed in a chat on `channel`: the messaging channel's own, else the chat."""
    return channel if channel in MESSAGING_SOURCES else Source.CHAT.value


@audited(
    exclude_fields=["updated_at"],
    mask_fields=["reporter_email", "reporter_phone", "reporter_first_name", "reporter_last_name"],
)
class ServiceRequest(TenantOwned):
    reference = models.CharField(_("reference"), max_length=32, editable=False)
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name=_("tracking token"))
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="requests", verbose_name=_("category")
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    lat = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)], verbose_name=_("latitude")
    )
    long = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)], verbose_name=_("longitude")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_id = models.CharField(max_length=100, blank=True, verbose_name=_("address ID"))
    zipcode = models.CharField(_("ZIP code"), max_length=20, blank=True)
    attributes = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Answers to the category's questions."),
        verbose_name=_("answers to the category's questions"),
    )
    media_url = models.URLField(max_length=500, blank=True, verbose_name=_("photo link"))

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, verbose_name=_("status"))
    status_notes = models.CharField(
        max_length=1000, blank=True, help_text=_("The latest public note."), verbose_name=_("status notes")
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    expected_at = models.DateTimeField(_("expected by"), null=True, blank=True)
    sla_due_at = models.DateTimeField(null=True, blank=True, verbose_name=_("SLA due at"))
    sla_breached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("SLA breached at"))
    routed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("routed at"))

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB, verbose_name=_("source"))
    language = models.CharField(max_length=10, blank=True, verbose_name=_("language"))
    # Private: never in public pages, Open311 GET answers or the status lookup.
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporter's account"),
    )
    reporter_email = models.EmailField(blank=True, verbose_name=_("reporter's e-mail"))
    reporter_phone = models.CharField(max_length=40, blank=True, verbose_name=_("reporter's phone"))
    reporter_first_name = models.CharField(max_length=100, blank=True, verbose_name=_("reporter's first name"))
    reporter_last_name = models.CharField(max_length=100, blank=True, verbose_name=_("reporter's last name"))
    account_id = models.CharField(max_length=100, blank=True, verbose_name=_("account ID"))
    device_id = models.CharField(max_length=100, blank=True, verbose_name=_("device ID"))
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("API key")
    )
    idempotency_key = models.CharField(max_length=100, blank=True, verbose_name=_("idempotency key"))

    created_at = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("filed at"))
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference"], name="request_unique_reference"),
            models.UniqueConstraint(
                fields=["agency", "api_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="request_unique_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="request_agency_created"),
            models.Index(fields=["agency", "status", "created_at"], name="request_agency_status"),
            models.Index(fields=["agency", "updated_at"], name="request_agency_updated"),
            # Analytics: requests closed in a range (today's live numbers, the SLA and close-time drill-downs).
            models.Index(fields=["agency", "closed_at"], name="request_agency_closed"),
            # Duplicate check: same category, open, inside a lat/long box; long and age come from the index.
            models.Index(
                fields=["agency", "category", "lat"],
                include=["long", "created_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="request_dedupe",
            ),
            models.Index(
                fields=["agency", "device_id", "created_at"], condition=~Q(device_id=""), name="request_device"
            ),
            models.Index(
                fields=["agency", "sla_due_at"],
                condition=Q(sla_breached_at__isnull=True, status__in=OPEN_STATUSES),
                name="request_sla_due",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"

    @property
    def sla_breached(self) -> bool:
        return self.sla_breached_at is not None

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.long is not None


def photo_path(instance: "RequestPhoto", filename: str) -> str:
    # The agency id is in every stored path (tenancy rule); the name is random, not the citizen's.
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(instance.format, "bin")
    return f"requests/{instance.agency_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


@audited
class RequestPhoto(TenantOwned):
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="photos", verbose_name=_("service request")
    )
    image = models.FileField(upload_to=photo_path, max_length=200, verbose_name=_("image"))
    format = models.CharField(max_length=10, verbose_name=_("format"))
    width = models.PositiveIntegerField(verbose_name=_("width"))
    height = models.PositiveIntegerField(verbose_name=_("height"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("photo ID"))
    # Staff withdraw a photo from public view (a face, a licence plate): then only staff see it.
    is_public = models.BooleanField(_("shown publicly"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request photo")
        verbose_name_plural = _("request photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.request} photo {self.pk}"

    @property
    def is_shown_publicly(self) -> bool:
        """Citizens and Open311 clients see the photo only when it is public and so is its report
        (a rejected report, e.g. abuse, keeps its photos for staff)."""
        return self.is_public and self.request.status != Status.REJECTED

    @property
    def content_type(self) -> str:
        return {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[self.format]


class StatusEvent(TenantOwned):
    """One entry of a request's history. Public notes are shown to citizens; internal ones are not.

    Not registered with auditlog on purpose: this table is itself an append-only audit record (who,
    when, from → to, notes), never updated or deleted by the app; an auditlog entry per row would
    double every write on the busiest path. Changes to the request itself are audited."""

    audit_exempt_reason = "itself an append-only history record of audited requests"

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("a report's history: the report came in", "Received")
        STATUS = "status", _("Status changed")
        ROUTED = "routed", _("Routed")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")
        MERGED = "merged", _("Merged")
        SLA = "sla", _("SLA breached")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    public_note = models.TextField(blank=True, max_length=2000)
    internal_note = models.TextField(blank=True, max_length=4000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"], name="statusevent_request")]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_kind_display()}"


@audited(mask_fields=["email", "phone"])
class Follower(TenantOwned):
    """Someone notified of a request's progress: by email, in the chat conversation they reported
    or followed it from, or by text message when only a phone number was left and an SMS gateway is
    configured (otherwise the number is for staff to call back)."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="followers", verbose_name=_("service request")
    )
    email = models.EmailField(blank=True, verbose_name=_("e-mail"))
    phone = models.CharField(max_length=40, blank=True, verbose_name=_("phone"))
    chat_conversation = models.CharField(
        max_length=64, blank=True, help_text=_("A chat conversation's id."), verbose_name=_("chat conversation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("account")
    )
    is_reporter = models.BooleanField(default=False, verbose_name=_("reporter"))
    language = models.CharField(max_length=10, blank=True, verbose_name=_("language"))
    unsubscribed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("unsubscribed at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "email"], condition=~Q(email=""), name="follower_unique_email"),
            models.CheckConstraint(
                condition=~Q(email="", phone="", chat_conversation=""), name="follower_has_a_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} follower {self.pk}"


class DeliveryStatus(models.TextChoices):
    """Twilio's MessageStatus values that the outbox records (queued, accepted, sending: nothing yet)."""

    SENT = "sent", _("Sent to the carrier")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", _("Failed after it was accepted")


class Notification(TenantOwned):
    """Outbox of notifications to send: emails, text messages, and lines posted into the chat
    conversation a citizen follows a report from. Written in the same transaction as the event that causes them and
    delivered after commit, so a retried task never loses or repeats one. Not audited: it holds
    message bodies (personal data) and is pure plumbing."""

    audit_exempt_reason = "a notification outbox: plumbing holding personal data"

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat conversation")
        SMS = "sms", _("Text message")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.CharField(
        max_length=254, help_text=_("An email address, a chat conversation's id, or a phone number.")
    )
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # E-mails only: the same message as HTML, sent as the alternative part beside `body` (empty: text only).
    html_body = models.TextField(_("HTML body"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Tries since the row was queued (or put back by staff: "retry now" starts the count again).
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last try failed (short, personal data and secrets masked; never the message), and when.
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # The cause the staff page explains in plain words: "twilio:21211", "smtp:550", "stop" (empty: none known).
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # A failed row waits until then (empty: due now); `given_up_at`: no more tries (after the last
    # attempt allowed, or at once when the provider refused it for good: `permanent`).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up"), null=True, blank=True)
    permanent = models.BooleanField(_("refused for good"), default=False)
    # What the provider said after taking it. Texts only: Twilio's message sid (its status callbacks name it), then
    # `sent` (to the carrier) and `delivered` / `undelivered` / `failed` (final: a late `sent` changes nothing),
    # with the carrier's error ("twilio:30003") for the staff page's plain words.
    provider_id = models.CharField(_("provider's message id"), max_length=64, blank=True)
    delivery_status = models.CharField(_("delivery status"), max_length=12, choices=DeliveryStatus.choices, blank=True)
    delivery_error = models.CharField(_("delivery error"), max_length=40, blank=True)
    delivery_status_at = models.DateTimeField(_("delivery status changed"), null=True, blank=True)
    # Texts Twilio took and then reported not delivered for a passing reason, sent again (`services.receipts`): how
    # many times, and each earlier try as {"sid", "status", "error", "sent_at", "at"} (oldest first), so a late
    # callback for an earlier try is recognised and the page can say what happened before.
    delivery_retries = models.PositiveSmallIntegerField(_("sent again after not delivered"), default=0)
    earlier_deliveries = models.JSONField(_("earlier tries"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["request"], condition=Q(sent_at__isnull=True), name="notification_pending"),
            # The delivery runs' and the staff page's unsent rows, and the page's "sent in the last 24 hours".
            models.Index(
                fields=["agency", "next_attempt_at"],
                condition=Q(sent_at__isnull=True, given_up_at__isnull=True),
                name="notification_due",
            ),
            models.Index(fields=["agency", "sent_at"], name="notification_sent"),
        ]

    def __str__(self) -> str:
        from requests_app.outbox_mask import recipient_masked

        return f"#{self.pk} {self.channel} {recipient_masked(self.channel, self.recipient)}"

    @property
    def state(self) -> str:
        """sent, given_up, failing (tried, to be tried again) or pending (not tried yet)."""
        if self.sent_at is not None:
            return "sent"
        if self.given_up_at is not None:
            return "given_up"
        return "failing" if self.attempts else "pending"
