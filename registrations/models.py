"""Form definitions (versioned), registrations with their status history, uploads and reference numbers."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registrations.encrypted import EncryptedJSONField, EncryptedTextField
from tenants.audit import audited
from tenants.cases import CaseGroupPermission, CaseUserPermission
from tenants.models import Department, TenantOwned


def new_nonce() -> str:
    return uuid.uuid4().hex


@audited
class FormDefinition(TenantOwned):
    """A form an agency publishes. `definition` is the working copy admins edit; publishing freezes it
    into a new `FormVersion`, which is what citizens fill in and what a registration pins."""

    slug = models.SlugField(max_length=60, verbose_name=_("URL name"))
    title = models.CharField(_("title"), max_length=200, help_text=_("Taken from the definition's title."))
    description = models.TextField(_("description"), blank=True)
    definition = models.JSONField(
        default=dict, help_text=_("The form as JSON (see the schema)."), verbose_name=_("definition")
    )
    version = models.PositiveIntegerField(
        default=0, help_text=_("The latest published version; 0 = never."), verbose_name=_("version")
    )
    published = models.BooleanField(
        default=False, help_text=_("Open for new applications."), verbose_name=_("published")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Reviews this form's applications: its caseworkers see them."),
        verbose_name=_("department"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration form")
        verbose_name_plural = _("registration forms")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="registration_form_unique_slug")]

    def __str__(self) -> str:
        return self.title or self.slug


@audited(exclude_fields=["definition"])
class FormVersion(TenantOwned):
    """A frozen, published definition. Retired versions take no more submissions."""

    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="versions", verbose_name=_("form"))
    number = models.PositiveIntegerField(verbose_name=_("version number"))
    definition = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("published by")
    )
    retired = models.BooleanField(default=False, verbose_name=_("retired"))

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="registration_form_version_unique")]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("registration status", "Submitted")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_INFO = "needs_info", _("Needs information")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("registration status", "Rejected")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CHAT = "chat", _("Chat")  # the portal's own chat (page or widget)
    # The messaging channels, as `chat.Conversation.Channel` names them (an application made in such a chat).
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    MESSENGER = "messenger", "Messenger"
    SMS = "sms", _("SMS")


def chat_channel(conversation_channel: str) -> str:
    """The channel of an application made in a chat on `conversation_channel`: the messaging channel's own,
    else the chat."""
    messaging = (Channel.WHATSAPP, Channel.TELEGRAM, Channel.MESSENGER, Channel.SMS)
    return conversation_channel if conversation_channel in messaging else Channel.CHAT.value


# Answers, sensitive answers, the flow position and the resume secret stay out of audit diffs: the
# trail records who changed a registration's status, not copies of the answers. The applicant's contact
# details are not copied there either (the trail cannot be edited, and an erasure must leave no trace).
@audited(
    exclude_fields=[
        "answers",
        "sensitive_answers",
        "flow_state",
        "resume_nonce",
        "applicant_name",
        "applicant_email",
        "applicant_phone",
    ]
)
class Registration(TenantOwned):
    form = models.ForeignKey(
        FormDefinition, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("form")
    )
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("form version")
    )
    reference = models.CharField(
        max_length=40, blank=True, help_text=_("Given on submission."), verbose_name=_("reference")
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status"))
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB, verbose_name=_("channel"))
    language = models.CharField(max_length=10, default="en", verbose_name=_("language"))
    applicant_name = models.CharField(max_length=200, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_phone = models.CharField(max_length=40, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text=_("Answers to questions not marked sensitive."))
    sensitive_answers = EncryptedJSONField(default=dict, blank=True)
    flow_state = models.JSONField(default=dict, blank=True, help_text=_("Where the applicant is in the form."))
    resume_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    conversation_ref = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("The chat conversation this application is being filled in."),
        verbose_name=_("conversation reference"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "reference"],
                condition=~models.Q(reference=""),
                name="registration_unique_reference",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status", "-submitted_at"], name="registration_queue_idx"),
            models.Index(fields=["agency", "conversation_ref"], name="registration_conversation_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def all_answers(self) -> dict:
        return {**(self.answers or {}), **(self.sensitive_answers or {})}


class EventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    INFO_REQUEST = "info_request", _("Information requested")
    INFO_RESPONSE = "info_response", _("Information provided")
    NOTE = "note", _("Staff note")


@audited(exclude_fields=["citizen_response"])
class RegistrationEvent(TenantOwned):
    """One entry of a registration's history. Public notes are shown to the applicant and on the
    status lookup; staff notes never leave the staff pages; the applicant's own reply is encrypted."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="events", verbose_name=_("registration")
    )
    kind = models.CharField(
        max_length=20, choices=EventKind.choices, default=EventKind.STATUS, verbose_name=_("kind of event")
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True, verbose_name=_("to status"))
    public_note = models.TextField(blank=True, verbose_name=_("public note"))
    staff_note = models.TextField(blank=True, verbose_name=_("internal note"))
    citizen_response = EncryptedTextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.registration}: {self.get_kind_display()}"


def upload_path(instance: "RegistrationFile", filename: str) -> str:
    # The agency id is in the path; the name is random (the original name is kept in the row).
    return f"registrations/{instance.agency_id}/{instance.pk}.bin"


@audited
class RegistrationFile(TenantOwned):
    """An uploaded document; its bytes are stored encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="files", verbose_name=_("registration")
    )
    field_id = models.CharField(max_length=40, verbose_name=_("form field"))
    name = models.CharField(max_length=200, verbose_name=_("file name"))
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    content = models.FileField(upload_to=upload_path, max_length=200, verbose_name=_("file"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration file")
        verbose_name_plural = _("registration files")

    def __str__(self) -> str:
        return self.name


# Registrations shared with one person: django-guardian's direct foreign-key permission tables, tenant-owned
# and audited (each grant and removal is in the trail). See `tenants.cases`.
@audited
class RegistrationUserPermission(CaseUserPermission):
    content_object = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="user_grants", verbose_name=_("registration")
    )

    class Meta(CaseUserPermission.Meta):
        verbose_name = _("registration share")
        verbose_name_plural = _("registration shares")
        indexes = [models.Index(fields=["agency", "user", "permission"], name="registration_grant_user")]


@audited
class RegistrationGroupPermission(CaseGroupPermission):
    content_object = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="group_grants", verbose_name=_("registration")
    )

    class Meta(CaseGroupPermission.Meta):
        verbose_name = _("registration group grant")
        verbose_name_plural = _("registration group grants")
