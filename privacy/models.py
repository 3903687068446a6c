"""Retention periods per kind of data, legal holds that suspend them, and the record of each run."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.audit import audited
from tenants.models import TenantOwned


class DataKind(models.TextChoices):
    TRANSCRIPTS = "transcripts", _("Chat transcripts")
    REQUEST_PERSONAL = "request_personal", _("Service requests' personal data (name, e-mail, phone, photos)")
    REGISTRATION_DRAFTS = "registration_drafts", _("Registration drafts")
    REGISTRATIONS = "registrations", _("Decided registrations")
    FEEDBACK = "feedback", _("Feedback comments")
    UNANSWERED = "unanswered", _("Unanswered questions")
    DELIVERY_LOGS = "delivery_logs", _("Delivery logs (sent e-mails, texts and chat notices)")
    AUDIT = "audit", _("Audit entries")


def minimum_days(kind: str) -> int:
    if kind == DataKind.AUDIT:
        return int(getattr(settings, "RETENTION_AUDIT_MIN_DAYS", 365))
    return int(getattr(settings, "RETENTION_MIN_DAYS", 30))


@audited
class RetentionPolicy(TenantOwned):
    kind = models.CharField(_("kind of data"), max_length=30, choices=DataKind.choices)
    days = models.PositiveIntegerField(_("keep for (days)"))
    enabled = models.BooleanField(_("enforced"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="privacy_policy_one_per_kind")]
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} days"

    def clean(self) -> None:
        super().clean()
        floor = minimum_days(self.kind)
        if self.days is not None and self.days < floor:
            raise ValidationError(
                {"days": _("Keep %(kind)s at least %(days)d days.") % {"kind": self.get_kind_display(), "days": floor}}
            )


class HoldTarget(models.TextChoices):
    CONVERSATION = "conversation", _("Chat conversation")
    SERVICE_REQUEST = "service_request", _("Service request")
    REGISTRATION = "registration", _("Registration")
    CITIZEN = "citizen", _("Citizen (e-mail address or phone number)")


@audited
class LegalHold(TenantOwned):
    """While active, nothing it covers is deleted or anonymised: not by retention, not by an erasure."""

    target = models.CharField(max_length=20, choices=HoldTarget.choices, verbose_name=_("held data"))
    reference = models.CharField(
        max_length=254,
        help_text=_("The conversation id, the request or registration reference, or the address/number."),
        verbose_name=_("reference"),
    )
    reason = models.CharField(max_length=500, verbose_name=_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(null=True, blank=True, verbose_name=_("released at"))

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "target"], condition=models.Q(released_at__isnull=True), name="hold_active")
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.reference}"


class RetentionRun(TenantOwned):
    audit_exempt_reason = "a run's counts are written to the audit trail as one entry; this row is its bookkeeping"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"retention run {self.started_at:%Y-%m-%d %H:%M}"


class RightsRequest(TenantOwned):
    """A citizen's request to export or erase their data, proven by a one-time code sent to the address
    or number. The contact is kept only until the request is done or expires."""

    audit_exempt_reason = "holds the contact being proven; the outcome is written to the audit trail"

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export my data")
        ERASE = "erase", _("Erase my data")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data rights request")
        verbose_name_plural = _("data rights requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk}"
