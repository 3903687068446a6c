"""Service requests: the catalogue (categories and their extra questions), requests with their status
history and followers, photos, Open311 API keys, and each agency's request settings.

Status changes go through `requests_app.services` only; `StatusEvent` is the history they write.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_app import geo
from tenants.audit import audited
from tenants.models import Department, TenantOwned
from tenants.translations import TranslationsValidator, translated, translated_value

ATTRIBUTE_CODE = RegexValidator(r"^[A-Za-z0-9_.-]{1,60}$", _("Use letters, digits, dots, dashes and underscores."))
PREFIX = RegexValidator(r"^[A-Z0-9]{2,6}$", _("Two to six capital letters or digits."))


def validate_geojson_area(value) -> None:
    if value in (None, ""):
        return
    try:
        geo.polygons_of(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@audited
class AgencyRequestSettings(TenantOwned):
    """Per-agency settings of this app (the agency model itself belongs to `tenants`)."""

    reference_prefix = models.CharField(
        max_length=6,
        blank=True,
        validators=[PREFIX],
        help_text=_("Start of every reference number, e.g. SPR. Empty: the first three letters of the slug."),
    )
    service_area = models.JSONField(
        null=True,
        blank=True,
        validators=[validate_geojson_area],
        help_text=_("Optional GeoJSON Polygon or MultiPolygon; reports outside it are refused."),
    )
    map_latitude = models.FloatField(default=39.7817, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    map_longitude = models.FloatField(default=-89.6501, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    map_zoom = models.PositiveSmallIntegerField(default=13, validators=[MaxValueValidator(19)])

    class Meta:
        verbose_name = _("service request settings")
        verbose_name_plural = _("service request settings")
        constraints = [models.UniqueConstraint(fields=["agency"], name="requestsettings_one_per_agency")]

    def __str__(self) -> str:
        return str(_("Service request settings"))


@audited(m2m_fields={"area_departments"})
class ServiceCategory(TenantOwned):
    """A kind of problem citizens can report (an Open311 "service")."""

    code = models.SlugField(_("code"), max_length=60, help_text=_("The Open311 service_code."))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Comma-separated."))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Receives these reports unless a department below serves the location."),
    )
    area_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        help_text=_("Departments that take these reports inside their own service area."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (metres)"), default=50, validators=[MaxValueValidator(5000)]
    )
    duplicate_window_days = models.PositiveIntegerField(
        _("duplicate window (days)"), default=30, validators=[MaxValueValidator(365)]
    )
    sla_hours = models.PositiveIntegerField(_("SLA (hours)"), null=True, blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("name", "description", "group"))],
        help_text=_('Name, description and group in other UI languages, e.g. {"es": {"name": "Bache"}}.'),
    )
    order = models.IntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="category_unique_code")]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str | None = None) -> str:
        """The name in `language` (default: the active UI language), else the agency's own."""
        return translated(self, "name", language)

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


