"""CAP feeds an agency polls or is pushed (their sources) and the CAP messages received from them."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from crisis.models.alerts import Alert, Severity
from tenants.audit import audited
from tenants.models import TenantOwned


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