@audited
class ServiceAttribute(TenantOwned):
    """An extra question of a category, in the Open311 attribute form."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One choice")
        MULTI = "multivaluelist", _("Several choices")

    category = models.ForeignKey(ServiceCategory, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(max_length=60, validators=[ATTRIBUTE_CODE])
    variable = models.BooleanField(default=True, help_text=_("False: an informational note, not a question."))
    datatype = models.CharField(max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(default=False)
    datatype_description = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=1)
    description = models.CharField(_("question"), max_length=300)
    values = models.JSONField(default=list, blank=True, help_text=_('For choice lists: [{"key": "…", "name": "…"}, …]'))
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("description", "datatype_description"), with_values=True)],
        help_text=_(
            'The question and its choices in other UI languages, e.g. {"es": {"description": "¿Qué tamaño tiene?", '
            '"values": {"small": "Pequeño"}}}.'
        ),
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="attribute_unique_code")]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        super().clean()
        if self.datatype in (self.Datatype.SINGLE, self.Datatype.MULTI):
            values = self.values
            ok = (
                isinstance(values, list)
                and values
                and all(
                    isinstance(v, dict) and str(v.get("key", "")).strip() and str(v.get("name", "")).strip()
                    for v in values
                )
            )
            if not ok:
                raise ValidationError({"values": _('Choice lists need values like [{"key": "a", "name": "A"}].')})
            keys = [str(v["key"]) for v in values]
            if len(keys) != len(set(keys)):
                raise ValidationError({"values": _("Each choice needs its own key.")})

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(key, name) of each choice, the names in the active UI language."""
        return [(str(v["key"]), translated_value(self, str(v["key"]), str(v["name"]))) for v in (self.values or [])]

    def choices_in(self, language: str) -> list[tuple[str, str]]:
        return [
            (str(v["key"]), translated_value(self, str(v["key"]), str(v["name"]), language))
            for v in (self.values or [])
        ]

    def question_in(self, language: str | None = None) -> str:
        return translated(self, "description", language)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")
    REJECTED = "rejected", _("Rejected")


# Open311 knows only open/closed; these are "open". Duplicate detection looks at open requests.
OPEN_STATUSES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    CHAT = "chat", _("Chat")
    PHONE = "phone", _("Phone call")
    OPEN311 = "open311", _("Open311 API")


@audited(exclude_fields=["key_hash", "last_used_at"])
class ApiKey(TenantOwned):
    """An Open311 API key of one agency. Only a SHA-256 hash of the key is stored."""

    name = models.CharField(_("name"), max_length=100, help_text=_("Who uses this key, e.g. the city's 311 app."))
    prefix = models.CharField(max_length=12, editable=False, help_text=_("The start of the key, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


@audited(
    exclude_fields=["updated_at"],
    mask_fields=["reporter_email", "reporter_phone", "reporter_first_name", "reporter_last_name"],
)
class ServiceRequest(TenantOwned):
    reference = models.CharField(_("reference"), max_length=32, editable=False)
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="requests")
    description = models.TextField(_("description"), max_length=4000, blank=True)
    lat = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    long = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(_("ZIP code"), max_length=20, blank=True)
    attributes = models.JSONField(default=dict, blank=True, help_text=_("Answers to the category's questions."))
    media_url = models.URLField(max_length=500, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    status_notes = models.CharField(max_length=1000, blank=True, help_text=_("The latest public note."))
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expected_at = models.DateTimeField(_("expected by"), null=True, blank=True)
    sla_due_at = models.DateTimeField(null=True, blank=True)
    sla_breached_at = models.DateTimeField(null=True, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    language = models.CharField(max_length=10, blank=True)
    # Private: never in public pages, Open311 GET answers or the status lookup.
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=40, blank=True)
    reporter_first_name = models.CharField(max_length=100, blank=True)
    reporter_last_name = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    api_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

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
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path, max_length=200)
    format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Staff withdraw a photo from public view (a face, a licence plate): then only staff see it.
    is_public = models.BooleanField(_("shown publicly"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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
        CREATED = "created", _("Received")
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
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"], name="statusevent_request")]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_kind_display()}"


@audited(mask_fields=["email", "phone"])
class Follower(TenantOwned):
    """Someone notified of a request's progress: by email, in the chat conversation they reported
    or followed it from, or by text message when only a phone number was left and an SMS gateway is
    configured (otherwise the number is for staff to call back)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    chat_conversation = models.CharField(max_length=64, blank=True, help_text=_("A chat conversation's id."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    is_reporter = models.BooleanField(default=False)
    language = models.CharField(max_length=10, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "email"], condition=~Q(email=""), name="follower_unique_email"),
            models.CheckConstraint(
                condition=~Q(email="", phone="", chat_conversation=""), name="follower_has_a_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} follower {self.pk}"


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
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["request"], condition=Q(sent_at__isnull=True), name="notification_pending")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
